"""Creativity support pages: calendar of days ahead, library, best times, hashtags, angles, drafts."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from warta.institutions.access import get_agency_for_user, require_officer
from warta.lib import clock
from warta.lib.categories import PostCategory
from warta.lib.platforms import Platform
from warta.lib.workdays import WEEKDAY_NAMES
from warta.strategy import creativity, drafts, selectors, services
from warta.strategy.forms import AnglesForm, LocalDayForm
from warta.strategy.models import LocalDay


def inspiration(request: HttpRequest, agency_id: int) -> HttpResponse:
    agency = get_agency_for_user(request.user, agency_id).agency
    current = selectors.current_strategy(agency)
    data = current.data
    labels = current.pillar_labels
    library = [
        {
            "pillar": cat.value,
            "label": labels[cat.value],
            "templates": [t for t in data["templates"] if t["pillar"] == cat.value],
            "ideas": [i for i in data["ideas"] if i["pillar"] == cat.value],
        }
        for cat in PostCategory
    ]
    platforms = sorted(set(agency.channels.values_list("platform", flat=True)))
    best = []
    for platform in platforms:
        slots = creativity.best_times(agency, platform)
        best.append(
            {
                "platform": Platform(platform).label,
                "slots": [
                    {
                        "day": WEEKDAY_NAMES[s.weekday],
                        "hour": s.hour,
                        "posts": s.posts,
                        "score": s.mean_engagement,
                    }
                    for s in slots
                ],
            }
        )
    return render(
        request,
        "strategy/inspiration.html",
        {
            "agency": agency,
            "current_strategy": current,
            "days": creativity.upcoming_days(
                agency.region, start=clock.localdate(), days=60, agency=agency
            ),
            "library": [row for row in library if row["templates"] or row["ideas"]],
            "best": best,
            "hashtags": creativity.suggest_hashtags(agency, data),
            "angles_form": AnglesForm(),
            "drafts_enabled": drafts.drafts_enabled(),
            "platforms": [(p, Platform(p).label) for p in platforms]
            or [(p.value, p.label) for p in Platform],
        },
    )


@require_POST
def angles(request: HttpRequest, agency_id: int) -> HttpResponse:
    agency = get_agency_for_user(request.user, agency_id).agency
    form = AnglesForm(request.POST)
    suggestions = []
    if form.is_valid():
        suggestions = creativity.suggest_angles(
            form.cleaned_data["report"],
            agency=agency,
            strategy=selectors.current_strategy(agency).data,
        )
    return render(
        request,
        "strategy/inspiration.html#angles",
        {
            "agency": agency,
            "angles_form": form,
            "angles": suggestions,
        },
        status=200 if form.is_valid() else 400,
    )


@require_POST
def caption_draft(request: HttpRequest, agency_id: int) -> HttpResponse:
    access = get_agency_for_user(request.user, agency_id, edit=True)
    brief = request.POST.get("brief", "").strip()[:4000]
    platform = request.POST.get("platform", "instagram")
    if platform not in Platform.values:
        platform = "instagram"
    context: dict[str, object] = {
        "agency": access.agency,
        "drafts_enabled": drafts.drafts_enabled(),
    }
    if not brief:
        context["draft_error"] = _("Tuliskan bahan untuk draf lebih dulu.")
    else:
        try:
            context["draft"] = drafts.caption_draft(
                agency=access.agency,
                strategy=selectors.current_strategy(access.agency).data,
                brief=brief,
                platform=platform,
            )
        except drafts.DraftsUnavailable:
            context["draft_error"] = _(
                "Layanan draf tidak tersedia saat ini. Tulis keterangan seperti biasa."
            )
    return render(request, "strategy/inspiration.html#draft", context)


def local_days(request: HttpRequest) -> HttpResponse:
    officer = require_officer(request.user)
    form = LocalDayForm(request.POST or None)
    if request.method == "POST":
        if not officer.is_coordinator:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.local_day_create(
                    actor=request.user, region=officer.region, **form.cleaned_data
                )
            except ValidationError as exc:
                for message in exc.messages:
                    form.add_error(None, message)
            else:
                messages.success(request, _("Hari lokal ditambahkan."))
                return redirect("strategy:local_days")
    return render(
        request,
        "strategy/local_days.html",
        {
            "form": form,
            "days": LocalDay.objects.filter(region_id=officer.region_id),
            "can_edit": officer.is_coordinator,
        },
        status=400 if request.method == "POST" else 200,
    )


@require_POST
def local_day_delete(request: HttpRequest, pk: int) -> HttpResponse:
    officer = require_officer(request.user)
    local_day = get_object_or_404(LocalDay, pk=pk, region_id=officer.region_id)
    services.local_day_delete(actor=request.user, local_day=local_day)
    messages.success(request, _("Hari lokal dihapus."))
    return redirect("strategy:local_days")
