"""Access tokens are refreshed before they expire, against the strict X fake (local HTTP).

X's access tokens live two hours and every refresh rotates the refresh token: a channel
that is not refreshed, or that loses the new refresh token, must be reconnected by hand.
"""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from warta.channels.models import Channel
from warta.channels.tokens import channel_token_refresh, channel_tokens_refresh
from warta.core.models import AuditEvent
from warta.lib import crypto
from warta.testing.fixtures import World

pytestmark = pytest.mark.django_db
NOON = datetime(2026, 12, 3, 4, 0, tzinfo=UTC)  # 12:00 WITA


def x_channel(world: World, fake, *, expires_in: timedelta) -> Channel:  # type: ignore[no-untyped-def]
    fake.issue_token()
    return Channel.objects.create(
        agency=world.agency_a,
        platform="x",
        handle="dinkes",
        external_id="1500000000000000001",
        mode="api",
        token_expires_at=NOON + expires_in,
        credentials_encrypted=crypto.encrypt_json(fake.credentials()),
    )


def credentials(channel: Channel) -> dict[str, str]:
    channel.refresh_from_db()
    return crypto.decrypt_json(channel.credentials_encrypted)


def test_a_token_about_to_expire_is_refreshed_and_the_new_refresh_token_kept(
    world: World, fake_platform
) -> None:
    fake = fake_platform("x")
    soon = x_channel(world, fake, expires_in=timedelta(minutes=20))
    with time_machine.travel(NOON, tick=False):
        assert channel_tokens_refresh() == 1
    stored = credentials(soon)
    # The fake's current pair: the old refresh token no longer works there.
    assert (stored["access_token"], stored["refresh_token"]) == (
        fake.access_token,
        fake.refresh_token,
    )
    assert soon.token_expires_at == NOON + timedelta(seconds=7200)
    assert soon.status == Channel.Status.ACTIVE
    assert AuditEvent.objects.filter(action="channel.token_refreshed").count() == 1
    # Half an hour later the new token is far from expiry: nothing is asked of X.
    with time_machine.travel(NOON + timedelta(minutes=30), tick=False):
        assert channel_tokens_refresh() == 0


def test_a_token_far_from_expiry_is_left_alone(world: World, fake_platform) -> None:
    fake = fake_platform("x")
    later = x_channel(world, fake, expires_in=timedelta(hours=1, minutes=30))
    before = credentials(later)
    with time_machine.travel(NOON, tick=False):
        assert channel_tokens_refresh() == 0
    assert credentials(later) == before


def test_a_refused_refresh_token_asks_for_reconnecting(world: World, fake_platform) -> None:
    fake = fake_platform("x")
    channel = x_channel(world, fake, expires_in=timedelta(minutes=10))
    fake.issue_token()  # the refresh token warta holds was used elsewhere: X refuses it
    with time_machine.travel(NOON, tick=False):
        assert channel_tokens_refresh() == 0
    channel.refresh_from_db()
    assert channel.status == Channel.Status.NEEDS_RECONNECT
    assert channel.token_expires_at == NOON + timedelta(minutes=10)  # nothing overwritten


def test_a_refresh_that_lost_the_race_keeps_the_winners_tokens(world: World, fake_platform) -> None:
    fake = fake_platform("x")
    channel = x_channel(world, fake, expires_in=timedelta(minutes=10))
    stale = Channel.objects.get(pk=channel.pk)  # what a second, overlapping run read
    with time_machine.travel(NOON, tick=False):
        assert channel_tokens_refresh() == 1
        winner = credentials(channel)
        # The loser's refresh token is spent at X: refused, but not held against the channel.
        assert channel_token_refresh(channel=stale) is False
    assert credentials(channel) == winner
    assert channel.status == Channel.Status.ACTIVE
