"""Handing out work: due variants, and those a dead worker left in publishing, to publish tasks."""

from datetime import datetime
from functools import partial

from django.db import transaction
from django.db.models import Q

from warta.channels.models import Channel
from warta.content.models import PostVariant
from warta.content.publishing.config import LOOKAHEAD, batch_size, stale_after
from warta.content.publishing.jobs import Enqueue, S
from warta.content.publishing.window import _can_defer, _enqueue_batch
from warta.lib import clock


def due_variants_enqueue(*, now: datetime | None = None, enqueue: Enqueue | None = None) -> int:
    """Hand variants due up to LOOKAHEAD from now to publish tasks, in batches; returns how many.

    A variant queued more than the stale limit ago and still scheduled lost its task (a
    worker died before claiming it) and is handed out again; a second task for it would
    be harmless anyway, since only one claim can succeed.
    """
    now = now or clock.now()
    enqueue = enqueue or _enqueue_batch
    # Ahead of time only when tasks can wait for their time (run_after).
    horizon = now + LOOKAHEAD if enqueue is not _enqueue_batch or _can_defer() else now
    candidates = (
        PostVariant.objects.filter(
            status=S.SCHEDULED,
            scheduled_at__lte=horizon,
            channel__status=Channel.Status.ACTIVE,
        )
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=horizon))
        .filter(Q(queued_at__isnull=True) | Q(queued_at__lt=now - stale_after()))
        .order_by("scheduled_at", "id")
        .values_list("id", "scheduled_at", "next_attempt_at")
    )
    rows = list(candidates[:20000])
    if not rows:
        return 0
    size = batch_size()
    batches: list[tuple[list[int], datetime | None]] = []
    stamps: dict[datetime, list[int]] = {}
    for start in range(0, len(rows), size):
        chunk = rows[start : start + size]
        ids = [r[0] for r in chunk]
        due: datetime = max(max(r[1], r[2] or r[1]) for r in chunk)  # type: ignore[type-var,assignment]
        batches.append((ids, due if due > now else None))
        # Stamped with the time the task may start, so a task waiting for a due time
        # ahead is not taken for lost.
        stamps.setdefault(max(now, due), []).extend(ids)
    count = 0
    with transaction.atomic():
        # One UPDATE per start time, not per batch: a burst due in one second is one.
        for stamp, ids in stamps.items():
            for part in range(0, len(ids), 2000):
                count += PostVariant.objects.filter(
                    pk__in=ids[part : part + 2000], status=S.SCHEDULED
                ).update(queued_at=stamp)
        transaction.on_commit(partial(_enqueue_all, batches, enqueue))
    return count


def _enqueue_all(batches: list[tuple[list[int], datetime | None]], enqueue: Enqueue) -> None:
    """Enqueue the hand-out's tasks; stored in one commit when the backend stores them.

    A backend that can wait (run_after) stores tasks rather than running them: a commit
    per task would cost a burst of 400 batches 400 commits before the first can start.
    """
    if enqueue is _enqueue_batch and _can_defer():
        with transaction.atomic():
            for ids, run_after in batches:
                enqueue(ids, run_after)
        return
    for ids, run_after in batches:
        enqueue(ids, run_after)


def stale_publishing_enqueue(*, now: datetime | None = None, enqueue: Enqueue | None = None) -> int:
    """Hand variants left in publishing by a dead worker to tasks that verify them first."""
    now = now or clock.now()
    enqueue = enqueue or _enqueue_batch
    ids = list(
        PostVariant.objects.filter(status=S.PUBLISHING)
        .filter(
            Q(claimed_at__lt=now - stale_after())
            | Q(claimed_at__isnull=True, next_attempt_at__lte=now)
        )
        .values_list("id", flat=True)[:5000]
    )
    size = batch_size()
    for start in range(0, len(ids), size):
        enqueue(ids[start : start + size], None)
    return len(ids)
