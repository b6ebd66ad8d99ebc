"""Connectors read "now" from warta.lib.clock, so a frozen clock moves their waits too."""

from datetime import UTC, datetime

import httpx

from warta.connectors._http import retry_after_seconds
from warta.connectors.youtube.connector import seconds_until_quota_reset
from warta.lib import clock

MOMENT = datetime(2026, 12, 2, 12, 0, tzinfo=UTC)


def test_a_reset_header_is_counted_from_the_fixed_clock():
    epoch = httpx.Response(429, headers={"x-rate-limit-reset": str(int(MOMENT.timestamp()) + 90)})
    iso = httpx.Response(429, headers={"x-ratelimit-reset": "2026-12-02T12:05:00+00:00"})
    dated = httpx.Response(429, headers={"retry-after": "Wed, 02 Dec 2026 12:00:30 GMT"})
    with clock.fixed_at(MOMENT):
        assert retry_after_seconds(epoch) == 90
        assert retry_after_seconds(iso) == 300
        assert retry_after_seconds(dated) == 30


def test_the_youtube_quota_reset_is_counted_from_the_fixed_clock():
    # 12:00 UTC is 04:00 in Los Angeles: Pacific midnight is 20 hours on, plus the minute.
    with clock.fixed_at(MOMENT):
        assert seconds_until_quota_reset() == 20 * 3600 + 60
