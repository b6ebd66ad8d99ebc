"""The monthly report, city-wide and per agency: its figures, web page, PDF and sending."""

import logging
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from warta.analytics import alerts, charts, selectors
from warta.analytics.briefing import Briefing, asked_most, month_briefing
from warta.analytics.models import MonthlyReport, PeriodKind, Rollup, RollupLevel
from warta.analytics.programmes import ProgrammeShare, programme_shares
from warta.institutions.models import Agency, Officer, Region
from warta.institutions.selectors import logo_data_uri
from warta.lib import clock
from warta.lib.filenames import file_part

logger = logging.getLogger(__name__)


def month_bounds(month: date) -> tuple[date, date]:
    start = month.replace(day=1)
    nxt = (start.replace(day=28) + timedelta(days=4)).replace(day=1)
    return start, nxt - timedelta(days=1)


def parse_month(text: str) -> date:
    """'2026-10' -> 2026-10-01; ValueError on anything else."""
    year, month = text.split("-")
    return date(int(year), int(month), 1)


@dataclass
class ReportData:
    region: Region
    agency: Agency | None
    month: date
    title: str
    figures: list[selectors.AgencyFigures]
    posts: int
    engagement: int
    daily_labels: list[str]
    daily_posts: list[int]
    warnings: list[alerts.AgencyAlerts]  # grouped per agency, most severe first
    # Renstra programmes the posts served (pillars' programme codes), most first.
    programmes: list[ProgrammeShare] = field(default_factory=list)
    briefing: Briefing | None = None


def report_agencies(region: Region, agency: Agency | None) -> list[Agency]:
    """The agencies a report covers: the region's active ones, or the one asked for."""
    agencies = Agency.objects.filter(region=region, is_active=True)
    if agency:
        agencies = agencies.filter(pk=agency.pk)
    return list(agencies)


def report_title(region: Region, agency: Agency | None, month: date) -> str:
    month_label = date_format(month.replace(day=1), "F Y")
    who = agency.name if agency else region.name
    return _("Laporan bulanan %(who)s — %(month)s") % {"who": who, "month": month_label}


def report_cache_key(region: Region, agency: Agency | None, month: date) -> str:
    """The report page's fragment: its month, scope and the version of every input.

    The figures' data version (rollups, strategies, channels, agencies), and the newest
    change to a consultation of the region since the month began (themes, answers and
    follow-up, which the summary quotes).
    """
    from warta.core.models import AuditEvent

    start = month.replace(day=1)
    consulted = (
        AuditEvent.objects.filter(
            region=region,
            at__gte=datetime.combine(start, time.min, ZoneInfo(region.timezone)),
            action__startswith="consultation.",
        )
        .order_by("-at", "-id")
        .values_list("id", flat=True)
        .first()
    )
    version = selectors.data_version(report_agencies(region, agency))
    scope = agency.pk if agency else 0
    return f"{version}:{consulted or 0}:{region.pk}:{scope}:{start}:{region.timezone}"


def report_data(*, region: Region, agency: Agency | None, month: date) -> ReportData:
    start, end = month_bounds(month)
    tz = ZoneInfo(region.timezone)
    filters = selectors.Filters(start=start, end=end)
    agencies = report_agencies(region, agency)
    figures = selectors.agencies_figures(agencies, filters, tz)
    prev_start, prev_end = month_bounds(start - timedelta(days=1))
    previous = selectors.agencies_figures(
        agencies, selectors.Filters(start=prev_start, end=prev_end), tz
    )
    scope = (
        {"level": RollupLevel.AGENCY, "agency": agency}
        if agency
        else {"level": RollupLevel.REGION, "region": region}
    )
    days = dict(
        Rollup.objects.filter(
            period=PeriodKind.DAY, start__gte=start, start__lte=end, **scope
        ).values_list("start", "posts")
    )
    labels, posts = [], []
    d = start
    while d <= end:
        labels.append(str(d.day))
        posts.append(days.get(d, 0))
        d += timedelta(days=1)
    title = report_title(region, agency, start)
    return ReportData(
        region=region,
        agency=agency,
        month=start,
        title=title,
        figures=figures,
        posts=sum(f.posts for f in figures),
        engagement=sum(f.engagement for f in figures),
        daily_labels=labels,
        daily_posts=posts,
        warnings=alerts.grouped(figures),
        programmes=programme_shares(agencies, start, end),
        briefing=month_briefing(
            figures=figures,
            previous=previous,
            month=start,
            themes=asked_most(agencies, start, end, tz),
            single_agency=agency is not None,
        ),
    )


def report_context(data: ReportData) -> dict[str, Any]:
    return {
        "report": data,
        "logo": logo_data_uri(data.region),
        "issued": clock.localdate(ZoneInfo(data.region.timezone)),
        "daily_chart": charts.bar_chart(
            data.daily_labels, data.daily_posts, title=_("Unggahan per hari")
        ),
        "score_chart": charts.hbar_chart(
            [f.agency.short_name for f in data.figures],
            [f.score or 0 for f in data.figures],
            title=_("Skor per perangkat daerah (0–100)"),  # noqa: RUF001  (typographic dash on purpose)
            top=100,
        ),
    }


def report_pdf(data: ReportData) -> bytes:
    from weasyprint import HTML

    html = render_to_string("analytics/report_pdf.html", report_context(data))
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


def report_file_name(region: Region, agency: Agency | None, month: date) -> str:
    """The report's file name without extension; the short name is typed text, made safe."""
    scope = file_part(agency.short_name, fallback=f"opd-{agency.pk}") if agency else region.slug
    return f"laporan-{month:%Y-%m}-{scope}"


def monthly_report_generate(
    *, region: Region, agency: Agency | None, month: date, data: ReportData | None = None
) -> MonthlyReport:
    """Render the month's PDF and keep it (replacing an earlier rendering of the same month)."""
    data = data or report_data(region=region, agency=agency, month=month)
    pdf = report_pdf(data)
    scope = f"agency:{agency.pk}" if agency else f"region:{region.pk}"
    report, _created = MonthlyReport.objects.get_or_create(
        scope=scope, month=data.month, defaults={"region": region, "agency": agency}
    )
    report.pdf.save(
        f"{report_file_name(region, agency, data.month)}.pdf", ContentFile(pdf), save=True
    )
    return report


def report_recipients(region: Region, agency: Agency | None) -> list[str]:
    officers = Officer.objects.filter(region=region).select_related("user")
    if agency:
        officers = officers.filter(
            agencies=agency, role__in=[Officer.Role.HEAD, Officer.Role.OFFICER]
        )
        extra: list[str] = []
    else:
        officers = officers.filter(role=Officer.Role.COORDINATOR)
        extra = list(getattr(settings, "WARTA_MONTHLY_REPORT_RECIPIENTS", []))
    emails = [o.user.email for o in officers if o.user.email and o.user.is_active]
    return sorted(set(emails + extra))


def monthly_reports_send_due(*, today: date | None = None) -> int:
    """Generate and send last month's reports that have not been sent; returns how many."""
    sent = 0
    for region in Region.objects.all():
        local_today = today or timezone.localdate(timezone=ZoneInfo(region.timezone))
        month = (local_today.replace(day=1) - timedelta(days=1)).replace(day=1)
        scopes: list[Agency | None] = [None, *Agency.objects.filter(region=region, is_active=True)]
        for agency in scopes:
            scope = f"agency:{agency.pk}" if agency else f"region:{region.pk}"
            if MonthlyReport.objects.filter(
                scope=scope, month=month, sent_at__isnull=False
            ).exists():
                continue
            recipients = report_recipients(region, agency)
            with translation.override(settings.LANGUAGE_CODE):
                data = report_data(region=region, agency=agency, month=month)
                report = monthly_report_generate(
                    region=region, agency=agency, month=month, data=data
                )
                subject = _("Laporan bulanan warta %(month)s — %(who)s") % {
                    "month": date_format(month, "F Y"),
                    "who": agency.name if agency else region.name,
                }
            if recipients:
                with translation.override(settings.LANGUAGE_CODE):
                    context = report_context(data) | {"subject": subject}
                    # The same content as the PDF, in the mail itself: the text part for
                    # any client, the HTML part without images (mail clients block them).
                    text = render_to_string("analytics/report_email.txt", context)
                    html = render_to_string(
                        "analytics/report_email.html", context | {"email": True}
                    )
                message = EmailMultiAlternatives(subject=subject, body=text, to=recipients)
                message.attach_alternative(html, "text/html")
                with report.pdf.open("rb") as fh:
                    message.attach(
                        (report.pdf.name or "laporan.pdf").rsplit("/", 1)[-1],
                        fh.read(),
                        "application/pdf",
                    )
                message.send()
            MonthlyReport.objects.filter(pk=report.pk).update(sent_at=clock.now())
            sent += 1
    return sent
