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


def chain_verify(*, region_id: int, check_payloads: bool = True, chunk: int = 5000) -> VerifyResult:
    """Walk the region's chain from the start; report the first broken link and what changed."""
    result = VerifyResult()
    purged = _purged_seqs(region_id)
    prev_hash, expected_seq = chain.GENESIS, 1
    rows = (
        ArchiveRecord.objects.filter(region_id=region_id)
        .order_by("seq")
        .values_list(
            "pk", "seq", "kind", "subject", "occurred_at", "payload_hash", "prev_hash", "hash"
        )
    )
    for batch in _chunks(rows.iterator(chunk_size=chunk), chunk):
        payloads = (
            dict(
                ArchivePayload.objects.filter(record_id__in=[r[0] for r in batch]).values_list(
                    "record_id", "data"
                )
            )
            if check_payloads
            else {}
        )
        for pk, seq, kind, subject, occurred_at, p_hash, stored_prev, stored_hash in batch:
            result.checked += 1
            if seq != expected_seq:
                result.fail(
                    expected_seq,
                    _("Catatan #%(seq)s hilang (setelah #%(prev)s langsung #%(next)s).")
                    % {"seq": expected_seq, "prev": expected_seq - 1, "next": seq},
                )
                return result
            if stored_prev != prev_hash:
                result.fail(
                    seq,
                    _(
                        "Catatan #%(seq)s tidak tersambung ke catatan sebelumnya (prev_hash berbeda)."
                    )
                    % {"seq": seq},
                )
                return result
            computed = chain.record_hash(
                prev_hash=prev_hash,
                seq=seq,
                kind=kind,
                subject=subject,
                occurred_at=occurred_at,
                payload_hash=p_hash,
            )
            if computed != stored_hash:
                result.fail(
                    seq,
                    _(
                        "Catatan #%(seq)s diubah: jenis, subjek, waktu atau hash isinya tidak sesuai rantai."
                    )
                    % {"seq": seq},
                )
                return result
            if check_payloads:
                if pk in payloads:
                    if chain.payload_hash(payloads[pk]) != p_hash:
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
            prev_hash, expected_seq = stored_hash, seq + 1
    head = ArchiveHead.objects.filter(region_id=region_id).first()
    if head is not None and (head.last_seq != expected_seq - 1 or head.last_hash != prev_hash):
        result.fail(
            expected_seq,
            _(
                "Rantai berakhir di #%(seq)s, padahal kepala rantai mencatat #%(head)s: catatan terakhir dihapus."
            )
            % {"seq": expected_seq - 1, "head": head.last_seq},
        )
    return result


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
        computed = chain.record_hash(
            prev_hash=r["prev_hash"],
            seq=r["seq"],
            kind=r["kind"],
            subject=r["subject"],
            occurred_at=r["occurred_at"],
            payload_hash=r["payload_hash"],
        )
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
