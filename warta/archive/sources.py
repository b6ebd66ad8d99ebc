"""What the archiver reads from other apps, and how each thing becomes a record.

The archive pulls: every source is read in (updated_at, id) order past a cursor,
a little behind real time so that rows of transactions still open are not skipped.
A subject's state is hashed; a new subject is recorded once, a changed one again.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.db.models import Model, Q, QuerySet

from warta.archive import chain
from warta.archive.models import ArchiveCursor, ArchivedState, RecordKind
from warta.archive.services import Entry, records_append
from warta.content.models import PostVariant
from warta.engagement.models import InboxItem, Reply
from warta.lib import clock
from warta.strategy.models import StrategyVersion

# How far behind now the archiver reads, so that slow transactions are not skipped.
SAFETY_LAG = timedelta(seconds=5)


@dataclass(frozen=True)
class Source:
    name: str
    queryset: Callable[[], QuerySet[Any]]
    # -> (region_id, subject, state for change detection, entry factory(kind) or None to skip)
    describe: Callable[[Any], tuple[int, str, dict[str, Any], Callable[[str], Entry]] | None]
    first_kind: str
    changed_kind: Callable[[Any], str]


def _variant_queryset() -> QuerySet[PostVariant]:
    return (
        PostVariant.objects.select_related(
            "post", "channel", "channel__agency", "scheduled_by", "approved_by"
        )
        .prefetch_related("post__post_media__media")
        .filter(Q(status=PostVariant.Status.PUBLISHED) | ~Q(platform_post_id=""))
    )


def _username(user: Model | None) -> str:
    return user.get_username() if user is not None else ""  # type: ignore[attr-defined]


def _describe_variant(
    v: PostVariant,
) -> tuple[int, str, dict[str, Any], Callable[[str], Entry]] | None:
    if not v.platform_post_id and v.status != PostVariant.Status.PUBLISHED:
        return None
    agency = v.channel.agency
    state: dict[str, Any] = {
        "post_id": v.post_id,
        "variant_id": v.pk,
        "agency": agency.short_name,
        "channel": f"{v.channel.platform}:{v.channel.handle}",
        "platform": v.channel.platform,
        "platform_post_id": v.platform_post_id,
        "url": v.platform_url,
        "title": v.title,
        "caption": v.caption,
        "first_comment": v.first_comment,
        "message": v.post.message,
        "category": v.post.category,
        "status": v.status,
        "published_at": chain.timestamp(v.published_at) if v.published_at else None,
        "scheduled_by": _username(v.scheduled_by),
        "approved_by": _username(v.approved_by),
        "media": _media_of(v),
    }
    subject = f"variant:{v.pk}"

    def make(kind: str) -> Entry:
        return Entry(
            kind=kind,
            subject=subject,
            thread=subject,
            occurred_at=v.published_at or v.updated_at,
            payload=state,
            agency_id=agency.pk,
            channel_id=v.channel_id,
            search_text=f"{v.title}\n{v.caption}",
        )

    return agency.region_id, subject, state, make


def _media_of(variant: PostVariant) -> list[dict[str, Any]]:
    """Media with their content hashes, once the content app has media."""
    media = getattr(variant.post, "media", None)
    if media is None or not hasattr(media, "all"):
        return []
    out = []
    for m in media.all():
        out.append(
            {
                "name": getattr(m, "original_name", "") or str(getattr(m, "file", "")),
                "sha256": getattr(m, "sha256", ""),
                "mime_type": getattr(m, "mime_type", ""),
                "path": str(getattr(m, "file", "")),
            }
        )
    return out


def _item_queryset() -> QuerySet[InboxItem]:
    return InboxItem.objects.select_related("agency", "channel", "parent")


def _describe_item(i: InboxItem) -> tuple[int, str, dict[str, Any], Callable[[str], Entry]]:
    state: dict[str, Any] = {
        "item_id": i.pk,
        "agency": i.agency.short_name,
        "channel": f"{i.channel.platform}:{i.channel.handle}",
        "platform_item_id": i.platform_item_id,
        "kind": i.kind,
        "author_name": i.author_name,
        "author_handle": i.author_handle,
        "text": i.text,
        "received_at": chain.timestamp(i.received_at),
        "variant_id": i.variant_id,
        "parent": i.parent.platform_item_id if i.parent else "",
        "hidden_on_platform": i.hidden_on_platform,
        "deleted_on_platform_at": (
            chain.timestamp(i.deleted_on_platform_at) if i.deleted_on_platform_at else None
        ),
    }
    subject = f"item:{i.pk}"
    thread = f"variant:{i.variant_id}" if i.variant_id else f"channel:{i.channel_id}"

    def make(kind: str) -> Entry:
        occurred = (
            i.received_at
            if kind == RecordKind.ITEM_RECEIVED
            else (i.deleted_on_platform_at or i.updated_at)
        )
        return Entry(
            kind=kind,
            subject=subject,
            thread=thread,
            occurred_at=occurred,
            payload=state,
            agency_id=i.agency_id,
            channel_id=i.channel_id,
            search_text=f"{i.author_name} {i.author_handle}\n{i.text}",
        )

    return i.agency.region_id, subject, state, make


def _reply_queryset() -> QuerySet[Reply]:
    return Reply.objects.select_related("item", "item__agency", "item__channel", "author").filter(
        status=Reply.Status.SENT
    )


def _describe_reply(r: Reply) -> tuple[int, str, dict[str, Any], Callable[[str], Entry]]:
    item = r.item
    state: dict[str, Any] = {
        "reply_id": r.pk,
        "item_id": item.pk,
        "in_reply_to": item.platform_item_id,
        "agency": item.agency.short_name,
        "channel": f"{item.channel.platform}:{item.channel.handle}",
        "platform_reply_id": r.platform_reply_id,
        "text": r.text,
        "by": _username(r.author),
        "sent_at": chain.timestamp(r.sent_at) if r.sent_at else None,
    }
    subject = f"reply:{r.pk}"
    thread = f"variant:{item.variant_id}" if item.variant_id else f"channel:{item.channel_id}"

    def make(kind: str) -> Entry:
        return Entry(
            kind=kind,
            subject=subject,
            thread=thread,
            occurred_at=r.sent_at or r.updated_at,
            payload=state,
            agency_id=item.agency_id,
            channel_id=item.channel_id,
            search_text=r.text,
        )

    return item.agency.region_id, subject, state, make


def _strategy_queryset() -> QuerySet[StrategyVersion]:
    return StrategyVersion.objects.select_related("agency", "author", "decided_by")


def _describe_strategy(
    v: StrategyVersion,
) -> tuple[int, str, dict[str, Any], Callable[[str], Entry]]:
    state: dict[str, Any] = {
        "version_id": v.pk,
        "agency": v.agency.short_name if v.agency else None,
        "number": v.number,
        "status": v.status,
        "sections": v.sections,
        "data": v.data,
        "reason": v.reason,
        "author": _username(v.author),
        "decided_by": _username(v.decided_by),
        "decided_at": chain.timestamp(v.decided_at) if v.decided_at else None,
        "decision_note": v.decision_note,
        "head_change_flag": v.head_change_flag,
    }
    subject = f"strategy:{v.pk}"

    def make(kind: str) -> Entry:
        return Entry(
            kind=kind,
            subject=subject,
            thread=f"strategy-agency:{v.agency_id or 'region'}",
            occurred_at=v.decided_at or v.created_at,
            payload=state,
            agency_id=v.agency_id,
            search_text=f"{v.reason}\n{v.decision_note}",
        )

    return v.region_id, subject, state, make


SOURCES: list[Source] = [
    Source(
        name="content.variant",
        queryset=_variant_queryset,
        describe=_describe_variant,
        first_kind=RecordKind.VARIANT_PUBLISHED,
        changed_kind=lambda v: (
            RecordKind.VARIANT_DELETED
            if getattr(v, "deleted_on_platform_at", None)
            else RecordKind.VARIANT_CHANGED
        ),
    ),
    Source(
        name="engagement.item",
        queryset=_item_queryset,
        describe=_describe_item,
        first_kind=RecordKind.ITEM_RECEIVED,
        changed_kind=lambda i: RecordKind.ITEM_CHANGED,
    ),
    Source(
        name="engagement.reply",
        queryset=_reply_queryset,
        describe=_describe_reply,
        first_kind=RecordKind.REPLY_SENT,
        changed_kind=lambda r: RecordKind.REPLY_SENT,
    ),
    Source(
        name="strategy.version",
        queryset=_strategy_queryset,
        describe=_describe_strategy,
        first_kind=RecordKind.STRATEGY_VERSION,
        changed_kind=lambda v: RecordKind.STRATEGY_VERSION,
    ),
]


def source_sync(source: Source, *, batch_size: int = 2000) -> tuple[int, int]:
    """Archive one batch of a source past its cursor; returns (records appended, rows read)."""
    cursor, _ = ArchiveCursor.objects.get_or_create(source=source.name)
    horizon = clock.now() - SAFETY_LAG
    qs = source.queryset().filter(updated_at__lt=horizon)
    if cursor.updated_at is not None:
        qs = qs.filter(
            Q(updated_at__gt=cursor.updated_at)
            | Q(updated_at=cursor.updated_at, pk__gt=cursor.last_id)
        )
    rows = list(qs.order_by("updated_at", "pk")[:batch_size])
    if not rows:
        return 0, 0
    described = [(row, source.describe(row)) for row in rows]
    by_region: dict[int, list[tuple[str, str, Callable[[str], Entry], Any]]] = {}
    for row, d in described:
        if d is None:
            continue
        region_id, subject, state, make = d
        by_region.setdefault(region_id, []).append((subject, chain.payload_hash(state), make, row))
    appended = 0
    for region_id, items in by_region.items():
        known = dict(
            ArchivedState.objects.filter(
                region_id=region_id, subject__in=[s for s, *_ in items]
            ).values_list("subject", "state_hash")
        )
        entries: list[Entry] = []
        new_states: dict[str, str] = {}
        for subject, state_hash, make, row in items:
            previous = new_states.get(subject, known.get(subject))
            if previous == state_hash:
                continue
            kind = source.first_kind if previous is None else source.changed_kind(row)
            entries.append(make(kind))
            new_states[subject] = state_hash
        records_append(region_id=region_id, entries=entries)
        _states_save(region_id, new_states, existing=set(known))
        appended += len(entries)
    last = rows[-1]
    cursor.updated_at, cursor.last_id = last.updated_at, last.pk
    cursor.save(update_fields=["updated_at", "last_id"])
    return appended, len(rows)


def _states_save(region_id: int, states: dict[str, str], *, existing: Iterable[str]) -> None:
    existing = set(existing)
    ArchivedState.objects.bulk_create(
        [
            ArchivedState(region_id=region_id, subject=s, state_hash=h)
            for s, h in states.items()
            if s not in existing
        ],
        batch_size=1000,
    )
    for subject, state_hash in states.items():
        if subject in existing:
            ArchivedState.objects.filter(region_id=region_id, subject=subject).update(
                state_hash=state_hash
            )


def archive_sync(*, batch_size: int = 2000) -> int:
    """Bring the archive up to date with every source; returns records appended."""
    total = 0
    for source in SOURCES:
        while True:
            appended, read = source_sync(source, batch_size=batch_size)
            total += appended
            if read < batch_size:
                break
    return total
