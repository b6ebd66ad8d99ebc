from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from warta.analytics.reports import monthly_report_generate, parse_month
from warta.institutions.models import Agency, Region


class Command(BaseCommand):
    help = "Generate the monthly report (PDF) for any month, city-wide or for one agency."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--month", required=True, help="YYYY-MM")
        parser.add_argument("--agency", type=int, help="agency id (default: city-wide)")
        parser.add_argument("--region", help="region slug (default: the only/first region)")

    def handle(
        self, *args: Any, month: str, agency: int | None, region: str | None, **options: Any
    ) -> None:
        try:
            first = parse_month(month)
        except ValueError:
            raise CommandError("--month must look like 2026-10") from None
        agency_obj = None
        if agency:
            agency_obj = Agency.objects.select_related("region").filter(pk=agency).first()
            if agency_obj is None:
                raise CommandError(f"no agency with id {agency}")
            region_obj = agency_obj.region
        else:
            qs = Region.objects.filter(slug=region) if region else Region.objects.order_by("id")
            found = qs.first()
            if found is None:
                raise CommandError("no such region")
            region_obj = found
        report = monthly_report_generate(region=region_obj, agency=agency_obj, month=first)
        self.stdout.write(f"{report.pdf.path}")
