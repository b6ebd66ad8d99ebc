from datetime import UTC, date, datetime, timedelta

import time_machine

from warta.analytics.models import ChannelSnapshot, MetricSnapshot, MetricSource, PostRollup, Rollup
from warta.analytics.rollups import rollups_rebuild, rollups_refresh
from warta.content.models import PostVariant
from warta.lib.categories import PostCategory

from .helpers import publish

NOW = datetime(2026, 10, 30, 4, 0, tzinfo=UTC)


def _row(scope: str, period: str, start: date) -> Rollup:
    return Rollup.objects.get(scope=scope, period=period, start=start)


@time_machine.travel(NOW, tick=False)
def test_it_rolls_posts_up_by_day_week_month_in_the_region_zone(world) -> None:
    # 16:30 UTC on 12 Oct is 00:30 on 13 Oct in Makassar: the local day counts.
    publish(world.channel_a, datetime(2026, 10, 12, 16, 30, tzinfo=UTC), likes=5, reach=100)
    publish(world.channel_a, datetime(2026, 10, 14, 2, 0, tzinfo=UTC), likes=7, comments=3)
    rollups_refresh()
    day = _row(f"channel:{world.channel_a.pk}", "day", date(2026, 10, 13))
    assert (day.posts, day.engagement, day.reach) == (1, 5, 100)
    week = _row(f"agency:{world.agency_a.pk}", "week", date(2026, 10, 12))
    assert (week.posts, week.engagement, week.reach_posts_engagement) == (2, 15, 5)
    month = _row(f"region:{world.region.pk}", "month", date(2026, 10, 1))
    assert month.posts == 2
    assert month.categories == {PostCategory.SERVICE: 2}


@time_machine.travel(NOW, tick=False)
def test_it_updates_only_what_changed_and_matches_a_full_rebuild(world, monkeypatch) -> None:
    # Without the safety overlap the run touches exactly what changed.
    monkeypatch.setattr("warta.analytics.rollups.ID_OVERLAP", 0)
    monkeypatch.setattr("warta.analytics.rollups.TIME_OVERLAP", timedelta(0))
    v1 = publish(world.channel_a, datetime(2026, 10, 5, 2, 0, tzinfo=UTC), likes=5)
    publish(world.channel_b, datetime(2026, 9, 1, 2, 0, tzinfo=UTC), likes=9)
    rollups_refresh()
    untouched = _row(f"channel:{world.channel_b.pk}", "month", date(2026, 9, 1)).updated_at
    MetricSnapshot.objects.create(variant=v1, captured_at=NOW, likes=50, source=MetricSource.API)
    stats = rollups_refresh()
    assert stats.variants == 1
    assert _row(f"agency:{world.agency_a.pk}", "week", date(2026, 10, 5)).engagement == 50
    assert _row(f"channel:{world.channel_b.pk}", "month", date(2026, 9, 1)).updated_at == untouched
    before = sorted(Rollup.objects.values_list("scope", "period", "start", "posts", "engagement"))
    rollups_rebuild()
    after = sorted(Rollup.objects.values_list("scope", "period", "start", "posts", "engagement"))
    assert before == after
    assert rollups_refresh().variants == 0


@time_machine.travel(NOW, tick=False)
def test_it_drops_a_post_that_is_no_longer_published(world) -> None:
    v = publish(world.channel_a, datetime(2026, 10, 5, 2, 0, tzinfo=UTC))
    rollups_refresh()
    PostVariant.objects.filter(pk=v.pk).update(
        status=PostVariant.Status.CANCELLED, updated_at=NOW + timedelta(seconds=1)
    )
    with time_machine.travel(NOW + timedelta(minutes=1), tick=False):
        rollups_refresh()
    assert not PostRollup.objects.filter(variant=v).exists()
    assert _row(f"agency:{world.agency_a.pk}", "day", date(2026, 10, 5)).posts == 0


@time_machine.travel(NOW, tick=False)
def test_it_keeps_a_hand_set_category_and_the_last_follower_count(world) -> None:
    publish(
        world.channel_a,
        datetime(2026, 10, 5, 2, 0, tzinfo=UTC),
        category=PostCategory.ACTIVITY,
        by_hand=True,
    )
    ChannelSnapshot.objects.create(
        channel=world.channel_a,
        captured_at=datetime(2026, 10, 5, 1, 0, tzinfo=UTC),
        followers=100,
        source=MetricSource.API,
    )
    ChannelSnapshot.objects.create(
        channel=world.channel_a,
        captured_at=datetime(2026, 10, 7, 1, 0, tzinfo=UTC),
        followers=120,
        source=MetricSource.API,
    )
    rollups_refresh()
    assert PostRollup.objects.get().category_source == "hand"
    assert _row(f"channel:{world.channel_a.pk}", "week", date(2026, 10, 5)).followers == 120
    assert _row(f"agency:{world.agency_a.pk}", "week", date(2026, 10, 5)).followers == 120


@time_machine.travel(NOW, tick=False)
def test_only_one_rollup_run_at_a_time(world) -> None:
    from warta.analytics.rollups import LEASE, rollups_refresh_exclusive
    from warta.core.scheduling import lease_acquire, lease_release

    publish(world.channel_a, datetime(2026, 10, 5, 2, 0, tzinfo=UTC))
    assert lease_acquire(name=LEASE, holder="another-worker", seconds=60)
    assert rollups_refresh_exclusive() is None
    assert not Rollup.objects.exists()
    lease_release(name=LEASE, holder="another-worker")
    stats = rollups_refresh_exclusive()
    assert stats is not None and stats.variants == 1


@time_machine.travel(NOW, tick=False)
def test_the_classifier_fills_in_categories_nobody_set(world, monkeypatch) -> None:
    import warta.language.api as language

    monkeypatch.setattr(language, "classify_posts", lambda captions: ["activity"] * len(captions))
    publish(
        world.channel_a,
        datetime(2026, 10, 5, 2, 0, tzinfo=UTC),
        category=PostCategory.OTHER,
        caption="Kepala dinas meninjau lokasi pembangunan puskesmas",
    )
    publish(
        world.channel_a,
        datetime(2026, 10, 6, 2, 0, tzinfo=UTC),
        category=PostCategory.OTHER,
        by_hand=True,
        caption="Lain-lain",
    )
    rollups_refresh()
    sources = dict(PostRollup.objects.values_list("category_source", "category"))
    assert sources == {"model": "activity", "hand": "other"}
    assert all(PostRollup.objects.values_list("tone", flat=True))  # caption sentiment
