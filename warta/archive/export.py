"""Exports of an agency's archive for a period, verifiable offline against their manifest.

The export is one zip: records.jsonl (the agency's sub-chain, contiguous), records.csv
(the same, for spreadsheets), media/ (files by content hash) and manifest.json (hashes of
every file), written last. The zip is built under a `.partial` name and renamed only when
complete, so an interrupted export never poses as a finished one.
"""

import csv
import hashlib
import io
import json
import os
import zipfile
from datetime import datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from warta.archive import chain
from warta.archive.models import ArchivePayload, ArchiveRecord
from warta.archive.services import redactions_for
from warta.archive.verify import VerifyResult, records_verify
from warta.institutions.models import Agency
from warta.lib import clock
from warta.lib.filenames import file_part
from warta.lib.spreadsheet import csv_safe

FORMAT = "warta-archive-export/1"
REDACTED = "[DISUNTING]"
PUBLIC_PERSONAL_FIELDS = ("author_name", "author_handle")
CSV_COLUMNS = [
    "seq",
    "agency_seq",
    "kind",
    "subject",
    "occurred_at",
    "recorded_at",
    "channel",
    "text",
    "url",
    "payload_hash",
    "hash",
    "redacted_fields",
]


def _records(agency: Agency, start: datetime, end: datetime) -> list[ArchiveRecord]:
    """The contiguous run of the agency's sub-chain recorded in [start, end)."""
    bounds = ArchiveRecord.objects.filter(
        agency=agency, recorded_at__gte=start, recorded_at__lt=end
    )
    seqs = bounds.order_by("agency_seq").values_list("agency_seq", flat=True)
    first, last = (
        seqs.first(),
        bounds.order_by("-agency_seq").values_list("agency_seq", flat=True).first(),
    )
    if first is None:
        return []
    return list(
        ArchiveRecord.objects.filter(
            agency=agency, agency_seq__gte=first, agency_seq__lte=last
        ).order_by("agency_seq")
    )


def export_write(
    *, agency: Agency, start: datetime, end: datetime, dest_dir: Path, redact_public: bool = False
) -> Path:
    dest_dir.mkdir(parents=True, exist_ok=True)
    records = _records(agency, start, end)
    redactions = redactions_for(agency.region_id)
    payloads = dict(
        ArchivePayload.objects.filter(record__in=records).values_list("record_id", "data")
    )
    agency_part = file_part(agency.short_name, fallback=f"opd-{agency.pk}")
    name = f"arsip-{agency_part}-{start:%Y%m%d}-{end:%Y%m%d}.zip"
    final = dest_dir / name
    partial = dest_dir / (name + ".partial")
    files: dict[str, str] = {}
    media_seen: set[str] = set()
    try:
        with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            jsonl = io.StringIO()
            csv_buf = io.StringIO()
            writer = csv.writer(csv_buf)
            writer.writerow(CSV_COLUMNS)
            for record in records:
                payload = payloads.get(record.pk)
                withheld = set(redactions.get(record.seq, set()))
                if redact_public and record.kind.startswith("item_"):
                    withheld.update(PUBLIC_PERSONAL_FIELDS)
                shown = _redact(payload, withheld) if payload is not None else None
                row = {
                    "hash_version": record.hash_version,
                    "region_id": record.region_id,
                    "agency_id": record.agency_id,
                    "channel_id": record.channel_id,
                    "search_hash": record.search_hash,
                    "seq": record.seq,
                    "kind": record.kind,
                    "subject": record.subject,
                    "thread": record.thread,
                    "occurred_at": chain.timestamp(record.occurred_at),
                    "recorded_at": chain.timestamp(record.recorded_at),
                    "payload_hash": record.payload_hash,
                    "prev_hash": record.prev_hash,
                    "hash": record.hash,
                    "agency_seq": record.agency_seq,
                    "agency_prev_hash": record.agency_prev_hash,
                    "agency_hash": record.agency_hash,
                    "payload": shown,
                    "purged": payload is None,
                    "redacted_fields": sorted(withheld & set(payload or {})),
                }
                jsonl.write(json.dumps(row, ensure_ascii=False, sort_keys=True) + "\n")
                writer.writerow([csv_safe(v) for v in _csv_row(row)])
                for media in (payload or {}).get("media", []):
                    _add_media(zf, media, media_seen, files)
            for member, text in (
                ("records.jsonl", jsonl.getvalue()),
                ("records.csv", csv_buf.getvalue()),
            ):
                data = text.encode()
                zf.writestr(member, data)
                files[member] = hashlib.sha256(data).hexdigest()
            manifest = {
                "format": FORMAT,
                "agency": agency.short_name,
                "agency_name": agency.name,
                "region": agency.region.name,
                "period": {"start": chain.timestamp(start), "end": chain.timestamp(end)},
                "generated_at": chain.timestamp(clock.now()),
                "records": len(records),
                "first_agency_seq": records[0].agency_seq if records else None,
                "last_agency_seq": records[-1].agency_seq if records else None,
                "last_agency_hash": records[-1].agency_hash if records else None,
                "redacted_public_personal_data": redact_public,
                "files": files,
            }
            zf.writestr("manifest.json", json.dumps(manifest, indent=2, ensure_ascii=False))
        os.replace(partial, final)
    finally:
        partial.unlink(missing_ok=True)
    return final


def _redact(payload: dict[str, Any], fields: set[str]) -> dict[str, Any]:
    return {k: (REDACTED if k in fields and v else v) for k, v in payload.items()}


def _csv_row(row: dict[str, Any]) -> list[Any]:
    p = row["payload"] or {}
    return [
        row["seq"],
        row["agency_seq"],
        row["kind"],
        row["subject"],
        row["occurred_at"],
        row["recorded_at"],
        p.get("channel", ""),
        p.get("caption") or p.get("text") or "",
        p.get("url", ""),
        row["payload_hash"],
        row["hash"],
        " ".join(row["redacted_fields"]),
    ]


def _add_media(
    zf: zipfile.ZipFile, media: dict[str, Any], seen: set[str], files: dict[str, str]
) -> None:
    digest, rel = media.get("sha256", ""), media.get("path", "")
    if not digest or not rel or digest in seen:
        return
    source = (Path(settings.MEDIA_ROOT) / rel).resolve()
    if not source.is_relative_to(Path(settings.MEDIA_ROOT).resolve()) or not source.is_file():
        return
    member = f"media/{digest}{source.suffix.lower()}"
    zf.write(source, member)
    files[member] = digest
    seen.add(digest)


def export_verify(path: Path) -> VerifyResult:
    """Check an export offline: every file against the manifest, then the record chain."""
    result = VerifyResult()
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError):
        result.fail(None, _("%(name)s bukan berkas ekspor arsip yang utuh.") % {"name": path.name})
        return result
    with zf:
        names = set(zf.namelist())
        if "manifest.json" not in names:
            result.fail(None, _("Manifest tidak ada: ekspor tidak lengkap."))
            return result
        manifest = json.loads(zf.read("manifest.json"))
        for member, digest in manifest.get("files", {}).items():
            if member not in names:
                result.fail(
                    None, _("Berkas %(m)s tercantum di manifest tetapi tidak ada.") % {"m": member}
                )
                return result
            if hashlib.sha256(zf.read(member)).hexdigest() != digest:
                result.fail(
                    None, _("Berkas %(m)s diubah: hash-nya tidak sesuai manifest.") % {"m": member}
                )
                return result
        extra = names - set(manifest.get("files", {})) - {"manifest.json"}
        if extra:
            result.fail(
                None,
                _("Berkas tambahan yang tidak ada di manifest: %(m)s.")
                % {"m": ", ".join(sorted(extra))},
            )
            return result
        lines = zf.read("records.jsonl").decode().splitlines()
    chained = records_verify(lines)
    if chained.ok and chained.checked != manifest.get("records"):
        chained.fail(
            None,
            _("Manifest mencatat %(m)s catatan, berkas berisi %(n)s.")
            % {"m": manifest.get("records"), "n": chained.checked},
        )
    return chained
