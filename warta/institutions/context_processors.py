from django.http import HttpRequest

from warta.institutions.access import officer_of
from warta.institutions.navigation import nav_for_role
from warta.lib import clock


def navigation(request: HttpRequest) -> dict[str, object]:
    officer = officer_of(request.user)
    if officer is None:
        return {"officer": None, "nav_items": [], "tz_label": clock.zone_label()}
    return {
        "tz_label": clock.zone_label(),
        "officer": officer,
        "current_region": officer.region,
        "nav_items": nav_for_role(officer.role, request.path),
    }
