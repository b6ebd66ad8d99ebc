"""The information service report (Perki 1/2021, laporan layanan informasi publik), from the register.

Per agency and for the whole region, for one year of receipt: requests received, answered,
answered within the legal deadline, granted / partly / refused / not held, the exemption
reasons given for refusals, objections (and how they ended), and the average time to an
answer in working days. Nothing here names a requester: it is public.
"""

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, F, Q

from warta.engagement import screening
from warta.engagement.models import InformationRequest, Objection
from warta.institutions.models import Agency, Region
from warta.lib.workdays import local_date, workdays_between

S = InformationRequest.Status


@dataclass
class ServiceFigures:
    name: str
    received: int = 0
    answered: int = 0
    in_time: int = 0
    granted: int = 0
    partly: int = 0
    refused: int = 0
    not_held: int = 0
    open: int = 0
    objections: int = 0
    objections_upheld: int = 0
    average_workdays: float | None = None

    @property
    def in_time_share(self) -> float | None:
        return round(100 * self.in_time / self.answered, 1) if self.answered else None


@dataclass
class ServiceReport:
    region: Region
    year: int
    total: ServiceFigures
    agencies: list[ServiceFigures] = field(default_factory=list)
    refusal_reasons: list[tuple[str, int]] = field(default_factory=list)


def _figures(name: str, row: Mapping[str, Any]) -> ServiceFigures:
    return ServiceFigures(name=name, **{k: row.get(k) or 0 for k in _COUNTS})


_COUNTS = {
    "received": Count("id"),
    "answered": Count("id", filter=Q(responded_at__isnull=False)),
    "in_time": Count("id", filter=Q(responded_at__isnull=False, responded_at__lte=F("due_at"))),
    "granted": Count("id", filter=Q(status=S.GRANTED)),
    "partly": Count("id", filter=Q(status=S.PARTLY)),
    "refused": Count("id", filter=Q(status=S.REFUSED)),
    "not_held": Count("id", filter=Q(status=S.NOT_HELD)),
    "open": Count("id", filter=Q(status=S.IN_PROCESS)),
}


def service_report(*, region: Region, year: int) -> ServiceReport:
    requests = InformationRequest.objects.filter(agency__region=region, year=year)
    names = dict(Agency.objects.filter(region=region).values_list("pk", "name"))
    per_agency = {
        row["agency_id"]: row for row in requests.values("agency_id").annotate(**_COUNTS).order_by()
    }
    objections = Objection.objects.filter(request__in=requests)
    by_agency_objections = {
        row["request__agency_id"]: row
        for row in objections.values("request__agency_id")
        .annotate(n=Count("id"), upheld=Count("id", filter=Q(outcome=Objection.Outcome.UPHELD)))
        .order_by()
    }
    tz = region.timezone
    days: dict[int, list[int]] = {}
    for agency_id, received, responded in requests.filter(responded_at__isnull=False).values_list(
        "agency_id", "received_at", "responded_at"
    ):
        assert responded is not None  # filtered above
        days.setdefault(agency_id, []).append(
            workdays_between(local_date(received, tz), local_date(responded, tz))
        )
    agencies = []
    for agency_id, row in per_agency.items():
        figures = _figures(names.get(agency_id, "?"), row)
        obj: Mapping[str, Any] = by_agency_objections.get(agency_id, {})
        figures.objections = obj.get("n", 0)
        figures.objections_upheld = obj.get("upheld", 0)
        spent = days.get(agency_id, [])
        figures.average_workdays = round(sum(spent) / len(spent), 1) if spent else None
        agencies.append(figures)
    agencies.sort(key=lambda f: (-f.received, f.name))
    total = _figures(region.name, requests.aggregate(**_COUNTS))
    total.objections = sum(f.objections for f in agencies)
    total.objections_upheld = sum(f.objections_upheld for f in agencies)
    every = [d for spent in days.values() for d in spent]
    total.average_workdays = round(sum(every) / len(every), 1) if every else None
    reasons = Counter(
        _public_text(r.strip(), region)
        for r in requests.filter(status__in=[S.REFUSED, S.PARTLY]).values_list(
            "exemption_reason", flat=True
        )
        if r.strip()
    )
    return ServiceReport(
        region=region,
        year=year,
        total=total,
        agencies=agencies,
        refusal_reasons=reasons.most_common(10),
    )


def _public_text(text: str, region: Region) -> str:
    """An officer's free text on a public page: any personal data in it masked."""
    spans = screening.screen(
        text, region_id=region.pk, agency_id=0, language=False, official_contacts=[]
    )
    return screening.masked(text, spans)


def service_report_pdf(report: ServiceReport) -> bytes:
    from django.conf import settings
    from django.template.loader import render_to_string
    from weasyprint import HTML

    html = render_to_string("engagement/ppid_report_pdf.html", {"report": report})
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()  # type: ignore[no-any-return]
