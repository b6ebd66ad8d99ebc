"""The directory of people that core asks (`warta.core.people`), answered from officers."""

from django.db.models import QuerySet

from warta.core.people import AnyUser, Standing
from warta.institutions.access import officer_of, visible_agencies
from warta.institutions.models import Agency


class OfficerDirectory:
    def standing(self, user: AnyUser) -> Standing | None:
        officer = officer_of(user)
        if officer is None:
            return None
        return Standing(
            region_id=officer.region_id,
            is_coordinator=officer.is_coordinator,
            can_write=officer.can_write,
        )

    def readable_agencies(self, user: AnyUser) -> QuerySet[Agency]:
        return visible_agencies(user)

    def agency_region_id(self, agency_id: int) -> int | None:
        return Agency.objects.filter(pk=agency_id).values_list("region_id", flat=True).first()
