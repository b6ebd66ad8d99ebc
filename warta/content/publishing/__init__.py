"""The workers' side of publishing: hand due variants to tasks, claim, publish, record.

Exactly once: a worker owns a variant only after moving it scheduled → publishing in one
conditional update. A variant found in publishing whose claim is older than the stale
limit belonged to a worker that died mid-request: it is never sent again blindly; the
platform is asked for the post by its idempotency key first, and when the connector
cannot tell, a person is asked to verify ("needs attention"). Nothing is dropped: every
variant ends published, failed (with the reason), needs attention, or waiting.
"""

import hashlib
import io
import logging
import random
import threading
import time
import uuid
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.db.models import Field, Q, QuerySet
from django.tasks import task
from django.utils import timezone
from django.utils.translation import gettext_noop
from PIL import Image

from warta.channels import budgets
from warta.channels.models import Channel
from warta.channels.services import channel_account
from warta.connectors.base import (
    AuthError,
    Connector,
    ManualPublishRequired,
    MediaFile,
    NotSupported,
    PermanentError,
    PostSearchIncomplete,
    PublishRequest,
    PublishResult,
    RemotePost,
    TransientError,
    connector_class,
    connector_http,
)
from warta.connectors.ratelimits import ACCOUNT, Budget, app_key
from warta.content import notifications
from warta.content.media import crop_applies, crop_image_bytes
from warta.content.models import PostMedia, PostVariant
from warta.content.services import _transition, content_digest, findings_for, is_manual
from warta.core.models import AuditEvent
from warta.core.reasons import Reason
from warta.core.services import audit_event
from warta.lib import clock
from warta.lib.findings import Severity, worst
from warta.lib.links import web_url
from warta.lib.platforms import ConnectionMode

logger = logging.getLogger(__name__)

# Why a variant did not go out, stored on it in Indonesian and translated when shown
# (warta/core/reasons.py): publishing runs in a task, whatever language its caller had.
UNEXPECTED = Reason(
    gettext_noop(
        "Terjadi galat tak terduga di warta (tercatat di log server); periksa di platform "
        "sebelum menjadwalkan ulang."
    )
)
# What the officer reads while warta keeps trying, and what to do once it stopped.
RETRYING = Reason(gettext_noop("%(reason)s; warta mencoba lagi pukul %(time)s."))
RECONNECT = Reason(gettext_noop("%(reason)s. Hubungkan ulang akun di halaman kanal."))
GAVE_UP_MAYBE_PUBLISHED = Reason(
    gettext_noop(
        "Gagal %(n)d kali; jawaban terakhir platform hilang, jadi unggahan "
        "mungkin sudah terbit. Periksa di platform: jika sudah, tempel "
        "tautannya; jika belum, jadwalkan ulang. Terakhir: %(err)s"
    )
)
CHANGED_AND_BLOCKED = Reason(
    gettext_noop("Isi berubah sejak diperiksa dan kini ditolak pemeriksaan: %(why)s")
)
GAVE_UP = Reason(gettext_noop("Gagal %(n)d kali berturut-turut; terakhir: %(err)s"))
# A rate-limit budget is spent (warta/channels/budgets.py): the post waits for its reset.
BUDGET_SPENT = Reason(
    gettext_noop(
        "Jatah %(platform)s habis (%(limit)d per %(window)s per %(scope)s); warta tidak "
        "memanggil platform dan mengirim unggahan ini pukul %(time)s."
    )
)
BUDGET_SPENT_UNTIL = Reason(
    gettext_noop(
        "Batas %(platform)s tercapai (%(limit)d per %(window)s per %(scope)s) dan baru pulih "
        "%(day)s pukul %(time)s: unggahan ditahan sampai saat itu, lalu terbit otomatis. "
        "Tidak ada yang dibuang."
    )
)
S = PostVariant.Status

# Hand variants due this far ahead to tasks that wait (run_after) until their time, so
# a scheduler tick of tens of seconds never delays a post.
LOOKAHEAD = timedelta(seconds=60)
BACKOFF_BASE = 5.0
# Results that came in are recorded together within this many seconds (or a full window).
RECORD_EVERY = 0.1
BACKOFF_CAP = 15 * 60.0


def batch_size() -> int:
    return int(getattr(settings, "WARTA_PUBLISH_BATCH", 25))


def concurrency() -> int:
    return int(getattr(settings, "WARTA_PUBLISH_CONCURRENCY", 8))


def max_attempts() -> int:
    return int(getattr(settings, "WARTA_PUBLISH_MAX_ATTEMPTS", 8))


def stale_after() -> timedelta:
    return timedelta(seconds=settings.WARTA_TASK_STALE_AFTER_SECONDS)


def backoff_seconds(
    attempt: int, *, retry_after: float | None = None, rng: random.Random | None = None
) -> float:
    """Capped exponential backoff with full jitter, never shorter than the platform asked."""
    rng = rng or random.Random()
    ceiling = min(BACKOFF_CAP, BACKOFF_BASE * 2 ** max(0, attempt - 1))
    delay = ceiling / 2 + rng.uniform(0, ceiling / 2)
    if retry_after is not None:
        delay = max(delay, float(retry_after))
    return min(delay, BACKOFF_CAP) if retry_after is None else delay


# -- handing out work ----------------------------------------------------------------


Enqueue = Callable[[list[int], datetime | None], None]


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


# The publish task lives here, not in tasks.py with the others, because handing out work
# and retrying enqueue it: tasks.py imports this module and re-exports the task (its
# stored path, warta.content.tasks.publish_variants, keeps resolving).
@task
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


# -- doing the work -------------------------------------------------------------------


@dataclass
class Job:
    variant: PostVariant
    verify_first: bool  # ask the platform for the post before sending
    since: datetime
    claimed_at: datetime | None = None
    takeover: bool = False  # the claim of a dead worker: never re-send unverified
    verified: bool = False  # the platform said, conclusively, the post is not there
    media: tuple[MediaFile, ...] = ()
    outcome: object = None  # PublishResult / RemotePost / exception, set by the thread
    budget_taken: bool = False  # its cost was taken from the platform's rate budgets
    published: dict[str, Any] = field(default_factory=dict)  # what _published wrote


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
        return [job for job in jobs if _within_budget(job, self.connectors, self.counts)]

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
                    self.tally(_record(job))
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


def _update_published(jobs: list[Job], *, now: datetime, mark: uuid.UUID) -> int:
    """publishing → published for all jobs in one UPDATE, each with its own post id, URL
    and time (CASE on the id); returns how many rows moved.

    Written as SQL because the ORM's Case(When(pk=…)) resolves a filter per row and value:
    in a burst that was a quarter of a worker's CPU per post. Plain SQL that SQLite and
    PostgreSQL both run; values are prepared by their fields, as the ORM would.
    """
    meta = PostVariant._meta
    qn = connection.ops.quote_name

    def field(name: str) -> Field[Any, Any]:
        found = meta.get_field(name)
        assert isinstance(found, Field)
        return found

    def column(name: str) -> str:
        return qn(field(name).column or name)

    def prepared(name: str, value: object) -> Any:
        return field(name).get_db_prep_save(value, connection)

    sets: list[str] = []
    params: list[Any] = []
    for name, value in (
        ("status", S.PUBLISHED),
        ("updated_at", now),
        ("last_error", ""),
        ("claimed_at", None),
        ("next_attempt_at", None),
        ("verify_before_send", False),
        ("claim_token", mark),
    ):
        sets.append(f"{column(name)} = %s")
        params.append(prepared(name, value))
    for name in ("published_at", "platform_post_id", "platform_url"):
        sets.append(f"{column(name)} = CASE {column('id')}{' WHEN %s THEN %s' * len(jobs)} END")
        for job in jobs:
            params += [job.variant.pk, prepared(name, job.published[name])]
    # Only quoted names and placeholders are formatted in; every value is a parameter.
    sql = (
        f"UPDATE {qn(meta.db_table)} SET {', '.join(sets)} "  # noqa: S608
        f"WHERE {column('id')} IN ({', '.join(['%s'] * len(jobs))}) AND {column('status')} = %s"
    )
    params += [job.variant.pk for job in jobs]
    params.append(S.PUBLISHING)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def _published(jobs: list[Job]) -> list[Job]:
    """Mark the jobs the platform took (or that were found there) published, in bulk.

    The same conditional move as `_transition` (publishing → published), one UPDATE for
    all, with an audit event each; returns the jobs that moved. A mark on the rows tells
    which, in the rare case that not all were still publishing.
    """
    if not jobs:
        return []
    now = clock.now()
    for job in jobs:
        outcome = job.outcome
        assert isinstance(outcome, (PublishResult, RemotePost))
        job.published = {
            "published_at": outcome.published_at or now,
            "platform_post_id": outcome.platform_post_id,
            "platform_url": web_url(outcome.url),
        }
    mark = uuid.uuid4()
    moved = _update_published(jobs, now=now, mark=mark)
    if moved < len(jobs):
        # Someone else moved some meanwhile (their claim was taken over): not ours to record.
        ours = set(PostVariant.objects.filter(claim_token=mark).values_list("pk", flat=True))
        jobs = [job for job in jobs if job.variant.pk in ours]
    events = []
    for job in jobs:
        variant = job.variant
        recovered = isinstance(job.outcome, RemotePost)
        variant.status = S.PUBLISHED
        for name, value in job.published.items():
            setattr(variant, name, value)
        after = {"status": S.PUBLISHED, **{k: str(v) for k, v in job.published.items()}}
        after.pop("platform_post_id")
        events.append(
            audit_event(
                actor=None,
                action="content.variant.published",
                obj=variant,
                agency_id=variant.post.agency_id,
                region_id=variant.post.agency.region_id,
                before={"status": S.PUBLISHING},
                after={**after, "last_error": "", "next_attempt_at": "None"},
                note=gettext_noop("ditemukan di platform saat pemulihan") if recovered else "",
            )
        )
    AuditEvent.objects.bulk_create(events)
    return jobs


def _budget_keys(channel: Channel, connector: Connector) -> budgets.Keys:
    # Practice channels draw on the sandbox's budgets, never on the real app's.
    sandbox = channel.mode == ConnectionMode.SANDBOX
    return budgets.Keys(
        platform=channel.platform,
        account=(channel.external_id or f"channel-{channel.pk}")[:200],
        app="sandbox" if sandbox else app_key(connector.account.credentials),
    )


def _within_budget(
    job: Job, connectors: dict[int, Connector | Exception], counts: dict[str, int]
) -> bool:
    """Take the post's share of the platform's rate-limit budgets, or defer it to their reset.

    A spent budget means the platform would refuse (429 and the like): the post waits for
    the reset without a call, instead of knocking and counting a failed attempt.
    """
    connector = connectors[job.variant.channel_id]
    if isinstance(connector, Exception):
        return True
    keys = _budget_keys(job.variant.channel, connector)
    spent = budgets.budget_take(keys=keys, first_comment=bool(job.variant.first_comment))
    if spent is None:
        job.budget_taken = True
        return True
    with transaction.atomic():
        state = _defer(job, spent)
    counts[state] = counts.get(state, 0) + 1
    return False


def _settle_budget(job: Job, connector: Connector | Exception) -> None:
    """Store what the platform said of its limits; give back what an unmade post took."""
    if isinstance(connector, Exception):
        return
    keys = _budget_keys(job.variant.channel, connector)
    observations = connector.rate_observations.drain()
    if observations:
        budgets.budget_observe(keys=keys, observations=observations)
    if job.budget_taken and isinstance(job.outcome, (RemotePost, _Unverifiable)):
        # Found after a crash, or left to a person: no post was sent this time.
        budgets.budget_refund(keys=keys, first_comment=bool(job.variant.first_comment))


_DAYS = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des")


def _window_words(budget: Budget) -> str:
    """ "24 jam", "15 menit", "hari": the window as the message names it (Indonesian text)."""
    if budget.reset_zone:
        return "hari"
    minutes = int(budget.window.total_seconds() // 60)
    return f"{minutes // 60} jam" if minutes >= 60 else f"{minutes} menit"


def _defer(job: Job, spent: budgets.Spent) -> str:
    """Back to scheduled until the spent budget resets; not an attempt, nothing was sent."""
    variant = job.variant
    when = spent.resets_at + timedelta(seconds=1)
    zone = ZoneInfo(variant.post.agency.region.timezone)
    local, today = timezone.localtime(when, zone), timezone.localtime(clock.now(), zone)
    values = {
        "platform": variant.channel.get_platform_display(),
        "limit": spent.limit,
        "window": _window_words(spent.budget),
        "scope": "akun" if spent.budget.scope == ACCOUNT else "aplikasi warta",
        "time": local.strftime("%H:%M %Z"),
    }
    if local.date() == today.date():
        message = BUDGET_SPENT(**values)
    else:
        day = f"{_DAYS[local.weekday()]}, {local.day} {_MONTHS[local.month - 1]} {local.year}"
        message = BUDGET_SPENT_UNTIL(**values, day=day)
    if _transition(
        variant,
        old=S.PUBLISHING,
        new=S.SCHEDULED,
        actor=None,
        action="deferred",
        next_attempt_at=when,
        queued_at=when if _can_defer() else None,
        claimed_at=None,
        last_error=message,
    ):
        ids = [variant.pk]
        transaction.on_commit(lambda: _enqueue_batch(ids, when))
    return "deferred"


def _still_as_checked(job: Job, counts: dict[str, int]) -> bool:
    """True when the claimed variant may go out: what is sent is what was checked.

    Content changed since its checks (or never checked this way) is checked again here:
    blocked → needs attention; needing approval → back to the reviewers; else it goes.
    A take-over that must first ask the platform is left alone (it may be out already).
    """
    variant = job.variant
    if job.verify_first:
        return True
    media = [(m.kind, m.sha256, m.alt_text) for m in job.media]
    digest = content_digest(variant=variant, post=variant.post, media=media)
    if digest == variant.checked_digest:
        return True
    findings = findings_for(variant)
    stored = [f.to_json() for f in findings]
    level = worst(findings)
    with transaction.atomic():
        if level == Severity.BLOCK:
            why = "; ".join(f.message for f in findings if f.severity == Severity.BLOCK)
            moved = _transition(
                variant,
                old=S.PUBLISHING,
                new=S.NEEDS_ATTENTION,
                actor=None,
                action="recheck_blocked",
                last_error=CHANGED_AND_BLOCKED(why=why[:300]),
                claimed_at=None,
                findings=stored,
            )
            state = "needs_attention"
        elif level == Severity.APPROVAL and (variant.approved_at is None or variant.checked_digest):
            # Approval is for the content the reviewer saw; this is not it (or none was).
            moved = _transition(
                variant,
                old=S.PUBLISHING,
                new=S.AWAITING_APPROVAL,
                actor=None,
                action="recheck_needs_approval",
                claimed_at=None,
                approved_by=None,
                approved_at=None,
                approval_requested_at=clock.now(),
                findings=stored,
                checked_digest=digest,
            )
            state = "awaiting_approval"
        else:
            PostVariant.objects.filter(pk=variant.pk).update(checked_digest=digest, findings=stored)
            variant.checked_digest = digest
            return True
    if moved:
        counts[state] = counts.get(state, 0) + 1
    return False


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


def _media_by_post(post_ids: list[int]) -> dict[int, tuple[MediaFile, ...]]:
    out: dict[int, list[MediaFile]] = {}
    for link in (
        PostMedia.objects.filter(post_id__in=post_ids)
        .select_related("media")
        .order_by("post_id", "position", "id")
    ):
        m = link.media
        out.setdefault(link.post_id, []).append(
            MediaFile(
                path=Path(m.file.path),
                mime_type=m.mime_type,
                kind=m.kind,
                size_bytes=m.size_bytes,
                alt_text=m.alt_text,
                sha256=m.sha256,
                url=_public_url(str(m.file.name)),
                width=m.width,
                height=m.height,
                duration_seconds=m.duration_seconds,
            )
        )
    return {k: tuple(v) for k, v in out.items()}


def _cropped(media: tuple[MediaFile, ...], variant: PostVariant) -> tuple[MediaFile, ...]:
    """The channel's cut of each image (the composer's crop per network), made once and
    kept beside the original; videos, GIFs and uncropped variants go as they are."""
    if not variant.crop:
        return media
    out = []
    for item in media:
        if not crop_applies(item.kind, item.mime_type, variant.crop):
            out.append(item)
            continue
        focus = variant.crop_focus or "center"
        name = (
            f"content/{variant.post.agency_id}/crops/"
            f"{item.sha256}-{variant.crop.replace(':', 'x')}-{focus}.jpg"
        )
        if not default_storage.exists(name):
            data, _w, _h = crop_image_bytes(item.path.read_bytes(), variant.crop, focus)
            name = default_storage.save(name, ContentFile(data))
        data = default_storage.open(name).read()
        with Image.open(io.BytesIO(data)) as image:
            width, height = image.size
        out.append(
            replace(
                item,
                path=Path(default_storage.path(name)),
                mime_type="image/jpeg",
                size_bytes=len(data),
                sha256=hashlib.sha256(data).hexdigest(),
                url=_public_url(name),
                width=width,
                height=height,
            )
        )
    return tuple(out)


_HTTP: dict[str, httpx.Client] = {}
_HTTP_LOCK = threading.Lock()


def _http(platform: str) -> httpx.Client:
    """One HTTP client per platform and worker process: its connection pool and TLS set-up
    are reused across batches instead of costing a certificate load each time. Each is
    SSRF-guarded (connector_http); the sandbox root it trusts is its own platform's."""
    with _HTTP_LOCK:
        client = _HTTP.get(platform)
        if client is None or client.is_closed:
            client = _HTTP[platform] = connector_http(
                platform, limits=httpx.Limits(max_connections=max(20, concurrency() * 2))
            )
        return client


def _public_url(name: str) -> str:
    """Where platforms that fetch media themselves (Instagram, TikTok photos) find it."""
    base = settings.WARTA_PUBLIC_MEDIA_URL
    return f"{base.rstrip('/')}/{name}" if base else ""


def _connector_for(channel: Channel) -> Connector | Exception:
    if is_manual(channel):
        return NotSupported("manual")
    try:
        return connector_class(channel.platform, mode=channel.mode)(
            channel_account(channel), http=_http(channel.platform)
        )
    except Exception as exc:  # no connector, unreadable credentials: recorded per variant
        return exc


def _call_platform(job: Job, connector: Connector | Exception) -> object:
    """Runs on a pool thread: only the platform conversation, no database."""
    if isinstance(connector, Exception):
        return connector
    variant = job.variant
    request = PublishRequest(
        idempotency_key=str(variant.idempotency_key),
        caption=variant.full_caption,
        title=variant.title,
        first_comment=variant.first_comment,
        media=job.media,
    )
    try:
        # Sending again is safe only when the platform dedupes by our key, or says the
        # post is not there; else a person verifies (a post may exist that we cannot see).
        if job.verify_first and not connector.publish_idempotent:
            try:
                found = connector.find_post(
                    request.idempotency_key, since=job.since, request=request
                )
                conclusive = connector.find_post_conclusive
            except (NotSupported, PostSearchIncomplete):
                found, conclusive = None, False
            if found is not None:
                return found
            if not conclusive:
                return _Unverifiable()
            job.verified = True
        return connector.publish(request)
    except Exception as exc:
        return exc


class _Unverifiable:
    """The platform cannot be asked whether the dead worker's request went through."""


def _record(job: Job) -> str:
    variant, outcome = job.variant, job.outcome
    now = clock.now()
    if isinstance(outcome, (PublishResult, RemotePost)):
        recovered = isinstance(outcome, RemotePost)
        _transition(
            variant,
            old=S.PUBLISHING,
            new=S.PUBLISHED,
            actor=None,
            action="published",
            note=gettext_noop("ditemukan di platform saat pemulihan") if recovered else "",
            published_at=outcome.published_at or now,
            platform_post_id=outcome.platform_post_id,
            platform_url=web_url(outcome.url),
            last_error="",
            claimed_at=None,
            next_attempt_at=None,
            verify_before_send=False,
        )
        return "published"
    if isinstance(outcome, _Unverifiable):
        return _attention(
            variant,
            gettext_noop(
                "Periksa di platform: pengiriman terputus (pekerja berhenti "
                "atau jawaban platform hilang) dan platform tidak dapat memastikan "
                "apakah unggahan sudah terbit. Jika sudah, tempel tautannya; "
                "jika belum, jadwalkan ulang."
            ),
        )
    if isinstance(outcome, ManualPublishRequired) or (
        isinstance(outcome, NotSupported) and is_manual(variant.channel)
    ):
        state = _attention(
            variant,
            gettext_noop(
                "Kanal manual: terbitkan sendiri sekarang, lalu tempel "
                "tautannya untuk menandai terbit."
            ),
            manual=True,
        )
        return state
    if isinstance(outcome, AuthError):
        return _auth_failed(variant, outcome)
    if isinstance(outcome, TransientError):
        return _retry_later(job, outcome)
    if isinstance(outcome, PermanentError):
        _transition(
            variant,
            old=S.PUBLISHING,
            new=S.FAILED,
            actor=None,
            action="failed",
            last_error=outcome.message[:2000],
            claimed_at=None,
        )
        transaction.on_commit(lambda: notifications.publish_failed(variant))
        return "failed"
    # No connector, broken credentials, a bug: the request may or may not have gone out.
    logger.exception("publishing variant %s failed unexpectedly", variant.pk, exc_info=outcome)  # type: ignore[arg-type]
    return _attention(
        variant,
        gettext_noop(UNEXPECTED.msgid),
    )


def _attention(variant: PostVariant, reason: str, *, manual: bool = False) -> str:
    if _transition(
        variant,
        old=S.PUBLISHING,
        new=S.NEEDS_ATTENTION,
        actor=None,
        action="needs_attention",
        last_error=reason,
        claimed_at=None,
    ):
        if manual:
            transaction.on_commit(lambda: notifications.manual_reminder(variant))
        else:
            transaction.on_commit(lambda: notifications.publish_failed(variant))
    return "needs_attention"


def _retry_later(job: Job, error: TransientError) -> str:
    variant = job.variant
    attempts = variant.attempts + 1
    # The post may exist when the lost answer was to the publishing request itself, or
    # when the check before sending could not be made (it raised this error).
    verify = error.outcome_unknown or (job.verify_first and not job.verified)
    if attempts >= max_attempts():
        if verify:
            return _attention(
                variant,
                GAVE_UP_MAYBE_PUBLISHED(n=attempts, err=error.message[:1500]),
            )
        _transition(
            variant,
            old=S.PUBLISHING,
            new=S.FAILED,
            actor=None,
            action="failed",
            attempts=attempts,
            claimed_at=None,
            last_error=GAVE_UP(n=attempts, err=error.message[:1500]),
        )
        transaction.on_commit(lambda: notifications.publish_failed(variant))
        return "failed"
    delay = backoff_seconds(attempts, retry_after=error.retry_after)
    next_at = clock.now() + timedelta(seconds=delay)
    with transaction.atomic():
        if _transition(
            variant,
            old=S.PUBLISHING,
            new=S.SCHEDULED,
            actor=None,
            action="retry",
            attempts=attempts,
            verify_before_send=verify,
            next_attempt_at=next_at,
            queued_at=next_at if _can_defer() else None,
            claimed_at=None,
            last_error=RETRYING(reason=error.message[:1900], time=_local_time(variant, next_at)),
        ):
            ids = [variant.pk]
            transaction.on_commit(lambda: _enqueue_batch(ids, next_at))
    return "retry"


def _local_time(variant: PostVariant, when: datetime) -> str:
    """ "09:14 WITA": a time as the agency's officers read it; "04:00 WITA, 03-12-2026"
    when it is not today there (X's daily cap holds a post past midnight)."""
    zone = ZoneInfo(variant.post.agency.region.timezone)
    local = timezone.localtime(when, zone)
    if local.date() == timezone.localtime(clock.now(), zone).date():
        return local.strftime("%H:%M %Z")
    return local.strftime("%H:%M %Z, %d-%m-%Y")


def _auth_failed(variant: PostVariant, error: AuthError) -> str:
    """The channel needs reconnecting: hold this and its other scheduled variants, tell officers."""
    channel = variant.channel
    message = RECONNECT(reason=error.message.rstrip(".")[:1900])
    with transaction.atomic():
        # The variant waits with the rest of the channel's posts, not failed: it goes out
        # once an officer reconnects (the scheduler skips channels that are not active).
        _transition(
            variant,
            old=S.PUBLISHING,
            new=S.SCHEDULED,
            actor=None,
            action="held",
            last_error=message,
            claimed_at=None,
            queued_at=None,
        )
        flipped = Channel.objects.filter(pk=channel.pk, status=Channel.Status.ACTIVE).update(
            status=Channel.Status.NEEDS_RECONNECT,
            status_reason=message[:500],
            last_error=message,
        )
    if flipped:
        channel.status = Channel.Status.NEEDS_RECONNECT
        channel.status_reason = message[:500]
        transaction.on_commit(lambda: notifications.needs_reconnect(channel))
    return "held"
