"""Pages for the public: no account, the region's zone, untrusted input handled inertly."""

import zoneinfo

from django import forms
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_protect

from warta.core.views import client_ip
from warta.engagement import consultations as svc
from warta.engagement import selectors
from warta.engagement.models import Consultation
from warta.institutions.models import Region
from warta.lib import clock


class PublicInputForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Masukan Anda"),
        max_length=svc.MAX_INPUT_CHARS,
        widget=forms.Textarea(attrs={"rows": 5, "maxlength": svc.MAX_INPUT_CHARS}),
        help_text=gettext_lazy("Tidak perlu menulis nama atau data pribadi."),
    )
    # A honeypot: hidden from people by CSS, filled by bots.
    website = forms.CharField(required=False, label=gettext_lazy("Jangan diisi"))


def _in_region_zone(region: Region) -> None:
    try:
        timezone.activate(zoneinfo.ZoneInfo(region.timezone))
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        timezone.deactivate()


def _public_themes(consultation: Consultation) -> list:  # type: ignore[type-arg]
    themes = list(selectors.themes_with_counts(consultation))
    for theme in themes:
        theme.progress = selectors.progress_of(theme)  # type: ignore[attr-defined]
    return themes


@login_not_required
def region_page(request: HttpRequest, region: str) -> HttpResponse:
    found = get_object_or_404(Region, slug=region)
    _in_region_zone(found)
    return render(
        request,
        "engagement/public_region.html",
        {
            "region": found,
            "consultations": selectors.public_consultations(found.pk),
            "now": clock.now(),
        },
    )


@login_not_required
@csrf_protect
def consultation_page(request: HttpRequest, region: str, pk: int) -> HttpResponse:
    found = get_object_or_404(Region, slug=region)
    _in_region_zone(found)
    consultation = get_object_or_404(
        Consultation.objects.select_related("agency"),
        pk=pk,
        agency__region=found,
        opens_at__lte=clock.now(),
    )
    form = PublicInputForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            if form.cleaned_data["website"]:
                return redirect(f"{request.path}?terima=1")  # a bot: thank it, keep nothing
            try:
                svc.consultation_submit_public(
                    consultation=consultation,
                    text=form.cleaned_data["text"],
                    ip_address=client_ip(request),
                )
            except ValidationError as exc:
                form.add_error(None, exc.messages)
                status = 429 if getattr(exc, "code", "") == "throttled" else 400
            else:
                return redirect(f"{request.path}?terima=1")
        else:
            status = 400
    return render(
        request,
        "engagement/public_consultation.html",
        {
            "region": found,
            "consultation": consultation,
            "form": form,
            "is_open": consultation.is_open_at(clock.now()),
            "themes": _public_themes(consultation),
            "counts": selectors.consultation_counts(consultation),
            "thanks": request.GET.get("terima") == "1",
        },
        status=status,
    )
