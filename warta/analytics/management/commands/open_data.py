import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from warta.analytics import opendata
from warta.institutions.models import Region


class Command(BaseCommand):
    help = (
        "Write a region's open data for one month (CSV files and a CKAN package.json) "
        "into a folder, for upload to a Satu Data portal."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--month", required=True, help="YYYY-MM (a month that is over)")
        parser.add_argument("--region", help="region slug (default: the only/first region)")
        parser.add_argument("--out", type=Path, required=True, help="folder to write into")
        parser.add_argument(
            "--base-url",
            default="",
            help="where the files will be served, e.g. https://data.bontangkota.go.id/warta/; "
            "resource URLs in package.json are built from it (default: the file names)",
        )

    def handle(
        self, *args: Any, month: str, region: str | None, out: Path, base_url: str, **o: Any
    ) -> None:
        start = opendata.parse_month(month)
        if start is None:
            raise CommandError("--month must look like 2026-11")
        qs = Region.objects.filter(slug=region) if region else Region.objects.order_by("id")
        found = qs.first()
        if found is None:
            raise CommandError("no such region")
        if not found.kemendagri_code:
            self.stderr.write(
                "warning: the region has no Kemendagri code; portals join data by it "
                "(set it with the admin or setup-region --kemendagri-code)"
            )
        files = opendata.build(found, start)
        name = opendata.package_name(found, start)
        out.mkdir(parents=True, exist_ok=True)
        for slug, body in files.items():
            (out / f"{name}-{slug}.csv").write_bytes(body)
        package = opendata.package(
            found, start, files=files, url_for=lambda slug: f"{base_url}{name}-{slug}.csv"
        )
        (out / f"{name}.json").write_text(
            json.dumps(package, ensure_ascii=False, indent=2), encoding="utf-8"
        )
        self.stdout.write(str(out / f"{name}.json"))
