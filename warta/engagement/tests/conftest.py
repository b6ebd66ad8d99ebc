"""Fixtures of the engagement tests: the fake language engine (always) and a fake platform."""

from collections.abc import Iterator

import pytest

from warta.connectors.base import Account
from warta.engagement import annotation, platform
from warta.engagement.tests.fakes import FakeConnector, FakeLanguage, FakePlatform


@pytest.fixture(autouse=True)
def fake_language(monkeypatch: pytest.MonkeyPatch) -> FakeLanguage:
    engine = FakeLanguage()
    monkeypatch.setattr(annotation, "_language_api", lambda: engine)
    return engine


@pytest.fixture
def inbox_platform(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakePlatform]:
    state = FakePlatform()

    def connector_for(channel):  # type: ignore[no-untyped-def]
        account = Account(
            platform=channel.platform, external_id="1", handle=channel.handle, credentials={}
        )
        return FakeConnector(account, state=state)

    monkeypatch.setattr(platform, "connector_for", connector_for)
    yield state


@pytest.fixture
def commit(django_capture_on_commit_callbacks):  # type: ignore[no-untyped-def]
    """Run what a service enqueues on commit (tests run inside a transaction)."""
    return django_capture_on_commit_callbacks
