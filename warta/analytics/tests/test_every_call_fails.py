"""A channel that looks healthy but whose every call fails is flagged within one sync round.

Against the strict Graph fake: the Page is gone for warta's token (Graph answers
"(#100) Unsupported get request. Object does not exist", code 100/33, for every call),
which no single answer calls an auth error.
"""

import pytest
from django.core import mail
from django.test import TestCase

from warta.analytics.services import metrics_sync_channel
from warta.channels.models import Channel
from warta.connectors.fakes import FakePlatform, Fault
from warta.content.models import Post, PostVariant
from warta.engagement.ingest import channel_sync_comments
from warta.lib import clock, crypto
from warta.testing.fixtures import World

pytestmark = pytest.mark.django_db


def facebook_channel(world: World, fake: FakePlatform) -> Channel:
    channel = Channel.objects.create(
        agency=world.agency_a,
        platform="facebook",
        handle=fake.handle,
        external_id=fake.external_id,
        mode="api",
        credentials_encrypted=crypto.encrypt_json(fake.credentials()),
    )
    post = Post.objects.create(agency=world.agency_a, message="Info", created_by=world.alice)
    PostVariant.objects.create(
        post=post,
        channel=channel,
        caption="Info",
        status=PostVariant.Status.PUBLISHED,
        published_at=clock.now(),
        platform_post_id=f"{fake.external_id}_42",
    )
    return channel


def sync(channel: Channel) -> None:
    with TestCase.captureOnCommitCallbacks(execute=True):
        metrics_sync_channel(channel=channel)
        channel_sync_comments(channel_id=channel.pk)
    channel.refresh_from_db()


def test_a_page_gone_for_every_call_is_flagged_in_one_round(world, fake_platform):
    fake = fake_platform("facebook")
    channel = facebook_channel(world, fake)
    fake.objects.pop(fake.external_id)  # every call now answers 100/33
    sync(channel)  # the metric sync and the comment sync of one scheduler round
    assert channel.status == Channel.Status.NEEDS_RECONNECT
    assert channel.status_reason.startswith("Setiap panggilan ke platform gagal (2 kali")
    assert [m.subject for m in mail.outbox if "perlu disambungkan ulang" in m.subject]


def test_one_failing_call_among_working_ones_does_not_flag(world, fake_platform):
    fake = fake_platform("facebook")
    channel = facebook_channel(world, fake)
    fake.fail_next(Fault.INVALID_MEDIA, times=1)  # one refusal, then the Page answers
    sync(channel)
    sync(channel)
    assert channel.status == Channel.Status.ACTIVE and channel.failed_calls == 0


def test_a_platform_outage_is_not_taken_for_a_broken_connection(world, fake_platform):
    # 5xx for a whole round: the platform's trouble; only an hour of it flags the channel.
    fake = fake_platform("facebook")
    channel = facebook_channel(world, fake)
    fake.fail_next(Fault.SERVER_ERROR, times=1000)
    sync(channel)
    assert channel.status == Channel.Status.ACTIVE and channel.failed_calls >= 2
    for _round in range(4):
        sync(channel)
    assert channel.status == Channel.Status.NEEDS_RECONNECT


def test_a_revoked_token_in_the_comment_sync_flags_the_channel_at_once(world, fake_platform):
    fake = fake_platform("facebook")
    channel = facebook_channel(world, fake)
    fake.expire_token()
    with TestCase.captureOnCommitCallbacks(execute=True):
        channel_sync_comments(channel_id=channel.pk)
    channel.refresh_from_db()
    assert channel.status == Channel.Status.NEEDS_RECONNECT
