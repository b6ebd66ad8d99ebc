"""Demo strategies: a region baseline and per-agency strategies with a few versions each.

One proposal is made shortly after a new head took office, so that the flag shows.
"""

from datetime import UTC, datetime, timedelta
from typing import Any

from warta.channels.models import Channel
from warta.institutions.demo.context import DemoContext
from warta.institutions.models import Agency, LeadershipTerm, Officer
from warta.strategy.models import LocalDay, StrategyVersion
from warta.strategy.schema import sections_changed, validate_data

PILLAR_LABELS = {
    "service": "Layanan publik",
    "program": "Program unggulan",
    "activity": "Kegiatan",
    "education": "Edukasi",
    "participation": "Suara warga",
    "announcement": "Info penting",
}
MIXES = [
    {
        "service": 30,
        "program": 20,
        "education": 20,
        "participation": 10,
        "activity": 15,
        "announcement": 5,
    },
    {
        "service": 25,
        "program": 25,
        "education": 15,
        "participation": 15,
        "activity": 15,
        "announcement": 5,
    },
    {
        "service": 35,
        "program": 15,
        "education": 25,
        "participation": 10,
        "activity": 10,
        "announcement": 5,
    },
]
TEMPLATES = [
    {
        "pillar": "service",
        "name": "Cara mengurus layanan",
        "body": "Perlu {service}? Syaratnya: [syarat]. Datang ke {place} pukul {time} atau daftar di {link}. {hashtags}",
    },
    {
        "pillar": "program",
        "name": "Capaian program",
        "body": "{program}: sudah [angka] warga merasakan manfaatnya. Info: {link} {hashtags}",
    },
    {
        "pillar": "participation",
        "name": "Ajak warga berpendapat",
        "body": "Apa pendapat Anda tentang {title}? Tulis di komentar sampai {date}. {hashtags}",
    },
]
IDEAS = [
    {"pillar": "education", "text": "Mitos dan fakta seputar layanan kami (seri carousel)"},
    {"pillar": "service", "text": "Sehari bersama petugas loket: dari antre sampai selesai"},
    {"pillar": "participation", "text": "Tanya jawab langsung (live) dengan kepala bidang"},
    {"pillar": "program", "text": "Cerita warga penerima manfaat program"},
]


def _city_word(city: str) -> str:
    return "".join(
        w for w in city.title().split() if w.lower() not in {"kota", "kabupaten", "provinsi"}
    )


def _slug_tag(agency: Agency) -> str:
    """The agency's own tag, as the seeded history writes it: #DinkesBontang."""
    short = "".join(ch for ch in agency.short_name.title() if ch.isalnum())
    return f"#{short}{_city_word(agency.region.name)}"


def _region_tag(city: str) -> str:
    word = _city_word(city)
    # Bontang's own motto tag is what the seeded history (and the real city) uses.
    return "#BontangKotaTaman" if word == "Bontang" else f"#Pemkot{word}"


def _save(
    ctx: DemoContext,
    *,
    agency: Agency | None,
    number: int,
    data: dict[str, Any],
    reason: str,
    author: Any,
    role: str,
    at: datetime,
    status: str,
    decider: Any = None,
    based_on: StrategyVersion | None = None,
    flag_note: str = "",
) -> StrategyVersion:
    clean = validate_data(data)
    version = StrategyVersion.objects.create(
        region=ctx.region,
        agency=agency,
        number=number,
        based_on=based_on,
        status=status,
        data=clean,
        sections=sorted(sections_changed(based_on.data if based_on else None, clean)),  # type: ignore[arg-type]
        reason=reason,
        author=author,
        author_role=role,
        decided_by=decider if status != StrategyVersion.Status.PROPOSED else None,
        decided_at=at + timedelta(days=2) if status != StrategyVersion.Status.PROPOSED else None,
        head_change_flag=bool(flag_note),
        head_change_note=flag_note,
    )
    StrategyVersion.objects.filter(pk=version.pk).update(
        created_at=at
    )  # auto_now_add ignores a given value
    return version


# Posts a week on the platforms beside Instagram and TikTok, whose targets vary per agency.
OTHER_TARGETS = {"facebook": 3, "x": 5, "youtube": 1, "telegram": 3, "mastodon": 2, "website": 1}


def _cadence(agency: Agency, instagram: int, tiktok: int) -> dict[str, int]:
    """A target for each platform the agency has an account on, and for no other.

    (Dishub has no TikTok, so none is asked of it; its X account has a target of its own.)
    """
    targets = {"instagram": instagram, "tiktok": tiktok, **OTHER_TARGETS}
    platforms = set(
        Channel.objects.filter(agency=agency)
        .exclude(status=Channel.Status.DISABLED)
        .values_list("platform", flat=True)
    )
    return {p: t for p, t in targets.items() if p in platforms and t}


def seed(ctx: DemoContext) -> None:
    region = ctx.region
    if StrategyVersion.objects.filter(region=region).exists():
        return
    coordinator = (
        Officer.objects.filter(region=region, role=Officer.Role.COORDINATOR)
        .select_related("user")
        .first()
    )
    if coordinator is None:
        return
    city = region.name
    LocalDay.objects.get_or_create(
        region=region,
        name=f"Hari Jadi {city}",
        month=10,
        day=12,
        defaults={"note": "Kilas balik pembangunan dan ucapan dari OPD"},
    )
    LocalDay.objects.get_or_create(
        region=region,
        name="Festival budaya daerah",
        month=8,
        day=24,
        defaults={"note": "Liputan dan ajakan hadir"},
    )
    start = ctx.start
    base = {
        "purpose": f"Pemerintah {city} hadir melayani: warga tahu layanan, program dan cara ikut serta.",
        "audiences": ["Warga umum", "Pelaku usaha", "Pemuda dan pelajar"],
        "pillars": [
            {"category": c, "label": label, "description": ""} for c, label in PILLAR_LABELS.items()
        ],
        "target_mix": MIXES[0],
        "tone_rules": [
            "Bahasa Indonesia baku yang hangat; sapa warga dengan “Sahabat”.",
            "Utamakan manfaat bagi warga, bukan seremoni pejabat.",
            "Kalimat pendek; satu pesan utama per unggahan.",
        ],
        "hashtags": [_region_tag(city)],
        "words_avoid": [
            {"word": "oknum", "instead": "petugas/pihak terkait"},
            {"word": "rakyat kecil", "instead": "warga"},
        ],
        "rule_patterns": [{"pattern": r"!{2,}", "message": "Cukup satu tanda seru."}],
        "official_names": [{"name": f"Pemerintah {city}", "wrong": []}],
        "visual_notes": "Logo daerah di kiri atas; warna hijau-biru; foto warga, bukan foto pejabat di tengah.",
        "templates": TEMPLATES,
    }
    v1 = _save(
        ctx,
        agency=None,
        number=1,
        data=base,
        reason="Baseline pertama hasil rapat koordinasi humas",
        author=coordinator.user,
        role=coordinator.role,
        at=start,
        status=StrategyVersion.Status.ACCEPTED,
        decider=coordinator.user,
    )
    base2 = {
        **base,
        "tone_rules": [*base["tone_rules"], "Jawab pertanyaan warga di komentar dalam 1 x 24 jam."],
    }
    _save(
        ctx,
        agency=None,
        number=2,
        data=base2,
        reason="Tambah aturan waktu tanggap komentar",
        author=coordinator.user,
        role=coordinator.role,
        at=start + timedelta(days=45),
        status=StrategyVersion.Status.ACCEPTED,
        decider=coordinator.user,
        based_on=v1,
    )

    agencies = list(Agency.objects.filter(region=region, is_active=True).order_by("name"))
    if ctx.scale != "city":
        agencies = agencies[:5]
    latest_term = (
        LeadershipTerm.objects.filter(agency__in=agencies, start__gt=start.date())
        .order_by("-start")
        .first()
    )
    for index, agency in enumerate(agencies):
        officer = (
            Officer.objects.filter(agencies=agency, role=Officer.Role.OFFICER)
            .select_related("user")
            .first()
        )
        author = officer.user if officer else coordinator.user
        role = officer.role if officer else coordinator.role
        own: dict[str, Any] = {
            "purpose": f"{agency.name} menjelaskan layanan dan programnya dengan bahasa warga.",
            "pillars": [
                {"category": c, "label": label, "description": ""}
                for c, label in PILLAR_LABELS.items()
            ],
            "target_mix": MIXES[index % len(MIXES)],
            "cadence": _cadence(agency, 4 + ctx.rng.randint(0, 3), ctx.rng.choice([0, 1, 2])),
            "hashtags": [_slug_tag(agency)],
            "ideas": IDEAS[: 2 + index % 3],
        }
        at = start + timedelta(days=5 + index)
        first = _save(
            ctx,
            agency=agency,
            number=1,
            data=own,
            reason="Strategi pertama OPD, selaras baseline",
            author=author,
            role=role,
            at=at,
            status=StrategyVersion.Status.ACCEPTED,
            decider=coordinator.user,
        )
        if index % 2 == 0:
            second = {
                **own,
                "cadence": {
                    **own["cadence"],
                    **(
                        {"instagram": own["cadence"]["instagram"] + 1}
                        if "instagram" in own["cadence"]
                        else {}
                    ),
                },
                "ideas": IDEAS,
            }
            first = _save(
                ctx,
                agency=agency,
                number=2,
                data=second,
                reason="Evaluasi triwulan: tambah frekuensi Instagram",
                author=author,
                role=role,
                at=at + timedelta(days=90),
                status=StrategyVersion.Status.ACCEPTED,
                decider=coordinator.user,
                based_on=first,
            )
        if latest_term is not None and agency.pk == latest_term.agency_id:
            when = datetime.combine(
                latest_term.start + timedelta(days=20), datetime.min.time(), tzinfo=UTC
            )
            new_mix = {
                "activity": 45,
                "program": 25,
                "service": 15,
                "education": 10,
                "announcement": 5,
            }
            note = (
                f"Diusulkan 20 hari setelah {latest_term.head_name} mulai menjabat "
                f"({latest_term.start:%d-%m-%Y})."
            )
            _save(
                ctx,
                agency=agency,
                number=first.number + 1,
                data={**first.data, "target_mix": new_mix},
                reason="Pimpinan baru minta perbanyak liputan kegiatan pimpinan",
                author=author,
                role=role,
                at=min(when, ctx.end),
                status=StrategyVersion.Status.PROPOSED,
                based_on=first,
                flag_note=note,
            )
