"""Comments from a platform's export file (CSV or XLSX), for channels without API access.

Columns are matched by name (Indonesian or English, case-insensitive); a row that cannot
be read is reported with its number and reason and the good rows are still imported. A
file that cannot be read as a whole (an import bomb, too many rows, too slow to read,
columns missing) is refused before anything is written.

The web request only stores the file (inbox_import_create); a worker reads it
(inbox_import_process, the task engagement.tasks.process_inbox_import) and the page polls
its progress. inbox_import_file does both at once, for the command line and tests.
"""

import logging
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _

from warta.channels.models import Channel
from warta.connectors.base import RemoteComment
from warta.core.reconnect import connection_lost
from warta.core.services import audit_record
from warta.engagement.ingest import inbox_ingest
from warta.engagement.models import ImportRun, InboxItem
from warta.institutions.access import editable_agencies
from warta.lib import clock
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
logger = logging.getLogger(__name__)

MAX_ROWS = 200_000
CHUNK = 2000
MAX_ATTEMPTS = 3
MAX_REPORTED_ERRORS = 1000


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


def inbox_import_create(
    *,
    channel: Channel,
    content: bytes,
    filename: str,
    actor: AbstractBaseUser | AnonymousUser | None,
) -> ImportRun:
    """Store an uploaded export as a queued run (the caller enqueues the task)."""
    if actor is None or not editable_agencies(actor).filter(pk=channel.agency_id).exists():
        raise ValidationError(_("Anda tidak berwenang mengimpor ke kanal ini."))
    limit = settings.WARTA_MAX_IMPORT_BYTES
    if len(content) > limit:
        raise ValidationError(
            _("Berkas terlalu besar (%(size)s MB); batasnya %(limit)s MB.")
            % {"size": round(len(content) / 1e6, 1), "limit": round(limit / 1e6, 1)}
        )
    if not content.strip():
        raise ValidationError(_("Berkas kosong."))
    run = ImportRun(
        channel=channel,
        filename=filename.replace("\x00", "\ufffd")[:255],
        created_by=actor if actor.is_authenticated else None,  # type: ignore[misc]
    )
    run.file.save(filename[-100:] or "ekspor.csv", ContentFile(content), save=False)
    run.save()
    return run


def inbox_import_process(*, run_id: int, attempt: int = 1) -> ImportRun:
    """Read a queued run's file and import its comments; safe to run again.

    A run cut off by a dead worker is queued again by the stale-task reaper: comments
    already stored are recognised by their id and not stored twice. A file that kills
    its worker every time (past the worker's memory bound) is given up after
    MAX_ATTEMPTS runs of the task.
    """
    claimed = ImportRun.objects.filter(
        pk=run_id, status__in=[ImportRun.Status.QUEUED, ImportRun.Status.RUNNING]
    ).update(status=ImportRun.Status.RUNNING)
    run = ImportRun.objects.select_related("channel__agency__region", "created_by").get(pk=run_id)
    if not claimed:
        return run
    if attempt > MAX_ATTEMPTS:
        _finish(
            run,
            status=ImportRun.Status.FAILED,
            error=_(
                "Impor dihentikan setelah %(n)s kali terputus di tengah jalan; bagi berkas "
                "menjadi beberapa bagian lalu unggah lagi (komentar yang sudah tersimpan "
                "tidak digandakan)."
            )
            % {"n": MAX_ATTEMPTS},
        )
        return run
    channel = run.channel
    try:
        with run.file.open("rb") as fh:
            content = fh.read()
        parsed = parse_export(content, run.filename, tz_name=channel.agency.region.timezone)
    except ValidationError as exc:
        _finish(run, status=ImportRun.Status.FAILED, error=" ".join(exc.messages))
        return run
    try:
        return _ingest(run, parsed)
    except Exception as exc:
        if connection_lost(exc):
            raise  # the database went away: the worker queues the task again
        logger.exception("inbox import %s failed", run.pk)
        _finish(
            run,
            status=ImportRun.Status.FAILED,
            error=_(
                "Impor gagal karena kesalahan tak terduga di server (impor #%(id)s); "
                "komentar yang sudah tersimpan tidak digandakan bila berkas diunggah ulang."
            )
            % {"id": run.pk},
        )
        return run


def _ingest(run: ImportRun, parsed: ParsedFile) -> ImportRun:
    channel = run.channel
    ImportRun.objects.filter(pk=run.pk).update(rows_total=parsed.rows)
    created = 0
    for start in range(0, len(parsed.comments), CHUNK):
        created += inbox_ingest(
            channel=channel, comments=parsed.comments[start : start + CHUNK]
        ).created
        ImportRun.objects.filter(pk=run.pk).update(
            rows_done=min(parsed.rows, start + CHUNK + len(parsed.errors))
        )
    _finish(
        run,
        status=ImportRun.Status.DONE,
        rows_done=parsed.rows,
        rows_created=created,
        rows_skipped=parsed.rows - created - len(parsed.errors),
        errors=parsed.errors[:MAX_REPORTED_ERRORS],
    )
    audit_record(
        actor=run.created_by,
        action="inbox.import",
        obj=run,
        agency_id=channel.agency_id,
        note=f"{created} baru, {len(parsed.errors)} galat",
    )
    return run


def _finish(run: ImportRun, **fields: Any) -> None:
    """End a run; its file goes: the comments are in the inbox now, or refused."""
    if "error" in fields:  # a message may quote the file, NUL and all (PostgreSQL refuses it)
        fields["error"] = str(fields["error"]).replace("\x00", "\ufffd")
    ImportRun.objects.filter(pk=run.pk).update(finished_at=clock.now(), **fields)
    if run.file.name:
        run.file.delete(save=False)
        ImportRun.objects.filter(pk=run.pk).update(file="")
    run.refresh_from_db()


def inbox_import_file(
    *,
    channel: Channel,
    content: bytes,
    filename: str,
    actor: AbstractBaseUser | AnonymousUser | None,
) -> ImportRun:
    """Store and import at once; ValidationError when the file is refused as a whole."""
    run = inbox_import_process(
        run_id=inbox_import_create(
            channel=channel, content=content, filename=filename, actor=actor
        ).pk
    )
    if run.status == ImportRun.Status.FAILED:
        raise ValidationError(run.error)
    return run
