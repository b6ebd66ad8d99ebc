"""Comments from a platform's export file (CSV or XLSX), for channels without API access.

Columns are matched by name (Indonesian or English, case-insensitive); a row that cannot
be read is reported with its number and reason and the good rows are still imported.
"""

import contextlib
import csv
import io
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from warta.channels.models import Channel
from warta.connectors.base import RemoteComment
from warta.core.services import audit_record
from warta.engagement.ingest import inbox_ingest
from warta.engagement.models import ImportRun, InboxItem
from warta.institutions.access import editable_agencies

ALIASES: dict[str, set[str]] = {
    "id": {"id", "comment_id", "id komentar", "id_komentar"},
    "text": {"text", "message", "comment", "isi", "komentar", "pesan"},
    "created_at": {"created_at", "created", "timestamp", "date", "waktu", "tanggal"},
    "author_name": {"author_name", "name", "nama", "from"},
    "author_handle": {"author_handle", "username", "handle", "akun", "user"},
    "post_id": {"post_id", "media_id", "id unggahan", "id_unggahan"},
    "parent_id": {"parent_id", "reply_to", "balasan untuk"},
    "kind": {"kind", "type", "jenis"},
}
REQUIRED = ("id", "text", "created_at")
MAX_ROWS = 200_000


@dataclass
class ParsedFile:
    comments: list[RemoteComment] = field(default_factory=list)
    errors: list[dict[str, Any]] = field(default_factory=list)
    rows: int = 0


def _rows(content: bytes, filename: str) -> list[list[Any]]:
    if filename.lower().endswith(".xlsx"):
        from openpyxl import load_workbook

        try:
            book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many kinds on a damaged file
            raise ValidationError(_("Berkas XLSX tidak dapat dibaca.")) from exc
        try:
            return [list(r) for r in book.worksheets[0].iter_rows(values_only=True)]
        except Exception as exc:  # a truncated or malformed sheet: broken XML inside the zip
            raise ValidationError(_("Berkas XLSX tidak dapat dibaca.")) from exc
        finally:
            book.close()
    if filename.lower().endswith(".csv"):
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ValidationError(_("Berkas CSV harus berkodekan UTF-8.")) from None
        dialect: type[csv.Dialect] | csv.Dialect = csv.excel
        with contextlib.suppress(csv.Error):
            dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
        try:
            return [list(r) for r in csv.reader(io.StringIO(text), dialect)]
        except csv.Error as exc:  # e.g. one field longer than csv's limit (128 kB)
            raise ValidationError(
                _("CSV rusak atau berisi kolom yang terlalu panjang: %(error)s") % {"error": exc}
            ) from exc
    raise ValidationError(_("Jenis berkas tidak didukung: unggah CSV atau XLSX."))


def _parse_time(value: Any, tz_name: str) -> datetime:
    if isinstance(value, datetime):
        moment = value
    else:
        text = str(value or "").strip()
        if not text:
            raise ValueError(_("waktu kosong"))
        if text.isdigit():
            return datetime.fromtimestamp(int(text), tz=ZoneInfo("UTC"))
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if moment.tzinfo is None:  # the export's local time, in the region's zone
        moment = moment.replace(tzinfo=ZoneInfo(tz_name))
    return moment


def parse_export(content: bytes, filename: str, *, tz_name: str) -> ParsedFile:
    rows = _rows(content, filename)
    if not rows:
        raise ValidationError(_("Berkas kosong."))
    header = [str(h or "").strip().lower() for h in rows[0]]
    columns: dict[str, int] = {}
    for name, aliases in ALIASES.items():
        for index, h in enumerate(header):
            if h in aliases:
                columns[name] = index
                break
    missing = [c for c in REQUIRED if c not in columns]
    if missing:
        raise ValidationError(_("Kolom wajib tidak ada: %(c)s.") % {"c": ", ".join(missing)})
    if len(rows) - 1 > MAX_ROWS:
        raise ValidationError(
            _("Berkas terlalu besar: paling banyak %(n)d baris.") % {"n": MAX_ROWS}
        )
    parsed = ParsedFile()

    def cell(row: list[Any], name: str) -> str:
        index = columns.get(name)
        if index is None or index >= len(row) or row[index] is None:
            return ""
        return str(row[index])

    for number, row in enumerate(rows[1:], start=2):
        if not any(v not in (None, "") for v in row):
            continue
        parsed.rows += 1
        try:
            item_id = cell(row, "id").strip()
            if not item_id:
                raise ValueError(_("ID kosong"))
            if len(item_id) > 200:
                raise ValueError(_("ID terlalu panjang"))
            text = cell(row, "text")
            if not text.strip():
                raise ValueError(_("isi kosong"))
            created = _parse_time(
                row[columns["created_at"]] if columns["created_at"] < len(row) else "", tz_name
            )
            kind = cell(row, "kind").strip().lower() or "comment"
            if kind not in InboxItem.Kind.values:
                raise ValueError(_("jenis tidak dikenal: %(k)s") % {"k": kind[:30]})
        except ValueError as exc:
            parsed.errors.append({"row": number, "message": str(exc)})
            continue
        parsed.comments.append(
            RemoteComment(
                platform_item_id=item_id,
                text=text,
                author_name=cell(row, "author_name"),
                author_handle=cell(row, "author_handle"),
                created_at=created,
                platform_post_id=cell(row, "post_id").strip(),
                parent_id=cell(row, "parent_id").strip(),
                kind=kind,
            )
        )
    return parsed


def inbox_import_file(
    *,
    channel: Channel,
    content: bytes,
    filename: str,
    actor: AbstractBaseUser | AnonymousUser | None,
) -> ImportRun:
    if actor is None or not editable_agencies(actor).filter(pk=channel.agency_id).exists():
        raise ValidationError(_("Anda tidak berwenang mengimpor ke kanal ini."))
    if len(content) > settings.WARTA_MAX_IMPORT_BYTES:
        raise ValidationError(_("Berkas terlalu besar."))
    parsed = parse_export(content, filename, tz_name=channel.agency.region.timezone)
    created = 0
    for start in range(0, len(parsed.comments), 2000):
        created += inbox_ingest(
            channel=channel, comments=parsed.comments[start : start + 2000]
        ).created
    run = ImportRun.objects.create(
        channel=channel,
        filename=filename[:255],
        created_by=actor if actor.is_authenticated else None,  # type: ignore[misc]
        rows_total=parsed.rows,
        rows_created=created,
        rows_skipped=parsed.rows - created - len(parsed.errors),
        errors=parsed.errors[:1000],
    )
    audit_record(
        actor=actor,
        action="inbox.import",
        obj=run,
        agency_id=channel.agency_id,
        note=f"{created} baru, {len(parsed.errors)} galat",
    )
    return run
