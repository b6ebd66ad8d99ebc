"""Claiming: a worker owns a variant only after one conditional UPDATE moves it to publishing."""

import random
import uuid
from datetime import datetime, timedelta

from django.db.models import Q, QuerySet

from warta.channels.models import Channel
from warta.content.models import PostVariant
from warta.content.publishing.config import stale_after
from warta.content.publishing.jobs import Job, S
from warta.lib import clock


def claim_batch(ids: list[int], *, now: datetime) -> list[Job]:
    """Take the due, scheduled variants among ids, and stale claims of dead workers.

    The claiming UPDATE filters on the variant's own columns only: PostgreSQL re-checks
    those against the newest row version when two workers race, whereas a filter through
    a join (a subquery) would let both win.
    """
    rows = list(
        PostVariant.objects.filter(pk__in=ids).values_list(
            "pk", "status", "channel_id", "claimed_at", "next_attempt_at"
        )
    )
    active = set(
        Channel.objects.filter(
            pk__in={r[2] for r in rows}, status=Channel.Status.ACTIVE
        ).values_list("pk", flat=True)
    )
    fresh = [r[0] for r in rows if r[1] == S.SCHEDULED and r[2] in active]
    jobs = _claim_fresh(fresh, now=now) if fresh else []
    for pk, status, _channel, claimed_at, next_at in rows:
        if status == S.PUBLISHING and (job := _take_over(pk, claimed_at, next_at, now)):
            jobs.append(job)
    return jobs


def _claim_fresh(ids: list[int], *, now: datetime) -> list[Job]:
    """Move the due, scheduled variants among ids to publishing in one UPDATE; read them back."""
    soon = now + timedelta(seconds=1)
    token = uuid.uuid4()
    PostVariant.objects.filter(
        pk__in=ids,
        status=S.SCHEDULED,
        scheduled_at__lte=soon,
    ).filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=soon)).update(
        status=S.PUBLISHING, claimed_at=now, claim_token=token, updated_at=now
    )
    return [
        # A retry after an answer that was lost (a timeout after the post may have
        # been made, outcome_unknown): ask the platform before sending again.
        Job(
            variant=variant,
            verify_first=variant.verify_before_send,
            claimed_at=now,
            since=(variant.scheduled_at or now) - timedelta(minutes=10),
        )
        for variant in _loaded().filter(claim_token=token, status=S.PUBLISHING)
    ]


def _take_over(
    pk: int, claimed_at: datetime | None, next_at: datetime | None, now: datetime
) -> Job | None:
    """Take a dead worker's claim, in one conditional update on the claim we saw."""
    if claimed_at is not None and claimed_at >= now - stale_after():
        return None  # a live worker holds it
    if claimed_at is None and next_at is not None and next_at > now:
        return None
    if not PostVariant.objects.filter(pk=pk, status=S.PUBLISHING, claimed_at=claimed_at).update(
        claimed_at=now, next_attempt_at=None, claim_token=None
    ):
        return None
    variant = _loaded().get(pk=pk)
    return Job(
        variant=variant,
        verify_first=True,
        takeover=True,
        claimed_at=now,
        since=min(claimed_at or now, variant.scheduled_at or now) - timedelta(minutes=10),
    )


def _claim(pk: int, *, now: datetime | None) -> Job | None:
    jobs = claim_batch([pk], now=now or clock.now())
    return jobs[0] if jobs else None


def _loaded() -> "QuerySet[PostVariant]":
    return PostVariant.objects.select_related("post", "post__agency", "channel")


def _claim_more(limit: int, *, now: datetime) -> list[Job] | None:
    """Claim up to `limit` due variants that were handed to a task; None when there are none.

    Only variants already handed out (queued_at set) are taken: their own task, when it
    runs, finds them claimed and has nothing to do. Several workers ask at once in a
    burst: each claims a random sample of the first few windows of due variants, so
    they seldom reach for the same rows (a row only one of them can win anyway).
    """
    soon = now + timedelta(seconds=1)
    ids = list(
        PostVariant.objects.filter(
            status=S.SCHEDULED,
            queued_at__isnull=False,
            scheduled_at__lte=soon,
            channel__status=Channel.Status.ACTIVE,
        )
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=soon))
        .order_by("scheduled_at", "id")
        .values_list("id", flat=True)[: limit * 8]
    )
    if not ids:
        return None
    return _claim_fresh(random.sample(ids, min(limit, len(ids))), now=now)


def _renew(jobs: list[Job]) -> None:
    """Move the claims of the jobs still held to now, each only if it is still ours."""
    renewed = clock.now()
    by_claim: dict[datetime | None, list[Job]] = {}
    for job in jobs:
        by_claim.setdefault(job.claimed_at, []).append(job)
    for claimed_at, held in by_claim.items():
        if claimed_at is None:
            continue
        PostVariant.objects.filter(
            pk__in=[job.variant.pk for job in held],
            status=S.PUBLISHING,
            claimed_at=claimed_at,
        ).update(claimed_at=renewed)
        for job in held:
            job.claimed_at = renewed
