"""Access to strategy versions, built on warta.institutions.access."""

from dataclasses import dataclass

from django.http import Http404

from warta.institutions.access import AnyUser, officer_of, visible_agencies
from warta.strategy.models import StrategyVersion


@dataclass(frozen=True)
class VersionAccess:
    version: StrategyVersion
    can_decide: bool  # the coordinator accepts or rejects proposals
    can_withdraw: bool  # the author withdraws an undecided proposal


def get_strategy_version_for_user(user: AnyUser, pk: int) -> VersionAccess:
    """A version the user may read: the region baseline, or a visible agency's (404 otherwise)."""
    officer = officer_of(user)
    version = (
        StrategyVersion.objects.select_related("agency", "author", "decided_by")
        .filter(pk=pk)
        .first()
    )
    if officer is None or version is None or version.region_id != officer.region_id:
        raise Http404
    if (
        version.agency_id is not None
        and not visible_agencies(user).filter(pk=version.agency_id).exists()
    ):
        raise Http404
    proposed = version.status == StrategyVersion.Status.PROPOSED
    return VersionAccess(
        version=version,
        can_decide=proposed and officer.is_coordinator,
        can_withdraw=proposed and version.author_id == user.pk,
    )
