"""Creativity support that needs no external service: days ahead, angles, best times, hashtags.

The optional caption-draft helper (an OpenAI-compatible endpoint) lives in `drafts.py`.
"""

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from statistics import mean
from zoneinfo import ZoneInfo

import holidays
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from warta.institutions.models import Agency, Region
from warta.lib import clock
from warta.lib.categories import PostCategory
from warta.strategy.models import LocalDay
from warta.strategy.schema import TEMPLATE_PLACEHOLDERS, StrategyData

# Commemorative days that are not public holidays (the holidays package has those).
# (month, day, name, topic words that tie a day to an agency's name).
NATIONAL_DAYS: list[tuple[int, int, str, tuple[str, ...]]] = [
    (1, 25, "Hari Gizi Nasional", ("kesehatan", "pangan")),
    (2, 9, "Hari Pers Nasional", ("komunikasi", "informatika")),
    (2, 21, "Hari Peduli Sampah Nasional", ("lingkungan", "kebersihan")),
    (3, 22, "Hari Air Sedunia", ("lingkungan", "pekerjaan umum", "air")),
    (4, 21, "Hari Kartini", ("perempuan", "pemberdayaan")),
    (4, 22, "Hari Bumi", ("lingkungan",)),
    (4, 25, "Hari Otonomi Daerah", ("sekretariat", "pemerintahan")),
    (4, 30, "Hari Keterbukaan Informasi Nasional", ("komunikasi", "informatika")),
    (5, 2, "Hari Pendidikan Nasional", ("pendidikan",)),
    (5, 20, "Hari Kebangkitan Nasional", ()),
    (6, 5, "Hari Lingkungan Hidup Sedunia", ("lingkungan",)),
    (6, 29, "Hari Keluarga Nasional", ("keluarga", "kependudukan")),
    (7, 12, "Hari Koperasi", ("koperasi", "umkm")),
    (7, 23, "Hari Anak Nasional", ("anak", "perempuan", "pendidikan")),
    (10, 1, "Hari Kesaktian Pancasila", ("kesatuan bangsa",)),
    (10, 2, "Hari Batik Nasional", ("pariwisata", "kebudayaan", "perindustrian")),
    (10, 22, "Hari Santri", ("agama",)),
    (10, 28, "Hari Sumpah Pemuda", ("pemuda", "olahraga")),
    (11, 10, "Hari Pahlawan", ("sosial",)),
    (11, 12, "Hari Kesehatan Nasional", ("kesehatan", "rsud")),
    (11, 25, "Hari Guru Nasional", ("pendidikan",)),
    (12, 3, "Hari Disabilitas Internasional", ("sosial",)),
    (12, 9, "Hari Antikorupsi Sedunia", ("inspektorat",)),
    (12, 22, "Hari Ibu", ("perempuan",)),
]


@dataclass(frozen=True)
class UpcomingDay:
    day: date
    name: str
    kind: str  # "holiday", "national", "local"
    note: str = ""
    relevant: bool = False  # ties to the agency's own field
    suggest_from: date | None = None  # when to start preparing the post


def upcoming_days(
    region: Region, *, start: date, days: int = 60, agency: Agency | None = None, lead_days: int = 7
) -> list[UpcomingDay]:
    """Public holidays, national days and the region's local days in [start, start+days)."""
    end = start + timedelta(days=days)
    agency_name = agency.name.lower() if agency else ""
    out: list[UpcomingDay] = []
    years = list(range(start.year, end.year + 1))
    for d, name in holidays.Indonesia(years=years, language="id").items():
        if start <= d < end:
            out.append(UpcomingDay(d, str(name), "holiday"))
    for year in years:
        for month, day, name, topics in NATIONAL_DAYS:
            d = date(year, month, day)
            if start <= d < end:
                relevant = any(t in agency_name for t in topics)
                out.append(UpcomingDay(d, name, "national", relevant=relevant))
        for local in LocalDay.objects.filter(region=region):
            if local.year not in (None, year):
                continue
            try:
                d = date(year, local.month, local.day)
            except ValueError:
                continue  # 29 February in a common year
            if start <= d < end:
                out.append(UpcomingDay(d, local.name, "local", note=local.note, relevant=True))
    out = [
        UpcomingDay(u.day, u.name, u.kind, u.note, u.relevant, u.day - timedelta(days=lead_days))
        for u in out
    ]
    return sorted(out, key=lambda u: (u.day, u.name))


# Angles for "beyond activity reports": (pillar, question to the officer, skeleton).
ANGLES: list[tuple[str, Promise, str]] = [
    (
        PostCategory.PROGRAM,
        gettext_lazy(
            "Program apa yang dijalankan lewat kegiatan ini, dan apa manfaatnya bagi warga?"
        ),
        "{title}: apa manfaatnya untuk Anda?\n\nProgram {program} dari {agency} membantu [sasaran] "
        "agar [manfaat]. Sampai saat ini [capaian/angka].\n\nInfo lengkap: {link}\n{hashtags}",
    ),
    (
        PostCategory.SERVICE,
        gettext_lazy("Layanan apa yang bisa warga pakai? Syarat, tempat, jam, biaya?"),
        "Perlu {service}? Begini caranya:\n1. [syarat]\n2. Datang ke {place} atau daftar di {link}\n"
        "3. [waktu layanan]\nBiaya: [gratis/Rp…]. Pertanyaan? Hubungi {contact}.\n{hashtags}",
    ),
    (
        PostCategory.PARTICIPATION,
        gettext_lazy("Di mana warga bisa ikut memberi pendapat atau terlibat?"),
        "Kami ingin mendengar Anda! Bagaimana pendapat Anda tentang {title}? "
        "Tulis di kolom komentar atau isi {link} sampai [tanggal]. Setiap masukan kami catat "
        "dan tindak lanjuti.\n{hashtags}",
    ),
    (
        PostCategory.EDUCATION,
        gettext_lazy("Apa satu hal yang perlu warga ketahui atau lakukan?"),
        "Tahukah Anda? [fakta singkat terkait {title}].\n\nYang bisa Anda lakukan: [langkah 1], "
        "[langkah 2].\n{hashtags}",
    ),
]

# Words in an activity report that hint which angle fits best.
ANGLE_HINTS: dict[str, tuple[str, ...]] = {
    PostCategory.PROGRAM: (
        "program",
        "bantuan",
        "pembangunan",
        "peresmian",
        "launching",
        "peluncuran",
        "target",
    ),
    PostCategory.SERVICE: (
        "layanan",
        "pelayanan",
        "pendaftaran",
        "perizinan",
        "vaksin",
        "posyandu",
        "loket",
        "antrean",
    ),
    PostCategory.PARTICIPATION: (
        "musrenbang",
        "konsultasi",
        "rapat warga",
        "forum",
        "sosialisasi",
        "dialog",
        "jaring aspirasi",
    ),
    PostCategory.EDUCATION: (
        "pelatihan",
        "edukasi",
        "penyuluhan",
        "kampanye",
        "seminar",
        "workshop",
        "bimtek",
    ),
}


@dataclass
class Angle:
    pillar: str
    pillar_label: str
    question: str
    skeleton: str
    score: int = 0
    open_slots: list[str] = field(default_factory=list)


def _title_from(report: str) -> str:
    first = re.split(r"(?<=[.!?])\s|\n", report.strip(), maxsplit=1)[0]
    return first[:120].rstrip(".!?, ")


def suggest_angles(report: str, *, agency: Agency, strategy: StrategyData) -> list[Angle]:
    """Post angles beyond the activity report, best fitting first, as editable skeletons."""
    text = report.lower()
    labels = {c.value: str(c.label) for c in PostCategory}
    labels.update({p["category"]: p["label"] for p in strategy["pillars"] if p["label"]})
    fill = {
        "agency": agency.name,
        "region": agency.region.name,
        "title": _title_from(report),
        "hashtags": " ".join(strategy["hashtags"]),
        "contact": (strategy["official_contacts"] or [""])[0],
    }
    angles: list[Angle] = []
    for pillar, question, skeleton in ANGLES:
        # The agency's own template for the pillar beats the built-in skeleton.
        own = next((t for t in strategy["templates"] if t["pillar"] == pillar), None)
        body = own["body"] if own else skeleton
        score = sum(text.count(w) for w in ANGLE_HINTS.get(pillar, ()))
        filled, open_slots = fill_template(body, fill)
        angles.append(Angle(pillar, labels[pillar], str(question), filled, score, open_slots))
    return sorted(angles, key=lambda a: -a.score)


def fill_template(body: str, values: dict[str, str]) -> tuple[str, list[str]]:
    """Fill known placeholders; unknown or empty ones stay as [hint] for the officer."""
    open_slots: list[str] = []

    def repl(match: re.Match[str]) -> str:
        name = match.group(1)
        value = values.get(name, "")
        if value:
            return value
        open_slots.append(name)
        return f"[{TEMPLATE_PLACEHOLDERS.get(name, name)}]"

    return re.sub(r"\{(\w+)\}", repl, body), open_slots


@dataclass(frozen=True)
class TimeSlot:
    weekday: int  # 0 = Monday
    hour: int
    posts: int
    mean_engagement: float


def best_times(agency: Agency, platform: str, *, days: int = 180, limit: int = 3) -> list[TimeSlot]:
    """Weekday/hour slots with the highest mean engagement of the agency's own posts."""
    from warta.analytics.models import MetricSnapshot
    from warta.content.models import PostVariant

    since = clock.now() - timedelta(days=days)
    variants = dict(
        PostVariant.objects.filter(
            post__agency=agency,
            channel__platform=platform,
            status=PostVariant.Status.PUBLISHED,
            published_at__gte=since,
        )
        .order_by("-published_at")
        .values_list("pk", "published_at")[:2000]
    )
    if not variants:
        return []
    latest: dict[int, int] = {}
    for vid, likes, comments, shares, saves in (
        MetricSnapshot.objects.filter(variant_id__in=list(variants))
        .order_by("variant_id", "captured_at")
        .values_list("variant_id", "likes", "comments", "shares", "saves")
    ):
        latest[vid] = likes + comments * 2 + shares * 3 + saves * 2  # replies and shares weigh more
    tz = ZoneInfo(agency.region.timezone)
    slots: dict[tuple[int, int], list[int]] = defaultdict(list)
    for vid, published in variants.items():
        if vid in latest and published is not None:
            local = published.astimezone(tz)
            slots[(local.weekday(), local.hour)].append(latest[vid])
    ranked = [
        TimeSlot(w, h, len(v), round(mean(v), 1)) for (w, h), v in slots.items() if len(v) >= 2
    ]
    return sorted(ranked, key=lambda s: (-s.mean_engagement, -s.posts))[:limit]


HASHTAG = re.compile(r"#\w{2,100}")


def suggest_hashtags(
    agency: Agency, strategy: StrategyData, *, days: int = 180, limit: int = 10
) -> list[dict[str, object]]:
    """Mandatory tags first, then tags from the agency's past posts ranked by engagement."""
    from warta.analytics.models import MetricSnapshot
    from warta.content.models import PostVariant

    out: list[dict[str, object]] = [
        {"tag": t, "reason": _("wajib menurut strategi"), "mandatory": True}
        for t in strategy["hashtags"]
    ]
    mandatory = {t.lower() for t in strategy["hashtags"]}
    since = clock.now() - timedelta(days=days)
    rows = list(
        PostVariant.objects.filter(
            post__agency=agency, status=PostVariant.Status.PUBLISHED, published_at__gte=since
        )
        .order_by("-published_at")
        .values_list("pk", "caption")[:1000]
    )
    engagement: dict[int, int] = {}
    for vid, likes, comments, shares in (
        MetricSnapshot.objects.filter(variant_id__in=[r[0] for r in rows])
        .order_by("variant_id", "captured_at")
        .values_list("variant_id", "likes", "comments", "shares")
    ):
        engagement[vid] = likes + comments + shares
    per_tag: dict[str, list[int]] = defaultdict(list)
    for vid, caption in rows:
        for tag in {t.lower() for t in HASHTAG.findall(caption or "")}:
            if tag not in mandatory:
                per_tag[tag].append(engagement.get(vid, 0))
    ranked = sorted(
        ((tag, mean(v), len(v)) for tag, v in per_tag.items() if len(v) >= 2),
        key=lambda x: (-x[1], -x[2]),
    )
    for tag, avg, uses in ranked[: max(0, limit - len(out))]:
        out.append(
            {
                "tag": tag,
                "reason": ngettext(
                    "dipakai %(n)s kali, rata-rata %(e).0f interaksi",
                    "dipakai %(n)s kali, rata-rata %(e).0f interaksi",
                    uses,
                )
                % {"n": uses, "e": avg},
                "mandatory": False,
            }
        )
    return out
