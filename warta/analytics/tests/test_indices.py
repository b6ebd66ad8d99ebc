from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from warta.analytics import indices
from warta.lib.categories import PostCategory

MONDAY = date(2026, 7, 6)


def _weeks(values: Sequence[float], posts: int = 4) -> list[tuple[date, int, int]]:
    """Weekly (monday, posts, engagement) with `values` as engagement per post."""
    return [(MONDAY + timedelta(weeks=i), posts, round(v * posts)) for i, v in enumerate(values)]


def test_it_scores_a_channel_that_meets_its_cadence_every_week_at_100() -> None:
    start = MONDAY
    days = [start + timedelta(days=d) for d in range(0, 84, 2)]  # every other day
    c = indices.consistency_index(
        weekly_posts=[3] * 12,
        post_days=days,
        window_start=start,
        window_end=start + timedelta(days=83),
        target_per_week=3,
    )
    assert c.score == 100
    assert c.advice == []


def test_it_explains_what_would_raise_a_lapsing_channel() -> None:
    start = MONDAY
    weekly = [3, 3, 3, 3, 0, 0, 0, 1, 3, 3, 3, 3]
    days = [start + timedelta(weeks=w, days=d) for w, n in enumerate(weekly) for d in range(n)]
    c = indices.consistency_index(
        weekly_posts=weekly,
        post_days=days,
        window_start=start,
        window_end=start + timedelta(days=83),
        target_per_week=3,
    )
    assert c.longest_gap_days >= 21
    assert c.weeks_on_target == 8
    assert c.gap == 0
    assert 40 < c.score < 80
    assert len(c.advice) == 3
    assert "Jeda terpanjang" in c.advice[2]


def test_it_counts_silence_at_the_edges_of_the_window_as_a_gap() -> None:
    c = indices.consistency_index(
        weekly_posts=[0, 0, 5],
        post_days=[MONDAY + timedelta(days=15)],
        window_start=MONDAY,
        window_end=MONDAY + timedelta(days=20),
        target_per_week=3,
    )
    assert c.longest_gap_days == 15
    assert c.gap_from == MONDAY


def test_it_uses_the_default_cadence_when_the_strategy_sets_none() -> None:
    c = indices.consistency_index(
        weekly_posts=[3],
        post_days=[],
        window_start=MONDAY,
        window_end=MONDAY + timedelta(days=6),
        target_per_week=0,
    )
    assert c.target_per_week == indices.DEFAULT_POSTS_PER_WEEK


def test_it_signals_an_agency_that_posts_mostly_activity_reports() -> None:
    mix = indices.content_mix({PostCategory.ACTIVITY: 8, PostCategory.SERVICE: 2}, None)
    assert mix.activity_heavy
    assert mix.target_is_default
    assert "80% unggahan adalah laporan kegiatan" in mix.advice[0]
    balanced = indices.content_mix(
        {PostCategory.SERVICE: 5, PostCategory.ACTIVITY: 5},
        {PostCategory.SERVICE: 50, PostCategory.ACTIVITY: 50},
    )
    assert not balanced.activity_heavy
    assert balanced.alignment == 100


def test_it_states_whether_engagement_rate_is_by_reach_or_by_followers() -> None:
    common: dict[str, Any] = {
        "engagement": 50,
        "posts": 5,
        "sentiments": {"positive": 3, "negative": 1},
        "questions": 4,
        "answered": 3,
        "response_minutes": [10, 30, 600],
    }
    by_reach = indices.public_response(
        reach_posts_engagement=50, reach=1000, followers=500, **common
    )
    assert (by_reach.rate_basis, by_reach.engagement_rate) == ("reach", 5.0)
    by_followers = indices.public_response(
        reach_posts_engagement=0, reach=0, followers=500, **common
    )
    assert (by_followers.rate_basis, by_followers.engagement_rate) == ("followers", 2.0)
    assert by_reach.answered_share == 75
    assert by_reach.median_response_minutes == 30
    assert by_reach.negative_share == 25


def test_apathy_fires_on_a_sustained_decline_with_its_evidence() -> None:
    series = _weeks([100] * 12 + [60, 55, 58, 50, 52, 49])
    w = indices.apathy_warning(series)
    assert w.firing
    assert w.drop_percent == 46
    assert w.weeks_below == 6
    assert w.period_start == MONDAY + timedelta(weeks=12)
    assert "turun 46%" in w.reason


def test_apathy_ignores_a_single_spike_and_a_single_bad_week() -> None:
    spike_in_baseline = _weeks([100] * 5 + [900] + [100] * 6 + [95, 100, 105, 98, 102, 97])
    assert not indices.apathy_warning(spike_in_baseline).firing
    one_bad_week = _weeks([100] * 12 + [100, 20, 100, 105, 98, 101])
    assert not indices.apathy_warning(one_bad_week).firing
    two_bad_weeks = _weeks([100] * 12 + [100, 20, 30, 105, 98, 101])
    assert not indices.apathy_warning(two_bad_weeks).firing


def test_apathy_is_robust_to_weekly_seasonality() -> None:
    # Daily engagement high on weekdays and low at weekends sums to the same every week;
    # an alternating busy/quiet week pattern (e.g. fortnightly events) keeps its median.
    alternating = _weeks([140, 60] * 9)
    assert not indices.apathy_warning(alternating).firing


def test_apathy_needs_enough_history() -> None:
    w = indices.apathy_warning(_weeks([100, 100, 10, 10, 10, 10]))
    assert not w.firing
    assert "belum cukup" in w.reason


def test_leadership_summary_names_the_style_shift() -> None:
    before = indices.PeriodFacts(
        weeks=12,
        posts=36,
        engagement=3600,
        categories={PostCategory.SERVICE: 30, PostCategory.ACTIVITY: 6},
        tones={"positive": 10, "neutral": 26},
        questions=10,
        answered=9,
        median_response_minutes=30,
    )
    after = indices.PeriodFacts(
        weeks=12,
        posts=18,
        engagement=900,
        categories={PostCategory.ACTIVITY: 15, PostCategory.SERVICE: 3},
        tones={"positive": 2, "neutral": 16},
        questions=10,
        answered=3,
        median_response_minutes=300,
    )
    lines = indices.leadership_summary(before, after)
    text = " ".join(lines)
    assert "turun 50%" in text
    assert "17% → 83%" in text
    assert "90% → 30%" in text
