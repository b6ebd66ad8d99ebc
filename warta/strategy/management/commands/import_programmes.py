from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from warta.institutions.models import Agency
from warta.strategy.programmes import programmes_import


class Command(BaseCommand):
    help = (
        "Import an agency's Renstra programmes (code and name) from a SIPD export (CSV/XLSX). "
        "Without --commit, only checks the file."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--agency", required=True, help="agency short name, e.g. Dinkes")
        parser.add_argument("--region", help="region slug (default: the only/first region)")
        parser.add_argument("--commit", action="store_true", help="write the programmes")

    def handle(
        self, *args: Any, file: Path, agency: str, region: str | None, commit: bool, **o: Any
    ) -> None:
        agencies = Agency.objects.filter(short_name__iexact=agency)
        if region:
            agencies = agencies.filter(region__slug=region)
        found = agencies.order_by("region_id").first()
        if found is None:
            raise CommandError(f"no agency {agency!r}")
        try:
            data = file.read_bytes()
        except OSError as exc:
            raise CommandError(str(exc)) from exc
        try:
            result = programmes_import(
                agency=found, data=data, filename=file.name, actor=None, commit=commit
            )
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        for line, message in result.errors:
            self.stderr.write(f"  line {line}: {message}")
        if result.errors:
            raise CommandError(f"nothing imported: {len(result.errors)} rows need fixing")
        for code, name in result.rows:
            self.stdout.write(f"  {code}  {name}")
        if commit:
            self.stdout.write(f"{result.created} new, {result.updated} renamed")
        else:
            self.stdout.write(
                f"{len(result.rows)} programmes ({result.skipped} activity rows skipped); "
                "run again with --commit to import"
            )
