"""The home page: the agencies a signed-in person works with, and their channels' state."""

from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from warta.institutions.access import officer_of, visible_agencies


def home(request: HttpRequest) -> HttpResponse:
    officer = officer_of(request.user)
    if officer is None:
        return render(request, "institutions/no_role.html", status=403)
    agencies = visible_agencies(request.user).annotate(
        channel_count=Count("channels", distinct=True),
        attention_count=Count("channels", filter=~Q(channels__status="active"), distinct=True),
    )
    return render(request, "institutions/home.html", {"agencies": agencies})
