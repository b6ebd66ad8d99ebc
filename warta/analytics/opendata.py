"""Open data (Satu Data Indonesia): a region's monthly aggregates as CSV, described for CKAN.

Only counts and durations per agency leave warta here: no names, handles, texts or
contacts of the public, and no figure about fewer people than SMALL_COUNT where a
figure could point at one person (a single request's outcome, say). The package
description follows CKAN's `package_show` shape, so a Satu Data portal running CKAN can
harvest it: https://docs.ckan.org/en/latest/api/index.html#ckan.logic.action.get.package_show
and the field rules of `ckan/logic/schema.py` (default_create_package_schema).
"""

import csv
import hashlib
import io
import re
import statistics
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Count, F, Q, Sum
from django.utils.translation import gettext as _

from warta.analytics import selectors
from warta.analytics.models import PeriodKind, Rollup, RollupLevel
from warta.engagement.models import Consultation, InboxItem, InformationRequest, Objection
from warta.institutions.models import Agency, Region
from warta.lib import clock
from warta.lib.platforms import Platform

# Fewer than this many requests or objections are published as "<3": one or two could
# be matched with the one person who filed them.
SMALL_COUNT = 3
LICENSE_ID = "cc-by"  # Creative Commons Attribution: the licence Satu Data portals default to
CKAN_NAME = re.compile(r"^[a-z0-9_-]{2,100}$")  # ckan/logic/validators.py name_validator


@dataclass(frozen=True)
class Dataset:
    slug: str
    title: str
    description: str
    columns: tuple[str, ...]
    rows: Callable[[Region, date], list[list[Any]]]


def month_bounds(month: date, tz: ZoneInfo) -> tuple[datetime, datetime]:
    """The month as [first instant, first instant of the next month) in the region's zone."""
    first = month.replace(day=1)
    nxt = (first.replace(day=28) + timedelta(days=4)).replace(day=1)
    return datetime.combine(first, time.min, tz), datetime.combine(nxt, time.min, tz)


def parse_month(raw: str) -> date | None:
    """'2026-11' → 1 Nov 2026; None for anything else."""
    match = re.fullmatch(r"(\d{4})-(\d{2})", raw or "")
    if not match or not 1 <= int(match[2]) <= 12 or int(match[1]) < 2000:
        return None
    return date(int(match[1]), int(match[2]), 1)


def published_months(region: Region) -> list[date]:
    """Months that are over (in the region's zone) and have any published post, newest first."""
    this_month = clock.localdate(ZoneInfo(region.timezone)).replace(day=1)
    starts = (
        Rollup.objects.filter(
            region=region, level=RollupLevel.REGION, period=PeriodKind.MONTH, start__lt=this_month
        )
        .order_by("-start")
        .values_list("start", flat=True)
    )
    return list(starts[:36])


def _small(n: int) -> int | str:
    return n if n == 0 or n >= SMALL_COUNT else f"<{SMALL_COUNT}"


def _agencies(region: Region) -> list[Agency]:
    return list(Agency.objects.filter(region=region).order_by("name"))


def _posts_rows(region: Region, month: date) -> list[list[Any]]:
    totals = (
        Rollup.objects.filter(
            region=region, level=RollupLevel.CHANNEL, period=PeriodKind.MONTH, start=month
        )
        .values("agency_id", "platform")
        .annotate(posts=Sum("posts"), engagement=Sum("engagement"), reach=Sum("reach"))
        .order_by()
    )
    by_agency: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for total in totals:
        by_agency[total["agency_id"]].append(dict(total))
    rows = []
    for agency in _agencies(region):
        for row in sorted(by_agency.get(agency.pk, []), key=lambda r: r["platform"]):
            rows.append(
                [
                    agency.short_name,
                    agency.name,
                    row["platform"],
                    Platform(row["platform"]).label
                    if row["platform"] in Platform.values
                    else row["platform"],
                    row["posts"],
                    row["engagement"],
                    row["reach"],
                ]
            )
    return rows


def _response_rows(region: Region, month: date) -> list[list[Any]]:
    lo, hi = month_bounds(month, ZoneInfo(region.timezone))
    items = InboxItem.objects.filter(
        agency__region=region, received_at__gte=lo, received_at__lt=hi, is_spam=False
    ).exclude(kind=InboxItem.Kind.REPLY)
    counts = {
        row["agency_id"]: row
        for row in items.values("agency_id")
        .annotate(
            received=Count("id"),
            answered=Count("id", filter=Q(first_response_at__isnull=False)),
            in_time=Count(
                "id",
                filter=Q(first_response_at__isnull=False)
                & (
                    Q(response_due_at__isnull=True) | Q(first_response_at__lte=F("response_due_at"))
                ),
            ),
        )
        .order_by()
    }
    # The median from the selector the dashboards and the report read (questions answered,
    # first response), over the month's days: one figure everywhere (issue 19).
    tz = ZoneInfo(region.timezone)
    last = (month.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    stats = selectors.inbox_stats(list(counts), selectors.Filters(start=month, end=last), tz)
    rows = []
    for agency in _agencies(region):
        row = counts.get(agency.pk)
        if row is None:
            continue
        spans = stats[agency.pk]["minutes"] if agency.pk in stats else []
        rows.append(
            [
                agency.short_name,
                agency.name,
                row["received"],
                row["answered"],
                row["in_time"],
                round(statistics.median(spans) / 60, 1) if spans else "",
            ]
        )
    return rows


def _requests_rows(region: Region, month: date) -> list[list[Any]]:
    lo, hi = month_bounds(month, ZoneInfo(region.timezone))
    status = InformationRequest.Status
    counts: dict[int, dict[str, Any]] = {
        row["agency_id"]: {**row}
        for row in InformationRequest.objects.filter(
            agency__region=region, received_at__gte=lo, received_at__lt=hi
        )
        .values("agency_id")
        .annotate(
            received=Count("id"),
            answered=Count("id", filter=Q(responded_at__isnull=False)),
            in_time=Count(
                "id", filter=Q(responded_at__isnull=False, responded_at__lte=F("due_at"))
            ),
            granted=Count("id", filter=Q(status=status.GRANTED)),
            partly=Count("id", filter=Q(status=status.PARTLY)),
            refused=Count("id", filter=Q(status=status.REFUSED)),
            not_held=Count("id", filter=Q(status=status.NOT_HELD)),
            in_process=Count("id", filter=Q(status=status.IN_PROCESS)),
        )
        .order_by()
    }
    objections = dict(
        Objection.objects.filter(request__agency__region=region, filed_at__gte=lo, filed_at__lt=hi)
        .values("request__agency_id")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("request__agency_id", "n")
    )
    rows = []
    for agency in _agencies(region):
        filed = objections.get(agency.pk, 0)
        if agency.pk not in counts and not filed:
            continue
        row: dict[str, int] = defaultdict(int, counts.get(agency.pk, {}))
        rows.append(
            [
                agency.short_name,
                agency.name,
                row["received"],
                row["answered"],
                row["in_time"],
                _small(row["granted"]),
                _small(row["partly"]),
                _small(row["refused"]),
                _small(row["not_held"]),
                _small(row["in_process"]),
                _small(filed),
            ]
        )
    return rows


def _consultation_rows(region: Region, month: date) -> list[list[Any]]:
    lo, hi = month_bounds(month, ZoneInfo(region.timezone))
    consultations = (
        Consultation.objects.filter(agency__region=region, opens_at__lt=hi, closes_at__gte=lo)
        .select_related("agency")
        .annotate(
            inputs_total=Count("inputs", distinct=True),
            themes_total=Count("themes", distinct=True),
            actions_total=Count("themes__actions", distinct=True),
        )
        .order_by("agency__name", "opens_at", "pk")
    )
    rows = []
    for c in consultations:
        progress = [
            a.progress
            for theme in c.themes.prefetch_related("actions")
            for a in theme.actions.all()
        ]
        tz = ZoneInfo(region.timezone)
        rows.append(
            [
                c.agency.short_name,
                c.agency.name,
                c.title,
                c.opens_at.astimezone(tz).date().isoformat(),
                c.closes_at.astimezone(tz).date().isoformat(),
                c.inputs_total,
                c.themes_total,
                c.actions_total,
                round(sum(progress) / len(progress)) if progress else "",
            ]
        )
    return rows


DATASETS: tuple[Dataset, ...] = (
    Dataset(
        slug="unggahan-media-sosial",
        title="Unggahan media sosial per perangkat daerah dan platform",
        description="Jumlah unggahan yang terbit, interaksi dan jangkauan per akun resmi.",
        columns=(
            "kode_opd",
            "nama_opd",
            "kode_platform",
            "platform",
            "jumlah_unggahan",
            "jumlah_interaksi",
            "jangkauan",
        ),
        rows=_posts_rows,
    ),
    Dataset(
        slug="tanggapan-publik",
        title="Tanggapan atas komentar dan pesan publik",
        description=(
            "Komentar dan pesan publik yang diterima (tanpa spam), yang ditanggapi, yang "
            "ditanggapi dalam batas waktu layanan, dan median waktu tanggapan pertama atas "
            "pertanyaan publik dalam jam (angka yang sama dengan dasbor dan laporan)."
        ),
        columns=(
            "kode_opd",
            "nama_opd",
            "pesan_diterima",
            "pesan_ditanggapi",
            "ditanggapi_tepat_waktu",
            "median_waktu_tanggapan_jam",
        ),
        rows=_response_rows,
    ),
    Dataset(
        slug="permohonan-informasi-publik",
        title="Permohonan informasi publik dan keberatan",
        description=(
            "Permohonan informasi yang diterima bulan ini dan hasilnya (UU 14/2008). Jumlah "
            f"di bawah {SMALL_COUNT} ditulis '<{SMALL_COUNT}' agar tidak menunjuk pemohon."
        ),
        columns=(
            "kode_opd",
            "nama_opd",
            "permohonan_diterima",
            "permohonan_dijawab",
            "dijawab_tepat_waktu",
            "diberikan",
            "diberikan_sebagian",
            "ditolak",
            "tidak_dikuasai",
            "masih_diproses",
            "keberatan",
        ),
        rows=_requests_rows,
    ),
    Dataset(
        slug="konsultasi-publik",
        title="Konsultasi publik dan tindak lanjutnya",
        description=(
            "Konsultasi yang berjalan bulan ini: jumlah masukan, tema, tindak lanjut dan "
            "rata-rata kemajuan tindak lanjut (persen). Isi masukan tidak dipublikasikan di sini."
        ),
        columns=(
            "kode_opd",
            "nama_opd",
            "judul_konsultasi",
            "dibuka",
            "ditutup",
            "jumlah_masukan",
            "jumlah_tema",
            "jumlah_tindak_lanjut",
            "kemajuan_tindak_lanjut_persen",
        ),
        rows=_consultation_rows,
    ),
)
BY_SLUG = {d.slug: d for d in DATASETS}


def dataset_csv(dataset: Dataset, region: Region, month: date) -> bytes:
    """One dataset as UTF-8 CSV with a header row; region code and month on every row."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(("kode_wilayah", "nama_wilayah", "bulan", *dataset.columns))
    lead = [region.kemendagri_code, region.name, month.strftime("%Y-%m")]
    for row in dataset.rows(region, month):
        # Names come from officers, yet a cell starting with = + - @ would run as a formula
        # in a spreadsheet: prefix it, as the archive's exports do.
        writer.writerow([*lead, *(_inert(v) for v in row)])
    return out.getvalue().encode("utf-8")


def _inert(value: Any) -> Any:
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def package_name(region: Region, month: date) -> str:
    slug = re.sub(r"[^a-z0-9-]+", "-", region.slug.lower()).strip("-")
    return f"warta-{slug}-{month:%Y-%m}"[:100]


def package(
    region: Region, month: date, *, url_for: Callable[[str], str], files: dict[str, bytes]
) -> dict[str, Any]:
    """The CKAN package description of one region-month; `url_for(slug)` gives each CSV's URL."""
    month_label = _month_label(month)
    resources = []
    for dataset in DATASETS:
        body = files[dataset.slug]
        resources.append(
            {
                "name": f"{dataset.title} — {month_label}",
                "description": dataset.description,
                "format": "CSV",
                "mimetype": "text/csv",
                "url": url_for(dataset.slug),
                "size": len(body),
                "hash": "sha256:" + hashlib.sha256(body).hexdigest(),
            }
        )
    return {
        "name": package_name(region, month),
        "title": _("Media sosial dan layanan informasi %(region)s, %(month)s")
        % {"region": region.name, "month": month_label},
        "notes": _(
            "Data agregat bulanan dari warta: unggahan akun resmi per perangkat daerah dan "
            "platform, tanggapan atas pesan publik, permohonan informasi publik beserta "
            "hasilnya, dan konsultasi publik beserta tindak lanjutnya. Tidak memuat data "
            "pribadi."
        ),
        "license_id": LICENSE_ID,
        "private": False,
        "state": "active",
        "type": "dataset",
        "version": month.strftime("%Y-%m"),
        "organization": {
            "name": re.sub(r"[^a-z0-9-]+", "-", region.slug.lower()),
            "title": region.name,
        },
        "tags": [
            {"name": name}
            for name in ("media sosial", "keterbukaan informasi", "konsultasi publik", "PPID")
        ],
        "extras": [
            {"key": "kode_wilayah", "value": region.kemendagri_code},
            {"key": "sumber_kode_wilayah", "value": "Kepmendagri 100.1.1-6117 Tahun 2022"},
            {"key": "periode", "value": month.strftime("%Y-%m")},
            {"key": "frekuensi", "value": "bulanan"},
            {"key": "produsen_data", "value": region.name},
        ],
        "resources": resources,
    }


def _month_label(month: date) -> str:
    from django.utils.formats import date_format

    return date_format(month, "F Y")


def build(region: Region, month: date) -> dict[str, bytes]:
    """Every dataset of the region-month as CSV bytes, by slug."""
    return {d.slug: dataset_csv(d, region, month) for d in DATASETS}
