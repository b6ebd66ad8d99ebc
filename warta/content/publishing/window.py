"""The rolling publish window: claim, send several at a time, record as results come in."""

import time
from collections.abc import Iterable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from datetime import datetime

from django.db import transaction
from django.tasks import task

from warta.connectors.base import Connector, PublishResult, RemotePost
from warta.content.publishing.claims import _claim_more, _renew, claim_batch
from warta.content.publishing.config import (
    PUBLISH_QUEUE,
    RECORD_EVERY,
    batch_size,
    concurrency,
    stale_after,
)
from warta.content.publishing.files import _cropped, _media_by_post
from warta.content.publishing.jobs import Job, Requeue
from warta.content.publishing.outcomes import _published, _record
from warta.content.publishing.rates import _settle_budget, _within_budgets
from warta.content.publishing.recheck import _still_as_checked
from warta.content.publishing.sending import _call_platform, _connector_for
from warta.lib import clock


# The publish task lives beside its body, not in tasks.py with the others, because the
# hand-out (handout.py) enqueues it, and so do retries and rate-budget deferrals, through
# the Requeue handed down to them. The package and tasks.py re-export it: the paths stored
# with queued tasks, warta.content.publishing.publish_variants and
# warta.content.tasks.publish_variants, keep resolving.
@task(queue_name=PUBLISH_QUEUE)
def publish_variants(variant_ids: list[int]) -> dict[str, int]:
    return publish_batch(variant_ids)


def _can_defer() -> bool:
    return bool(publish_variants.get_backend().supports_defer)


def _enqueue_batch(ids: list[int], run_after: datetime | None) -> None:
    queued = publish_variants
    if run_after is not None:
        if not _can_defer():
            return  # a backend without run_after: the periodic hand-out takes them when due
        queued = queued.using(run_after=run_after)
    queued.enqueue(variant_ids=ids)


# What the code below the task (outcomes.py, rates.py) is handed to put a post back.
_REQUEUE = Requeue(can_defer=_can_defer, enqueue=_enqueue_batch)


def publish_batch(variant_ids: Iterable[int], *, now: datetime | None = None) -> dict[str, int]:
    """Claim what can be claimed among the ids and publish those, several at a time.

    A rolling window: as each platform request finishes, the next claimed post takes its
    slot at once, instead of the batch waiting for its slowest post. When the ids run
    out, the task goes on claiming due posts already handed to other tasks
    (`_claim_more`), for at most `take_more_for()`: in a burst each worker keeps its
    requests in flight instead of paying a task hand-over per batch, and the tasks it
    overtook find nothing left to claim.
    """
    now = now or clock.now()
    run = _Run()
    window = concurrency()
    until = time.monotonic() + take_more_for()
    more = True
    beat = stale_after().total_seconds() / 4
    renewed = time.monotonic()
    # Submitted: in flight, or next in line in the pool's queue, where a thread takes
    # the next one the moment its request ends, whatever this thread is doing.
    pending: dict[Future[object], Job] = {}
    finished: list[Job] = []  # results in, not yet recorded
    finished_at = 0.0  # when the first of them came in
    with ThreadPoolExecutor(max_workers=window, thread_name_prefix="publish") as pool:

        def submit(jobs: list[Job]) -> None:
            for job in run.prepare(jobs):
                connector = run.connectors[job.variant.channel_id]
                pending[pool.submit(_call_platform, job, connector)] = job

        submit(claim_batch(list(variant_ids), now=now))
        try:
            while True:
                # One window in line behind the one in flight: claimed but unsent posts are
                # few when a worker dies (verified before sending, as any claim taken over).
                while more and len(pending) < 2 * window:
                    claimed = None
                    if time.monotonic() < until:
                        limit = min(batch_size(), 3 * window - len(pending))
                        claimed = _claim_more(limit, now=clock.now())
                    if claimed is None:
                        more = False
                        break
                    submit(claimed)
                if not pending:
                    break
                # Results are written in groups (a full window, or what came in within
                # RECORD_EVERY): fewer commits, while the pool goes on with the next in line.
                timeout = beat
                if finished:
                    timeout = max(0.0, min(beat, finished_at + RECORD_EVERY - time.monotonic()))
                done, _ = wait(pending, timeout=timeout, return_when=FIRST_COMPLETED)
                if done and not finished:
                    finished_at = time.monotonic()
                for future in done:
                    job = pending.pop(future)
                    job.outcome = future.result()
                    finished.append(job)
                if finished and (
                    len(finished) >= window
                    or not pending
                    or time.monotonic() - finished_at >= RECORD_EVERY
                ):
                    run.record(finished)
                    finished = []
                if time.monotonic() - renewed >= beat:
                    # Slow uploads: renew the claims still held (in flight or next in line),
                    # so that no one takes this live worker for a dead one.
                    _renew(list(pending.values()))
                    renewed = time.monotonic()
            if finished:
                run.record(finished)
        except BaseException:
            # Not sent yet, and no one would record them: left claimed, they would be
            # verified on the platform (or by a person) when they need not be.
            for future in pending:
                future.cancel()
            raise
    return run.counts


class _Run:
    """What one publish task keeps across its claims: counts and a connector per channel."""

    def __init__(self) -> None:
        self.counts: dict[str, int] = {}
        self.connectors: dict[int, Connector | Exception] = {}

    def prepare(self, jobs: list[Job]) -> list[Job]:
        """The claimed jobs that may go out now, with their media and connector."""
        if not jobs:
            return []
        media = _media_by_post([job.variant.post_id for job in jobs])
        for job in jobs:
            job.media = media.get(job.variant.post_id, ())
        jobs = [job for job in jobs if _still_as_checked(job, self.counts)]
        for job in jobs:
            # After the digest comparison: the digest names the crop, the files are its result.
            job.media = _cropped(job.media, job.variant)
            channel = job.variant.channel
            if channel.pk not in self.connectors:
                self.connectors[channel.pk] = _connector_for(channel)
        return _within_budgets(jobs, self.connectors, self.counts, _REQUEUE)

    def record(self, jobs: list[Job]) -> None:
        """Record the results that have come in, in one commit.

        A commit per variant would make the database, not the platform, the bottleneck;
        the published ones (nearly all) are written by one UPDATE and one INSERT of their
        audit events. Should the commit fail, the posts stay "publishing" and are recovered
        by asking the platform first.
        """
        with transaction.atomic():
            made: list[Job] = []
            for job in jobs:
                _settle_budget(job, self.connectors[job.variant.channel_id])
                if isinstance(job.outcome, (PublishResult, RemotePost)):
                    made.append(job)
                else:
                    self.tally(_record(job, _REQUEUE))
            for _job in _published(made):
                self.tally("published")

    def tally(self, state: str, n: int = 1) -> None:
        self.counts[state] = self.counts.get(state, 0) + n


def take_more_for() -> float:
    """How long a publish task goes on claiming posts handed to other tasks (seconds).

    Bounded inside the stale limit (the reaper takes a task running longer for one whose
    worker died) and short enough that a stopping worker is not held for long.
    """
    return min(60.0, stale_after().total_seconds() / 2)
