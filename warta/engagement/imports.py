"""Comments from a platform's export file (CSV or XLSX), for channels without API access.

Columns are matched by name (Indonesian or English, case-insensitive); a row that cannot
be read is reported with its number and reason and the good rows are still imported.
"""

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
from warta.lib.tabular import TableError, cell_text, normalize_header, read_table

# Compared after warta.lib.tabular.normalize_header: "ID_Komentar" matches "id komentar".
ALIASES: dict[str, set[str]] = {
    "id": {"id", "comment_id", "id komentar"},
    "text": {"text", "message", "comment", "isi", "komentar", "pesan"},
    "created_at": {"created_at", "created", "timestamp", "date", "waktu", "tanggal"},
    "author_name": {"author_name", "name", "nama", "from"},
    "author_handle": {"author_handle", "username", "handle", "akun", "user"},
    "post_id": {"post_id", "media_id", "id unggahan"},
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


def _parse_time(value: Any, tz_name: str) -> datetime:
    if isinstance(value, datetime):
        moment = value
    else:
        text = str(value or "").strip()
        if not text:
            raise ValueError(_("waktu kosong"))
        if text.isdigit():
            try:
                return datetime.fromtimestamp(int(text), tz=ZoneInfo("UTC"))
            except (OverflowError, OSError):  # a timestamp beyond the year 9999
                raise ValueError(_("tanggal “%(v)s” tidak valid") % {"v": text[:40]}) from None
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if moment.tzinfo is None:  # the export's local time, in the region's zone
        moment = moment.replace(tzinfo=ZoneInfo(tz_name))
    return moment


def parse_export(content: bytes, filename: str, *, tz_name: str) -> ParsedFile:
    try:
        table = read_table(content, filename, max_rows=MAX_ROWS)
    except TableError as exc:
        raise ValidationError(str(exc)) from exc
    header = [normalize_header(h) for h in table.headers]
    columns: dict[str, int] = {}
    for name, aliases in ALIASES.items():
        names = {normalize_header(a) for a in aliases}
        for index, h in enumerate(header):
            if h in names:
                columns[name] = index
                break
    missing = [c for c in REQUIRED if c not in columns]
    if missing:
        raise ValidationError(_("Kolom wajib tidak ada: %(c)s.") % {"c": ", ".join(missing)})
    parsed = ParsedFile()

    def cell(row: list[object], name: str) -> str:
        index = columns.get(name)
        return cell_text(row[index]) if index is not None and index < len(row) else ""

    for number, row in table.rows:
        parsed.rows += 1
        try:
            item_id = cell(row, "id")
            if not item_id:
                raise ValueError(_("ID kosong"))
            if len(item_id) > 200:
                raise ValueError(_("ID terlalu panjang"))
            text = cell(row, "text")
            if not text:
                raise ValueError(_("isi kosong"))
            created = _parse_time(
                row[columns["created_at"]] if columns["created_at"] < len(row) else "", tz_name
            )
            kind = cell(row, "kind").lower() or "comment"
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
                platform_post_id=cell(row, "post_id"),
                parent_id=cell(row, "parent_id"),
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
