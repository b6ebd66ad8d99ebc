"""Recording results: published in bulk, or failed, retried, held or left to a person."""

import logging
import uuid
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.db import connection, transaction
from django.db.models import Field
from django.utils import timezone
from django.utils.translation import gettext_noop

from warta.channels.models import Channel
from warta.connectors.base import (
    AuthError,
    ManualPublishRequired,
    NotSupported,
    PermanentError,
    PublishResult,
    RemotePost,
    TransientError,
)
from warta.content import notifications
from warta.content.models import PostVariant
from warta.content.publishing.config import backoff_seconds, max_attempts
from warta.content.publishing.jobs import Job, Requeue, S, _Unverifiable
from warta.content.publishing.messages import (
    GAVE_UP,
    GAVE_UP_MAYBE_PUBLISHED,
    RECONNECT,
    RETRYING,
    UNEXPECTED,
)
from warta.content.services import _transition, is_manual
from warta.core.models import AuditEvent
from warta.core.services import audit_event
from warta.lib import clock
from warta.lib.links import web_url

# Named as before the split: the logger operators' filters know.
logger = logging.getLogger("warta.content.publishing")


def _record(job: Job, requeue: Requeue) -> str:
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
        return _retry_later(job, outcome, requeue)
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


def _retry_later(job: Job, error: TransientError, requeue: Requeue) -> str:
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
            queued_at=next_at if requeue.can_defer() else None,
            claimed_at=None,
            last_error=RETRYING(reason=error.message[:1900], time=_local_time(variant, next_at)),
        ):
            ids = [variant.pk]
            transaction.on_commit(lambda: requeue.enqueue(ids, next_at))
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
