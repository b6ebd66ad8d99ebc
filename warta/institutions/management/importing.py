"""The shared body of `import_agencies`, `import_officers` and `import_channels`."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from warta.institutions.imports import import_file
from warta.institutions.models import Region

COLUMNS = {
    "agencies": "short_name, name, kind (dinas/badan/kecamatan/...)",
    "officers": "username, role (coordinator/officer/head/viewer), agencies (short names, "
    "separated by ;), first_name, last_name, email, phone",
    "channels": "agencies (one short name), platform, handle, url, mode (api/export/manual)",
}


class ImportCommand(BaseCommand):
    kind = ""

    @property
    def help(self) -> str:  # type: ignore[override]
        return (
            f"Import {self.kind} from a CSV or XLSX file. Without --commit, only shows what "
            f"would happen, with every row's errors by line number. With --commit, imports "
            f"the whole file in one transaction, and only if no row has an error. Rows are "
            f"matched on their natural key, so re-importing changes nothing twice. "
            f"Columns: {COLUMNS[self.kind]}. Samples: docs/samples/."
        )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--commit", action="store_true", help="really import")
        parser.add_argument("--region", help="region slug (needed when there are several)")

    def handle(self, *args: Any, file: Path, commit: bool, region: str | None, **o: Any) -> None:
        regions = Region.objects.all()
        if region:
            regions = regions.filter(slug=region)
        if regions.count() != 1:
            raise CommandError("name the region with --region SLUG (or run setup_region first)")
        try:
            content = file.read_bytes()
        except OSError as exc:
            raise CommandError(f"cannot read {file}: {exc}") from exc
        result = import_file(
            kind=self.kind,
            region=regions.get(),
            actor=None,
            content=content,
            filename=file.name,
            commit=commit,
        )
        for message in result.file_errors:
            self.stderr.write(f"{file.name}: {message}")
        for row in result.rows:
            if row.errors:
                for message in row.errors:
                    self.stderr.write(f"{file.name}:{row.line}: {message}")
            elif o["verbosity"] > 1:
                self.stdout.write(f"{file.name}:{row.line}: {row.action}")
        summary = (
            f"{len(result.rows)} rows: {result.count('create')} new, "
            f"{result.count('update')} updated, {result.count('unchanged')} unchanged, "
            f"{len(result.error_rows)} with errors"
        )
        if not result.ok:
            raise CommandError(f"{summary}; nothing imported")
        if result.committed:
            self.stdout.write(self.style.SUCCESS(f"{summary}; imported"))
        else:
            self.stdout.write(f"{summary}; dry run, nothing imported (add --commit)")
