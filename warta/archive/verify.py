"""Checking the chain: in the database (`warta archive verify`) and in an export file."""

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from warta.archive import chain
from warta.archive.models import ArchiveHead, ArchivePayload, ArchiveRecord, RecordKind


@dataclass
class VerifyResult:
    checked: int = 0
    problems: list[str] = field(default_factory=list)
    first_bad_seq: int | None = None
    purged: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems

    def fail(self, seq: int | None, message: str) -> None:
        if self.first_bad_seq is None:
            self.first_bad_seq = seq
        self.problems.append(message)


@dataclass(frozen=True)
class Anchor:
    """A chain head written down outside the database (`warta archive head`)."""

    seq: int
    hash: str


FIELDS = (
    "pk",
    "region_id",
    "seq",
    "kind",
    "agency_id",
    "channel_id",
    "subject",
    "thread",
    "occurred_at",
    "recorded_at",
    "payload_hash",
    "prev_hash",
    "hash",
    "agency_seq",
    "agency_prev_hash",
    "agency_hash",
    "hash_version",
    "search_hash",
)


def chain_verify(
    *,
    region_id: int,
    check_payloads: bool = True,
    chunk: int = 5000,
    anchor: Anchor | None = None,
) -> VerifyResult:
    """Walk the region's chain from the start; report the first broken link and what changed.

    With `anchor` (a head kept outside the database), the chain must still hold that
    record with that hash: deleting the newest records and rewinding the head tables, or
    rewriting the whole chain with fresh hashes, no longer passes.
    """
    result = VerifyResult()
    purged = _purged_seqs(region_id)
    prev_hash, expected_seq = chain.GENESIS, 1
    rows = ArchiveRecord.objects.filter(region_id=region_id).order_by("seq").values(*FIELDS)
    for batch in _chunks(rows.iterator(chunk_size=chunk), chunk):
        payloads = (
            {
                p["record_id"]: p
                for p in ArchivePayload.objects.filter(
                    record_id__in=[r["pk"] for r in batch]
                ).values("record_id", "data", "search_text")
            }
            if check_payloads
            else {}
        )
        for row in batch:
            seq, subject = row["seq"], row["subject"]
            result.checked += 1
            if seq != expected_seq:
                result.fail(
                    expected_seq,
                    _("Catatan #%(seq)s hilang (setelah #%(prev)s langsung #%(next)s).")
                    % {"seq": expected_seq, "prev": expected_seq - 1, "next": seq},
                )
                return result
            if row["prev_hash"] != prev_hash:
                result.fail(
                    seq,
                    _(
                        "Catatan #%(seq)s tidak tersambung ke catatan sebelumnya (prev_hash berbeda)."
                    )
                    % {"seq": seq},
                )
                return result
            if chain.stored_record_hash(row) != row["hash"] or not _agency_link_ok(row):
                result.fail(
                    seq,
                    _(
                        "Catatan #%(seq)s diubah: jenis, subjek, waktu atau hash isinya tidak sesuai rantai."
                    )
                    % {"seq": seq},
                )
                return result
            if anchor is not None and seq == anchor.seq and row["hash"] != anchor.hash:
                result.fail(
                    seq,
                    _(
                        "Catatan #%(seq)s tidak sama dengan kepala rantai yang dicatat di luar "
                        "basis data: rantai ditulis ulang."
                    )
                    % {"seq": seq},
                )
                return result
            if check_payloads:
                payload = payloads.get(row["pk"])
                if payload is not None:
                    if chain.payload_hash(payload["data"]) != row["payload_hash"] or (
                        row["hash_version"] >= 2
                        and chain.search_hash(payload["search_text"]) != row["search_hash"]
                    ):
                        result.fail(
                            seq,
                            _("Isi catatan #%(seq)s (%(subject)s) diubah setelah dicatat.")
                            % {"seq": seq, "subject": subject},
                        )
                        return result
                elif seq in purged:
                    result.purged += 1
                else:
                    result.fail(
                        seq,
                        _("Isi catatan #%(seq)s (%(subject)s) dihapus tanpa catatan masa simpan.")
                        % {"seq": seq, "subject": subject},
                    )
                    return result
            prev_hash, expected_seq = row["hash"], seq + 1
    last_seq = expected_seq - 1
    if anchor is not None and last_seq < anchor.seq:
        result.fail(
            last_seq + 1,
            _(
                "Rantai berakhir di #%(seq)s, padahal kepala rantai yang dicatat di luar basis "
                "data sudah #%(head)s: catatan terbaru dihapus."
            )
            % {"seq": last_seq, "head": anchor.seq},
        )
        return result
    head = ArchiveHead.objects.filter(region_id=region_id).first()
    if head is not None and (head.last_seq != last_seq or head.last_hash != prev_hash):
        result.fail(
            expected_seq,
            _(
                "Rantai berakhir di #%(seq)s, padahal kepala rantai mencatat #%(head)s: catatan terakhir dihapus."
            )
            % {"seq": last_seq, "head": head.last_seq},
        )
    return result


def _agency_link_ok(row: dict[str, Any]) -> bool:
    if row["agency_seq"] is None:
        return not row["agency_hash"]
    return row["agency_hash"] == chain.agency_hash(
        agency_prev_hash=row["agency_prev_hash"],
        agency_seq=row["agency_seq"],
        record_hash=row["hash"],
    )


def _purged_seqs(region_id: int) -> set[int]:
    seqs: set[int] = set()
    for data in ArchivePayload.objects.filter(
        record__region_id=region_id, record__kind=RecordKind.RETENTION_PURGE
    ).values_list("data", flat=True):
        seqs.update(int(s) for s in data["seqs"])
    return seqs


def _chunks(rows: Iterable[Any], size: int) -> Iterator[list[Any]]:
    batch: list[Any] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def records_verify(lines: Iterable[str]) -> VerifyResult:
    """Verify the agency sub-chain of exported JSON lines (see export.py)."""
    result = VerifyResult()
    prev: dict[str, Any] | None = None
    for number, line in enumerate(lines, start=1):
        try:
            r = json.loads(line)
        except json.JSONDecodeError:
            result.fail(None, _("Baris %(n)s records.jsonl bukan JSON yang sah.") % {"n": number})
            return result
        result.checked += 1
        seq = r.get("seq")
        try:
            computed = chain.stored_record_hash(r)
        except KeyError:
            computed = ""  # a version-2 line without one of its fields: not what was hashed
        if computed != r["hash"]:
            result.fail(
                seq, _("Catatan #%(seq)s diubah: datanya tidak sesuai hash-nya.") % {"seq": seq}
            )
            return result
        if (
            chain.agency_hash(
                agency_prev_hash=r["agency_prev_hash"],
                agency_seq=r["agency_seq"],
                record_hash=r["hash"],
            )
            != r["agency_hash"]
        ):
            result.fail(
                seq,
                _("Catatan #%(seq)s: hash rantai perangkat daerah tidak sesuai.") % {"seq": seq},
            )
            return result
        if prev is not None and (
            r["agency_seq"] != prev["agency_seq"] + 1
            or r["agency_prev_hash"] != prev["agency_hash"]
        ):
            result.fail(
                seq, _("Ada catatan yang hilang atau disisipkan sebelum #%(seq)s.") % {"seq": seq}
            )
            return result
        unredacted = r.get("payload") is not None and not r.get("redacted_fields")
        if unredacted and chain.payload_hash(r["payload"]) != r["payload_hash"]:
            result.fail(
                seq,
                _("Isi catatan #%(seq)s (%(subject)s) diubah.")
                % {"seq": seq, "subject": r["subject"]},
            )
            return result
        prev = r
    return result
