from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from warta.institutions.access import get_agency_for_user, is_coordinator, require_officer, visible_agencies
from warta.institutions.models import Officer


def agency_list(request: HttpRequest) -> HttpResponse:
    agencies = visible_agencies(request.user).annotate(channel_count=Count("channels"))
    return render(request, "institutions/agency_list.html", {"agencies": agencies})


def agency_detail(request: HttpRequest, pk: int) -> HttpResponse:
    access = get_agency_for_user(request.user, pk)
    agency = access.agency
    return render(
        request,
        "institutions/agency_detail.html",
        {
            "agency": agency,
            "can_edit": access.can_edit,
            "channels": agency.channels.all(),
            "terms": agency.leadership_terms.all(),
            "officers": agency.officers.select_related("user"),
        },
    )


def officer_list(request: HttpRequest) -> HttpResponse:
    if not is_coordinator(request.user):
        raise PermissionDenied
    me = require_officer(request.user)
    officers = (
        Officer.objects.filter(region_id=me.region_id)
        .select_related("user")
        .prefetch_related("agencies")
        .order_by("user__username")
    )
    return render(request, "institutions/officer_list.html", {"officers": officers})
