"""The workers' side: claim, publish, retry, recover after a crash, auth errors."""

import random
import time
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from warta.channels.models import Channel
from warta.connectors.base import AuthError, PermanentError, TransientError
from warta.content import publishing
from warta.content.models import PostVariant
from warta.content.publishing import claims
from warta.content.tests.conftest import FakeConnector, FakePlatform, make_variant
from warta.core.models import AuditEvent
from warta.testing.fixtures import World

S = PostVariant.Status
pytestmark = pytest.mark.django_db


def publish(ids: list[int]) -> dict[str, int]:
    """Run a publish task as a worker would: its commits' callbacks (notices, re-queues) run."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return publishing.publish_batch(ids)


def test_it_publishes_a_due_variant_once(
    world: World, platform: FakePlatform, api_channel, django_capture_on_commit_callbacks
):
    variant = make_variant(world, api_channel)
    enqueued: list[list[int]] = []
    with django_capture_on_commit_callbacks(execute=True):
        n = publishing.due_variants_enqueue(enqueue=lambda ids, _at: enqueued.append(ids))
    assert n == 1
    publish(enqueued[0])
    variant.refresh_from_db()
    assert variant.status == S.PUBLISHED
    assert variant.platform_url.startswith("https://uji.example/")
    assert platform.accepted() == 1
    # A second task for the same variant (a duplicate hand-out) changes nothing.
    publish([variant.pk])
    assert platform.accepted() == 1
    assert AuditEvent.objects.filter(action="content.variant.published").count() == 1


def test_it_runs_through_the_real_task_on_commit(
    world: World, platform: FakePlatform, api_channel, django_capture_on_commit_callbacks
):
    variant = make_variant(world, api_channel)
    with django_capture_on_commit_callbacks(execute=True):
        publishing.due_variants_enqueue()
    variant.refresh_from_db()
    assert variant.status == S.PUBLISHED


def test_it_does_not_hand_out_future_or_held_variants(world, platform, api_channel):
    make_variant(world, api_channel, at=timezone.now() + timedelta(hours=2))
    held = Channel.objects.create(
        agency=world.agency_a,
        platform="ujicoba",
        handle="@b",
        mode="api",
        status=Channel.Status.NEEDS_RECONNECT,
    )
    make_variant(world, held)
    make_variant(world, api_channel, status=S.DRAFT)
    assert publishing.due_variants_enqueue(enqueue=lambda *_: None) == 0


def test_two_workers_claiming_the_same_variant_publish_it_once(world, platform, api_channel):
    variant = make_variant(world, api_channel)
    first = claims._claim(variant.pk, now=None)
    second = claims._claim(variant.pk, now=None)
    assert first is not None and second is None


def test_a_transient_error_retries_later_with_backoff(
    world, platform, api_channel, django_capture_on_commit_callbacks
):
    variant = make_variant(world, api_channel)
    platform.errors.append(TransientError("503 dari platform", retry_after=30))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        publish([variant.pk])
    variant.refresh_from_db()
    assert variant.status == S.SCHEDULED
    assert variant.attempts == 1
    assert variant.next_attempt_at >= timezone.now() + timedelta(seconds=29)
    assert "503" in variant.last_error
    assert len(callbacks) == 1  # re-enqueued with run_after
    assert api_channel.status == Channel.Status.ACTIVE  # one transient error never disconnects
    # Not claimable before its time; then it goes out, after asking the platform first.
    publish([variant.pk])
    variant.refresh_from_db()
    assert variant.status == S.SCHEDULED
    with time_machine.travel(variant.next_attempt_at + timedelta(seconds=1)):
        publish([variant.pk])
    variant.refresh_from_db()
    assert variant.status == S.PUBLISHED
    # A plain 503 means the platform did not take it: no need to ask first.
    assert platform.find_calls == 0 and platform.accepted() == 1


def test_a_lost_answer_is_verified_before_sending_again(world, platform, api_channel):
    variant = make_variant(world, api_channel)
    platform.errors.append(TransientError("read timeout", outcome_unknown=True))
    publish([variant.pk])
    variant.refresh_from_db()
    assert variant.verify_before_send
    platform.posts[str(variant.idempotency_key)] = ["p-early"]  # it did arrive after all
    with time_machine.travel(variant.next_attempt_at + timedelta(seconds=1)):
        publish([variant.pk])
    variant.refresh_from_db()
    assert variant.status == S.PUBLISHED and variant.platform_post_id == "p-early"
    assert platform.publish_calls == 1 and platform.find_calls == 1


def test_a_lost_answer_on_a_platform_that_cannot_tell_goes_to_a_person(
    world, platform, api_channel, monkeypatch
):
    monkeypatch.setattr(FakeConnector, "find_post_conclusive", False)
    variant = make_variant(world, api_channel)
    platform.errors.append(TransientError("read timeout", outcome_unknown=True))
    publish([variant.pk])
    variant.refresh_from_db()
    with time_machine.travel(variant.next_attempt_at + timedelta(seconds=1)):
        publish([variant.pk])
    variant.refresh_from_db()
    assert variant.status == S.NEEDS_ATTENTION and "Periksa di platform" in variant.last_error
    assert platform.publish_calls == 1


def test_a_timeout_after_the_platform_took_the_post_is_not_sent_twice(world, platform, api_channel):
    variant = make_variant(world, api_channel)
    platform.posts[str(variant.idempotency_key)] = ["p-early"]  # it did arrive
    PostVariant.objects.filter(pk=variant.pk).update(attempts=1, verify_before_send=True)
    publish([variant.pk])
    variant.refresh_from_db()
    assert variant.status == S.PUBLISHED and variant.platform_post_id == "p-early"
    assert platform.publish_calls == 0


def test_backoff_is_capped_exponential_with_jitter_and_honours_retry_after():
    rng = random.Random(1)
    delays = [publishing.backoff_seconds(n, rng=rng) for n in range(1, 12)]
    assert delays[0] <= publishing.BACKOFF_BASE
    assert delays[4] > delays[0]
    assert max(delays) <= publishing.BACKOFF_CAP
    assert len({round(publishing.backoff_seconds(3, rng=rng), 3) for _ in range(5)}) > 1
    assert publishing.backoff_seconds(1, retry_after=120, rng=rng) >= 120


class _Shortest(random.Random):
    """The jitter's luckiest draw: every delay at its shortest."""

    def uniform(self, a: float, b: float) -> float:
        return a


def test_a_blip_is_retried_in_seconds_and_an_outage_of_eight_minutes_fails_nothing(settings):
    first = publishing.backoff_seconds(1, rng=random.Random(0))
    assert 1 <= first <= 2  # a 503 in a burst costs a second or two, not five
    # A post fails only after every retry has waited: even at the shortest draws, the
    # platform has more than eight minutes to come back.
    waited = sum(
        publishing.backoff_seconds(n, rng=_Shortest())
        for n in range(1, settings.WARTA_PUBLISH_MAX_ATTEMPTS)
    )
    assert waited >= 8 * 60


def test_it_fails_with_the_reason_after_the_last_attempt(world, platform, api_channel, settings):
    settings.WARTA_PUBLISH_MAX_ATTEMPTS = 2
    variant = make_variant(world, api_channel)
    PostVariant.objects.filter(pk=variant.pk).update(attempts=1)
    platform.errors.append(TransientError("batas laju terlampaui"))
    publish([variant.pk])
    variant.refresh_from_db()
    assert variant.status == S.FAILED
    assert "batas laju" in variant.last_error
    assert mail.outbox and "tidak terbit" in mail.outbox[0].subject


def test_a_permanent_error_fails_with_the_platforms_reason(world, platform, api_channel):
    variant = make_variant(world, api_channel)
    platform.errors.append(PermanentError("Media tidak valid: rasio 3:1"))
    publish([variant.pk])
    variant.refresh_from_db()
    assert variant.status == S.FAILED
    assert variant.last_error == "Media tidak valid: rasio 3:1"
    assert [m.to for m in mail.outbox] == [["alice@example.test"]]


def test_an_auth_error_holds_the_channel_and_tells_its_officers(world, platform, api_channel):
    variant = make_variant(world, api_channel)
    other = make_variant(world, api_channel)
    platform.errors.append(AuthError("Token kedaluwarsa"))
    publish([variant.pk])
    api_channel.refresh_from_db()
    variant.refresh_from_db()
    other.refresh_from_db()
    assert api_channel.status == Channel.Status.NEEDS_RECONNECT
    assert variant.status == S.SCHEDULED and other.status == S.SCHEDULED  # waiting, not failed
    assert len(mail.outbox) == 1 and "disambungkan ulang" in mail.outbox[0].subject
    assert publishing.due_variants_enqueue(enqueue=lambda *_: None) == 0
    publish([other.pk])
    assert platform.publish_calls == 1  # the held one was not even tried
    # Reconnected: both go out.
    Channel.objects.filter(pk=api_channel.pk).update(status=Channel.Status.ACTIVE)
    publish([variant.pk, other.pk])
    assert PostVariant.objects.filter(status=S.PUBLISHED).count() == 2


def _crash_mid_publish(variant: PostVariant, *, arrived: bool, platform: FakePlatform) -> None:
    """A worker claimed the variant, maybe reached the platform, then died."""
    claims._claim(variant.pk, now=timezone.now() - timedelta(hours=1))
    if arrived:
        platform.posts[str(variant.idempotency_key)] = ["p-before-crash"]


def test_recovery_finds_the_post_a_dead_worker_made(world, platform, api_channel):
    variant = make_variant(world, api_channel, at=timezone.now() - timedelta(hours=2))
    _crash_mid_publish(variant, arrived=True, platform=platform)
    batches: list[list[int]] = []
    assert publishing.stale_publishing_enqueue(enqueue=lambda ids, _: batches.append(ids)) == 1
    publish(batches[0])
    variant.refresh_from_db()
    assert variant.status == S.PUBLISHED and variant.platform_post_id == "p-before-crash"
    assert platform.publish_calls == 0


def test_recovery_sends_when_the_platform_says_it_never_arrived(world, platform, api_channel):
    variant = make_variant(world, api_channel, at=timezone.now() - timedelta(hours=2))
    _crash_mid_publish(variant, arrived=False, platform=platform)
    publish([variant.pk])
    variant.refresh_from_db()
    assert variant.status == S.PUBLISHED and platform.accepted() == 1


def test_recovery_asks_a_person_when_the_platform_cannot_tell(world, platform, api_channel):
    platform.supports_find = False
    variant = make_variant(world, api_channel, at=timezone.now() - timedelta(hours=2))
    _crash_mid_publish(variant, arrived=True, platform=platform)
    publish([variant.pk])
    variant.refresh_from_db()
    assert variant.status == S.NEEDS_ATTENTION
    assert "Periksa di platform" in variant.last_error
    assert platform.publish_calls == 0


def test_a_live_workers_claim_is_left_alone(world, platform, api_channel):
    variant = make_variant(world, api_channel)
    claims._claim(variant.pk, now=None)
    assert publishing.stale_publishing_enqueue(enqueue=lambda *_: None) == 0
    publish([variant.pk])
    assert platform.publish_calls == 0 and platform.find_calls == 0


def test_a_transient_error_while_verifying_keeps_it_safe(world, platform, api_channel):
    variant = make_variant(world, api_channel, at=timezone.now() - timedelta(hours=2))
    _crash_mid_publish(variant, arrived=True, platform=platform)
    platform.find_errors.append(TransientError("timeout"))
    publish([variant.pk])
    variant.refresh_from_db()
    assert variant.status == S.SCHEDULED and variant.attempts == 1
    with time_machine.travel(variant.next_attempt_at + timedelta(seconds=1)):
        publish([variant.pk])
    variant.refresh_from_db()
    assert variant.status == S.PUBLISHED and platform.accepted() == 1


def test_a_manual_channel_reminds_the_officer_at_the_scheduled_time(world, platform):
    channel = world.channel_a
    Channel.objects.filter(pk=channel.pk).update(mode="manual")
    channel.refresh_from_db()
    variant = make_variant(world, channel)
    publish([variant.pk])
    variant.refresh_from_db()
    assert variant.status == S.NEEDS_ATTENTION
    assert "manual" in mail.outbox[0].subject.lower()


def test_a_platform_without_connector_needs_attention_not_silence(world):
    channel = Channel.objects.create(
        agency=world.agency_a, platform="website", handle="situs", mode="api"
    )
    variant = make_variant(world, channel)
    publish([variant.pk])
    variant.refresh_from_db()
    assert variant.status == S.NEEDS_ATTENTION and variant.last_error


def test_many_variants_are_published_concurrently_each_once(world, platform, api_channel, settings):
    settings.WARTA_PUBLISH_CONCURRENCY = 4
    variants = [make_variant(world, api_channel) for _ in range(12)]
    platform.errors.extend([TransientError("503")])
    counts = publish([v.pk for v in variants])
    assert counts == {"published": 11, "retry": 1}
    assert platform.accepted() == 11


def test_a_variant_waiting_for_its_task_is_not_handed_out_twice(
    world, platform, api_channel, django_capture_on_commit_callbacks
):
    variant = make_variant(world, api_channel, at=timezone.now() + timedelta(seconds=50))
    handed: list[tuple[list[int], object]] = []
    with django_capture_on_commit_callbacks(execute=True):
        publishing.due_variants_enqueue(enqueue=lambda ids, at: handed.append((ids, at)))
    assert handed == [([variant.pk], variant.scheduled_at)]  # waits for its time
    with time_machine.travel(timezone.now() + timedelta(seconds=40)):
        assert publishing.due_variants_enqueue(enqueue=lambda *_: None) == 0
    # Its task was lost (a worker died before taking it): handed out again, once stale.
    later = variant.scheduled_at + publishing.stale_after() + timedelta(seconds=1)
    with time_machine.travel(later), django_capture_on_commit_callbacks(execute=True):
        assert publishing.due_variants_enqueue(enqueue=lambda *_: None) == 1


def test_a_slow_publish_renews_its_claim_so_no_one_takes_it_over(
    world, platform, api_channel, settings, monkeypatch
):
    settings.WARTA_TASK_STALE_AFTER_SECONDS = 1  # heartbeat every 0.25 s
    variant = make_variant(world, api_channel)
    original = FakeConnector.publish

    def slow(self, request):
        time.sleep(0.8)
        return original(self, request)

    monkeypatch.setattr(FakeConnector, "publish", slow)
    with CaptureQueriesContext(connection) as queries:
        publish([variant.pk])
    variant.refresh_from_db()
    assert variant.status == S.PUBLISHED
    renewals = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].startswith('UPDATE "content_postvariant" SET "claimed_at" = ')
        and "next_attempt_at" not in q["sql"]
    ]
    assert renewals  # renewed while in flight


def test_without_a_deferring_backend_retries_are_handed_out_when_due(world, platform, api_channel):
    # The immediate backend (tests, tiny installs) cannot wait: the periodic job hands
    # the retry out once its time has come, instead of losing it until the stale limit.
    variant = make_variant(world, api_channel)
    platform.errors.append(TransientError("503"))
    publish([variant.pk])
    variant.refresh_from_db()
    assert variant.status == S.SCHEDULED and variant.queued_at is None
    assert publishing.due_variants_enqueue() == 0  # not yet
    later = variant.next_attempt_at + timedelta(seconds=1)
    with time_machine.travel(later), TestCase.captureOnCommitCallbacks(execute=True):
        assert publishing.due_variants_enqueue() == 1
    variant.refresh_from_db()
    assert variant.status == S.PUBLISHED
