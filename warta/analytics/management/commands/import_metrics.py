import sys
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from warta.analytics import rollups
from warta.analytics.imports.services import metric_import_create, metric_import_process
from warta.channels.models import Channel


class Command(BaseCommand):
    help = "Import a platform's export file (CSV/XLSX) into a channel's metrics."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--channel", type=int, required=True, help="channel id")
        parser.add_argument(
            "--timezone", default="", help="zone of the times in the file (default: the region's)"
        )
        parser.add_argument(
            "--no-rollup", action="store_true", help="do not refresh rollups afterwards"
        )

    def handle(
        self, *args: Any, file: Path, channel: int, timezone: str, no_rollup: bool, **options: Any
    ) -> None:
        ch = Channel.objects.select_related("agency__region").filter(pk=channel).first()
        if ch is None:
            raise CommandError(f"no channel with id {channel}")
        if not file.is_file():
            raise CommandError(f"{file}: no such file")
        if file.stat().st_size > settings.WARTA_MAX_IMPORT_BYTES:
            raise CommandError(
                f"{file}: larger than WARTA_MAX_IMPORT_BYTES "
                f"({settings.WARTA_MAX_IMPORT_BYTES} bytes)"
            )
        try:
            job = metric_import_create(
                channel=ch,
                data=file.read_bytes(),
                filename=file.name,
                actor=None,
                source_timezone=timezone,
            )
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        tty = sys.stdout.isatty()

        def progress(done: int, total: int) -> None:
            line = f"{done}/{total} baris ({round(100 * done / total) if total else 100}%)"
            if tty:
                self.stdout.write("\r" + line, ending="")
                self.stdout.flush()
            else:
                self.stdout.write(line)

        job = metric_import_process(import_id=job.pk, progress=progress)
        if tty:
            self.stdout.write("")
        if job.status == job.Status.FAILED:
            raise CommandError(job.error)
        for error in job.row_errors:
            self.stderr.write(f"baris {error['line']}: {error['message']}")
        if job.error:
            self.stdout.write(job.error)
        self.stdout.write(
            f"impor #{job.pk} ({job.detected_format}): {job.created_count} baru, "
            f"{job.unchanged_count} tanpa perubahan, {job.posts_created} unggahan baru, "
            f"{job.row_error_count} baris bermasalah"
        )
        if job.created_count and not no_rollup:
            stats = rollups.rollups_refresh_exclusive()
            if stats is None:
                self.stdout.write("rollup: sedang dijalankan proses lain; angka baru ikut di sana")
            else:
                self.stdout.write(f"rollup: {stats.buckets} bucket dalam {stats.seconds:.1f} s")
