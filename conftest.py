"""Test set-up shared by every app: settings for tests and the base people fixture.

The base fixture follows healthchecks' alice/bob/charlie: an officer of agency A, the
region's coordinator, a head of agency A and an officer of agency B (the outsider), so
that every endpoint gets an ownership test.
"""

import datetime as dt
import re

import pytest
import time_machine

_session_trip: time_machine.travel | None = None


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--clock",
        default="",
        help=(
            "Run the whole session with the wall clock moved: +400d (days from now) or an "
            "ISO moment such as 2027-08-17T10:30:00+08:00. Time ticks on; monotonic time "
            "and subprocesses keep the real clock. Tests that freeze time nest inside it."
        ),
    )


def clock_target(spec: str, *, now: dt.datetime) -> dt.datetime:
    """Parse --clock: '+Nd' days ahead of `now`, '-Nd' behind, or an aware ISO moment."""
    match = re.fullmatch(r"([+-])(\d+)d", spec)
    if match:
        days = int(match[2]) * (1 if match[1] == "+" else -1)
        return now + dt.timedelta(days=days)
    target = dt.datetime.fromisoformat(spec)
    if target.tzinfo is None:
        raise pytest.UsageError("--clock needs a time zone, e.g. 2027-08-17T10:30:00+08:00")
    return target


def pytest_configure(config: pytest.Config) -> None:
    # Runs in the controller and in every xdist worker, so each process travels.
    global _session_trip
    spec = config.getoption("--clock")
    if not spec:
        return
    _session_trip = time_machine.travel(clock_target(spec, now=dt.datetime.now(dt.UTC)), tick=True)
    _session_trip.start()


def pytest_unconfigure(config: pytest.Config) -> None:
    if _session_trip is not None:
        _session_trip.stop()


def pytest_report_header(config: pytest.Config) -> str | None:
    spec = config.getoption("--clock")
    return f"clock moved: {spec} (now {dt.datetime.now(dt.UTC).isoformat()})" if spec else None


@pytest.fixture(autouse=True)
def _media_root(tmp_path, settings):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _indonesian_after_each_test():  # type: ignore[no-untyped-def]
    # A request that chose English leaves it active in this thread (the middleware
    # activates a language per request and production never runs code between
    # requests); the next test must start in Indonesian, as a new request would.
    yield
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)


pytest_plugins = [
    "warta.testing.fixtures",
    "warta.testing.live_server",
    "warta.connectors.fakes.fixtures",
]
