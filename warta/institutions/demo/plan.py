"""The shape of one demo region before any row is written: scenarios, people and channels.

Kota Bontang's scenarios are fixed (so that the demo tells the same story for every seed);
other regions draw theirs at random from the same kinds.
"""

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from warta.institutions.demo.places import BONTANG, AgencySpec, RegionSpec
from warta.lib.categories import PostCategory
from warta.lib.platforms import ConnectionMode, Platform

STEADY = "steady"
LAPSING = "lapsing"  # stops posting for weeks at a time
HEAD_CHANGE = "head_change"  # new head mid-period; category mix and tone shift
DECLINING = "declining"  # engagement falls over the period
RARE = "rare"  # posts seldom

C = PostCategory
# Most agencies post mainly activity reports (kegiatan), as the founding brief observed.
MIX_DEFAULT: dict[str, int] = {
    C.ACTIVITY: 58,
    C.PROGRAM: 9,
    C.SERVICE: 9,
    C.EDUCATION: 9,
    C.PARTICIPATION: 3,
    C.ANNOUNCEMENT: 12,
}
MIX_AFTER_CHANGE: dict[str, int] = {
    C.ACTIVITY: 22,
    C.PROGRAM: 14,
    C.SERVICE: 20,
    C.EDUCATION: 26,
    C.PARTICIPATION: 12,
    C.ANNOUNCEMENT: 6,
}

# Bontang: (scenario, posts per week, share of friendly captions, response rate, popularity)
BONTANG_PROFILES: dict[str, tuple[str, float, float, float, float]] = {
    "Setda": (STEADY, 5.0, 0.1, 0.3, 1.6),
    "Diskominfo": (STEADY, 7.0, 0.5, 0.85, 1.8),
    "Dinkes": (STEADY, 5.0, 0.3, 0.8, 1.4),
    "Disdikbud": (HEAD_CHANGE, 3.5, 0.05, 0.5, 1.3),
    "DPMPTSP": (STEADY, 3.0, 0.3, 0.9, 0.9),
    "Bappeda Litbang": (RARE, 1.0, 0.05, 0.4, 0.5),
    "DPUPR": (STEADY, 2.5, 0.1, 0.35, 1.0),
    "Dishub": (DECLINING, 3.0, 0.15, 0.5, 1.1),
    "Dinsos PM": (STEADY, 3.0, 0.15, 0.6, 1.0),
    "DLH": (LAPSING, 3.0, 0.2, 0.4, 0.9),
    "Disdukcapil": (STEADY, 4.0, 0.4, 0.9, 1.3),
    "Satpol PP": (STEADY, 2.5, 0.05, 0.2, 0.8),
    "BPBD": (STEADY, 2.0, 0.2, 0.6, 0.9),
    "RSUD Taman Husada": (STEADY, 4.0, 0.4, 0.75, 1.2),
    "Kec. Bontang Utara": (STEADY, 2.5, 0.15, 0.5, 0.6),
    "Kec. Bontang Selatan": (STEADY, 2.0, 0.15, 0.5, 0.5),
    "Kec. Bontang Barat": (LAPSING, 2.0, 0.1, 0.3, 0.5),
    "Inspektorat": (RARE, 0.7, 0.0, 0.3, 0.3),
    "Dispopar": (STEADY, 3.0, 0.45, 0.5, 1.1),
    "BKPSDM": (STEADY, 1.5, 0.1, 0.6, 0.7),
}

# Platforms of each Bontang agency (every one has Instagram); the two "needs reconnect"
# channels are Dinkes' Facebook page and Satpol PP's Instagram.
P = Platform
BONTANG_PLATFORMS: dict[str, tuple[str, ...]] = {
    "Setda": (P.INSTAGRAM, P.FACEBOOK, P.YOUTUBE, P.WEBSITE, P.X),
    "Diskominfo": (P.INSTAGRAM, P.FACEBOOK, P.X, P.TIKTOK, P.YOUTUBE, P.TELEGRAM, P.WEBSITE),
    "Dinkes": (P.INSTAGRAM, P.FACEBOOK, P.TIKTOK, P.WEBSITE),
    "Disdikbud": (P.INSTAGRAM, P.FACEBOOK, P.YOUTUBE, P.WEBSITE),
    "DPMPTSP": (P.INSTAGRAM, P.FACEBOOK, P.WEBSITE),
    "Bappeda Litbang": (P.INSTAGRAM, P.WEBSITE),
    "DPUPR": (P.INSTAGRAM, P.FACEBOOK),
    "Dishub": (P.INSTAGRAM, P.FACEBOOK, P.X),
    "Dinsos PM": (P.INSTAGRAM, P.FACEBOOK),
    "DLH": (P.INSTAGRAM, P.FACEBOOK, P.TIKTOK),
    "Disdukcapil": (P.INSTAGRAM, P.FACEBOOK, P.TIKTOK, P.TELEGRAM, P.WEBSITE),
    "Satpol PP": (P.INSTAGRAM, P.FACEBOOK),
    "BPBD": (P.INSTAGRAM, P.FACEBOOK, P.X, P.TELEGRAM),
    "RSUD Taman Husada": (P.INSTAGRAM, P.FACEBOOK, P.YOUTUBE, P.WEBSITE),
    "Kec. Bontang Utara": (P.INSTAGRAM, P.FACEBOOK),
    "Kec. Bontang Selatan": (P.INSTAGRAM, P.FACEBOOK),
    "Kec. Bontang Barat": (P.INSTAGRAM,),
    "Inspektorat": (P.INSTAGRAM, P.WEBSITE),
    "Dispopar": (P.INSTAGRAM, P.FACEBOOK, P.TIKTOK, P.YOUTUBE),
    "BKPSDM": (P.INSTAGRAM, P.FACEBOOK, P.WEBSITE),
}
BONTANG_RECONNECT = {("Dinkes", P.FACEBOOK), ("Satpol PP", P.INSTAGRAM)}

MODES: dict[str, str] = {
    P.INSTAGRAM: ConnectionMode.API,
    P.FACEBOOK: ConnectionMode.API,
    P.X: ConnectionMode.API,
    P.TIKTOK: ConnectionMode.EXPORT,
    P.YOUTUBE: ConnectionMode.API,
    P.TELEGRAM: ConnectionMode.API,
    P.WEBSITE: ConnectionMode.MANUAL,
}
# Typical audience of a city agency's account per platform (lognormal median).
FOLLOWERS: dict[str, int] = {
    P.INSTAGRAM: 6000,
    P.FACEBOOK: 4500,
    P.X: 900,
    P.TIKTOK: 2500,
    P.YOUTUBE: 700,
    P.TELEGRAM: 500,
}


@dataclass
class ChannelPlan:
    platform: str
    handle: str
    url: str
    mode: str
    needs_reconnect: bool
    start_followers: int  # 0 for websites (no audience count)
    growth: float  # relative change of followers over the whole period


@dataclass
class AgencyPlan:
    spec: AgencySpec
    scenario: str
    posts_per_week: float
    friendly_share: float
    response_rate: float
    popularity: float
    response_hours: float  # median time to a first response
    channels: list[ChannelPlan]
    lapses: list[tuple[datetime, datetime]] = field(default_factory=list)
    change_at: datetime | None = None

    def in_lapse(self, moment: datetime) -> bool:
        return any(start <= moment < end for start, end in self.lapses)

    def engagement_factor(self, moment: datetime, start: datetime, end: datetime) -> float:
        if self.scenario != DECLINING:
            return 1.0
        progress = (moment - start) / (end - start)
        return max(0.2, 1.0 - 0.75 * progress)


def _handles(platform: str, spec: AgencySpec, region: RegionSpec) -> tuple[str, str]:
    place = "".join(ch for ch in region.place.lower() if ch.isalnum())
    stem = spec.slug
    if platform == P.INSTAGRAM:
        return f"@{stem}.{place}", f"https://www.instagram.com/{stem}.{place}/"
    if platform == P.FACEBOOK:
        return f"{stem}{place}", f"https://www.facebook.com/{stem}{place}"
    if platform == P.X:
        handle = f"{stem}_{place}"[:15]
        return f"@{handle}", f"https://x.com/{handle}"
    if platform == P.TIKTOK:
        return f"@{stem}.{place}", f"https://www.tiktok.com/@{stem}.{place}"
    if platform == P.YOUTUBE:
        return f"@{stem}{place}", f"https://www.youtube.com/@{stem}{place}"
    if platform == P.TELEGRAM:
        return f"@{stem}{place}", f"https://t.me/{stem}{place}"
    host = f"{stem}.{region.domain}"
    return host, f"https://{host}/"


def _channel_plans(
    rng: random.Random,
    spec: AgencySpec,
    region: RegionSpec,
    platforms: tuple[str, ...],
    popularity: float,
    scenario: str,
    reconnect: set[str],
) -> list[ChannelPlan]:
    plans = []
    for platform in platforms:
        handle, url = _handles(platform, spec, region)
        mode = MODES.get(platform, ConnectionMode.MANUAL)
        if platform == P.INSTAGRAM and popularity < 0.6:
            mode = ConnectionMode.EXPORT  # small agencies without API access upload exports
        base = FOLLOWERS.get(platform, 0)
        start_followers = int(base * popularity * rng.lognormvariate(0, 0.4)) if base else 0
        growth = rng.uniform(0.04, 0.25) if scenario != DECLINING else rng.uniform(-0.08, 0.0)
        plans.append(
            ChannelPlan(platform, handle, url, mode, platform in reconnect, start_followers, growth)
        )
    return plans


def _lapses(rng: random.Random, start: datetime, end: datetime) -> list[tuple[datetime, datetime]]:
    """One or two silent stretches of 16-35 days inside the period."""
    days = (end - start).days
    count = 1 if days < 120 else rng.choice((1, 2, 2))
    lapses = []
    for i in range(count):
        length = rng.randint(16, min(35, max(16, days // 3)))
        slot = days // count
        offset = i * slot + rng.randint(7, max(7, slot - length - 3))
        lapse_start = start + timedelta(days=offset)
        lapses.append((lapse_start, min(end, lapse_start + timedelta(days=length))))
    return lapses


def plan_region(
    rng: random.Random,
    region: RegionSpec,
    specs: list[AgencySpec],
    *,
    start: datetime,
    end: datetime,
    fixed_platforms: int | None,
) -> list[AgencyPlan]:
    plans = []
    for spec in specs:
        profile = BONTANG_PROFILES.get(spec.short_name) if region is BONTANG else None
        if profile is None:
            roll = rng.random()
            scenario = (
                HEAD_CHANGE
                if roll < 0.05
                else DECLINING
                if roll < 0.1
                else LAPSING
                if roll < 0.25
                else RARE
                if roll < 0.4
                else STEADY
            )
            profile = (
                scenario,
                rng.uniform(1.0, 5.0) if scenario != RARE else 0.8,
                rng.uniform(0.0, 0.5),
                rng.uniform(0.2, 0.9),
                rng.uniform(0.4, 1.5),
            )
        scenario, per_week, friendly, response_rate, popularity = profile
        if fixed_platforms:
            others = [P.X, P.TIKTOK, P.YOUTUBE, P.WEBSITE, P.TELEGRAM]
            extra = rng.sample(others, fixed_platforms - 2)
            platforms: tuple[str, ...] = (P.INSTAGRAM, P.FACEBOOK, *extra)
            reconnect: set[str] = {P.INSTAGRAM} if rng.random() < 0.03 else set()
        else:
            platforms = BONTANG_PLATFORMS.get(spec.short_name, (P.INSTAGRAM, P.FACEBOOK))
            reconnect = {p for (short, p) in BONTANG_RECONNECT if short == spec.short_name}
        plan = AgencyPlan(
            spec=spec,
            scenario=scenario,
            posts_per_week=per_week,
            friendly_share=friendly,
            response_rate=response_rate,
            popularity=popularity,
            response_hours=rng.choice((1.5, 3.0, 6.0, 12.0, 30.0)) / max(response_rate, 0.2),
            channels=_channel_plans(rng, spec, region, platforms, popularity, scenario, reconnect),
        )
        if scenario == LAPSING:
            plan.lapses = _lapses(rng, start, end)
        if scenario == HEAD_CHANGE:
            # Mid-period, on a working morning; the old head's term ends the day before.
            plan.change_at = start + (end - start) * rng.uniform(0.42, 0.55)
        plans.append(plan)
    return plans


def category_mix(plan: AgencyPlan, moment: datetime) -> dict[str, int]:
    if plan.change_at is not None and moment >= plan.change_at:
        return MIX_AFTER_CHANGE
    return MIX_DEFAULT


def friendly_share(plan: AgencyPlan, moment: datetime) -> float:
    if plan.change_at is not None and moment >= plan.change_at:
        return 0.75
    return plan.friendly_share


@dataclass(frozen=True)
class StaffMember:
    username: str
    role: str
    agencies: tuple[str, ...]  # short names
    # A head's name comes from the agency's current leadership term.
    head_of: str = ""


def bontang_staff(specs: list[AgencySpec]) -> list[StaffMember]:
    """The 30 people of the city demo (plus one officer per agency past Bontang's 20)."""
    shorts = [s.short_name for s in specs]
    by_short = {s.short_name: s for s in specs}
    staff = [
        StaffMember("koordinator", "coordinator", ("Diskominfo",)),
        StaffMember("pembaca", "viewer", tuple(shorts)),
        StaffMember("kepala.disdikbud", "head", ("Disdikbud",), head_of="Disdikbud"),
        StaffMember("kepala.dinkes", "head", ("Dinkes",), head_of="Dinkes"),
        StaffMember("kepala.dishub", "head", ("Dishub",), head_of="Dishub"),
        StaffMember(
            "camat.bontangutara", "head", ("Kec. Bontang Utara",), head_of="Kec. Bontang Utara"
        ),
        # Two officers each cover two agencies.
        StaffMember("ppid.kecamatan", "officer", ("Kec. Bontang Selatan", "Kec. Bontang Barat")),
        StaffMember("ppid.setda", "officer", ("Setda", "Inspektorat")),
    ]
    covered = {"Kec. Bontang Selatan", "Kec. Bontang Barat", "Setda", "Inspektorat"}
    for short in shorts:
        if short not in covered:
            staff.append(StaffMember(f"ppid.{by_short[short].slug}", "officer", (short,)))
    for short, slug in (
        ("Diskominfo", "diskominfo"),
        ("Dinkes", "dinkes"),
        ("RSUD Taman Husada", "rsudtamanhusada"),
        ("Disdukcapil", "disdukcapil"),
        ("Disdikbud", "disdikbud"),
        ("DPMPTSP", "dpmptsp"),
    ):
        staff.append(StaffMember(f"ppid.{slug}2", "officer", (short,)))
    return staff


def light_staff(region: RegionSpec, plans: list[AgencyPlan]) -> list[StaffMember]:
    """A larger scale's region: a coordinator, a viewer, one officer per agency, some heads."""
    prefix = region.slug
    home = next((p for p in plans if p.spec.slug == "diskominfo"), plans[0])
    staff = [
        StaffMember(f"{prefix}.koordinator", "coordinator", (home.spec.short_name,)),
        StaffMember(f"{prefix}.pembaca", "viewer", tuple(p.spec.short_name for p in plans)),
    ]
    for plan in plans:
        short = plan.spec.short_name
        staff.append(StaffMember(f"{prefix}.ppid.{plan.spec.slug}", "officer", (short,)))
        if plan.scenario == HEAD_CHANGE:
            staff.append(
                StaffMember(f"{prefix}.kepala.{plan.spec.slug}", "head", (short,), head_of=short)
            )
    return staff
