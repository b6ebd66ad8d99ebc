"""Targets and this week's gaps count the channels an agency has, each against its own target."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import time_machine
from django.utils import timezone

from warta.analytics import cadence
from warta.channels.models import Channel
from warta.strategy.models import StrategyVersion
from warta.strategy.schema import empty_data

from .helpers import publish

NOW = datetime(2026, 10, 28, 1, 0, tzinfo=UTC)  # Wednesday 09:00 WITA
TZ = ZoneInfo("Asia/Makassar")
MONDAY = date(2026, 10, 26)


def accept(world, agency, data: dict, number: int = 1) -> StrategyVersion:
    return StrategyVersion.objects.create(
        region=world.region,
        agency=agency,
        number=number,
        data={**empty_data(), **data},
        reason="Uji",
        author=world.cora,
        status=StrategyVersion.Status.ACCEPTED,
        decided_by=world.cora,
        decided_at=timezone.now(),
    )


@time_machine.travel(NOW, tick=False)
def test_targets_are_the_channels_the_agency_has_never_the_platforms_it_lacks(world) -> None:
    # Like Dishub: the strategy asks for TikTok (no account) and sets nothing for X (an account).
    x = Channel.objects.create(agency=world.agency_a, platform="x", handle="@dinkes_uji")
    accept(world, world.agency_a, {"cadence": {"instagram": 5, "tiktok": 2}})
    targets = cadence.channel_targets([world.agency_a, world.agency_b])
    mine = {t.channel.pk: (t.per_week, t.is_default) for t in targets[world.agency_a.pk]}
    assert mine == {world.channel_a.pk: (5.0, False), x.pk: (3.0, True)}
    assert "tiktok" not in {t.channel.platform for t in targets[world.agency_a.pk]}
    # Agency B has no strategy of its own: its Instagram is held to the default.
    assert [(t.per_week, t.is_default) for t in targets[world.agency_b.pk]] == [(3.0, True)]


@time_machine.travel(NOW, tick=False)
def test_the_newest_accepted_version_and_the_baseline_apply(world) -> None:
    accept(world, None, {"cadence": {"instagram": 2}})  # region baseline
    accept(world, world.agency_a, {"cadence": {"instagram": 4}})
    with time_machine.travel(NOW + timedelta(minutes=5), tick=False):
        accept(world, world.agency_a, {"cadence": {"instagram": 6}}, number=2)
    targets = cadence.channel_targets([world.agency_a, world.agency_b])
    assert targets[world.agency_a.pk][0].per_week == 6.0
    assert targets[world.agency_b.pk][0].per_week == 2.0  # the baseline


@time_machine.travel(NOW, tick=False)
def test_week_gaps_name_the_channel_and_what_is_missing(world) -> None:
    accept(world, world.agency_a, {"cadence": {"instagram": 3}})
    publish(world.channel_a, NOW - timedelta(hours=12))  # this week
    publish(world.channel_a, NOW - timedelta(days=5))  # last week: does not count
    [gap] = cadence.week_gaps([world.agency_a], week_start=MONDAY, tz=TZ)[world.agency_a.pk]
    assert (gap.posts, gap.missing) == (1, 2)
    assert gap.advice == "Instagram @dinkes.uji: 2 unggahan lagi minggu ini"


def test_strategies_of_many_agencies_cost_the_same_queries_as_of_one(
    world, django_assert_num_queries
) -> None:
    from warta.institutions.models import Agency

    accept(world, world.agency_a, {"cadence": {"instagram": 3}})
    with django_assert_num_queries(3):
        cadence.channel_targets([world.agency_a])
    many = [
        Agency.objects.create(region=world.region, name=f"Badan {n}", short_name=f"B{n}")
        for n in range(10)
    ]
    for a in many:
        Channel.objects.create(agency=a, platform="facebook", handle=f"b{a.pk}")
    with django_assert_num_queries(3):
        cadence.channel_targets([world.agency_a, *many])
