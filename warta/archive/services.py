"""Appending to the archive, redaction and retention. Records are never changed."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from warta.archive import chain
from warta.archive.models import (
    AgencyHead,
    ArchiveHead,
    ArchivePayload,
    ArchivePurgePermit,
    ArchiveRecord,
    RecordKind,
    RetentionRule,
)
from warta.core.services import audit_record
from warta.lib import clock


@dataclass(frozen=True)
class Entry:
    kind: str
    subject: str
    occurred_at: datetime
    payload: dict[str, Any]
    agency_id: int | None = None
    channel_id: int | None = None
    thread: str = ""
    search_text: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


def records_append(*, region_id: int, entries: Sequence[Entry]) -> list[ArchiveRecord]:
    """Append entries to the region's chain (and each agency's sub-chain) in one transaction."""
    if not entries:
        return []
    now = clock.now()
    with transaction.atomic():
        ArchiveHead.objects.get_or_create(
            region_id=region_id, defaults={"last_hash": chain.GENESIS}
        )
        head = ArchiveHead.objects.select_for_update().get(region_id=region_id)
        agency_ids = sorted({e.agency_id for e in entries if e.agency_id is not None})
        for agency_id in agency_ids:
            AgencyHead.objects.get_or_create(
                agency_id=agency_id, defaults={"last_hash": chain.GENESIS}
            )
        agency_heads = {
            h.agency_id: h
            for h in AgencyHead.objects.select_for_update()
            .filter(agency_id__in=agency_ids)
            .order_by("agency_id")
        }
        records: list[ArchiveRecord] = []
        payloads: list[tuple[dict[str, Any], str]] = []
        for entry in entries:
            seq = head.last_seq + 1
            text = entry.search_text[:20000]
            record = ArchiveRecord(
                region_id=region_id,
                seq=seq,
                kind=entry.kind,
                agency_id=entry.agency_id,
                channel_id=entry.channel_id,
                subject=entry.subject,
                thread=entry.thread,
                occurred_at=entry.occurred_at,
                recorded_at=now,
                payload_hash=chain.payload_hash(entry.payload),
                prev_hash=head.last_hash,
                hash_version=chain.HASH_VERSION,
                search_hash=chain.search_hash(text),
            )
            ahead = agency_heads.get(entry.agency_id) if entry.agency_id is not None else None
            if ahead is not None:
                record.agency_seq = ahead.last_seq + 1
                record.agency_prev_hash = ahead.last_hash
            record.hash = chain.record_hash_v2(
                prev_hash=record.prev_hash,
                region_id=region_id,
                seq=seq,
                kind=record.kind,
                agency_id=record.agency_id,
                channel_id=record.channel_id,
                subject=record.subject,
                thread=record.thread,
                occurred_at=record.occurred_at,
                recorded_at=record.recorded_at,
                payload_hash=record.payload_hash,
                search_hash=record.search_hash,
                agency_seq=record.agency_seq,
                agency_prev_hash=record.agency_prev_hash,
            )
            if ahead is not None:
                assert record.agency_seq is not None
                record.agency_hash = chain.agency_hash(
                    agency_prev_hash=record.agency_prev_hash,
                    agency_seq=record.agency_seq,
                    record_hash=record.hash,
                )
                ahead.last_seq, ahead.last_hash = record.agency_seq, record.agency_hash
            head.last_seq, head.last_hash = seq, record.hash
            records.append(record)
            payloads.append((entry.payload, text))
        ArchiveRecord.objects.bulk_create(records, batch_size=1000)
        # bulk_create sets primary keys on PostgreSQL and SQLite (RETURNING).
        ArchivePayload.objects.bulk_create(
            [
                ArchivePayload(record=record, data=data, search_text=text)
                for record, (data, text) in zip(records, payloads, strict=True)
            ],
            batch_size=1000,
        )
        head.save(update_fields=["last_seq", "last_hash"])
        for ahead in agency_heads.values():
            ahead.save(update_fields=["last_seq", "last_hash"])
    return records


REDACTABLE_FIELDS = {"author_name", "author_handle", "text", "requester", "contact"}


def record_redact(
    *, region_id: int, seq: int, fields: list[str], reason: str, actor: AbstractBaseUser
) -> ArchiveRecord:
    """Record that fields of one record are to be withheld from exports (the record stays)."""
    target = ArchiveRecord.objects.filter(region_id=region_id, seq=seq).first()
    if target is None:
        raise ValidationError({"seq": _("Catatan arsip #%(seq)s tidak ada.") % {"seq": seq}})
    unknown = sorted(set(fields) - REDACTABLE_FIELDS)
    if not fields or unknown:
        raise ValidationError(
            {
                "fields": _("Kolom yang boleh disunting: %(allowed)s.")
                % {"allowed": ", ".join(sorted(REDACTABLE_FIELDS))}
            }
        )
    if not reason.strip():
        raise ValidationError({"reason": _("Alasan penyuntingan wajib diisi.")})
    (record,) = records_append(
        region_id=region_id,
        entries=[
            Entry(
                kind=RecordKind.REDACTION,
                subject=f"redaction:{seq}",
                thread=target.subject,
                occurred_at=clock.now(),
                agency_id=target.agency_id,
                payload={
                    "target_seq": seq,
                    "fields": sorted(fields),
                    "reason": reason.strip(),
                    "by": actor.get_username(),
                },
            )
        ],
    )
    audit_record(actor=actor, action="archive.redact", obj=record, region_id=region_id, note=reason)
    return record


def redactions_for(region_id: int) -> dict[int, set[str]]:
    """Fields to withhold, by target seq."""
    out: dict[int, set[str]] = {}
    rows = ArchivePayload.objects.filter(
        record__region_id=region_id, record__kind=RecordKind.REDACTION
    ).values_list("data", flat=True)
    for data in rows:
        out.setdefault(int(data["target_seq"]), set()).update(data["fields"])
    return out


def retention_apply(*, now: datetime | None = None) -> int:
    """Purge the content of records past their kind's retention; the purge is recorded.

    The purge record goes into the chain first, then a permit per record, and only then
    are the payloads deleted: the database's delete trigger lets a payload go only with a
    permit, so nothing disappears without the chain saying so.
    """
    now = now or clock.now()
    purged = 0
    for rule in RetentionRule.objects.all():
        cutoff = now - timedelta(days=rule.keep_days)
        with transaction.atomic():
            due = list(
                ArchivePayload.objects.filter(
                    record__region_id=rule.region_id,
                    record__kind=rule.kind,
                    record__occurred_at__lt=cutoff,
                ).values_list("record_id", "record__seq")
            )
            if not due:
                continue
            (purge,) = records_append(
                region_id=rule.region_id,
                entries=[
                    Entry(
                        kind=RecordKind.RETENTION_PURGE,
                        subject=f"retention:{rule.kind}",
                        occurred_at=now,
                        payload={
                            "kind": rule.kind,
                            "keep_days": rule.keep_days,
                            "seqs": sorted(seq for _pk, seq in due),
                        },
                    )
                ],
            )
            ArchivePurgePermit.objects.bulk_create(
                [ArchivePurgePermit(record_id=pk, purge_record=purge) for pk, _seq in due],
                batch_size=1000,
                ignore_conflicts=True,
            )
            ids = [pk for pk, _seq in due]
            for start in range(0, len(ids), 1000):
                ArchivePayload.objects.filter(record_id__in=ids[start : start + 1000]).delete()
            purged += len(due)
    return purged
