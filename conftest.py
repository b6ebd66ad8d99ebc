"""Test set-up shared by every app: settings for tests and the base people fixture.

The base fixture follows healthchecks' alice/bob/charlie: an officer of agency A, the
region's coordinator, a head of agency A and an officer of agency B (the outsider), so
that every endpoint gets an ownership test.
"""

import pytest


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


pytest_plugins = ["warta.testing.fixtures", "warta.connectors.fakes.fixtures"]
