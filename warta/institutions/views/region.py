"""The region's own settings that the coordinator keeps: the monthly report's letterhead."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _

from warta.core.forms import add_service_errors
from warta.institutions import services
from warta.institutions.access import require_officer
from warta.institutions.selectors import logo_data_uri


class LetterheadForm(forms.Form):
    letterhead_office = forms.CharField(
        label=_("Instansi pada kop laporan"),
        max_length=200,
        required=False,
        help_text=_("Misalnya “Dinas Komunikasi dan Informatika”. Tampil di bawah nama daerah."),
    )
    logo = forms.FileField(
        label=_("Lambang daerah"),
        required=False,
        help_text=_("Gambar PNG atau JPEG, paling besar 2 MB; tampil di kiri kop laporan."),
    )
    remove_logo = forms.BooleanField(label=_("Hapus lambang"), required=False)


def region_settings(request: HttpRequest) -> HttpResponse:
    me = require_officer(request.user)
    if not me.is_coordinator:
        raise PermissionDenied
    region = me.region
    form = LetterheadForm(
        request.POST or None,
        request.FILES or None,
        initial={"letterhead_office": region.letterhead_office},
    )
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["logo"]
        try:
            services.region_letterhead_update(
                actor=request.user,
                region=region,
                office=form.cleaned_data["letterhead_office"],
                logo=upload.read() if upload else None,
                remove_logo=form.cleaned_data["remove_logo"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Kop laporan disimpan."))
            return redirect("institutions:region_settings")
    return render(
        request,
        "institutions/region_settings.html",
        {"form": form, "region": region, "logo": logo_data_uri(region)},
        status=400 if form.errors else 200,
    )
