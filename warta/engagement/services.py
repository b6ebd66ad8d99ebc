"""Writes of the inbox: ingesting, annotating, assigning, replying, moderating, finishing.

Information requests live in `requests.py`, consultations in `consultations.py`.
"""

import logging
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, User
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from warta.channels.models import Channel
from warta.connectors.base import ConnectorError, NotSupported, RemoteComment, TransientError
from warta.content.models import PostVariant
from warta.core.services import audit_record, snapshot
from warta.engagement import moderation, platform
from warta.engagement.annotation import NEEDS_ANSWER, Annotation, annotate
from warta.engagement.models import ChannelSync, InboxItem, Reply, ReplyTemplate, SavedView
from warta.institutions.access import editable_agencies
from warta.lib.workdays import add_working_hours

logger = logging.getLogger(__name__)

Actor = AbstractBaseUser | AnonymousUser | None

MAX_REPLY_CHARS = 2000
MAX_REPLY_ATTEMPTS = 5


def first_response_hours() -> float:
    """The first-response target, in office hours of the region."""
    return float(getattr(settings, "WARTA_FIRST_RESPONSE_HOURS", 8))


def _response_due(
    *, kind: str, annotation: Annotation | None, received_at: datetime, tz_name: str
) -> datetime | None:
    if annotation is not None and annotation.is_spam:
        return None
    asks = kind == InboxItem.Kind.MESSAGE or (
        annotation is not None and annotation.intent in NEEDS_ANSWER
    )
    if not asks:
        return None
    return add_working_hours(received_at, first_response_hours(), tz_name)


def _apply(item: InboxItem, annotation: Annotation) -> None:
    item.sentiment = annotation.sentiment
    item.is_abusive = annotation.is_abusive
    item.is_hate_speech = annotation.is_hate_speech
    item.intent = annotation.intent
    item.is_spam = annotation.is_spam


@dataclass(frozen=True)
class IngestResult:
    created: int = 0
    updated: int = 0


def _storable(text: str) -> str:
    """The text as given, but for NUL, the one character PostgreSQL cannot store."""
    return text.replace("\x00", "\ufffd")


def inbox_ingest(*, channel: Channel, comments: Sequence[RemoteComment]) -> IngestResult:
    """Store comments of one channel; idempotent on (channel, platform_item_id).

    New items are annotated in one batch and inserted in bulk. Items already stored only
    take the platform's hidden/deleted state; their text stays as first received.
    """
    by_id: dict[str, RemoteComment] = {}
    for c in comments:
        if c.platform_item_id:
            by_id[c.platform_item_id[:200]] = c
    if not by_id:
        return IngestResult()
    try:
        with transaction.atomic():
            return _ingest(channel, by_id)
    except IntegrityError:
        # Another sync stored some of these at the same moment: take the rest.
        with transaction.atomic():
            return _ingest(channel, by_id)


def _ingest(channel: Channel, by_id: dict[str, RemoteComment]) -> IngestResult:
    existing = {
        row[0]: row[1:]
        for row in _rows_by_platform_id(
            channel.pk, list(by_id), "id, hidden_on_platform, deleted_on_platform_at"
        )
    }
    updated = 0
    now = timezone.now()
    for pid, (pk, hidden, deleted) in existing.items():
        remote = by_id[pid]
        changes: dict[str, object] = {}
        if remote.hidden != hidden:
            changes["hidden_on_platform"] = remote.hidden
        if remote.deleted and deleted is None:
            changes["deleted_on_platform_at"] = now
        if changes:
            updated += InboxItem.objects.filter(pk=pk).update(**changes, updated_at=now)
    new = [c for pid, c in by_id.items() if pid not in existing]
    if not new:
        return IngestResult(updated=updated)

    annotations = annotate([c.text for c in new])
    tz_name = channel.agency.region.timezone
    post_ids = {c.platform_post_id for c in new if c.platform_post_id}
    variants = (
        dict(
            PostVariant.objects.filter(channel=channel, platform_post_id__in=post_ids).values_list(
                "platform_post_id", "id"
            )
        )
        if post_ids
        else {}
    )
    parent_ids = {c.parent_id for c in new if c.parent_id}
    known_parents = (
        dict(
            InboxItem.objects.filter(channel=channel, platform_item_id__in=parent_ids).values_list(
                "platform_item_id", "id"
            )
        )
        if parent_ids
        else {}
    )

    values: list[dict[str, Any]] = []
    for index, c in enumerate(new):
        annotation = annotations[index] if annotations else None
        kind = c.kind if c.kind in _KINDS else InboxItem.Kind.COMMENT
        due = _response_due(
            kind=kind, annotation=annotation, received_at=c.created_at, tz_name=tz_name
        )
        values.append(
            {
                "agency_id": channel.agency_id,
                "channel_id": channel.pk,
                "variant_id": variants.get(c.platform_post_id),
                # A parent stored earlier is linked now; one in this batch after the insert.
                "parent_id": known_parents.get(c.parent_id),
                "platform_item_id": c.platform_item_id[:200],
                "platform_post_id": c.platform_post_id[:200],
                "platform_parent_id": c.parent_id[:200],
                "kind": kind,
                "author_name": _storable(c.author_name[:200]),
                "author_handle": _storable(c.author_handle[:200]),
                "text": _storable(c.text),
                "received_at": c.created_at,
                "sentiment": annotation.sentiment if annotation else "",
                "is_abusive": annotation.is_abusive if annotation else False,
                "is_hate_speech": annotation.is_hate_speech if annotation else False,
                "intent": annotation.intent if annotation else "",
                "is_spam": annotation.is_spam if annotation else False,
                "annotated_at": now if annotation else None,
                "status": InboxItem.Status.NEW,
                "assignee_id": None,
                "first_response_at": None,
                "response_due_at": due,
                "reminder_sent_at": None,
                "done_at": None,
                "hidden_on_platform": c.hidden,
                "deleted_on_platform_at": now if c.deleted else None,
                "updated_at": now,
            }
        )
    _bulk_insert(values)
    created_ids: dict[str, int] = dict(
        _rows_by_platform_id(channel.pk, [str(v["platform_item_id"]) for v in values], "id")
    )
    # Replies whose parent came in this batch, and replies that arrived before their
    # parent in earlier batches, now point at it.
    orphans = _orphans_of(channel.pk, list(created_ids))
    if orphans:
        with connection.cursor() as cursor:
            cursor.executemany(
                f"UPDATE {_TABLE} SET parent_id = %s WHERE id = %s",  # noqa: S608 (own table)
                [(created_ids[parent], pk) for pk, parent in orphans],
            )
    return IngestResult(created=len(values), updated=updated)


_KINDS = frozenset(InboxItem.Kind.values)
_TABLE = InboxItem._meta.db_table


def _rows_by_platform_id(channel_id: int, pids: list[str], columns: str) -> list[tuple]:
    """(platform_item_id, columns...) of the channel's stored items among pids.

    Raw SQL because the ORM's per-value work on a 2,000-item IN list cost more than the
    query; PostgreSQL gets one array parameter instead of 2,000.
    """
    if not pids:
        return []
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"SELECT platform_item_id, {columns} FROM {_TABLE} "  # noqa: S608 (own columns)
                "WHERE channel_id = %s AND platform_item_id = ANY(%s)",
                [channel_id, pids],
            )
            return list(cursor.fetchall())
        rows: list[tuple] = []
        for start in range(0, len(pids), 500):  # SQLite's limit on parameters
            chunk = pids[start : start + 500]
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(
                f"SELECT platform_item_id, {columns} FROM {_TABLE} "  # noqa: S608
                f"WHERE channel_id = %s AND platform_item_id IN ({marks})",
                [channel_id, *chunk],
            )
            rows.extend(cursor.fetchall())
        return rows


def _orphans_of(channel_id: int, parent_pids: list[str]) -> list[tuple[int, str]]:
    """(id, platform_parent_id) of stored replies without a parent row, among parent_pids."""
    if not parent_pids:
        return []
    condition = "channel_id = %s AND parent_id IS NULL AND platform_parent_id <> ''"
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"SELECT id, platform_parent_id FROM {_TABLE} WHERE {condition} "  # noqa: S608
                "AND platform_parent_id = ANY(%s)",
                [channel_id, parent_pids],
            )
            return list(cursor.fetchall())
        rows: list[tuple[int, str]] = []
        for start in range(0, len(parent_pids), 500):
            chunk = parent_pids[start : start + 500]
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(
                f"SELECT id, platform_parent_id FROM {_TABLE} WHERE {condition} "  # noqa: S608
                f"AND platform_parent_id IN ({marks})",
                [channel_id, *chunk],
            )
            rows.extend(cursor.fetchall())
        return rows


_INSERT_FIELDS = [
    "agency",
    "channel",
    "variant",
    "parent",
    "platform_item_id",
    "platform_post_id",
    "platform_parent_id",
    "kind",
    "author_name",
    "author_handle",
    "text",
    "received_at",
    "sentiment",
    "is_abusive",
    "is_hate_speech",
    "intent",
    "is_spam",
    "annotated_at",
    "status",
    "assignee",
    "first_response_at",
    "response_due_at",
    "reminder_sent_at",
    "done_at",
    "hidden_on_platform",
    "deleted_on_platform_at",
    "updated_at",
]


def _bulk_insert(values: list[dict[str, Any]]) -> None:
    """Insert rows without building model instances: the ORM's per-field work dominated.

    PostgreSQL gets COPY; other databases a prepared multi-row insert. Datetimes are adapted
    by the backend's own rules so the stored form is the one the ORM writes.
    """
    fields: list[Any] = [InboxItem._meta.get_field(name) for name in _INSERT_FIELDS]
    columns: list[str] = [f.column for f in fields]
    keys: list[str] = [f.attname for f in fields]
    table = InboxItem._meta.db_table
    ops = connection.ops
    if connection.vendor == "postgresql":
        sql = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
        with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
            for row in values:
                copy.write_row([row[k] for k in keys])
        return
    datetime_keys = {f.attname for f in fields if f.get_internal_type() == "DateTimeField"}
    rows: list[list[Any]] = [
        [ops.adapt_datetimefield_value(row[k]) if k in datetime_keys else row[k] for k in keys]
        for row in values
    ]
    placeholders = ", ".join(["%s"] * len(columns))
    sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({placeholders})"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def inbox_annotate_pending(*, limit: int = 2000) -> int:
    """Annotate items stored while the language engine was unavailable."""
    items = list(
        InboxItem.objects.filter(annotated_at__isnull=True)
        .select_related("agency__region")
        .order_by("id")[:limit]
    )
    if not items:
        return 0
    annotations = annotate([i.text for i in items])
    if annotations is None:
        return 0
    now = timezone.now()
    for item, annotation in zip(items, annotations, strict=True):
        _apply(item, annotation)
        item.annotated_at = now
        item.response_due_at = _response_due(
            kind=item.kind,
            annotation=annotation,
            received_at=item.received_at,
            tz_name=item.agency.region.timezone,
        )
    InboxItem.objects.bulk_update(
        items,
        [
            "sentiment",
            "is_abusive",
            "is_hate_speech",
            "intent",
            "is_spam",
            "annotated_at",
            "response_due_at",
        ],
        batch_size=500,
    )
    return len(items)


def channel_sync_comments(*, channel_id: int, max_pages: int = 50) -> int:
    """Fetch new comments of one channel page by page; returns how many were new.

    The cursor is saved after each stored page, so a run that dies continues where it
    stopped; storing is idempotent, so an overlap costs nothing.
    """
    channel = Channel.objects.select_related("agency__region").get(pk=channel_id)
    state, _created = ChannelSync.objects.get_or_create(channel=channel)
    try:
        connector = platform.connector_for(channel)
    except ConnectorError as exc:
        state.last_error = exc.message
        state.last_run_at = timezone.now()
        state.save(update_fields=["last_error", "last_run_at"])
        return 0
    created = 0
    cursor = state.cursor
    newest = state.since
    for _page in range(max_pages):
        try:
            page = connector.fetch_comments(since=state.since, cursor=cursor)
        except (TransientError, ConnectorError) as exc:
            state.last_error = exc.message
            state.last_run_at = timezone.now()
            state.save(update_fields=["last_error", "last_run_at"])
            return created
        result = inbox_ingest(channel=channel, comments=page.items)
        created += result.created
        for c in page.items:
            if newest is None or c.created_at > newest:
                newest = c.created_at
        cursor = page.cursor
        state.cursor = cursor
        state.items_total = F("items_total") + result.created
        state.save(update_fields=["cursor", "items_total"])
        if not cursor:
            break
    if not cursor and newest is not None:
        # A minute of overlap: items stamped in the same second as the newest are not missed.
        state.since = newest - timedelta(minutes=1)
    state.last_run_at = timezone.now()
    state.last_error = ""
    state.save(update_fields=["since", "last_run_at", "last_error"])
    return created


# --- Working the inbox ---------------------------------------------------------------


def _require_editable(item: InboxItem, actor: Actor) -> None:
    if actor is None or not editable_agencies(actor).filter(pk=item.agency_id).exists():
        raise ValidationError(_("Anda tidak berwenang mengubah pesan ini."))


def inbox_item_assign(*, item: InboxItem, assignee: User | None, actor: Actor) -> InboxItem:
    _require_editable(item, actor)
    if assignee is not None and not editable_agencies(assignee).filter(pk=item.agency_id).exists():
        raise ValidationError(
            {"assignee": _("Petugas ini tidak dapat menangani pesan perangkat daerah ini.")}
        )
    before = snapshot(item, fields=["assignee", "status"])
    item.assignee = assignee
    if item.status in {InboxItem.Status.NEW, InboxItem.Status.ASSIGNED}:
        item.status = InboxItem.Status.ASSIGNED if assignee else InboxItem.Status.NEW
    item.save(update_fields=["assignee", "status", "updated_at"])
    audit_record(
        actor=actor,
        action="inbox.assign",
        obj=item,
        before=before,
        after=snapshot(item, fields=["assignee", "status"]),
    )
    return item


def inbox_item_set_done(*, item: InboxItem, actor: Actor, done: bool = True) -> InboxItem:
    _require_editable(item, actor)
    before = snapshot(item, fields=["status"])
    if done:
        item.status = InboxItem.Status.DONE
        item.done_at = timezone.now()
    else:
        item.status = InboxItem.Status.ASSIGNED if item.assignee_id else InboxItem.Status.NEW
        item.done_at = None
    item.save(update_fields=["status", "done_at", "updated_at"])
    audit_record(
        actor=actor,
        action="inbox.done" if done else "inbox.reopen",
        obj=item,
        before=before,
        after=snapshot(item, fields=["status"]),
    )
    return item


def inbox_item_record_response(*, item: InboxItem, actor: Actor) -> InboxItem:
    """For channels warta cannot reply through: the officer answered on the platform."""
    _require_editable(item, actor)
    InboxItem.objects.filter(pk=item.pk, first_response_at__isnull=True).update(
        first_response_at=timezone.now(), updated_at=timezone.now()
    )
    item.refresh_from_db()
    audit_record(actor=actor, action="inbox.response_recorded", obj=item)
    return item


def inbox_item_hide(*, item: InboxItem, actor: Actor, hidden: bool = True) -> InboxItem:
    """Hide (or show again) a comment on the platform, where rules and platform allow."""
    _require_editable(item, actor)
    if hidden and not moderation.may_hide(item):
        raise ValidationError(
            _(
                "Aturan moderasi strategi tidak mengizinkan menyembunyikan pesan ini: hanya pesan "
                "kasar, ujaran kebencian atau spam yang boleh disembunyikan."
            )
        )
    try:
        platform.connector_for(item.channel).hide_comment(item.platform_item_id, hidden=hidden)
    except NotSupported:
        raise ValidationError(
            _("Platform ini tidak mendukung menyembunyikan komentar lewat warta.")
        ) from None
    except ConnectorError as exc:
        raise ValidationError(_("Platform menolak: %(msg)s") % {"msg": exc.message}) from None
    before = snapshot(item, fields=["status", "hidden_on_platform"])
    item.hidden_on_platform = hidden
    if hidden:
        item.status = InboxItem.Status.HIDDEN
    elif item.status == InboxItem.Status.HIDDEN:
        item.status = InboxItem.Status.ASSIGNED if item.assignee_id else InboxItem.Status.NEW
    item.save(update_fields=["hidden_on_platform", "status", "updated_at"])
    audit_record(
        actor=actor,
        action="inbox.hide" if hidden else "inbox.unhide",
        obj=item,
        before=before,
        after=snapshot(item, fields=["status", "hidden_on_platform"]),
    )
    return item


def inbox_item_delete_on_platform(*, item: InboxItem, actor: Actor) -> InboxItem:
    """Delete a comment on the platform; warta keeps its own copy (nothing is lost)."""
    _require_editable(item, actor)
    if not moderation.may_delete(item):
        raise ValidationError(
            _(
                "Aturan moderasi strategi tidak mengizinkan menghapus pesan ini: hanya spam yang "
                "boleh dihapus."
            )
        )
    connector = platform.connector_for(item.channel)
    delete_comment = getattr(connector, "delete_comment", None)
    try:
        if delete_comment is None:
            raise NotSupported("delete_comment")
        delete_comment(item.platform_item_id)
    except NotSupported:
        raise ValidationError(
            _("Platform ini tidak mendukung menghapus komentar lewat warta.")
        ) from None
    except ConnectorError as exc:
        raise ValidationError(_("Platform menolak: %(msg)s") % {"msg": exc.message}) from None
    item.deleted_on_platform_at = timezone.now()
    item.status = InboxItem.Status.HIDDEN
    item.save(update_fields=["deleted_on_platform_at", "status", "updated_at"])
    audit_record(actor=actor, action="inbox.delete_on_platform", obj=item)
    return item


# --- Replies ---------------------------------------------------------------------------


def reply_create(
    *, item: InboxItem, text: str, actor: Actor, idempotency_key: uuid.UUID | None = None
) -> Reply:
    """Queue a reply; the same key (a resubmitted form) returns the first reply, unsent twice."""
    _require_editable(item, actor)
    text = text.strip()
    if not text:
        raise ValidationError({"text": _("Balasan tidak boleh kosong.")})
    if len(text) > MAX_REPLY_CHARS:
        raise ValidationError(
            {
                "text": _("Balasan terlalu panjang (maksimal %(n)d karakter).")
                % {"n": MAX_REPLY_CHARS}
            }
        )
    if item.channel.mode != "api":
        raise ValidationError(
            _(
                "Kanal ini tidak tersambung lewat API: balas langsung di platform, lalu catat "
                "bahwa pesan sudah ditanggapi."
            )
        )
    key = idempotency_key or uuid.uuid4()
    existing = Reply.objects.filter(idempotency_key=key).first()
    if existing is not None:
        if existing.item_id != item.pk:
            raise ValidationError(_("Formulir balasan ini sudah dipakai untuk pesan lain."))
        return existing
    try:
        with transaction.atomic():
            reply = Reply.objects.create(
                item=item,
                text=text,
                author=actor if isinstance(actor, User) else None,
                idempotency_key=key,
            )
    except IntegrityError:
        return Reply.objects.get(idempotency_key=key)
    audit_record(
        actor=actor, action="inbox.reply", obj=item, after={"reply": reply.pk, "text": text}
    )
    from warta.engagement.tasks import send_reply

    transaction.on_commit(lambda: send_reply.enqueue(reply.pk))
    return reply


def reply_send(*, reply_id: int) -> Reply:
    """Send a queued reply once: claimed by a conditional update, so two workers never both send."""
    claimed = Reply.objects.filter(pk=reply_id, status=Reply.Status.PENDING).update(
        status=Reply.Status.SENDING, attempts=F("attempts") + 1, updated_at=timezone.now()
    )
    reply = Reply.objects.select_related("item__channel").get(pk=reply_id)
    if not claimed:
        return reply
    item = reply.item
    try:
        remote = platform.connector_for(item.channel).reply(
            platform_item_id=item.platform_item_id,
            text=reply.text,
            idempotency_key=str(reply.idempotency_key),
        )
    except TransientError as exc:
        # The same idempotency key goes with the retry, so the platform will not post twice.
        reply.status = (
            Reply.Status.FAILED if reply.attempts >= MAX_REPLY_ATTEMPTS else Reply.Status.PENDING
        )
        reply.error = exc.message
        reply.save(update_fields=["status", "error", "updated_at"])
        return reply
    except ConnectorError as exc:
        reply.status = Reply.Status.FAILED
        reply.error = exc.message
        reply.save(update_fields=["status", "error", "updated_at"])
        return reply
    now = timezone.now()
    reply.status = Reply.Status.SENT
    reply.platform_reply_id = remote.platform_item_id
    reply.sent_at = now
    reply.error = ""
    reply.save(update_fields=["status", "platform_reply_id", "sent_at", "error", "updated_at"])
    InboxItem.objects.filter(pk=item.pk, first_response_at__isnull=True).update(
        first_response_at=now, updated_at=now
    )
    return reply


def reply_retry(*, reply: Reply, actor: Actor) -> Reply:
    """An officer asks to try a failed reply again (same key: never a second copy)."""
    _require_editable(reply.item, actor)
    moved = Reply.objects.filter(pk=reply.pk, status=Reply.Status.FAILED).update(
        status=Reply.Status.PENDING, attempts=0, updated_at=timezone.now()
    )
    if not moved:
        raise ValidationError(_("Hanya balasan yang gagal yang dapat dikirim ulang."))
    audit_record(actor=actor, action="inbox.reply_retry", obj=reply.item)
    from warta.engagement.tasks import send_reply

    transaction.on_commit(lambda: send_reply.enqueue(reply.pk))
    reply.refresh_from_db()
    return reply


def replies_retry_due(*, now: datetime | None = None) -> int:
    """Re-queue replies that met a passing error, and ones a dead worker left mid-send."""
    now = now or timezone.now()
    from warta.engagement.tasks import send_reply

    stale_ids = list(
        Reply.objects.filter(
            status=Reply.Status.SENDING, updated_at__lt=now - timedelta(minutes=15)
        ).values_list("id", flat=True)[:200]
    )
    # Its key went with the first attempt, so the platform returns that reply, not a new one.
    Reply.objects.filter(pk__in=stale_ids, status=Reply.Status.SENDING).update(
        status=Reply.Status.PENDING, updated_at=now
    )
    ids = stale_ids + list(
        Reply.objects.filter(
            status=Reply.Status.PENDING, updated_at__lt=now - timedelta(minutes=2)
        ).values_list("id", flat=True)[:200]
    )
    for pk in ids:
        send_reply.enqueue(pk)
    return len(set(ids))


# --- Templates and saved views -------------------------------------------------------


def reply_template_create(*, agency_id: int, title: str, body: str, actor: Actor) -> ReplyTemplate:
    if actor is None or not editable_agencies(actor).filter(pk=agency_id).exists():
        raise ValidationError(_("Anda tidak berwenang mengubah templat perangkat daerah ini."))
    title, body = title.strip(), body.strip()
    errors = {}
    if not title:
        errors["title"] = _("Judul wajib diisi.")
    if not body:
        errors["body"] = _("Isi wajib diisi.")
    elif len(body) > MAX_REPLY_CHARS:
        errors["body"] = _("Isi terlalu panjang.")
    if ReplyTemplate.objects.filter(agency_id=agency_id, title=title).exists():
        errors["title"] = _("Sudah ada templat dengan judul ini.")
    if errors:
        raise ValidationError(errors)
    template = ReplyTemplate.objects.create(
        agency_id=agency_id,
        title=title[:120],
        body=body,
        created_by=actor if isinstance(actor, User) else None,
    )
    audit_record(actor=actor, action="inbox.template_create", obj=template)
    return template


def reply_template_delete(*, template: ReplyTemplate, actor: Actor) -> None:
    if actor is None or not editable_agencies(actor).filter(pk=template.agency_id).exists():
        raise ValidationError(_("Anda tidak berwenang mengubah templat perangkat daerah ini."))
    audit_record(actor=actor, action="inbox.template_delete", obj=template)
    template.delete()


def saved_view_create(*, owner: User, name: str, query: str) -> SavedView:
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Nama tampilan wajib diisi.")})
    view, _created = SavedView.objects.update_or_create(
        owner=owner, name=name[:80], defaults={"query": query[:1000]}
    )
    return view


def saved_view_delete(*, view: SavedView) -> None:
    view.delete()


def inbox_due_for_reminder(*, now: datetime, lead: timedelta) -> Q:
    return Q(
        first_response_at__isnull=True,
        response_due_at__isnull=False,
        response_due_at__lte=now + lead,
        reminder_sent_at__isnull=True,
        status__in=[InboxItem.Status.NEW, InboxItem.Status.ASSIGNED],
    )
