"""How much of the communication served which Renstra programme, over a period.

A post serves the programmes its pillar (its category) names in the agency's current
strategy. A post whose pillar names two programmes counts for both; the share is of all
the agency's posts in the period, so shares need not add up to 100 %.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count

from warta.analytics.models import PostRollup
from warta.institutions.models import Agency
from warta.strategy.models import Programme
from warta.strategy.selectors import current_strategies


@dataclass
class ProgrammeShare:
    code: str
    name: str  # "" when the code was never imported from SIPD
    posts: int
    share: float  # percent of the posts of the agencies that name it
    agencies: list[str] = field(default_factory=list)  # short names


def programme_shares(agencies: Iterable[Agency], start: date, end: date) -> list[ProgrammeShare]:
    """Programmes by posts served in [start, end] (local dates), most first."""
    agencies = list(agencies)
    by_agency: dict[int, dict[str, int]] = defaultdict(dict)
    for row in (
        PostRollup.objects.filter(agency__in=agencies, local_date__gte=start, local_date__lte=end)
        .values("agency_id", "category")
        .annotate(n=Count("id"))
        .order_by()
    ):
        by_agency[row["agency_id"]][row["category"]] = row["n"]
    names = {(p.agency_id, p.code): p.name for p in Programme.objects.filter(agency__in=agencies)}
    posts: dict[str, int] = defaultdict(int)
    base: dict[str, int] = defaultdict(int)
    who: dict[str, list[str]] = defaultdict(list)
    named: dict[str, str] = {}
    strategies = current_strategies(agencies)  # a fixed number of queries for all
    for agency in agencies:
        counts = by_agency.get(agency.pk, {})
        total = sum(counts.values())
        served: dict[str, int] = defaultdict(int)
        for pillar in strategies[agency.pk]["pillars"]:
            for code in pillar.get("programmes", []):
                served[code] += counts.get(pillar["category"], 0)
        for code, n in served.items():
            posts[code] += n
            base[code] += total
            who[code].append(agency.short_name)
            named.setdefault(code, names.get((agency.pk, code), ""))
    return sorted(
        (
            ProgrammeShare(
                code=code,
                name=named[code],
                posts=n,
                share=round(100 * n / base[code], 1) if base[code] else 0.0,
                agencies=who[code],
            )
            for code, n in posts.items()
        ),
        key=lambda s: (-s.posts, s.code),
    )
