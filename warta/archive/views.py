import shutil
import tempfile
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from django import forms
from django.http import FileResponse, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from warta.archive import selectors
from warta.archive.export import export_write
from warta.archive.models import ArchiveRecord, RecordKind
from warta.core.services import audit_record
from warta.institutions.access import AnyUser, get_agency_for_user, visible_agencies
from warta.institutions.models import Agency
from warta.lib.ids import parse_id


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Teks"), required=False, max_length=200)
    agency = forms.ModelChoiceField(
        label=_("Perangkat daerah"),
        queryset=Agency.objects.none(),
        required=False,
        empty_label=_("Semua"),
    )
    kind = forms.ChoiceField(
        label=_("Jenis"), required=False, choices=[("", _("Semua")), *RecordKind.choices]
    )
    start = forms.DateField(
        label=_("Dari"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=_("Sampai"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, user: AnyUser, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        agency = self.fields["agency"]
        assert isinstance(agency, forms.ModelChoiceField)
        agency.queryset = visible_agencies(user)


class ExportForm(forms.Form):
    agency = forms.IntegerField(widget=forms.HiddenInput)
    start = forms.DateField(label=_("Dari"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("Sampai"), widget=forms.DateInput(attrs={"type": "date"}))
    redact_public = forms.BooleanField(
        label=_("Sembunyikan nama dan akun warga"), required=False, initial=True
    )

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            raise forms.ValidationError(_("Tanggal akhir tidak boleh sebelum tanggal awal."))
        return data


def _local_midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time()), timezone.get_current_timezone())


def search(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None, user=request.user)
    records: list[ArchiveRecord] = []
    cursor: int | None = None
    before = parse_id(request.GET.get("before", ""))
    if form.is_valid():
        d = form.cleaned_data
        records, cursor = selectors.records_page(
            request.user,
            before=before,
            agency_id=d["agency"].pk if d["agency"] else None,
            start=_local_midnight(d["start"]) if d["start"] else None,
            end=_local_midnight(d["end"]) + timedelta(days=1) if d["end"] else None,
            text=d["q"],
            kind=d["kind"],
        )
    elif not request.GET:
        records, cursor = selectors.records_page(request.user)
    next_query = request.GET.copy()
    if cursor is not None:
        next_query["before"] = str(cursor)
    agency = form.cleaned_data.get("agency") if form.is_bound and form.is_valid() else None
    export_form = ExportForm(initial={"agency": agency.pk}) if agency else None
    context = {
        "form": form,
        "records": records,
        "next_url": f"?{next_query.urlencode()}" if cursor is not None else "",
        "export_form": export_form,
    }
    return render(request, "archive/search.html", context)


def history(request: HttpRequest, subject: str) -> HttpResponse:
    as_of = None
    raw = request.GET.get("pada", "")
    if raw:
        try:
            as_of = _local_midnight(datetime.strptime(raw, "%Y-%m-%d").date()) + timedelta(days=1)
        except ValueError:
            as_of = None
    own, conversation = selectors.subject_history(request.user, subject, as_of=as_of)
    return render(
        request,
        "archive/history.html",
        {"subject": subject, "records": own, "conversation": conversation, "as_of": raw},
    )


@require_POST
def export(request: HttpRequest) -> HttpResponseBase:
    form = ExportForm(request.POST)
    if not form.is_valid():
        return render(request, "archive/export_error.html", {"form": form}, status=400)
    d = form.cleaned_data
    # Exporting is reading: anyone who may read the agency may export its record.
    agency = get_agency_for_user(request.user, d["agency"]).agency
    start = _local_midnight(d["start"])
    end = _local_midnight(d["end"]) + timedelta(days=1)
    folder = Path(tempfile.mkdtemp(prefix="warta-export-"))
    try:
        path = export_write(
            agency=agency, start=start, end=end, dest_dir=folder, redact_public=d["redact_public"]
        )
        # The open file outlives its name: the zip streams from it and its space returns
        # when the response closes; nothing is left under /tmp, even if the download stops.
        download = path.open("rb")
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    audit_record(
        actor=request.user,
        action="archive.export",
        agency_id=agency.pk,
        region_id=agency.region_id,
        object_type="archive.export",
        note=path.name,
    )
    return FileResponse(download, as_attachment=True, filename=path.name)
