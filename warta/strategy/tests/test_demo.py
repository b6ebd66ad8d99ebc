import random
from datetime import UTC, date, datetime

from warta.guardrails import demo as guardrails_demo
from warta.institutions.demo.context import DemoContext
from warta.institutions.models import LeadershipTerm
from warta.strategy import demo
from warta.strategy.models import StrategyVersion
from warta.strategy.selectors import current_strategy
from warta.testing.fixtures import World


def test_the_demo_seeds_versions_and_one_flagged_proposal(world: World) -> None:
    LeadershipTerm.objects.create(
        agency=world.agency_a, head_name="dr. Baru", start=date(2026, 3, 1)
    )
    ctx = DemoContext(
        region=world.region,
        rng=random.Random(1),
        scale="tiny",
        start=datetime(2025, 12, 1, tzinfo=UTC),
        end=datetime(2026, 6, 1, tzinfo=UTC),
        progress=lambda message: None,
    )
    demo.seed(ctx)
    guardrails_demo.seed(ctx)
    demo.seed(ctx)  # idempotent
    assert StrategyVersion.objects.filter(agency=None, status="accepted").count() == 2
    flagged = StrategyVersion.objects.get(head_change_flag=True)
    assert flagged.status == "proposed" and flagged.agency == world.agency_a
    assert current_strategy(world.agency_b).data["cadence"]["instagram"] >= 4


def test_the_demo_sets_cadence_targets_only_for_the_agencys_own_platforms(world: World) -> None:
    from warta.channels.models import Channel

    # Like Dishub: Instagram and X, no TikTok.
    Channel.objects.create(agency=world.agency_a, platform="x", handle="@dinkes_x")
    ctx = DemoContext(
        region=world.region,
        rng=random.Random(2),
        scale="tiny",
        start=datetime(2025, 12, 1, tzinfo=UTC),
        end=datetime(2026, 6, 1, tzinfo=UTC),
        progress=lambda message: None,
    )
    demo.seed(ctx)
    cadence = current_strategy(world.agency_a).data["cadence"]
    assert set(cadence) == {"instagram", "x"}
