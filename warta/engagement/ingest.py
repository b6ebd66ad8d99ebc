"""Ingesting the public's comments and messages: storing them once, annotating, syncing."""

import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import partial
from operator import itemgetter
from typing import Any

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from psycopg.adapt import PyFormat

from warta.channels.models import Channel
from warta.channels.services import channel_call_failed, channel_call_succeeded
from warta.connectors.base import ConnectorError, RemoteComment, TransientError
from warta.content import notifications
from warta.content.models import PostVariant
from warta.engagement import platform
from warta.engagement.annotation import NEEDS_ANSWER, Annotation, annotate
from warta.engagement.models import ChannelSync, InboxItem
from warta.lib import clock
from warta.lib.workdays import add_working_hours

logger = logging.getLogger(__name__)


def first_response_hours() -> float:
    """The first-response target, in office hours of the region."""
    return float(getattr(settings, "WARTA_FIRST_RESPONSE_HOURS", 8))


def _response_due(
    *,
    kind: str,
    annotation: Annotation | None,
    received_at: datetime,
    tz_name: str,
    hours: float | None = None,
) -> datetime | None:
    if annotation is not None and annotation.is_spam:
        return None
    asks = kind == InboxItem.Kind.MESSAGE or (
        annotation is not None and annotation.intent in NEEDS_ANSWER
    )
    if not asks:
        return None
    return add_working_hours(
        received_at, first_response_hours() if hours is None else hours, tz_name
    )


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
    parent_ids = {c.parent_id[:200] for c in by_id.values() if c.parent_id} - set(by_id)
    # One look-up for the items already stored and for the parents of new replies.
    stored = {
        row[0]: row[1:]
        for row in _rows_by_platform_id(
            channel.pk,
            [*by_id, *parent_ids],
            "id, hidden_on_platform, deleted_on_platform_at",
        )
    }
    updated = 0
    now = clock.now()
    for pid, remote in by_id.items():
        if pid not in stored:
            continue
        pk, hidden, deleted = stored[pid]
        changes: dict[str, object] = {}
        if remote.hidden != hidden:
            changes["hidden_on_platform"] = remote.hidden
        if remote.deleted and deleted is None:
            changes["deleted_on_platform_at"] = now
        if changes:
            updated += InboxItem.objects.filter(pk=pk).update(**changes, updated_at=now)
    new = [c for pid, c in by_id.items() if pid not in stored]
    if not new:
        return IngestResult(updated=updated)

    # Annotated as stored: the second pass finds its rows by their stored text.
    annotations = annotate([_storable(c.text) for c in new])
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
    known_parents = {pid: row[0] for pid, row in stored.items()}
    # PostgreSQL: the new rows' ids are drawn first, so a reply whose parent came in the
    # same batch is linked as it is inserted (an UPDATE afterwards would write every index
    # of the row a second time). Elsewhere the ids are read back after the insert.
    new_ids = _next_ids(len(new))
    if new_ids:
        known_parents.update(
            (c.platform_item_id[:200], pk) for c, pk in zip(new, new_ids, strict=True)
        )

    hours = first_response_hours()  # once: a missing setting costs an exception per read
    values: list[dict[str, Any]] = []
    for index, c in enumerate(new):
        annotation = annotations[index] if annotations else None
        kind = c.kind if c.kind in _KINDS else InboxItem.Kind.COMMENT
        due = _response_due(
            kind=kind,
            annotation=annotation,
            received_at=c.created_at,
            tz_name=tz_name,
            hours=hours,
        )
        values.append(
            {
                "id": new_ids[index] if new_ids else None,
                "agency_id": channel.agency_id,
                "channel_id": channel.pk,
                "variant_id": variants.get(c.platform_post_id),
                # A parent stored earlier is linked now; one in this batch after the insert
                # (PostgreSQL: now too, by its drawn id).
                "parent_id": known_parents.get(c.parent_id[:200]) if c.parent_id else None,
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
                # In UTC: the same moment, which psycopg formats faster than the zone's.
                "response_due_at": due.astimezone(UTC) if due is not None else None,
                "reminder_sent_at": None,
                "done_at": None,
                "hidden_on_platform": c.hidden,
                "deleted_on_platform_at": now if c.deleted else None,
                "updated_at": now,
            }
        )
    _bulk_insert(values, with_ids=bool(new_ids))
    if new_ids:
        created_ids = {str(v["platform_item_id"]): int(v["id"]) for v in values}
    else:
        created_ids = dict(
            _rows_by_platform_id(channel.pk, [str(v["platform_item_id"]) for v in values], "id")
        )
    # Replies that arrived before their parent, in earlier batches (and elsewhere than on
    # PostgreSQL, replies whose parent came in this batch) now point at it.
    orphans = _orphans_of(channel.pk, list(created_ids))
    if orphans:
        with connection.cursor() as cursor:
            cursor.executemany(
                f"UPDATE {_TABLE} SET parent_id = %s WHERE id = %s",  # noqa: S608 (own table)
                [(created_ids[parent], pk) for pk, parent in orphans],
            )
    return IngestResult(created=len(values), updated=updated)


def _next_ids(count: int) -> list[int]:
    """`count` ids drawn from the inbox's id sequence on PostgreSQL; [] elsewhere."""
    if connection.vendor != "postgresql" or not count:
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [_TABLE, count],
        )
        return [pk for (pk,) in cursor.fetchall()]


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


_COPY_TYPES = {
    "BigAutoField": "int8",
    "ForeignKey": "int8",
    "CharField": "text",
    "TextField": "text",
    "DateTimeField": "timestamptz",
    "BooleanField": "bool",
}
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


def _bulk_insert(values: list[dict[str, Any]], *, with_ids: bool = False) -> None:
    """Insert rows without building model instances: the ORM's per-field work dominated.

    PostgreSQL gets COPY (with the drawn ids when `with_ids`); other databases a prepared
    multi-row insert. Datetimes are adapted by the backend's own rules so the stored form
    is the one the ORM writes.
    """
    names = ["id", *_INSERT_FIELDS] if with_ids else _INSERT_FIELDS
    fields: list[Any] = [InboxItem._meta.get_field(name) for name in names]
    columns: list[str] = [f.column for f in fields]
    keys: list[str] = [f.attname for f in fields]
    table = InboxItem._meta.db_table
    ops = connection.ops
    if connection.vendor == "postgresql":
        sql = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
        # psycopg's own cursor: its errors are turned into Django's here, so that a
        # unique violation (a concurrent sync stored some of these) is an IntegrityError.
        with (
            connection.wrap_database_errors,
            connection.cursor() as cursor,
            cursor.cursor.copy(sql) as copy,
        ):
            types = [_COPY_TYPES[f.get_internal_type()] for f in fields]
            # A time the whole batch shares (when it was stored) is formatted once, as
            # psycopg formats it: its datetime formatting was most of a row's. (Those
            # values of `values` are replaced by the text.)
            shared = {}
            for position, key in enumerate(keys):
                first = values[0][key]
                if (
                    types[position] == "timestamptz"
                    and first is not None
                    and all(row[key] is first for row in values)
                ):
                    dumper = cursor.cursor.adapters.get_dumper(datetime, PyFormat.TEXT)
                    shared[key] = bytes(dumper(datetime, cursor.cursor).dump(first)).decode()
                    types[position] = "text"
            # Declared once, so psycopg does not look up a dumper for every value.
            copy.set_types(types)
            pick = itemgetter(*keys)
            for row in values:
                if shared:
                    row.update(shared)
                copy.write_row(pick(row))
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
    """Annotate one batch of items stored while the language engine was unavailable.

    The batch is claimed with SKIP LOCKED where the database has it, so several
    annotation workers share a backlog without analysing the same items twice.
    """
    with transaction.atomic():
        items = list(
            InboxItem.objects.filter(annotated_at__isnull=True)
            .select_for_update(skip_locked=True, of=("self",))
            .select_related("agency__region")
            .order_by("id")[:limit]
        )
        if not items:
            return 0
        annotations = annotate([i.text for i in items])
        if annotations is None:
            return 0
        now = clock.now()
        hours = first_response_hours()
        for item, annotation in zip(items, annotations, strict=True):
            _apply(item, annotation)
            item.annotated_at = now
            item.response_due_at = _response_due(
                kind=item.kind,
                annotation=annotation,
                received_at=item.received_at,
                tz_name=item.agency.region.timezone,
                hours=hours,
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


def inbox_annotate_backlog(*, budget_seconds: float = 90, limit: int = 2000) -> int:
    """Annotate batch after batch until none is pending or the time budget is spent.

    One batch every two minutes would take hours over the backlog an engine outage
    leaves; this drains it at the engine's own rate, in the annotation task's worker.
    """
    deadline = time.monotonic() + budget_seconds
    done = 0
    while time.monotonic() < deadline:
        count = inbox_annotate_pending(limit=limit)
        done += count
        if count < limit:
            break
    return done


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
        state.last_run_at = clock.now()
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
            state.last_run_at = clock.now()
            state.save(update_fields=["last_error", "last_run_at"])
            if not isinstance(exc, TransientError):
                # Retrying will not help (e.g. a Telegram bot that cannot see the
                # discussion group): the channel page shows the officer why.
                Channel.objects.filter(pk=channel.pk).update(last_error=exc.message[:2000])
            if channel_call_failed(channel=channel, error=exc):
                # A revoked token, or every call failing: reconnect, officers are told.
                transaction.on_commit(partial(notifications.needs_reconnect, channel))
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
    state.last_run_at = clock.now()
    state.last_error = ""
    state.save(update_fields=["since", "last_run_at", "last_error"])
    channel_call_succeeded(channel=channel)
    Channel.objects.filter(pk=channel.pk).update(last_sync_at=state.last_run_at, last_error="")
    return created


# --- Working the inbox ---------------------------------------------------------------
