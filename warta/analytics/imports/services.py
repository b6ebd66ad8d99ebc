"""Importing a platform's export file into metric snapshots.

File-level problems (wrong type, unreadable, missing required columns, another
platform's export, too big) refuse the whole file before anything is written. Row
problems (a negative count, a date in the future, an unreadable value, a duplicate
row) are reported with the file's line number and the rest is imported. Re-importing
the same file, or a file whose figures did not change, creates nothing new.
"""

import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from warta.analytics.imports import formats, parsing
from warta.analytics.models import MetricImport, MetricSnapshot, MetricSource
from warta.channels.models import Channel
from warta.content.models import Post, PostVariant
from warta.core.reconnect import connection_lost
from warta.core.services import audit_record
from warta.lib import clock
from warta.lib.platforms import Platform
from warta.lib.tabular import Table, TableError, cell_text, normalize_header, read_table

logger = logging.getLogger(__name__)

CHUNK = 500
# Far above any channel's export (a year of daily posts is a few hundred rows); it bounds
# what a small, highly compressed XLSX can make the worker hold and walk.
MAX_ROWS = 100_000
# Runs of one import's task (each after its worker died mid-import) before giving up.
MAX_ATTEMPTS = 3
MAX_REPORTED_ERRORS = 200
FUTURE_TOLERANCE = timedelta(hours=1)

Progress = Callable[[int, int], None]


class FileRefused(Exception):
    """The whole file is refused (too big, another platform's, columns missing)."""


@dataclass
class ParsedRow:
    line: int
    post_id: str
    permalink: str
    published_at: datetime
    caption: str
    counters: dict[str, int | None]


def metric_import_create(
    *,
    channel: Channel,
    data: bytes,
    filename: str,
    actor: AbstractBaseUser | AnonymousUser | None,
    source_timezone: str = "",
) -> MetricImport:
    """Store an uploaded export as a queued import job (the caller enqueues the task)."""
    limit = settings.WARTA_MAX_IMPORT_BYTES
    if len(data) > limit:
        raise ValidationError(
            _("Berkas terlalu besar (%(size)s MB); batasnya %(limit)s MB.")
            % {"size": round(len(data) / 1e6, 1), "limit": round(limit / 1e6, 1)}
        )
    if not data:
        raise ValidationError(_("Berkas kosong."))
    zone_name = source_timezone or channel.agency.region.timezone
    try:
        ZoneInfo(zone_name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValidationError(_("Zona waktu “%(z)s” tidak dikenal.") % {"z": zone_name}) from None
    job = MetricImport(
        channel=channel,
        original_name=filename[:255],
        sha256=hashlib.sha256(data).hexdigest(),
        size_bytes=len(data),
        source_timezone=zone_name,
        created_by=actor if actor is not None and actor.is_authenticated else None,  # type: ignore[misc]
    )
    job.file.save(filename[-100:] or "export.csv", ContentFile(data), save=False)
    job.save()
    audit_record(
        actor=actor,
        action="analytics.import_uploaded",
        obj=job,
        agency_id=channel.agency_id,
        note=filename[:200],
    )
    return job


def metric_import_process(
    *, import_id: int, progress: Progress | None = None, attempt: int = 1
) -> MetricImport:
    """Run a queued import job; safe to run again after a run that was cut off.

    `attempt` counts the runs of the job's task: a worker killed mid-import (out of
    memory, a deploy, a crash) leaves it to the stale-task reaper, which runs it again
    and it resumes where it stopped. A file that kills its worker every time is given
    up after MAX_ATTEMPTS, and so is one that hits an unexpected error: the job says
    "failed" with a message for the person who uploaded it, never "running" for ever.
    """
    claimed = MetricImport.objects.filter(
        pk=import_id, status__in=[MetricImport.Status.QUEUED, MetricImport.Status.RUNNING]
    ).update(status=MetricImport.Status.RUNNING)
    job = MetricImport.objects.select_related("channel__agency__region").get(pk=import_id)
    if not claimed:
        return job
    if attempt > MAX_ATTEMPTS:
        _fail(
            job,
            _(
                "Impor dihentikan setelah %(n)s kali terputus di tengah jalan. %(done)s dari "
                "%(total)s baris sudah tersimpan; unggah ulang berkas yang sama untuk "
                "melanjutkan (baris yang sudah ada tidak digandakan), atau hubungi admin."
            )
            % {"n": MAX_ATTEMPTS, "done": job.rows_done, "total": job.rows_total},
        )
        return job
    try:
        with job.file.open("rb") as fh:
            data = fh.read()
        _import(job, data, progress)
    except (FileRefused, TableError) as exc:
        _fail(job, str(exc))
    except Exception as exc:
        if connection_lost(exc):
            raise  # the database went away: the worker queues the task again
        logger.exception("metric import %s failed", job.pk)
        job.refresh_from_db()
        _fail(
            job,
            _(
                "Impor gagal karena kesalahan tak terduga di server (impor #%(id)s). %(done)s "
                "dari %(total)s baris sudah tersimpan; admin dapat melihat rinciannya di log."
            )
            % {"id": job.pk, "done": job.rows_done, "total": job.rows_total},
        )
    job.refresh_from_db()
    return job


def _fail(job: MetricImport, message: str) -> None:
    MetricImport.objects.filter(pk=job.pk).update(
        status=MetricImport.Status.FAILED, error=message, finished_at=clock.now()
    )
    job.refresh_from_db()


def _import(job: MetricImport, data: bytes, progress: Progress | None) -> None:
    channel = job.channel
    if len(data) > settings.WARTA_MAX_IMPORT_BYTES:
        raise FileRefused(_("Berkas melebihi batas ukuran impor."))
    table = read_table(data, job.original_name, max_rows=MAX_ROWS)
    guessed = formats.guess_platform(table.headers)
    if guessed and guessed != channel.platform:
        raise FileRefused(
            _("Berkas ini tampaknya ekspor %(file)s, sedangkan kanal ini %(channel)s.")
            % {"file": Platform(guessed).label, "channel": channel.get_platform_display()}
        )
    fmt, columns = formats.detect_format(table.headers, channel.platform)
    missing = fmt.missing_required(columns)
    if missing:
        raise FileRefused(
            _("Kolom wajib tidak ditemukan: %(cols)s. Kolom di berkas: %(found)s.")
            % {"cols": ", ".join(missing), "found": ", ".join(h for h in table.headers if h)[:300]}
        )
    MetricImport.objects.filter(pk=job.pk).update(
        detected_format=fmt.key, rows_total=len(table.rows)
    )
    already = (
        MetricImport.objects.filter(
            channel=channel, sha256=job.sha256, status=MetricImport.Status.DONE
        )
        .exclude(pk=job.pk)
        .first()
    )
    zone = ZoneInfo(job.source_timezone or channel.agency.region.timezone)
    dates = [parsing.cell(c, columns.get("published_at")) for _, c in table.rows[:500]]
    hint = parsing.day_first_hint(dates)
    day_first = hint if hint is not None else fmt.date_order == "dmy" or _indonesian(table)
    # Every snapshot of this job carries the same capture time, so a re-run of the job
    # hits the unique constraint instead of adding rows.
    captured_at = job.created_at.replace(microsecond=0)
    now = clock.now()
    errors: list[dict[str, object]] = []
    error_count = 0
    seen: dict[str, int] = {}
    # A run that a dead worker cut off resumes after its last committed chunk: each
    # chunk's rows and the job's counters are committed together, so rows_done and the
    # counts always describe exactly what is in the database. Earlier chunks are parsed
    # again (for duplicate rows and the error list) but not written.
    resume_at = job.rows_done
    if resume_at:
        created, unchanged, posts_created = (
            job.created_count,
            job.unchanged_count,
            job.posts_created,
        )
    else:
        created = unchanged = posts_created = 0
    done = 0
    for chunk in parsing.iter_chunks(table.rows, CHUNK):
        parsed: list[ParsedRow] = []
        for line, cells in chunk:
            first = str(cells[0] if cells else "").strip().lower()
            if first in fmt.skip_first_cells:
                continue
            try:
                row = _parse_row(line, cells, columns, zone, day_first)
                if row.published_at > now + FUTURE_TOLERANCE:
                    raise ValueError(
                        _("tanggal terbit %(d)s di masa depan")
                        % {
                            "d": timezone.localtime(row.published_at, zone).strftime(
                                "%Y-%m-%d %H:%M"
                            )
                        }
                    )
                key = row.post_id or row.permalink
                if key in seen:
                    raise ValueError(
                        _("baris ganda (sama dengan baris %(n)s), dilewati") % {"n": seen[key]}
                    )
                seen[key] = line
                parsed.append(row)
            except ValueError as exc:
                error_count += 1
                if len(errors) < MAX_REPORTED_ERRORS:
                    errors.append({"line": line, "message": str(exc)})
        done += len(chunk)
        if done <= resume_at:
            continue
        with transaction.atomic():
            if not already:
                c, u, p = _write(channel, parsed, captured_at)
                created, unchanged, posts_created = created + c, unchanged + u, posts_created + p
            else:
                unchanged += len(parsed)
            MetricImport.objects.filter(pk=job.pk).update(
                rows_done=done,
                created_count=created,
                unchanged_count=unchanged,
                posts_created=posts_created,
                row_errors=errors,
                row_error_count=error_count,
            )
        if progress:
            progress(done, len(table.rows))
    notes = list(table.notes)
    if already:
        notes.insert(
            0,
            _("Berkas yang sama sudah diimpor pada %(at)s; tidak ada data baru.")
            % {"at": timezone.localtime(already.created_at, zone).strftime("%Y-%m-%d %H:%M")},
        )
    note = " ".join(notes)
    # Counts and errors again: a resumed run may have had no chunk left to write.
    MetricImport.objects.filter(pk=job.pk).update(
        status=MetricImport.Status.DONE,
        finished_at=clock.now(),
        error=note,
        rows_done=len(table.rows),
        row_errors=errors,
        row_error_count=error_count,
    )


def _indonesian(table: Table) -> bool:
    words = {"waktu", "jangkauan", "tayangan", "suka", "komentar", "tanggal", "judul", "konten"}
    return any(w in normalize_header(h) for h in table.headers for w in words)


def _parse_row(
    line: int, cells: list[object], columns: dict[str, int], zone: ZoneInfo, day_first: bool
) -> ParsedRow:
    problems = []
    counters: dict[str, int | None] = {}
    for name in formats.METRIC_FIELDS:
        if name not in columns:
            continue
        try:
            counters[name] = parsing.parse_count(parsing.cell(cells, columns[name]))
        except ValueError as exc:
            problems.append(f"{name}: {exc}")
    published_at = None
    try:
        published_at = parsing.parse_datetime(
            parsing.cell(cells, columns.get("published_at")), zone=zone, day_first=day_first
        )
    except ValueError as exc:
        problems.append(str(exc))
    post_id = cell_text(parsing.cell(cells, columns.get("post_id")))
    permalink = cell_text(parsing.cell(cells, columns.get("permalink")))
    if post_id.endswith(".0") and post_id[:-2].isdigit():
        post_id = post_id[:-2]  # a numeric id that a spreadsheet turned into a float
    if not post_id and not permalink:
        problems.append(_("ID unggahan kosong"))
    if problems or published_at is None:
        raise ValueError("; ".join(problems))
    return ParsedRow(
        line,
        post_id,
        permalink[:500],
        published_at,
        cell_text(parsing.cell(cells, columns.get("caption"))),
        counters,
    )


def _write(channel: Channel, rows: list[ParsedRow], captured_at: datetime) -> tuple[int, int, int]:
    """Snapshots for the rows whose figures changed; posts for rows warta has not seen."""
    if not rows:
        return 0, 0, 0
    created = unchanged = posts_created = 0
    with transaction.atomic():
        by_id = {
            v.platform_post_id: v
            for v in PostVariant.objects.filter(
                channel=channel, platform_post_id__in=[r.post_id for r in rows if r.post_id]
            )
        }
        by_url = {
            v.platform_url: v
            for v in PostVariant.objects.filter(
                channel=channel, platform_url__in=[r.permalink for r in rows if r.permalink]
            )
        }
        found: list[tuple[ParsedRow, PostVariant | None]] = [
            (row, by_id.get(row.post_id) or by_url.get(row.permalink)) for row in rows
        ]
        unknown = [row for row, variant in found if variant is None]
        made = iter(_record_external_posts(channel, unknown))
        posts_created = len(unknown)
        variants = [(row, variant or next(made)) for row, variant in found]
        latest = _latest_import_values([v.id for _, v in variants])
        snapshots = []
        for row, variant in variants:
            values = {k: row.counters.get(k) for k in formats.METRIC_FIELDS}
            if latest.get(variant.id) == _key(values):
                unchanged += 1
                continue
            snapshots.append(
                MetricSnapshot(
                    variant=variant,
                    captured_at=captured_at,
                    source=MetricSource.IMPORT,
                    impressions=values["impressions"],
                    reach=values["reach"],
                    views=values["views"],
                    likes=values["likes"] or 0,
                    comments=values["comments"] or 0,
                    shares=values["shares"] or 0,
                    saves=values["saves"] or 0,
                )
            )
        MetricSnapshot.objects.bulk_create(snapshots, ignore_conflicts=True)
        created = len(snapshots)
    return created, unchanged, posts_created


def _key(values: dict[str, int | None]) -> tuple[int, ...]:
    # A stored 0 and an absent column read alike (likes default to 0 in the model).
    return tuple(values.get(k) or 0 for k in formats.METRIC_FIELDS)


def _latest_import_values(variant_ids: list[int]) -> dict[int, tuple[int, ...]]:
    """Each variant's figures as the last import saw them (ordered: the last one wins)."""
    out: dict[int, tuple[int, ...]] = {}
    rows = (
        MetricSnapshot.objects.filter(variant_id__in=variant_ids, source=MetricSource.IMPORT)
        .order_by("variant_id", "captured_at")
        .values("variant_id", *formats.METRIC_FIELDS)
    )
    for r in rows:
        out[r["variant_id"]] = _key(r)
    return out


def _record_external_posts(channel: Channel, rows: list[ParsedRow]) -> list[PostVariant]:
    """Posts published on the platform outside warta, known only from the export.

    content.services offers no service for this yet; the rows are created as already
    published so that cadence and engagement count them. One post per row, in order.
    """
    if not rows:
        return []
    posts = Post.objects.bulk_create(
        [
            Post(
                agency_id=channel.agency_id,
                message=row.caption or "",
                title=(row.caption or row.post_id)[:200],
            )
            for row in rows
        ]
    )
    return PostVariant.objects.bulk_create(
        [
            PostVariant(
                post=post,
                channel=channel,
                caption=row.caption or "",
                status=PostVariant.Status.PUBLISHED,
                published_at=row.published_at,
                platform_post_id=row.post_id[:200],
                platform_url=row.permalink[:500],
            )
            for post, row in zip(posts, rows, strict=True)
        ]
    )
