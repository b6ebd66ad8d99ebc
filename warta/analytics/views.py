import functools
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _

from warta.analytics import alerts, cadence, charts, opendata, reports, selectors, tables
from warta.analytics.export import Table, table_response
from warta.analytics.imports.services import metric_import_create
from warta.analytics.models import MetricImport
from warta.analytics.tasks import process_metric_import
from warta.channels.models import Channel
from warta.institutions.access import (
    editable_agencies,
    get_agency_for_user,
    is_coordinator,
    require_officer,
    visible_agencies,
)
from warta.institutions.models import Agency, Region
from warta.institutions.selectors import logo_data_uri
from warta.lib import clock
from warta.lib.ids import parse_id
from warta.lib.platforms import ConnectionMode, Platform

MAX_RANGE_DAYS = 366 * 2


def _region(request: HttpRequest) -> Region:
    return require_officer(request.user).region


def _filters(request: HttpRequest, tz: ZoneInfo) -> selectors.Filters:
    default = selectors.default_filters(tz)
    try:
        start = (
            date.fromisoformat(request.GET["start"]) if request.GET.get("start") else default.start
        )
        end = date.fromisoformat(request.GET["end"]) if request.GET.get("end") else default.end
    except ValueError:
        messages.warning(request, _("Tanggal tidak valid; menampilkan 12 minggu terakhir."))
        start, end = default.start, default.end
    if end < start or (end - start).days > MAX_RANGE_DAYS:
        messages.warning(request, _("Rentang tanggal tidak valid (paling lama dua tahun)."))
        start, end = default.start, default.end
    platform = request.GET.get("platform", "")
    if platform not in Platform.values:
        platform = ""
    return selectors.Filters(start=start, end=end, platform=platform)


def _export_or_none(request: HttpRequest, tabs: list[Table], prefix: str) -> HttpResponse | None:
    name, fmt = request.GET.get("export", ""), request.GET.get("format", "csv")
    if not name:
        return None
    response = table_response(tabs, name, fmt, f"{prefix}-{name}")
    if response is None:
        raise Http404
    return response


def _base_context(request: HttpRequest, filters: selectors.Filters) -> dict[str, object]:
    query = request.GET.copy()
    for key in ("export", "format"):
        query.pop(key, None)
    return {"filters": filters, "platforms": Platform.choices, "query": query.urlencode()}


def dashboard(request: HttpRequest) -> HttpResponse:
    """The coordinator's ranking; an officer or head sees their agency's page here.

    Rendered in place, not redirected: a redirect costs a phone on a slow network a round
    trip and the server a second request for the page officers open most.
    """
    officer = require_officer(request.user)
    if not officer.is_coordinator:
        first = visible_agencies(request.user).order_by("name").first()
        if first is None:
            return render(request, "analytics/no_agency.html")
        if request.GET.get("export"):  # the ranking's export is the coordinator's
            return redirect("analytics:agency", pk=first.pk)
        return agency(request, pk=first.pk)
    region = officer.region
    tz = ZoneInfo(region.timezone)
    filters = _filters(request, tz)
    agencies = list(visible_agencies(request.user).filter(is_active=True))
    if request.GET.get("export"):
        table = tables.ranking_table(selectors.agencies_figures(agencies, filters, tz))
        return _export_or_none(request, [table], "peringkat") or HttpResponse(status=404)

    def ranking() -> dict[str, object]:
        # Only evaluated when the cached page fragment is missing or stale.
        figures = selectors.agencies_figures(agencies, filters, tz)
        for f in figures:
            f.spark = charts.sparkline(  # type: ignore[attr-defined]
                f.per_post_series, label=_("Interaksi per unggahan per minggu")
            )
            f.spark_posts = charts.sparkline(f.posts_series, label=_("Unggahan per minggu"))  # type: ignore[attr-defined]
        return {
            "figures": figures,
            # The sum of the rows below: the same agencies, days and platform.
            "totals": {
                "posts": sum(f.posts for f in figures),
                "engagement": sum(f.engagement for f in figures),
            },
            "warning_count": sum(len(f.warnings) for f in figures),
            "alert_groups": alerts.grouped(figures),
        }

    context = _base_context(request, filters)
    context |= {
        "ranking": SimpleLazyObject(ranking),
        "fragment_key": selectors.figures_cache_key(agencies, filters, tz),
        "fragment_seconds": selectors.FIGURES_CACHE_SECONDS,
        "region": region,
        "last_month": (timezone.localdate(timezone=tz).replace(day=1) - timedelta(days=1)),
    }
    return render(request, "analytics/dashboard.html", context)


def _this_monday(tz: ZoneInfo) -> date:
    today = clock.localdate(tz)
    return today - timedelta(days=today.weekday())


def agency(request: HttpRequest, pk: int) -> HttpResponse:
    access = get_agency_for_user(request.user, pk)
    tz = ZoneInfo(access.agency.region.timezone)
    filters = _filters(request, tz)
    if request.GET.get("export"):
        s = _agency_sections(access.agency, filters, tz)
        return _export_or_none(request, s["tables"], access.agency.short_name) or HttpResponse(
            status=404
        )
    # Each section is computed on first use only: when the page fragment is cached for
    # this rollup generation, none of them is.
    sections = functools.cache(lambda: _agency_sections(access.agency, filters, tz))
    context = _base_context(request, filters) | {
        name: functools.partial(lambda n: sections()[n], name)
        for name in ("f", "top", "bottom", "median", "slots", "changes", "chart")
    }
    context |= {
        "fragment_key": selectors.figures_cache_key([access.agency], filters, tz),
        "fragment_seconds": selectors.FIGURES_CACHE_SECONDS,
        "agency": access.agency,
        "can_edit": access.can_edit,
        # Live, outside the cached fragment: what each channel still needs this week.
        "week_gaps": cadence.week_gaps([access.agency], week_start=_this_monday(tz), tz=tz).get(
            access.agency.pk, []
        ),
        "is_coordinator": is_coordinator(request.user),
        # An officer serving several agencies switches here; the coordinator has the ranking.
        "other_agencies": []
        if is_coordinator(request.user)
        else visible_agencies(request.user).exclude(pk=pk).order_by("name"),
        "last_month": (timezone.localdate(timezone=tz).replace(day=1) - timedelta(days=1)),
    }
    return render(request, "analytics/agency.html", context)


def _agency_sections(agency: Agency, filters: selectors.Filters, tz: ZoneInfo) -> dict[str, Any]:
    figures = selectors.agencies_figures([agency], filters, tz)[0]
    top, bottom, median = selectors.top_and_bottom_posts(agency, filters)
    slots = selectors.best_times(agency)
    changes = selectors.leadership_changes(agency, tz)
    return {
        "f": figures,
        "top": top,
        "bottom": bottom,
        "median": median,
        "slots": slots,
        "changes": changes,
        "chart": {
            "labels": [w.isoformat() for w, _p, _e in figures.weeks],
            "posts": figures.posts_series,
            "per_post": figures.per_post_series,
            "posts_label": _("Unggahan"),
            "per_post_label": _("Interaksi per unggahan"),
        },
        "tables": [
            tables.channel_table(figures),
            tables.mix_table(figures.mix),
            tables.posts_table("top", _("Unggahan teratas"), top),
            tables.posts_table("bottom", _("Unggahan terbawah"), bottom),
            tables.best_times_table(slots),
            tables.leadership_table(changes),
            tables.weeks_table(figures),
        ],
    }


def _channel_for_user(request: HttpRequest, pk: int, *, edit: bool = False) -> tuple[Channel, bool]:
    channel = (
        Channel.objects.filter(pk=pk, agency__in=visible_agencies(request.user))
        .select_related("agency__region")
        .first()
    )
    if channel is None:
        raise Http404
    can_edit = editable_agencies(request.user).filter(pk=channel.agency_id).exists()
    if edit and not can_edit:
        raise PermissionDenied
    return channel, can_edit


def channel(request: HttpRequest, pk: int) -> HttpResponse:
    ch, can_edit = _channel_for_user(request, pk)
    tz = ZoneInfo(ch.agency.region.timezone)
    filters = _filters(request, tz)
    filters = selectors.Filters(filters.start, filters.end, ch.platform)
    figures = selectors.agencies_figures(Agency.objects.filter(pk=ch.agency_id), filters, tz)[0]
    consistency = next((c for chn, c in figures.channel_consistency if chn.pk == ch.pk), None)
    top, bottom, _median = selectors.top_and_bottom_posts(ch.agency, filters, channel=ch)
    tabs = [
        tables.posts_table("top", _("Unggahan teratas"), top),
        tables.posts_table("bottom", _("Unggahan terbawah"), bottom),
    ]
    exported = _export_or_none(request, tabs, ch.handle)
    if exported:
        return exported
    context = _base_context(request, filters) | {
        "channel": ch,
        "can_edit": can_edit,
        "c": consistency,
        "top": top,
        "bottom": bottom,
        "imports": ch.metric_imports.all()[:10],
    }
    return render(request, "analytics/channel.html", context)


def import_new(request: HttpRequest) -> HttpResponse:
    channels = (
        Channel.objects.filter(agency__in=editable_agencies(request.user))
        .select_related("agency")
        .order_by("agency__name", "platform")
    )
    if request.method == "POST":
        try:
            channel_id = int(request.POST.get("channel", "0"))
        except ValueError:
            channel_id = 0
        ch, _can = _channel_for_user(request, channel_id, edit=True)
        upload = request.FILES.get("file")
        error = ""
        if upload is None:
            error = _("Pilih berkas ekspor.")
        elif upload.size and upload.size > settings.WARTA_MAX_IMPORT_BYTES:
            error = _("Berkas terlalu besar; batasnya %(limit)s MB.") % {
                "limit": round(settings.WARTA_MAX_IMPORT_BYTES / 1e6, 1)
            }
        if not error and upload is not None:
            try:
                with transaction.atomic():
                    job = metric_import_create(
                        channel=ch,
                        data=upload.read(),
                        filename=upload.name or "export.csv",
                        actor=request.user,
                        source_timezone=request.POST.get("timezone", ""),
                    )
                    transaction.on_commit(lambda: process_metric_import.enqueue(job.pk))
                return redirect("analytics:import_detail", pk=job.pk)
            except ValidationError as exc:
                error = " ".join(exc.messages)
        return render(
            request,
            "analytics/import_new.html",
            {"channels": channels, "error": error, "selected": ch.pk},
            status=400,
        )
    if not channels.exists():
        raise PermissionDenied
    return render(
        request,
        "analytics/import_new.html",
        {
            "channels": channels,
            "selected": request.GET.get("channel", ""),
            "export_modes": ConnectionMode.EXPORT,
        },
    )


def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = (
        MetricImport.objects.filter(pk=pk, channel__agency__in=visible_agencies(request.user))
        .select_related("channel__agency")
        .first()
    )
    if job is None:
        raise Http404
    template = "analytics/import_detail.html"
    if getattr(request, "htmx", False):  # django-htmx middleware
        template += "#progress"
    return render(request, template, {"job": job})


def report(request: HttpRequest) -> HttpResponse:
    region = _region(request)
    tz = ZoneInfo(region.timezone)
    try:
        month = reports.parse_month(request.GET.get("month", ""))
    except ValueError:
        month = (timezone.localdate(timezone=tz).replace(day=1) - timedelta(days=1)).replace(day=1)
    agency_obj = None
    if request.GET.get("agency"):
        agency_id = parse_id(request.GET["agency"])
        if agency_id is None:
            raise Http404
        agency_obj = get_agency_for_user(request.user, agency_id).agency
    elif not is_coordinator(request.user):
        raise PermissionDenied
    if request.GET.get("format") == "pdf" or request.GET.get("export"):
        data = reports.report_data(region=region, agency=agency_obj, month=month)
        if request.GET.get("format") == "pdf":
            response = HttpResponse(reports.report_pdf(data), content_type="application/pdf")
            name = reports.report_file_name(region, agency_obj, month)
            response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
            return response
        tabs = [tables.ranking_table(data.figures)]
        return _export_or_none(request, tabs, f"laporan-{month:%Y-%m}") or HttpResponse(status=404)
    # The report's body is a cached fragment: computed only when it is missing or any of
    # its inputs changed (reports.report_cache_key).
    computed = functools.cache(
        lambda: reports.report_context(
            reports.report_data(region=region, agency=agency_obj, month=month)
        )
    )
    context = {
        "report": _LazyReport(region, agency_obj, month, computed),
        "daily_chart": lambda: computed()["daily_chart"],
        "score_chart": lambda: computed()["score_chart"],
        "logo": logo_data_uri(region),
        "fragment_key": reports.report_cache_key(region, agency_obj, month),
        "fragment_seconds": selectors.FIGURES_CACHE_SECONDS,
        "query": request.GET.urlencode(),
        "prev_month": (month - timedelta(days=1)).replace(day=1),
        "next_month": (month + timedelta(days=32)).replace(day=1),
        "pdf_url": reverse("analytics:report") + "?" + _with(request, format="pdf"),
    }
    return render(request, "analytics/report.html", context)


class _LazyReport:
    """The report as the page reads it: its scope and title at once, the rest on first use."""

    def __init__(
        self,
        region: Region,
        agency: Agency | None,
        month: date,
        computed: Callable[[], dict[str, Any]],
    ) -> None:
        self.region, self.agency, self.month = region, agency, month
        self.title = reports.report_title(region, agency, month)
        self._computed = computed

    def __getattr__(self, name: str) -> Any:
        return getattr(self._computed()["report"], name)


def _with(request: HttpRequest, **params: str) -> str:
    query = request.GET.copy()
    for k, v in params.items():
        query[k] = v
    return query.urlencode()


# -- open data (public, no account) -------------------------------------------------------


def _open_data_region(slug: str) -> Region:
    region = get_object_or_404(Region, slug=slug)
    try:
        timezone.activate(ZoneInfo(region.timezone))
    except (ZoneInfoNotFoundError, ValueError):
        timezone.deactivate()
    return region


def _open_data_month(region: Region, raw: str) -> date:
    month = opendata.parse_month(raw)
    this_month = clock.localdate(ZoneInfo(region.timezone)).replace(day=1)
    # Only months that are over: a month still running would change after it was harvested.
    if month is None or month >= this_month:
        raise Http404(_("Data bulan itu belum tersedia."))
    return month


@login_not_required
def open_data(request: HttpRequest, region: str) -> HttpResponse:
    found = _open_data_region(region)
    return render(
        request,
        "analytics/open_data.html",
        {
            "region": found,
            "months": opendata.published_months(found),
            "datasets": opendata.DATASETS,
        },
    )


@login_not_required
def open_data_package(request: HttpRequest, region: str, month: str) -> HttpResponse:
    found = _open_data_region(region)
    start = _open_data_month(found, month)
    files = opendata.build(found, start)
    package = opendata.package(
        found,
        start,
        files=files,
        url_for=lambda slug: request.build_absolute_uri(
            reverse("analytics:open_data_csv", args=[found.slug, month, slug])
        ),
    )
    response = JsonResponse(package, json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Access-Control-Allow-Origin"] = "*"  # harvesters read it from other origins
    return response


@login_not_required
def open_data_csv(request: HttpRequest, region: str, month: str, dataset: str) -> HttpResponse:
    found = _open_data_region(region)
    start = _open_data_month(found, month)
    if dataset not in opendata.BY_SLUG:
        raise Http404(_("Kumpulan data tidak dikenal."))
    body = opendata.dataset_csv(opendata.BY_SLUG[dataset], found, start)
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    name = f"{opendata.package_name(found, start)}-{dataset}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Access-Control-Allow-Origin"] = "*"
    return response
