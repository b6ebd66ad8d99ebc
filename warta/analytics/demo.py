"""Demo data for analytics: the base history is seeded elsewhere; fold it into rollups."""

from warta.analytics.rollups import rollups_refresh
from warta.institutions.demo.context import DemoContext


def seed(ctx: DemoContext) -> None:
    # Dashboards read rollups only, so a fresh demo shows nothing until they are built.
    # Incremental: with several regions seeded one after another, each run only adds
    # what the previous regions' runs have not folded in yet.
    stats = rollups_refresh()
    ctx.progress(
        f"{ctx.region.name}: analytics rollups ({stats.buckets} buckets, {stats.seconds:.1f} s)"
    )
