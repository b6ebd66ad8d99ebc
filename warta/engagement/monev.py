"""A Monev KIP evidence pack: the self-assessment's themes mapped to what warta already holds.

The Komisi Informasi's e-Monev asks each public body about its information (DIP, periodic
and excepted information), its facilities (a PPID menu, online requests), its service
(register, time to answer, objections, the service report) and its digital presence. This
gathers, per agency and year, the figures and the public addresses that evidence each, so
officers stop assembling them by hand. It does not score: the Komisi Informasi does.
"""

import csv
import io
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from warta.content.models import PostVariant
from warta.engagement.models import Consultation, ConsultationTheme, PublicInformation
from warta.engagement.ppid import neutralise_cell
from warta.engagement.ppid_report import service_report
from warta.institutions.models import Agency
from warta.lib import clock


@dataclass(frozen=True)
class Evidence:
    aspect: str
    indicator: str
    value: str
    link: str = ""


def _url(name: str, *args: object) -> str:
    return settings.SITE_URL.rstrip("/") + reverse(name, args=args)


def evidence_pack(agency: Agency, year: int) -> list[Evidence]:
    region = agency.region
    entries = PublicInformation.objects.filter(agency=agency)
    by_category = {c: entries.filter(category=c).count() for c in PublicInformation.Category.values}
    excepted = entries.filter(category=PublicInformation.Category.EXCEPTED)
    last = entries.order_by("-updated_at").values_list("updated_at", flat=True).first()
    report = service_report(region=region, year=year)
    mine = next((f for f in report.agencies if f.name == agency.name), None)
    since = clock.now() - timedelta(days=365)
    posts = PostVariant.objects.filter(
        post__agency=agency, status=PostVariant.Status.PUBLISHED, published_at__gte=since
    )
    C = PublicInformation.Category
    dip_url = _url("engagement:public_dip", region.slug) + f"?opd={agency.pk}"
    rows = [
        Evidence(
            _("Kualitas informasi"),
            _("Daftar Informasi Publik tersedia dan diperbarui"),
            _("%(n)d entri; terakhir diperbarui %(d)s")
            % {"n": entries.count(), "d": last.date().isoformat() if last else "-"},
            dip_url,
        ),
        Evidence(
            _("Kualitas informasi"),
            _("Informasi berkala / serta-merta / setiap saat"),
            f"{by_category[C.PERIODIC]} / {by_category[C.IMMEDIATE]} / {by_category[C.ON_REQUEST]}",
            dip_url,
        ),
        Evidence(
            _("Kualitas informasi"),
            _("Daftar informasi dikecualikan dengan uji konsekuensi"),
            _("%(n)d dikecualikan, %(t)d dengan uji konsekuensi")
            % {"n": excepted.count(), "t": excepted.exclude(consequence="").count()},
            dip_url,
        ),
        Evidence(
            _("Sarana dan prasarana"),
            _("Menu PPID dan permohonan informasi daring"),
            _("tersedia"),
            _url("engagement:public_request", region.slug, agency.pk),
        ),
        Evidence(
            _("Pelayanan informasi"),
            _("Register permohonan informasi"),
            _("%(n)d permohonan pada %(y)d") % {"n": mine.received if mine else 0, "y": year},
        ),
        Evidence(
            _("Pelayanan informasi"),
            _("Permohonan dijawab tepat waktu"),
            (
                f"{mine.in_time}/{mine.answered}"
                + (f" ({mine.in_time_share} %)" if mine.in_time_share is not None else "")
            )
            if mine
            else "0/0",
        ),
        Evidence(
            _("Pelayanan informasi"),
            _("Rata-rata waktu menjawab (hari kerja)"),
            str(mine.average_workdays) if mine and mine.average_workdays is not None else "-",
        ),
        Evidence(
            _("Pelayanan informasi"),
            _("Keberatan (diterima atasan PPID)"),
            f"{mine.objections} ({mine.objections_upheld})" if mine else "0 (0)",
        ),
        Evidence(
            _("Pelayanan informasi"),
            _("Laporan layanan informasi publik"),
            _("halaman dan PDF"),
            _url("engagement:public_ppid_report", region.slug) + f"?tahun={year}",
        ),
        Evidence(
            _("Digitalisasi"),
            _("Unggahan media sosial terbit, 12 bulan terakhir"),
            str(posts.count()),
        ),
        Evidence(
            _("Digitalisasi"),
            _("Konsultasi publik dan tema yang dijawab terbuka"),
            _("%(c)d konsultasi, %(t)d tema terbit")
            % {
                "c": Consultation.objects.filter(agency=agency).count(),
                "t": ConsultationTheme.objects.filter(
                    consultation__agency=agency, published__isnull=False
                ).count(),
            },
            _url("engagement:public_region", region.slug),
        ),
    ]
    return rows


def evidence_csv(agency: Agency, year: int) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([_("Aspek"), _("Indikator"), _("Bukti di warta"), _("Tautan")])
    for row in evidence_pack(agency, year):
        writer.writerow(
            [neutralise_cell(v) for v in (row.aspect, row.indicator, row.value, row.link)]
        )
    return ("\ufeff" + out.getvalue()).encode("utf-8")
