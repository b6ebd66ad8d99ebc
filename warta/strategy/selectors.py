"""Reads of the strategy app; the seam the calendar, analytics and guardrails use.

current_strategy(agency)   -> CurrentStrategy (merged baseline + agency, with versions)
cadence_targets(agency)    -> {platform: posts per week}
target_mix(agency)         -> {PostCategory value: percent}, sums to 100 or is empty
current_strategies(agencies) -> {agency id: merged StrategyData}, a fixed number of queries
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import Q, QuerySet

from warta.institutions.models import Agency, LeadershipTerm, Officer, Region
from warta.strategy.models import StrategyGovernance, StrategyVersion
from warta.strategy.schema import SECTIONS, StrategyData, merge

ALL_PROPOSERS = [Officer.Role.OFFICER, Officer.Role.HEAD, Officer.Role.COORDINATOR]
DEFAULT_RULES: dict[str, dict[str, list[str]]] = {
    section: {"propose": list(ALL_PROPOSERS), "direct": [Officer.Role.COORDINATOR]}
    for section in SECTIONS
}


@dataclass(frozen=True)
class CurrentStrategy:
    agency: Agency | None
    data: StrategyData  # merged: what officers of the agency work under
    own: StrategyVersion | None  # the agency's accepted version, if any
    baseline: StrategyVersion | None  # the region's accepted baseline, if any

    @property
    def pillar_labels(self) -> dict[str, str]:
        from warta.lib.categories import PostCategory

        labels = {c.value: str(c.label) for c in PostCategory}
        labels.update({p["category"]: p["label"] for p in self.data["pillars"] if p["label"]})
        return labels


def _scope(region_id: int, agency_id: int | None) -> Q:
    if agency_id is None:
        return Q(region_id=region_id, agency__isnull=True)
    return Q(region_id=region_id, agency_id=agency_id)


def current_version(region_id: int, agency_id: int | None) -> StrategyVersion | None:
    return (
        StrategyVersion.objects.filter(
            _scope(region_id, agency_id), status=StrategyVersion.Status.ACCEPTED
        )
        .order_by("-decided_at", "-number")
        .first()
    )


def current_strategy(agency: Agency) -> CurrentStrategy:
    baseline = current_version(agency.region_id, None)
    own = current_version(agency.region_id, agency.pk)
    data = merge(baseline.data if baseline else None, own.data if own else None)
    return CurrentStrategy(agency=agency, data=data, own=own, baseline=baseline)


def baseline_strategy(region: Region) -> CurrentStrategy:
    baseline = current_version(region.pk, None)
    return CurrentStrategy(
        agency=None,
        data=merge(baseline.data if baseline else None, None),
        own=None,
        baseline=baseline,
    )


def current_strategies(agencies: Iterable[Agency]) -> dict[int, StrategyData]:
    """The merged strategy of each agency, in three queries whatever their number.

    For pages that list many agencies (the ranking, the report): current_strategy per
    agency costs two queries each.
    """
    agency_list = list(agencies)
    if not agency_list:
        return {}
    accepted = StrategyVersion.objects.filter(status=StrategyVersion.Status.ACCEPTED)
    region_ids = {a.region_id for a in agency_list}
    agency_ids = [a.pk for a in agency_list]
    # The newest accepted version per scope, chosen from the light columns first; only
    # those versions' data is then read.
    latest: dict[tuple[int, int | None], int] = {}
    for pk, region_id, agency_id in (
        accepted.filter(
            Q(agency__isnull=True, region_id__in=region_ids) | Q(agency_id__in=agency_ids)
        )
        .order_by("-decided_at", "-number")
        .values_list("pk", "region_id", "agency_id")
    ):
        latest.setdefault((region_id, agency_id), pk)
    data = dict(StrategyVersion.objects.filter(pk__in=latest.values()).values_list("pk", "data"))
    out = {}
    for a in agency_list:
        baseline = data.get(latest.get((a.region_id, None), 0))
        own = data.get(latest.get((a.region_id, a.pk), 0))
        out[a.pk] = merge(baseline, own)
    return out


def cadence_targets(agency: Agency) -> dict[str, float]:
    return dict(current_strategy(agency).data["cadence"])


def target_mix(agency: Agency) -> dict[str, int]:
    return dict(current_strategy(agency).data["target_mix"])


def governance_rules(region_id: int) -> tuple[dict[str, dict[str, list[str]]], int]:
    gov = StrategyGovernance.objects.filter(region_id=region_id).first()
    rules = {k: {**v} for k, v in DEFAULT_RULES.items()}
    if gov is not None:
        for section, rule in (gov.rules or {}).items():
            if section in rules:
                rules[section].update(rule)
        return rules, gov.head_change_window_days
    return rules, 90


def recent_head_change(agency_id: int, on: date, window_days: int) -> LeadershipTerm | None:
    """The term of a head who took office within window_days before `on` (a new head)."""
    return (
        LeadershipTerm.objects.filter(
            agency_id=agency_id, start__lte=on, start__gt=on - timedelta(days=window_days)
        )
        .order_by("-start")
        .first()
    )


def versions_for(region_id: int, agency_id: int | None) -> QuerySet[StrategyVersion]:
    return StrategyVersion.objects.filter(_scope(region_id, agency_id)).select_related(
        "author", "decided_by"
    )


def pending_proposals(
    region_id: int, agency_ids: list[int] | None = None
) -> QuerySet[StrategyVersion]:
    qs = StrategyVersion.objects.filter(
        region_id=region_id, status=StrategyVersion.Status.PROPOSED
    ).select_related("agency", "author")
    if agency_ids is not None:
        qs = qs.filter(Q(agency_id__in=agency_ids))
    return qs.order_by("created_at")


def agency_overview(region_id: int, agency_ids: list[int]) -> list[dict[str, Any]]:
    """One row per agency: current version, pending proposals, flagged proposals."""
    rows: dict[int, dict[str, Any]] = {
        a.pk: {"agency": a, "current": None, "pending": 0, "flagged": 0}
        for a in Agency.objects.filter(pk__in=agency_ids).order_by("name")
    }
    for v in (
        StrategyVersion.objects.filter(region_id=region_id, agency_id__in=agency_ids)
        .only("agency_id", "number", "status", "decided_at", "head_change_flag")
        .order_by("decided_at", "number")
    ):
        row = rows[v.agency_id]  # type: ignore[index]
        if v.status == StrategyVersion.Status.ACCEPTED:
            row["current"] = v
        elif v.status == StrategyVersion.Status.PROPOSED:
            row["pending"] += 1
            row["flagged"] += int(v.head_change_flag)
    return list(rows.values())
