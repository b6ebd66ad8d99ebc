"""How big each demo scale is. Row counts per scale are documented in bench/seed/README.md."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Scale:
    name: str
    regions: int
    agencies_per_region: int
    months: int
    # Multiplies every agency's posts per week; larger scales post less per agency so that
    # a province of two years stays in the low millions of rows.
    post_rate: float
    # Hours after publishing at which a post's counters are read (one MetricSnapshot each).
    metric_hours: tuple[int, ...]
    # Multiplies the public comments per published variant.
    comment_rate: float
    channel_snapshot_days: int
    # Direct messages per agency per week.
    dm_rate: float
    # Every agency has exactly these platforms (None: the city's hand-made mix).
    fixed_platforms: int | None


SCALES: dict[str, Scale] = {
    # For tests: the whole city, but two months and thin history, in about a second.
    "tiny": Scale("tiny", 1, 20, 2, 0.6, (24, 168), 0.5, 7, 0.2, None),
    "city": Scale("city", 1, 20, 6, 1.0, (2, 24, 72, 168), 1.0, 1, 1.0, None),
    "province": Scale("province", 40, 40, 24, 0.35, (168,), 0.12, 7, 0.0, 4),
}
