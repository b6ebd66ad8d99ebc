import random
from datetime import UTC, datetime, timedelta

from warta.analytics import demo
from warta.analytics.models import Rollup
from warta.institutions.demo.context import DemoContext

from .helpers import publish


def test_the_demo_hook_builds_rollups_so_dashboards_show_the_history(world) -> None:
    end = datetime(2026, 10, 30, tzinfo=UTC)
    publish(world.channel_a, end - timedelta(days=3))
    lines: list[str] = []
    demo.seed(
        DemoContext(
            region=world.region,
            rng=random.Random(1),
            scale="tiny",
            start=end - timedelta(days=90),
            end=end,
            progress=lines.append,
        )
    )
    assert Rollup.objects.filter(scope=f"region:{world.region.pk}", period="month").exists()
    assert "rollups" in lines[0]
