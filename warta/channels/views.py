from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from warta.channels.models import Channel
from warta.institutions.access import visible_agencies


def channel_list(request: HttpRequest) -> HttpResponse:
    channels = Channel.objects.filter(agency__in=visible_agencies(request.user)).select_related(
        "agency"
    )
    return render(request, "channels/channel_list.html", {"channels": channels})
