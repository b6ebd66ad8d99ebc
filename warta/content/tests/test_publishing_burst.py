"""Bursts: a task keeps its window full with posts handed to other tasks, exactly once."""

from datetime import timedelta

import pytest
import time_machine
from django.test import TestCase
from django.utils import timezone

from warta.connectors.base import PublishRequest, PublishResult
from warta.content import publishing
from warta.content.models import PostVariant
from warta.content.publishing import claims, outcomes, window
from warta.content.tests.conftest import FakeConnector, FakePlatform, make_variant
from warta.core.models import AuditEvent
from warta.testing.fixtures import World

S = PostVariant.Status
pytestmark = pytest.mark.django_db


def publish(ids: list[int]) -> dict[str, int]:
    with TestCase.captureOnCommitCallbacks(execute=True):
        return publishing.publish_batch(ids)


def hand_out() -> list[list[int]]:
    """Run the scheduler's hand-out; return the batches it gave to tasks (not run)."""
    batches: list[list[int]] = []
    with TestCase.captureOnCommitCallbacks(execute=True):
        publishing.due_variants_enqueue(enqueue=lambda ids, _at: batches.append(ids))
    return batches


def test_a_task_goes_on_with_the_posts_handed_to_the_tasks_behind_it(
    world: World, platform: FakePlatform, api_channel, settings
):
    settings.WARTA_PUBLISH_BATCH = 3
    settings.WARTA_PUBLISH_CONCURRENCY = 2
    variants = [make_variant(world, api_channel) for _ in range(10)]
    batches = hand_out()
    assert len(batches) == 4
    counts = publish(batches[0])
    assert counts == {"published": 10}
    assert PostVariant.objects.filter(status=S.PUBLISHED).count() == 10
    # The tasks it overtook find nothing left: no post twice.
    for batch in batches[1:]:
        assert publish(batch) == {}
    assert platform.accepted() == 10 and platform.publish_calls == 10
    assert all(len(ids) == 1 for ids in platform.posts.values())
    assert AuditEvent.objects.filter(action="content.variant.published").count() == len(variants)


def test_it_takes_only_what_was_handed_out_and_is_due(world, platform, api_channel):
    own = make_variant(world, api_channel)
    handed = make_variant(world, api_channel)
    later = make_variant(world, api_channel, at=timezone.now() + timedelta(seconds=30))
    hand_out()  # all three handed out; `later` waits for its time
    never_handed = make_variant(world, api_channel)  # e.g. created after the hand-out
    assert publish([own.pk]) == {"published": 2}
    states = dict(PostVariant.objects.values_list("pk", "status"))
    assert states[own.pk] == states[handed.pk] == S.PUBLISHED
    assert states[later.pk] == states[never_handed.pk] == S.SCHEDULED


def test_it_stops_taking_more_after_its_time(world, platform, api_channel, monkeypatch):
    monkeypatch.setattr(window, "take_more_for", lambda: 0.0)
    own, other = make_variant(world, api_channel), make_variant(world, api_channel)
    hand_out()
    publish([own.pk])
    assert PostVariant.objects.get(pk=own.pk).status == S.PUBLISHED
    assert PostVariant.objects.get(pk=other.pk).status == S.SCHEDULED  # left to its own task


def test_two_claimers_reaching_for_the_same_posts_never_both_win(
    world, platform, api_channel, monkeypatch
):
    variants = [make_variant(world, api_channel) for _ in range(6)]
    hand_out()
    # Both see the same candidates and sample the same ones: the worst case.
    monkeypatch.setattr(claims.random, "sample", lambda ids, k: list(ids)[:k])
    now = timezone.now()
    first = claims._claim_more(4, now=now)
    second = claims._claim_more(4, now=now)
    third = claims._claim_more(4, now=now)
    assert first is not None and second is not None
    a = {job.variant.pk for job in first}
    b = {job.variant.pk for job in second}
    assert len(a) == 4 and len(b) == 2 and not a & b
    assert third is None  # nothing left that is due and handed out
    assert a | b == {v.pk for v in variants}
    assert PostVariant.objects.filter(status=S.PUBLISHING).count() == 6


class WorkerDied(BaseException):
    """What a SIGKILL looks like from inside: the task stops where it is."""


def test_nothing_is_lost_or_doubled_when_a_worker_dies_mid_window(
    world, platform, api_channel, settings, monkeypatch
):
    settings.WARTA_PUBLISH_BATCH = 4
    settings.WARTA_PUBLISH_CONCURRENCY = 2
    variants = [make_variant(world, api_channel) for _ in range(12)]
    batches = hand_out()
    original = FakeConnector.publish
    calls = {"n": 0}

    def dies_on_the_fifth(self: FakeConnector, request: PublishRequest) -> PublishResult:
        calls["n"] += 1
        if calls["n"] == 5:
            original(self, request)  # the platform took it; the answer never came back
            raise WorkerDied
        return original(self, request)

    monkeypatch.setattr(FakeConnector, "publish", dies_on_the_fifth)
    with pytest.raises(WorkerDied):
        publish(batches[0])
    monkeypatch.setattr(FakeConnector, "publish", original)
    states = dict(PostVariant.objects.values_list("pk", "status"))
    held = [pk for pk, state in states.items() if state == S.PUBLISHING]
    assert held  # claimed by the dead worker: in flight and next in line
    # A live worker meanwhile leaves the dead one's claims alone and takes the rest.
    for batch in batches:
        publish(batch)
    assert all(
        PostVariant.objects.get(pk=pk).status == S.PUBLISHING for pk in held
    )  # not yet stale
    later = timezone.now() + publishing.stale_after() + timedelta(seconds=5)
    with time_machine.travel(later):
        recovered: list[list[int]] = []
        publishing.stale_publishing_enqueue(enqueue=lambda ids, _at: recovered.append(ids))
        for batch in recovered:
            publish(batch)
    assert PostVariant.objects.filter(status=S.PUBLISHED).count() == len(variants)
    assert platform.find_calls == len(held)  # each dead worker's claim verified first
    # Every post exactly once on the platform, the one whose answer was lost included.
    assert len(platform.posts) == len(variants)
    assert all(len(ids) == 1 for ids in platform.posts.values())


def test_a_result_for_a_post_someone_else_moved_is_not_recorded_over_theirs(
    world, platform, api_channel
):
    mine, taken = make_variant(world, api_channel), make_variant(world, api_channel)
    jobs = publishing.claim_batch([mine.pk, taken.pk], now=timezone.now())
    # The other claim was taken over and finished elsewhere meanwhile.
    PostVariant.objects.filter(pk=taken.pk).update(status=S.NEEDS_ATTENTION)
    at = timezone.now() - timedelta(minutes=3, microseconds=250)
    for job in jobs:
        job.outcome = PublishResult(
            platform_post_id=f"p-{job.variant.pk}",
            url=f"https://uji.example/p-{job.variant.pk}",
            published_at=at,
        )
    recorded = outcomes._published(jobs)
    assert [job.variant.pk for job in recorded] == [mine.pk]
    assert PostVariant.objects.get(pk=taken.pk).status == S.NEEDS_ATTENTION
    stored = PostVariant.objects.get(pk=mine.pk)
    assert stored.status == S.PUBLISHED and stored.published_at == at
    assert stored.platform_post_id == f"p-{mine.pk}"
    assert stored.platform_url == f"https://uji.example/p-{mine.pk}"
    assert stored.claimed_at is None and not stored.verify_before_send
    assert AuditEvent.objects.filter(action="content.variant.published").count() == 1


@pytest.mark.parametrize("in_flight", [4, 8, 16, 40])
def test_the_publishing_client_never_closes_a_connection_a_request_waits_for(
    in_flight: int, settings
) -> None:
    """httpcore#1110: a surplus keep-alive connection closed under a waiting request hangs
    it until its read timeout. Every connection the client may open is kept alive, and the
    window never needs more than it may open."""
    from warta.content.publishing.sending import _limits

    settings.WARTA_PUBLISH_CONCURRENCY = in_flight
    limits = _limits()
    assert limits.max_keepalive_connections == limits.max_connections
    assert limits.max_connections is not None and limits.max_connections >= 2 * in_flight
