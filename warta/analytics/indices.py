"""The indices, as pure functions of rollup figures: each returns its components and advice.

Nothing here touches the database, so each index is tested on constructed data and
the same code serves the dashboards, the monthly report and the benchmark.
"""

import itertools
import math
import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from warta.lib import readable
from warta.lib.categories import PostCategory

# Used when an agency's strategy sets no cadence for a platform.
DEFAULT_POSTS_PER_WEEK = 3.0
# Used when an agency's strategy sets no target mix: services, programs and education
# outweigh activity reports, as the founding brief asks of a public-service account.
DEFAULT_TARGET_MIX: dict[str, float] = {
    PostCategory.SERVICE: 25.0,
    PostCategory.PROGRAM: 20.0,
    PostCategory.EDUCATION: 20.0,
    PostCategory.ACTIVITY: 15.0,
    PostCategory.PARTICIPATION: 10.0,
    PostCategory.ANNOUNCEMENT: 10.0,
}
# An agency whose posts are more than this share activity reports gets a clear signal.
ACTIVITY_HEAVY_SHARE = 0.5

APATHY_RECENT_WEEKS = 6
APATHY_BASELINE_WEEKS = 12
APATHY_MIN_BASELINE_WEEKS = 6
APATHY_DROP = 0.30  # the recent median is at least 30 % below the baseline median
APATHY_PERSIST = 4  # and at least 4 of the 6 recent weeks sit below the threshold

WEIGHT_CADENCE, WEIGHT_REGULARITY, WEIGHT_GAP = 40, 35, 25
GAP_ZERO_DAYS = 21  # a gap this long scores nothing


def _clamp(x: float, lo: float = 0.0, hi: float = 1.0) -> float:
    return max(lo, min(hi, x))


# -- consistency -----------------------------------------------------------------------


@dataclass
class Consistency:
    score: int
    target_per_week: float
    achieved_per_week: float
    cadence: float  # 0..1: posts made / posts targeted over the whole window
    regularity: float  # 0..1: mean of each week's capped achievement
    weeks_on_target: int
    weeks: int
    longest_gap_days: int
    gap_from: date | None
    gap_to: date | None
    allowed_gap_days: int
    gap: float  # 0..1
    advice: list[str] = field(default_factory=list)


def consistency_index(
    *,
    weekly_posts: Sequence[int],
    post_days: Sequence[date],
    window_start: date,
    window_end: date,
    target_per_week: float,
    label: str = "",
) -> Consistency:
    """Cadence achieved vs target (40), regularity over the weeks (35), longest gap (25).

    `label` names the channel ("Instagram @dishub.bontang") in the advice.
    """
    weeks = max(1, len(weekly_posts))
    target = target_per_week if target_per_week > 0 else DEFAULT_POSTS_PER_WEEK
    total = sum(weekly_posts)
    cadence = _clamp(total / (target * weeks))
    regularity = sum(_clamp(n / target) for n in weekly_posts) / weeks if weekly_posts else 0.0
    on_target = sum(1 for n in weekly_posts if n >= target)
    days = sorted(set(d for d in post_days if window_start <= d <= window_end))
    # Gaps count from the window's start and to its end, so silence at either edge counts.
    edges = [window_start - timedelta(days=1), *days, window_end + timedelta(days=1)]
    longest, gap_from, gap_to = 0, None, None
    for a, b in itertools.pairwise(edges):
        length = (b - a).days - 1
        if length > longest:
            longest, gap_from, gap_to = length, a + timedelta(days=1), b - timedelta(days=1)
    allowed = max(2, math.ceil(2 * 7 / target))
    gap = 1.0 if longest <= allowed else _clamp(1 - (longest - allowed) / (GAP_ZERO_DAYS - allowed))
    score = round(WEIGHT_CADENCE * cadence + WEIGHT_REGULARITY * regularity + WEIGHT_GAP * gap)
    advice: list[str] = []

    def prefix(text: str) -> str:
        return f"{label}: {text}" if label else text[:1].upper() + text[1:]

    achieved = total / weeks
    if cadence < 1:
        more = max(1, math.ceil(target - achieved))
        advice.append(
            prefix(
                ngettext(
                    "%(more)s unggahan lagi per minggu (rata-rata %(achieved)s unggahan/minggu, "
                    "target %(target)s).",
                    "%(more)s unggahan lagi per minggu (rata-rata %(achieved)s unggahan/minggu, "
                    "target %(target)s).",
                    more,
                )
                % {"more": more, "achieved": readable.number(achieved, 1), "target": _fmt(target)}
            )
        )
    if regularity < 0.9 and weeks > 1:
        advice.append(
            prefix(
                _(
                    "hanya %(ok)s dari %(weeks)s minggu memenuhi target; sebar unggahan merata "
                    "setiap minggu, jangan menumpuk."
                )
                % {"ok": on_target, "weeks": weeks}
            )
        )
    if longest > allowed and gap_from and gap_to:
        advice.append(
            prefix(
                _(
                    "jeda terpanjang %(days)s hari (%(a)s–%(b)s); usahakan jeda tidak lebih dari "  # noqa: RUF001  (typographic dash/sign on purpose)
                    "%(allowed)s hari."
                )
                % {
                    "days": longest,
                    "a": date_format(gap_from, "j M"),
                    "b": date_format(gap_to, "j M Y"),
                    "allowed": allowed,
                }
            )
        )
    return Consistency(
        score=score,
        target_per_week=target,
        achieved_per_week=round(total / weeks, 1),
        cadence=cadence,
        regularity=regularity,
        weeks_on_target=on_target,
        weeks=weeks,
        longest_gap_days=longest,
        gap_from=gap_from,
        gap_to=gap_to,
        allowed_gap_days=allowed,
        gap=gap,
        advice=advice,
    )


def combine_consistency(parts: Sequence[Consistency]) -> Consistency | None:
    """An agency's index: the mean of its channels' components (each channel counts once)."""
    if not parts:
        return None
    n = len(parts)
    worst = max(parts, key=lambda c: c.longest_gap_days)
    cadence = sum(c.cadence for c in parts) / n
    regularity = sum(c.regularity for c in parts) / n
    gap = sum(c.gap for c in parts) / n
    advice: list[str] = []
    for c in sorted(parts, key=lambda c: c.score):
        for line in c.advice:
            if line not in advice:
                advice.append(line)
    return Consistency(
        score=round(WEIGHT_CADENCE * cadence + WEIGHT_REGULARITY * regularity + WEIGHT_GAP * gap),
        target_per_week=sum(c.target_per_week for c in parts),
        achieved_per_week=round(sum(c.achieved_per_week for c in parts), 1),
        cadence=cadence,
        regularity=regularity,
        weeks_on_target=min(c.weeks_on_target for c in parts),
        weeks=parts[0].weeks,
        longest_gap_days=worst.longest_gap_days,
        gap_from=worst.gap_from,
        gap_to=worst.gap_to,
        allowed_gap_days=worst.allowed_gap_days,
        gap=gap,
        advice=advice[:4],
    )


def _fmt(x: float) -> str:
    return readable.number(x, 1)


# -- content mix -----------------------------------------------------------------------


@dataclass
class MixRow:
    category: str
    label: str
    posts: int
    share: float  # 0..100
    target: float  # 0..100
    difference: float


@dataclass
class ContentMix:
    rows: list[MixRow]
    posts: int
    alignment: int | None  # 0..100: 100 minus the total-variation distance to the target
    activity_heavy: bool
    activity_share: float
    target_is_default: bool
    advice: list[str] = field(default_factory=list)


def content_mix(counts: Mapping[str, int], target: Mapping[str, float] | None) -> ContentMix:
    target_is_default = not target
    goal = {k: float(v) for k, v in (target or DEFAULT_TARGET_MIX).items()}
    total = sum(counts.values())
    goal_total = sum(goal.values()) or 100.0
    rows = []
    for cat in PostCategory:
        n = counts.get(cat.value, 0)
        share = 100 * n / total if total else 0.0
        tgt = 100 * goal.get(cat.value, 0.0) / goal_total
        if n or tgt:
            rows.append(MixRow(cat.value, str(cat.label), n, share, tgt, share - tgt))
    alignment = round(100 - sum(abs(r.difference) for r in rows) / 2) if total else None
    activity = counts.get(PostCategory.ACTIVITY, 0) / total if total else 0.0
    advice = []
    if total and activity > ACTIVITY_HEAVY_SHARE:
        advice.append(
            _(
                "%(share)s%% unggahan adalah laporan kegiatan. Publik lebih terbantu oleh "
                "informasi layanan, edukasi dan ajakan berpartisipasi."
            )
            % {"share": round(100 * activity)}
        )
    for r in sorted(rows, key=lambda r: r.difference):
        if total and r.difference < -10:
            advice.append(
                _("Tambah %(label)s: %(share)s%% dari target %(target)s%%.")
                % {"label": r.label.lower(), "share": round(r.share), "target": round(r.target)}
            )
    return ContentMix(
        rows,
        total,
        alignment,
        activity > ACTIVITY_HEAVY_SHARE,
        100 * activity,
        target_is_default,
        advice[:3],
    )


# -- public response -------------------------------------------------------------------


@dataclass
class Response:
    engagement_rate: float | None  # percent
    rate_basis: str  # "reach" or "followers" or ""
    comments: int
    positive: int
    neutral: int
    negative: int
    questions: int
    answered: int
    answered_share: float | None  # 0..100
    median_response_minutes: float | None
    unrated: int = 0  # comments the language engine has not annotated yet
    mean_response_minutes: float | None = None

    @property
    def rate_basis_label(self) -> str:
        if self.rate_basis == "reach":
            return _("interaksi ÷ jangkauan")
        if self.rate_basis == "followers":
            return _("interaksi per unggahan ÷ pengikut")
        return ""

    @property
    def negative_share(self) -> float | None:
        rated = self.positive + self.neutral + self.negative
        return 100 * self.negative / rated if rated else None


def public_response(
    *,
    reach_posts_engagement: int,
    reach: int,
    engagement: int,
    posts: int,
    followers: int | None,
    sentiments: Mapping[str, int],
    questions: int,
    answered: int,
    response_minutes: Sequence[float],
    unrated: int = 0,
) -> Response:
    """Engagement rate by reach where platforms report reach, else per post by followers."""
    if reach > 0:
        rate, basis = 100 * reach_posts_engagement / reach, "reach"
    elif followers and posts:
        rate, basis = 100 * engagement / posts / followers, "followers"
    else:
        rate, basis = None, ""
    return Response(
        engagement_rate=rate,
        rate_basis=basis,
        comments=sum(sentiments.values()) + unrated,
        positive=sentiments.get("positive", 0),
        neutral=sentiments.get("neutral", 0),
        negative=sentiments.get("negative", 0),
        questions=questions,
        answered=answered,
        answered_share=100 * answered / questions if questions else None,
        median_response_minutes=statistics.median(response_minutes) if response_minutes else None,
        unrated=unrated,
        mean_response_minutes=statistics.fmean(response_minutes) if response_minutes else None,
    )


# -- apathy early warning --------------------------------------------------------------


@dataclass
class ApathyWarning:
    firing: bool
    baseline: float | None  # median weekly engagement per post in the baseline weeks
    recent: float | None
    drop: float | None  # 0..1
    weeks_below: int
    period_start: date | None
    period_end: date | None
    reason: str

    @property
    def drop_percent(self) -> int | None:
        return round(100 * self.drop) if self.drop is not None else None


def apathy_warning(weeks: Sequence[tuple[date, int, int]]) -> ApathyWarning:
    """Sustained decline of weekly engagement per post vs the agency's own 12-week baseline.

    `weeks`: (monday, posts, engagement) for consecutive complete weeks, oldest first.
    Weekly figures already absorb day-of-week seasonality; medians ignore single spikes;
    requiring most recent weeks below the threshold makes one bad week not enough.
    """
    series = list(weeks)[-(APATHY_RECENT_WEEKS + APATHY_BASELINE_WEEKS) :]
    recent = series[-APATHY_RECENT_WEEKS:]
    base = series[:-APATHY_RECENT_WEEKS]
    base_values = [e / p for _, p, e in base if p]
    recent_values = [e / p for _, p, e in recent if p]
    start = recent[0][0] if recent else None
    end = recent[-1][0] + timedelta(days=6) if recent else None
    if len(base_values) < APATHY_MIN_BASELINE_WEEKS or len(recent_values) < APATHY_PERSIST:
        return ApathyWarning(
            False,
            None,
            None,
            None,
            0,
            start,
            end,
            _("Data belum cukup untuk membandingkan dengan rata-rata sendiri."),
        )
    b = statistics.median(base_values)
    r = statistics.median(recent_values)
    if b <= 0:
        return ApathyWarning(False, b, r, None, 0, start, end, "")
    threshold = (1 - APATHY_DROP) * b
    below = sum(1 for v in recent_values if v < threshold)
    drop = 1 - r / b
    firing = drop >= APATHY_DROP and below >= APATHY_PERSIST
    reason = ""
    if firing and start and end:
        reason = _(
            "Interaksi per unggahan turun %(drop)s%% selama %(start)s–%(end)s: umumnya "  # noqa: RUF001  (typographic dash/sign on purpose)
            "%(recent)s per unggahan, sebelumnya %(base)s selama %(weeks)s minggu; "
            "%(below)s dari %(n)s minggu terakhir jauh di bawah biasanya."
        ) % {
            "drop": round(100 * drop),
            "start": date_format(start, "j M"),
            "end": date_format(end, "j M Y"),
            "recent": _fmt(round(r, 1)),
            "base": _fmt(round(b, 1)),
            "weeks": len(base_values),
            "below": below,
            "n": len(recent_values),
        }
    return ApathyWarning(firing, b, r, drop, below, start, end, reason)


# -- leadership change -----------------------------------------------------------------


@dataclass
class PeriodFacts:
    weeks: float
    posts: int
    engagement: int
    categories: dict[str, int]
    tones: dict[str, int]
    questions: int
    answered: int
    median_response_minutes: float | None

    @property
    def per_week(self) -> float:
        return self.posts / self.weeks if self.weeks else 0.0

    @property
    def per_post(self) -> float:
        return self.engagement / self.posts if self.posts else 0.0

    @property
    def activity_share(self) -> float:
        return 100 * self.categories.get(PostCategory.ACTIVITY, 0) / self.posts if self.posts else 0

    @property
    def positive_tone_share(self) -> float | None:
        rated = sum(self.tones.values())
        return 100 * self.tones.get("positive", 0) / rated if rated else None

    @property
    def answered_share(self) -> float | None:
        return 100 * self.answered / self.questions if self.questions else None

    def top_category(self) -> str:
        if not self.categories:
            return ""
        key = max(self.categories, key=lambda k: self.categories[k])
        return str(PostCategory(key).label) if key in PostCategory.values else key


@dataclass
class LeadershipChange:
    change_date: date
    before_head: str
    after_head: str
    before: PeriodFacts
    after: PeriodFacts
    summary: list[str]


def leadership_summary(before: PeriodFacts, after: PeriodFacts) -> list[str]:
    lines = []
    if before.per_week:
        delta = 100 * (after.per_week - before.per_week) / before.per_week
        if abs(delta) >= 20:
            lines.append(
                _("Frekuensi unggahan %(dir)s %(d)s%% (%(a)s → %(b)s per minggu).")
                % {
                    "dir": _("naik") if delta > 0 else _("turun"),
                    "d": round(abs(delta)),
                    "a": _fmt(round(before.per_week, 1)),
                    "b": _fmt(round(after.per_week, 1)),
                }
            )
    if abs(after.activity_share - before.activity_share) >= 15:
        lines.append(
            _("Porsi laporan kegiatan %(a)s%% → %(b)s%%.")
            % {"a": round(before.activity_share), "b": round(after.activity_share)}
        )
    bt, at = before.positive_tone_share, after.positive_tone_share
    if bt is not None and at is not None and abs(at - bt) >= 15:
        lines.append(
            _("Nada positif keterangan unggahan %(a)s%% → %(b)s%%.")
            % {"a": round(bt), "b": round(at)}
        )
    ba, aa = before.answered_share, after.answered_share
    if ba is not None and aa is not None and abs(aa - ba) >= 15:
        lines.append(
            _("Pertanyaan publik yang dijawab %(a)s%% → %(b)s%%.")
            % {"a": round(ba), "b": round(aa)}
        )
    if before.per_post:
        delta = 100 * (after.per_post - before.per_post) / before.per_post
        if abs(delta) >= 20:
            lines.append(
                _("Interaksi per unggahan %(dir)s %(d)s%%.")
                % {"dir": _("naik") if delta > 0 else _("turun"), "d": round(abs(delta))}
            )
    if not lines:
        lines.append(
            _("Tidak ada perubahan besar pada frekuensi, porsi konten, nada dan tanggapan.")
        )
    return lines
