"""pytest fixtures: fake platform servers on 127.0.0.1 for any app's tests.

Enabled for the whole suite by the root conftest (`pytest_plugins`). Use:

    def test_it_publishes(fake_platform):
        fake = fake_platform("telegram")                 # started; stopped after the test
        connector = fake.connector()                     # Account points at the fake
        result = connector.publish(PublishRequest(idempotency_key="v1", caption="Halo"))
        assert fake.publish_counts["Halo"] == 1

    fake.fail_next(Fault.RATE_LIMIT)                     # next request: 429 + retry hint
    fake.fail_next(Fault.TIMEOUT, path="POST /2/tweets") # only a matching "METHOD /path"
    fake.fail_next(Fault.COMMIT_THEN_TIMEOUT)            # post made, answer lost (a crash)
    fake.expire_token()                                  # every token issued so far is dead
    fake_platform("x", latency=0.1, transient_error_rate=0.02)   # the benchmark's fake
    fake_platform("telegram", rate_limits=False)         # documented limits not enforced

Faults: see `Fault` (timeout, server_error, rate_limit, throttled, expired_token,
invalid_media, duplicate, malformed_json, commit_then_timeout, commit_then_server_error,
connection_reset). Each fake answers them in its platform's own error shape.

Starting a fake also points settings.WARTA_CONNECTOR_BASE_URLS[platform] at it (the
operator's sandbox override, the only API root that may be loopback): to build a Channel
for a fake in your app's tests, store `fake.credentials()` as the channel's credentials
and `fake.external_id` / `fake.handle` on the channel. A `base_url` in credentials is
never trusted (the SSRF guard, warta/lib/safe_http.py).

Counting for exactly-once checks: `fake.publish_counts[caption]`, `fake.key_counts[key]`
(Mastodon's Idempotency-Key), `fake.duplicates()`, and `GET <base_url>/_fake/stats`
from another process. Comments, metrics and followers: each fake's `add_comment(...)`,
`posts[id]` (a dict in the platform's shape) and attributes documented in its module.
"""

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from warta.connectors.fakes import FakePlatform, fake_class


@pytest.fixture
def fake_platform(settings: Any) -> Iterator[Callable[..., FakePlatform]]:
    """A factory: fake_platform(platform, **options) -> a started FakePlatform."""
    started: list[FakePlatform] = []

    def start(platform: str, **options: Any) -> FakePlatform:
        fake = fake_class(platform)(**options).start()
        started.append(fake)
        settings.WARTA_CONNECTOR_BASE_URLS = {
            **settings.WARTA_CONNECTOR_BASE_URLS,
            platform: fake.base_url,
        }
        return fake

    yield start
    for fake in started:
        fake.stop()
