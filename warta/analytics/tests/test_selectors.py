"""Indices as the dashboards compute them from rollups of constructed histories."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import time_machine

from warta.analytics import selectors
from warta.analytics.rollups import rollups_refresh
from warta.institutions.models import Agency, LeadershipTerm
from warta.lib.categories import PostCategory

from .helpers import publish

NOW = datetime(2026, 10, 26, 1, 0, tzinfo=UTC)  # Monday 09:00 WITA
TZ = ZoneInfo("Asia/Makassar")
WINDOW = selectors.Filters(start=date(2026, 8, 3), end=date(2026, 10, 25))


def _figures(world) -> selectors.AgencyFigures:
    rows = selectors.agencies_figures(Agency.objects.filter(pk=world.agency_a.pk), WINDOW, TZ)
    return rows[0]


@time_machine.travel(NOW, tick=False)
def test_weekday_seasonality_does_not_raise_the_apathy_warning(world) -> None:
    # Every day for 20 weeks: weekday posts do well, weekend posts poorly. Steady overall.
    for day in range(140):
        at = NOW - timedelta(days=day + 1)
        local = at.astimezone(TZ)
        publish(world.channel_a, at, likes=100 if local.weekday() < 5 else 20)
    rollups_refresh()
    f = _figures(world)
    assert not f.apathy.firing
    assert f.apathy.baseline is not None


@time_machine.travel(NOW, tick=False)
def test_a_sustained_decline_raises_the_warning_on_the_dashboard(world) -> None:
    for day in range(0, 140, 2):
        at = NOW - timedelta(days=day + 1)
        publish(world.channel_a, at, likes=30 if day < 42 else 100)
    # One viral post in the baseline changes nothing.
    publish(world.channel_a, NOW - timedelta(days=80), likes=5000)
    rollups_refresh()
    f = _figures(world)
    assert f.apathy.firing
    assert f.apathy.drop_percent == 70
    assert any("turun 70%" in w.text for w in f.warnings)


@time_machine.travel(NOW, tick=False)
def test_consistency_and_mix_read_from_rollups(world) -> None:
    # Agency A posts three activity reports a week, then goes silent for the last 3 weeks.
    for week in range(3, 12):
        for d in (0, 2, 4):
            publish(
                world.channel_a,
                datetime(2026, 8, 3, 2, tzinfo=UTC) + timedelta(weeks=week - 3, days=d),
                category=PostCategory.ACTIVITY,
            )
    rollups_refresh()
    f = _figures(world)
    assert f.consistency is not None
    assert f.consistency.longest_gap_days >= 21
    assert f.mix.activity_heavy
    assert any("laporan kegiatan" in w.text for w in f.warnings)
    assert any("tidak ada unggahan selama" in w.text for w in f.warnings)


@time_machine.travel(NOW, tick=False)
def test_leadership_change_compares_before_and_after(world) -> None:
    LeadershipTerm.objects.create(
        agency=world.agency_a, head_name="Lama", start=date(2025, 1, 1), end=date(2026, 7, 31)
    )
    LeadershipTerm.objects.create(agency=world.agency_a, head_name="Baru", start=date(2026, 8, 1))
    for day in range(0, 90, 2):  # before: every other day, services
        publish(world.channel_a, datetime(2026, 8, 1, 2, tzinfo=UTC) - timedelta(days=day + 1))
    for day in range(0, 84, 7):  # after: weekly, activity reports
        publish(
            world.channel_a,
            datetime(2026, 8, 1, 2, tzinfo=UTC) + timedelta(days=day),
            category=PostCategory.ACTIVITY,
        )
    rollups_refresh()
    [change] = selectors.leadership_changes(world.agency_a, TZ)
    assert (change.before_head, change.after_head) == ("Lama", "Baru")
    assert change.before.posts == 45 and change.after.posts == 12
    text = " ".join(change.summary)
    assert "Frekuensi unggahan turun" in text
    assert "0% → 100%" in text


@time_machine.travel(NOW, tick=False)
def test_best_times_per_platform_in_local_time(world) -> None:
    for week in range(10):
        base = NOW - timedelta(weeks=week + 1)
        # 11:00 UTC = 19:00 WITA: the evening posts do best.
        publish(world.channel_a, base.replace(hour=11), likes=200)
        publish(world.channel_a, base.replace(hour=0), likes=20)
    rollups_refresh()
    slots = selectors.best_times(world.agency_a)
    assert slots[0].platform == "instagram"
    assert slots[0].label == "Senin 18.00–21.00"  # noqa: RUF001  (typographic dash/sign on purpose)
    assert slots[0].mean_engagement == 200


@time_machine.travel(NOW, tick=False)
def test_response_counts_questions_the_language_engine_has_not_annotated_yet(world) -> None:
    from warta.engagement.models import InboxItem

    asked = NOW - timedelta(days=10)
    for n, (text, intent, answered) in enumerate(
        [
            ("Kapan pendaftaran dibuka?", "", True),  # not annotated yet: the "?" counts
            ("Jadwal posyandu kapan ya", "question", False),
            ("Terima kasih, sangat membantu", "praise", True),
        ]
    ):
        InboxItem.objects.create(
            agency=world.agency_a,
            channel=world.channel_a,
            platform_item_id=f"q{n}",
            text=text,
            intent=intent,
            received_at=asked,
            first_response_at=asked + timedelta(minutes=30) if answered else None,
        )
    f = _figures(world)
    assert (f.response.questions, f.response.answered) == (2, 1)
    assert f.response.median_response_minutes == 30
    assert (f.response.comments, f.response.unrated) == (3, 3)
