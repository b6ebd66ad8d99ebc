"""Test set-up shared by every app: settings for tests and the base people fixture.

The base fixture follows healthchecks' alice/bob/charlie: an officer of agency A, the
region's coordinator, a head of agency A and an officer of agency B (the outsider), so
that every endpoint gets an ownership test.
"""

import datetime as dt
import re
import zlib
from collections.abc import Iterator

import pytest
import time_machine

_clocks: list[str] = []  # the --clock moments: each test file runs under one of them
_targets: dict[str, dt.datetime] = {}


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--clock",
        default="",
        help=(
            "Run every test file with the wall clock moved: +400d (days from now) or an ISO "
            "moment such as 2027-08-17T10:30:00+08:00. Several, comma-separated: each file "
            "runs under one of them, chosen by a stable hash of its path. Time ticks "
            "on; monotonic time and subprocesses keep the real clock. Tests that freeze "
            "time nest inside it."
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


def clock_for(path: str, clocks: list[str]) -> str:
    """The clock a test file runs under when there are several: the same on every run."""
    return clocks[zlib.crc32(path.encode()) % len(clocks)]


def pytest_configure(config: pytest.Config) -> None:
    # Runs in the controller and in every xdist worker: every process moves the same way.
    _clocks[:] = [s.strip() for s in config.getoption("--clock").split(",") if s.strip()]
    now = dt.datetime.now(dt.UTC)
    _targets.update((spec, clock_target(spec, now=now)) for spec in _clocks)


def pytest_report_header(config: pytest.Config) -> str | None:
    return f"clock moved per test file to one of: {', '.join(_clocks)}" if _clocks else None


@pytest.fixture(autouse=True, scope="module")
def _clock_of_this_file(request: pytest.FixtureRequest) -> Iterator[None]:
    if not _clocks:
        yield
        return
    with time_machine.travel(_targets[clock_for(request.node.nodeid, _clocks)], tick=True):
        yield


def pytest_runtest_setup(item: pytest.Item) -> None:
    if _clocks:  # a failure says which clock its file ran under
        item.add_report_section("call", "clock", clock_for(item.nodeid.split("::")[0], _clocks))


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
