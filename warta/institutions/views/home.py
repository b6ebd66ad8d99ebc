"""The home page: what to do today, then the agencies a person works with."""

from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from warta.institutions.access import officer_of, visible_agencies
from warta.institutions.todo import todo_for


def home(request: HttpRequest) -> HttpResponse:
    officer = officer_of(request.user)
    if officer is None:
        return render(request, "institutions/no_role.html", status=403)
    agencies = list(
        visible_agencies(request.user).annotate(
            channel_count=Count("channels", distinct=True),
            attention_count=Count("channels", filter=~Q(channels__status="active"), distinct=True),
        )
    )
    return render(
        request,
        "institutions/home.html",
        {
            "agencies": agencies,
            # The officer's work, the head's decisions, the region's attention list.
            "todo": todo_for(
                request.user,
                officer,
                [a.pk for a in agencies],
                {a.pk: a.short_name for a in agencies},
            ),
        },
    )
