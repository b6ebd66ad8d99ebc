"""Daftar Informasi Publik: officers keep it; the public searches it and downloads documents."""

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from warta.engagement import dip as svc
from warta.engagement import monev
from warta.engagement.models import PublicInformation
from warta.engagement.views.common import add_service_errors
from warta.engagement.views.public import _in_region_zone
from warta.institutions.access import editable_agencies, require_officer, visible_agencies
from warta.institutions.models import Agency, Region
from warta.lib import clock
from warta.lib.filenames import file_part
from warta.lib.ids import parse_id


class EntryForm(forms.Form):
    agency = forms.ModelChoiceField(
        queryset=Agency.objects.none(), label=gettext_lazy("Perangkat daerah")
    )
    title = forms.CharField(label=gettext_lazy("Judul informasi"), max_length=300)
    summary = forms.CharField(
        label=gettext_lazy("Ringkasan isi"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    category = forms.ChoiceField(
        label=gettext_lazy("Klasifikasi"), choices=PublicInformation.Category.choices
    )
    legal_basis = forms.CharField(
        label=gettext_lazy("Dasar pengecualian (bila dikecualikan)"), required=False, max_length=300
    )
    consequence = forms.CharField(
        label=gettext_lazy("Uji konsekuensi (bila dikecualikan)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    format = forms.CharField(label=gettext_lazy("Bentuk informasi"), required=False, max_length=100)
    retention = forms.CharField(
        label=gettext_lazy("Jangka waktu penyimpanan"), required=False, max_length=100
    )
    document = forms.FileField(label=gettext_lazy("Dokumen"), required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = editable_agencies(user)  # type: ignore[attr-defined]


def dip_list(request: HttpRequest) -> HttpResponse:
    officer = require_officer(request.user)
    entries = PublicInformation.objects.filter(agency__in=visible_agencies(request.user))
    editing = None
    editing_id = parse_id(request.GET.get("ubah", ""))
    if editing_id is not None:
        editing = get_object_or_404(entries, pk=editing_id)
        if not editable_agencies(request.user).filter(pk=editing.agency_id).exists():
            raise PermissionDenied
    initial = (
        {
            "agency": editing.agency_id,
            "title": editing.title,
            "summary": editing.summary,
            "category": editing.category,
            "legal_basis": editing.legal_basis,
            "consequence": editing.consequence,
            "format": editing.format,
            "retention": editing.retention,
        }
        if editing
        else {}
    )
    form = EntryForm(
        request.POST or None, request.FILES or None, user=request.user, initial=initial
    )
    if request.method == "POST":
        if not editable_agencies(request.user).exists():
            raise PermissionDenied
        if form.is_valid():
            d = form.cleaned_data
            try:
                svc.dip_entry_save(
                    actor=request.user,
                    agency=d["agency"],
                    entry=editing,
                    title=d["title"],
                    summary=d["summary"],
                    category=d["category"],
                    legal_basis=d["legal_basis"],
                    consequence=d["consequence"],
                    format=d["format"],
                    retention=d["retention"],
                    responsible=request.user if isinstance(request.user, User) else None,
                    document=d["document"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Daftar informasi publik diperbarui."))
                return redirect("engagement:dip_list")
    page = Paginator(
        entries.select_related("agency__region", "responsible").order_by(
            "agency__name", "category", "title", "pk"
        ),
        50,
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "engagement/dip_list.html",
        {
            "entries": page.object_list,
            "page": page,
            "form": form,
            "editing": editing,
            "can_edit": editable_agencies(request.user).exists(),
            "region": officer.region,
        },
    )


@login_not_required
def public_dip(request: HttpRequest, region: str) -> HttpResponse:
    found = get_object_or_404(Region, slug=region)
    _in_region_zone(found)
    query = request.GET.get("q", "")[:100]
    category = request.GET.get("kategori", "")
    agency_id = parse_id(request.GET.get("opd", ""))
    entries = svc.public_list(found, query=query, category=category, agency_id=agency_id)
    return render(
        request,
        "engagement/public_dip.html",
        {
            "region": found,
            "entries": entries[:500],
            "query": query,
            "category": category,
            "agency_id": agency_id,
            "categories": PublicInformation.Category.choices,
            "agencies": Agency.objects.filter(region=found).order_by("name"),
        },
    )


@login_not_required
def public_dip_document(request: HttpRequest, region: str, pk: int) -> FileResponse:
    entry = get_object_or_404(PublicInformation, pk=pk, agency__region__slug=region)
    if entry.category == PublicInformation.Category.EXCEPTED or not entry.document:
        raise Http404
    return FileResponse(
        entry.document.open("rb"), as_attachment=True, filename=entry.document_name or "dokumen"
    )


def _agency_file_part(agency: Agency) -> str:
    return file_part(agency.short_name, fallback=f"opd-{agency.pk}")


def monev_pack(request: HttpRequest) -> HttpResponse:
    """The Monev KIP evidence pack of one agency the officer may see, as a page or CSV."""
    require_officer(request.user)
    agencies = visible_agencies(request.user).order_by("name")
    agency_id = parse_id(request.GET.get("opd", ""))
    agency = agencies.filter(pk=agency_id).first() if agency_id else agencies.first()
    if agency is None:
        raise Http404
    this_year = clock.localdate().year
    year = parse_id(request.GET.get("tahun", "")) or this_year
    year = year if 2000 <= year <= this_year else this_year
    if request.GET.get("format") == "csv":
        response = HttpResponse(monev.evidence_csv(agency, year), content_type="text/csv")
        response["Content-Disposition"] = (
            f'attachment; filename="monev-kip-{_agency_file_part(agency)}-{year}.csv"'
        )
        return response
    return render(
        request,
        "engagement/monev.html",
        {
            "agency": agency,
            "agencies": agencies,
            "year": year,
            "years": range(this_year, this_year - 5, -1),
            "rows": monev.evidence_pack(agency, year),
        },
    )
