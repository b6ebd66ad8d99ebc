"""Reads for the dashboards and the report. Rollups only, never raw snapshots.

Every function takes an already access-checked queryset or object: callers scope
with warta.institutions.access first.
"""

import hashlib
import itertools
import statistics
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.core.cache import cache
from django.db.models import Avg, Count, Q, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from warta.analytics import alerts, cadence, indices
from warta.analytics.models import PeriodKind, PostRollup, Rollup, RollupLevel
from warta.channels.models import Channel
from warta.engagement.models import InboxItem
from warta.institutions.models import Agency, LeadershipTerm
from warta.lib import clock
from warta.lib.platforms import Platform
from warta.lib.workdays import WEEKDAY_NAMES
from warta.strategy.models import StrategyVersion
from warta.strategy.selectors import current_strategies


@dataclass(frozen=True)
class Filters:
    start: date
    end: date
    platform: str = ""

    @property
    def weeks(self) -> list[date]:
        first = self.start - timedelta(days=self.start.weekday())
        out, d = [], first
        while d <= self.end:
            out.append(d)
            d += timedelta(days=7)
        return out


def default_filters(tz: ZoneInfo, *, today: date | None = None) -> Filters:
    """The last 12 complete weeks (Monday to Sunday) in the region's zone."""
    today = today or timezone.localdate(timezone=tz)
    this_monday = today - timedelta(days=today.weekday())
    return Filters(start=this_monday - timedelta(weeks=12), end=this_monday - timedelta(days=1))


# -- loading rollups -------------------------------------------------------------------


def _weekly_rows(
    agencies: Iterable[int], weeks: list[date], platform: str
) -> dict[int, dict[date, dict[str, Any]]]:
    """agency -> monday -> summed figures."""
    qs = Rollup.objects.filter(period=PeriodKind.WEEK, start__gte=weeks[0], start__lte=weeks[-1])
    if platform:
        qs = qs.filter(level=RollupLevel.CHANNEL, platform=platform, agency_id__in=agencies)
    else:
        qs = qs.filter(level=RollupLevel.AGENCY, agency_id__in=agencies)
    out: dict[int, dict[date, dict[str, Any]]] = defaultdict(dict)
    for row in qs.values(
        "agency_id",
        "start",
        "posts",
        "engagement",
        "reach",
        "reach_posts_engagement",
        "followers",
        "categories",
        "tones",
    ):
        acc = out[row["agency_id"]].setdefault(
            row["start"],
            {
                "posts": 0,
                "engagement": 0,
                "reach": 0,
                "reach_posts_engagement": 0,
                "followers": None,
                "categories": defaultdict(int),
                "tones": defaultdict(int),
            },
        )
        for k in ("posts", "engagement", "reach", "reach_posts_engagement"):
            acc[k] += row[k]
        if row["followers"] is not None:
            acc["followers"] = (acc["followers"] or 0) + row["followers"]
        for name, n in row["categories"].items():
            acc["categories"][name] += n
        for name, n in row["tones"].items():
            acc["tones"][name] += n
    return out


def _window_totals(agencies: Iterable[int], filters: Filters) -> dict[int, dict[str, Any]]:
    """agency -> figures summed over the window's days exactly."""
    qs = Rollup.objects.filter(
        period=PeriodKind.DAY, start__gte=filters.start, start__lte=filters.end
    )
    if filters.platform:
        qs = qs.filter(level=RollupLevel.CHANNEL, platform=filters.platform, agency_id__in=agencies)
    else:
        qs = qs.filter(level=RollupLevel.AGENCY, agency_id__in=agencies)
    out: dict[int, dict[str, Any]] = {}
    for row in qs.values(
        "agency_id", "posts", "engagement", "reach", "reach_posts_engagement", "categories"
    ):
        acc = out.setdefault(
            row["agency_id"],
            {
                "posts": 0,
                "engagement": 0,
                "reach": 0,
                "reach_posts_engagement": 0,
                "categories": defaultdict(int),
            },
        )
        for k in ("posts", "engagement", "reach", "reach_posts_engagement"):
            acc[k] += row[k]
        for name, n in row["categories"].items():
            acc["categories"][name] += n
    return out


def _channel_activity(
    channels: list[Channel], filters: Filters
) -> tuple[dict[int, dict[date, int]], dict[int, list[date]]]:
    """Per channel: posts per week, and the days it posted, in the filter window."""
    weekly: dict[int, dict[date, int]] = defaultdict(dict)
    days: dict[int, list[date]] = defaultdict(list)
    ids = [c.id for c in channels]
    for cid, start, posts in Rollup.objects.filter(
        level=RollupLevel.CHANNEL,
        period=PeriodKind.WEEK,
        channel_id__in=ids,
        start__gte=filters.weeks[0],
        start__lte=filters.end,
    ).values_list("channel_id", "start", "posts"):
        weekly[cid][start] = posts
    for cid, day in Rollup.objects.filter(
        level=RollupLevel.CHANNEL,
        period=PeriodKind.DAY,
        channel_id__in=ids,
        posts__gt=0,
        start__gte=filters.start,
        start__lte=filters.end,
    ).values_list("channel_id", "start"):
        days[cid].append(day)
    return weekly, days


# What counts as a question the public expects an answer to: the language engine's
# intents, or, for items it has not annotated yet, a question mark.
QUESTION = Q(intent__in=["question", "information_request"]) | Q(intent="", text__contains="?")


def inbox_stats(
    agency_ids: Iterable[int],
    filters: Filters,
    tz: ZoneInfo,
    platform: str = "",
    channel_id: int | None = None,
) -> dict[int, dict[str, Any]]:
    """Per agency: sentiments, questions, answered, first-response minutes of each answer.

    The one source of the response figures: dashboards, warnings, report and open data.
    """
    lo = datetime.combine(filters.start, time.min, tz)
    hi = datetime.combine(filters.end + timedelta(days=1), time.min, tz)
    qs = InboxItem.objects.filter(agency_id__in=agency_ids, received_at__gte=lo, received_at__lt=hi)
    qs = qs.exclude(kind=InboxItem.Kind.REPLY).filter(is_spam=False)
    if platform:
        qs = qs.filter(channel__platform=platform)
    if channel_id:
        qs = qs.filter(channel_id=channel_id)
    out: dict[int, dict[str, Any]] = defaultdict(
        lambda: {"sentiments": {}, "questions": 0, "answered": 0, "minutes": [], "unrated": 0}
    )
    for row in (
        qs.values("agency_id")
        .annotate(
            positive=Count("id", filter=Q(sentiment="positive")),
            neutral=Count("id", filter=Q(sentiment="neutral")),
            negative=Count("id", filter=Q(sentiment="negative")),
            unrated=Count("id", filter=Q(sentiment="")),
            questions=Count("id", filter=QUESTION),
            answered=Count("id", filter=QUESTION & Q(first_response_at__isnull=False)),
        )
        .order_by()
    ):
        s = out[row["agency_id"]]
        s["sentiments"] = {k: row[k] for k in ("positive", "neutral", "negative")}
        s["questions"], s["answered"] = row["questions"], row["answered"]
        s["unrated"] = row["unrated"]
    for aid, received, responded in qs.filter(
        QUESTION, first_response_at__isnull=False
    ).values_list("agency_id", "received_at", "first_response_at"):
        if responded is not None:  # filtered above; keeps the type checker honest
            out[aid]["minutes"].append(max(0.0, (responded - received).total_seconds() / 60))
    return out


# -- the dashboards --------------------------------------------------------------------


@dataclass
class AgencyFigures:
    agency: Agency
    consistency: indices.Consistency | None
    channel_consistency: list[tuple[Channel, indices.Consistency]]
    mix: indices.ContentMix
    response: indices.Response
    apathy: indices.ApathyWarning
    weeks: list[tuple[date, int, int]]  # (monday, posts, engagement) in the window
    posts: int
    engagement: int
    score: int | None = None
    warnings: list[alerts.Alert] = field(default_factory=list)

    @property
    def per_post_series(self) -> list[float]:
        return [round(e / p, 1) if p else 0.0 for _, p, e in self.weeks]

    @property
    def posts_series(self) -> list[int]:
        return [p for _, p, _ in self.weeks]


# Figures derived from rollups are cached until the rollups change; comment and
# response counts read live from the inbox may lag by at most this long.
FIGURES_CACHE_SECONDS = 300


def agencies_figures(
    agencies: QuerySet[Agency] | list[Agency], filters: Filters, tz: ZoneInfo
) -> list[AgencyFigures]:
    """Every index for each agency over the filter window, cached per rollup generation.

    The caller has already scoped `agencies` to what the user may read; the cache key
    holds exactly those agencies, so no one sees figures of an agency outside their scope.
    """
    agency_list = list(agencies)
    key = figures_cache_key(agency_list, filters, tz)
    cached = cache.get(key)
    if cached is not None:
        return cached
    figures = _compute_figures(agency_list, filters, tz)
    cache.set(key, figures, FIGURES_CACHE_SECONDS)
    return figures


def figures_cache_key(agencies: Iterable[Agency], filters: Filters, tz: ZoneInfo) -> str:
    """Names exactly these agencies, this window and the version of the data they show."""
    agency_list = list(agencies)
    ids = ",".join(str(pk) for pk in sorted(a.pk for a in agency_list))
    digest = hashlib.sha256(ids.encode()).hexdigest()[:24]
    return (
        f"analytics:figures:{data_version(agency_list)}:{digest}:{filters.start}:{filters.end}:"
        f"{filters.platform}:{tz.key}:{translation.get_language()}"
    )


def data_version(agencies: Iterable[Agency]) -> str:
    """Changes whenever a figure computed for these agencies could: the cache keys' version.

    The rollup generation (every new post, metric or follower count), and what the figures
    are measured against: the accepted strategies in scope (targets, mix), the channels that
    count (added, disabled, renamed) and the agencies' own names. Comment and response
    counts are read live and may lag by FIGURES_CACHE_SECONDS. Three small queries.
    """
    from warta.analytics.rollups import rollups_generation

    agency_list = list(agencies)
    ids = sorted(a.pk for a in agency_list)
    parts: list[object] = [rollups_generation()]
    parts += sorted((a.pk, a.name, a.short_name, a.is_active) for a in agency_list)
    parts += list(
        Channel.objects.filter(agency_id__in=ids)
        .exclude(status=Channel.Status.DISABLED)
        .order_by("pk")
        .values_list("pk", "platform", "handle")
    )
    region_ids = sorted({a.region_id for a in agency_list})
    parts += list(
        StrategyVersion.objects.filter(status=StrategyVersion.Status.ACCEPTED)
        .filter(Q(agency__isnull=True, region_id__in=region_ids) | Q(agency_id__in=ids))
        .order_by("pk")
        .values_list("pk", "updated_at")
    )
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:16]


def _compute_figures(
    agency_list: list[Agency], filters: Filters, tz: ZoneInfo
) -> list[AgencyFigures]:
    ids = [a.id for a in agency_list]
    # Every agency's strategy in a fixed number of queries: targets and mix both read it.
    strategies = current_strategies(agency_list)
    targets = cadence.channel_targets(agency_list, platform=filters.platform, strategies=strategies)
    channels = [t.channel for ts in targets.values() for t in ts]
    weeks = filters.weeks
    # The apathy warning needs 18 weeks ending with the window, whatever the window.
    long_weeks = [weeks[-1] - timedelta(weeks=i) for i in range(17, -1, -1)]
    span = sorted(set(weeks) | set(long_weeks))
    weekly = _weekly_rows(ids, span, filters.platform)
    days = _window_totals(ids, filters)
    ch_weekly, ch_days = _channel_activity(channels, filters)
    inbox = inbox_stats(ids, filters, tz, filters.platform)
    out = []
    for agency in agency_list:
        rows = weekly.get(agency.id, {})
        parts = []
        for t in targets[agency.id]:
            c = t.channel
            counts = [ch_weekly[c.id].get(w, 0) for w in weeks]
            parts.append(
                (
                    c,
                    indices.consistency_index(
                        weekly_posts=counts,
                        post_days=ch_days[c.id],
                        window_start=filters.start,
                        window_end=filters.end,
                        target_per_week=t.per_week,
                        label=t.label,
                    ),
                )
            )
        # Totals over exactly the window's days (a month, not the weeks around it): the
        # same days the gaps and the report's daily chart count.
        in_window = [days[agency.id]] if agency.id in days else []
        cats: dict[str, int] = defaultdict(int)
        for r in in_window:
            for k, n in r["categories"].items():
                cats[k] += n
        posts = sum(r["posts"] for r in in_window)
        engagement = sum(r["engagement"] for r in in_window)
        followers = next(
            (rows[w]["followers"] for w in reversed(weeks) if w in rows and rows[w]["followers"]),
            None,
        )
        box = inbox[agency.id]
        response = indices.public_response(
            reach_posts_engagement=sum(r["reach_posts_engagement"] for r in in_window),
            reach=sum(r["reach"] for r in in_window),
            engagement=engagement,
            posts=posts,
            followers=followers,
            sentiments=box["sentiments"],
            questions=box["questions"],
            answered=box["answered"],
            response_minutes=box["minutes"],
            unrated=box["unrated"],
        )
        series = [
            (w, rows.get(w, {}).get("posts", 0), rows.get(w, {}).get("engagement", 0))
            for w in long_weeks
        ]
        mix = strategies[agency.id]["target_mix"]
        figures = AgencyFigures(
            agency=agency,
            consistency=indices.combine_consistency([p for _, p in parts]),
            channel_consistency=parts,
            mix=indices.content_mix(cats, {str(k): float(v) for k, v in mix.items()} or None),
            response=response,
            apathy=indices.apathy_warning(series),
            weeks=[
                (w, rows.get(w, {}).get("posts", 0), rows.get(w, {}).get("engagement", 0))
                for w in weeks
            ],
            posts=posts,
            engagement=engagement,
        )
        figures.score = overall_score(figures)
        figures.warnings = alerts.agency_alerts(figures)
        out.append(figures)
    out.sort(key=lambda f: (f.score is None, -(f.score or 0), f.agency.short_name))
    return out


def overall_score(f: AgencyFigures) -> int | None:
    """Ranking score: consistency 50 %, mix alignment 25 %, questions answered 25 %.

    A component without data (no posts, no questions) drops out and the rest are
    re-weighted, so an agency is not ranked on what nobody asked it.
    """
    parts: list[tuple[float, float]] = []
    if f.consistency:
        parts.append((0.5, f.consistency.score))
    if f.mix.alignment is not None:
        parts.append((0.25, f.mix.alignment))
    if f.response.answered_share is not None:
        parts.append((0.25, f.response.answered_share))
    if not parts:
        return None
    return round(sum(w * v for w, v in parts) / sum(w for w, _ in parts))


# -- posts, best times, leadership -----------------------------------------------------


@dataclass
class PostLine:
    rollup: PostRollup
    why: list[str]


def top_and_bottom_posts(
    agency: Agency, filters: Filters, *, n: int = 5, channel: Channel | None = None
) -> tuple[list[PostLine], list[PostLine], float]:
    qs = PostRollup.objects.filter(
        agency=agency, local_date__gte=filters.start, local_date__lte=filters.end
    )
    if channel:
        qs = qs.filter(channel=channel)
    if filters.platform:
        qs = qs.filter(platform=filters.platform)
    values = list(qs.values_list("engagement", flat=True))
    median = statistics.median(values) if values else 0.0
    best_slots = {(s.platform, s.weekday, s.block) for s in best_times(agency, limit=2)}
    top = list(qs.select_related("channel").order_by("-engagement", "-published_at")[:n])
    top_ids = {p.pk for p in top}
    bottom = [
        p
        for p in qs.select_related("channel").order_by("engagement", "published_at")[:n]
        if p.pk not in top_ids
    ]

    def why(p: PostRollup) -> list[str]:
        lines = []
        if median:
            lines.append(
                _("%(x)s× median interaksi agensi") % {"x": f"{p.engagement / median:.1f}"}  # noqa: RUF001  (typographic dash/sign on purpose)
            )
        lines.append(_("kategori: %(c)s") % {"c": _category_label(p.category)})
        if (p.platform, p.local_weekday, p.local_hour // 3) in best_slots:
            lines.append(_("terbit pada jam terbaik"))
        if p.reach and p.engagement:
            lines.append(
                _("interaksi/jangkauan %(r)s%%") % {"r": f"{100 * p.engagement / p.reach:.1f}"}
            )
        if p.tone == "negative":
            lines.append(_("nada keterangan negatif"))
        return lines

    return [PostLine(p, why(p)) for p in top], [PostLine(p, why(p)) for p in bottom], median


def _category_label(value: str) -> str:
    from warta.lib.categories import PostCategory

    return str(PostCategory(value).label) if value in PostCategory.values else value


@dataclass
class Slot:
    platform: str
    weekday: int
    block: int  # 3-hour block of the day: 0 = 00–03, ...  # noqa: RUF003  (typographic dash/sign on purpose)
    posts: int
    mean_engagement: float

    @property
    def label(self) -> str:
        return f"{WEEKDAY_NAMES[self.weekday]} {self.block * 3:02d}.00–{self.block * 3 + 3:02d}.00"  # noqa: RUF001  (typographic dash/sign on purpose)

    @property
    def platform_label(self) -> str:
        return (
            str(Platform(self.platform).label)
            if self.platform in Platform.values
            else self.platform
        )


def best_times(
    agency: Agency, *, days: int = 180, limit: int = 3, min_posts: int = 3
) -> list[Slot]:
    """The weekday and 3-hour blocks with the most engagement per post, per platform."""
    since = clock.localdate() - timedelta(days=days)
    rows = (
        PostRollup.objects.filter(agency=agency, local_date__gte=since)
        .values("platform", "local_weekday", "local_hour")
        .annotate(n=Count("id"), mean=Avg("engagement"))
        .order_by()
    )
    blocks: dict[tuple[str, int, int], list[float]] = defaultdict(lambda: [0, 0.0])
    for r in rows:
        b = blocks[(r["platform"], r["local_weekday"], r["local_hour"] // 3)]
        b[0] += r["n"]
        b[1] += r["n"] * float(r["mean"] or 0)
    per_platform: dict[str, list[Slot]] = defaultdict(list)
    for (platform, wd, block), (n, total) in blocks.items():
        if n >= min_posts:
            per_platform[platform].append(Slot(platform, wd, block, int(n), total / n))
    out = []
    for platform in sorted(per_platform):
        out.extend(sorted(per_platform[platform], key=lambda s: -s.mean_engagement)[:limit])
    return out


def leadership_changes(
    agency: Agency, tz: ZoneInfo, *, window_days: int = 90, today: date | None = None
) -> list[indices.LeadershipChange]:
    today = today or timezone.localdate(timezone=tz)
    terms = list(LeadershipTerm.objects.filter(agency=agency).order_by("start"))
    out = []
    for prev, term in itertools.pairwise(terms):
        if term.start > today:
            continue
        before = Filters(term.start - timedelta(days=window_days), term.start - timedelta(days=1))
        after = Filters(term.start, min(today, term.start + timedelta(days=window_days - 1)))
        b, a = _period_facts(agency, before, tz), _period_facts(agency, after, tz)
        out.append(
            indices.LeadershipChange(
                term.start, prev.head_name, term.head_name, b, a, indices.leadership_summary(b, a)
            )
        )
    return out


def _period_facts(agency: Agency, f: Filters, tz: ZoneInfo) -> indices.PeriodFacts:
    rows = Rollup.objects.filter(
        level=RollupLevel.AGENCY,
        agency=agency,
        period=PeriodKind.DAY,
        start__gte=f.start,
        start__lte=f.end,
    )
    posts = engagement = 0
    cats: dict[str, int] = defaultdict(int)
    tones: dict[str, int] = defaultdict(int)
    for r in rows.values("posts", "engagement", "categories", "tones"):
        posts += r["posts"]
        engagement += r["engagement"]
        for k, n in r["categories"].items():
            cats[k] += n
        for k, n in r["tones"].items():
            tones[k] += n
    box = inbox_stats([agency.id], f, tz)[agency.id]
    return indices.PeriodFacts(
        weeks=((f.end - f.start).days + 1) / 7,
        posts=posts,
        engagement=engagement,
        categories=dict(cats),
        tones=dict(tones),
        questions=box["questions"],
        answered=box["answered"],
        median_response_minutes=statistics.median(box["minutes"]) if box["minutes"] else None,
    )
