"""The public PPID portal: the PPID menu of a region, a request form, the private tracking page."""

from typing import Any

from django import forms
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_protect

from warta.core.views import client_ip
from warta.engagement import ppid, ppid_notices, ppid_report, whatsapp
from warta.engagement import ppid_public as svc
from warta.engagement.consultations import browser_key
from warta.engagement.models import InformationRequest, Objection
from warta.engagement.views.common import add_service_errors
from warta.engagement.views.public import (
    _browser_token,
    _form_stamp,
    _in_region_zone,
    _set_browser_cookie,
    _stamp_problem,
)
from warta.institutions.models import Agency, Region
from warta.lib import clock
from warta.lib.ids import parse_id


class RequestForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Nama lengkap"), max_length=200)
    id_number = forms.CharField(
        label=gettext_lazy("Nomor identitas"),
        max_length=30,
        help_text=gettext_lazy(
            "NIK pada KTP (atau nomor identitas lain). Hanya petugas PPID yang melihatnya, "
            "dan hanya tersamar."
        ),
    )
    address = forms.CharField(
        label=gettext_lazy("Alamat"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )
    email = forms.CharField(label=gettext_lazy("Surel"), max_length=254, required=False)
    phone = forms.CharField(
        label=gettext_lazy("Nomor telepon / WhatsApp"), max_length=30, required=False
    )
    notify_whatsapp = forms.BooleanField(
        label=gettext_lazy("Kabari saya lewat WhatsApp ke nomor ini"),
        required=False,
        help_text=gettext_lazy(
            "Pemberitahuan dikirim dari nomor WhatsApp Business resmi perangkat daerah. Balas "
            "BERHENTI kapan saja untuk berhenti menerimanya."
        ),
    )
    information = forms.CharField(
        label=gettext_lazy("Informasi yang Anda minta"),
        max_length=svc.MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("Sebutkan sejelas mungkin: dokumen, kegiatan, tahun."),
    )
    purpose = forms.CharField(
        label=gettext_lazy("Tujuan penggunaan informasi"),
        max_length=svc.MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    access_method = forms.ChoiceField(
        label=gettext_lazy("Cara memperoleh informasi"),
        choices=InformationRequest.Access.choices,
        widget=forms.RadioSelect,
    )
    delivery = forms.ChoiceField(
        label=gettext_lazy("Cara mendapatkan salinan"),
        choices=InformationRequest.Delivery.choices,
        widget=forms.RadioSelect,
    )
    website = forms.CharField(required=False, label=gettext_lazy("Jangan diisi"))
    started = forms.CharField(required=False, widget=forms.HiddenInput)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("email", "").strip() and not data.get("phone", "").strip():
            self.add_error(
                "email", _("Isi surel atau nomor telepon, agar jawaban dapat kami kirim.")
            )
        return data


class ObjectionForm(forms.Form):
    reason = forms.ChoiceField(
        label=gettext_lazy("Alasan keberatan (UU 14/2008 Pasal 35)"),
        choices=Objection.Reason.choices,
        widget=forms.RadioSelect,
    )
    statement = forms.CharField(
        label=gettext_lazy("Uraian keberatan"),
        max_length=svc.MAX_TEXT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def _private[R: HttpResponseBase](response: R) -> R:
    # The tracking link is a secret: not cached, not sent to other sites as a Referer, not
    # indexed. ("no-referrer" would make the browser send Origin: null on the objection
    # form, which the CSRF check rightly refuses.)
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "same-origin"
    response["X-Robots-Tag"] = "noindex"
    return response


@login_not_required
def ppid_region(request: HttpRequest, region: str) -> HttpResponse:
    found = get_object_or_404(Region, slug=region)
    _in_region_zone(found)
    return render(
        request,
        "engagement/public_ppid.html",
        {
            "region": found,
            "agencies": Agency.objects.filter(region=found).order_by("name"),
            "answer_days": ppid.ANSWER_DAYS,
            "extension_days": ppid.EXTENSION_DAYS,
        },
    )


@login_not_required
@csrf_protect
def request_form(request: HttpRequest, region: str, agency: int) -> HttpResponse:
    found = get_object_or_404(Region, slug=region)
    _in_region_zone(found)
    target = get_object_or_404(Agency, pk=agency, region=found)
    token, new_token = _browser_token(request)
    form = RequestForm(request.POST or None)
    # Offered only where the agency has a WhatsApp number with an approved notice template.
    offers_whatsapp = whatsapp.notice_channel(target.pk) is not None
    if not offers_whatsapp:
        del form.fields["notify_whatsapp"]
    status = 200
    if request.method == "POST":
        if form.is_valid():
            d = form.cleaned_data
            if d["website"]:
                raise Http404  # a bot: nothing is kept, nothing is promised
            problem = _stamp_problem(d["started"])
            if problem:
                form.add_error(None, problem)
                status = 400
            else:
                try:
                    filed = svc.info_request_submit_public(
                        agency=target,
                        name=d["name"],
                        address=d["address"],
                        phone=d["phone"],
                        email=d["email"],
                        id_number=d["id_number"],
                        information=d["information"],
                        purpose=d["purpose"],
                        access_method=d["access_method"],
                        delivery=d["delivery"],
                        notify_whatsapp=bool(d.get("notify_whatsapp")) and offers_whatsapp,
                        ip_address=client_ip(request),
                        browser="" if new_token else browser_key(token),
                    )
                except ValidationError as exc:
                    add_service_errors(form, exc)
                    code = getattr(exc, "code", "") or ""
                    status = {"throttled": 429, "duplicate": 409}.get(code, 400)
                else:
                    return _private(redirect(ppid_notices.tracking_path(filed.token) + "?baru=1"))
        else:
            status = 400
    if form.is_bound:
        data = request.POST.copy()
        data["started"] = _form_stamp()
        form.data = data
    else:
        form.initial["started"] = _form_stamp()
    response = render(
        request,
        "engagement/public_request_form.html",
        {"region": found, "agency": target, "form": form, "offers_whatsapp": offers_whatsapp},
        status=status,
    )
    if new_token:
        _set_browser_cookie(request, response, token)
    return response


@login_not_required
@csrf_protect
def tracking(request: HttpRequest, token: str) -> HttpResponse:
    req = svc.request_by_token(token)
    if req is None:
        raise Http404
    _in_region_zone(req.agency.region)
    deadline = ppid.objection_filing_deadline(req)
    objection = req.objections.first()
    may_object = objection is None and deadline is not None and clock.now() <= deadline
    form = ObjectionForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if not may_object:
            form.add_error(None, svc.objection_window_message(req, deadline))
            status = 400
        elif form.is_valid():
            try:
                svc.objection_file_public(
                    request=req,
                    reason=form.cleaned_data["reason"],
                    statement=form.cleaned_data["statement"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
                status = 400
            else:
                return _private(redirect(request.path + "?keberatan=1"))
        else:
            status = 400
    return _private(
        render(
            request,
            "engagement/public_tracking.html",
            {
                "req": req,
                "status_label": ppid_notices.public_status(req),
                "steps": svc.timeline(req),
                "objection": objection,
                "objection_deadline": deadline,
                "may_object": may_object,
                "form": form,
                "new": request.GET.get("baru") == "1",
                "objected": request.GET.get("keberatan") == "1",
                "link": ppid_notices.tracking_url(token),
                "now": clock.now(),
            },
            status=status,
        )
    )


@login_not_required
def service_report(request: HttpRequest, region: str, fmt: str = "html") -> HttpResponse:
    found = get_object_or_404(Region, slug=region)
    _in_region_zone(found)
    this_year = clock.localdate().year
    year = parse_id(request.GET.get("tahun", "")) or this_year
    year = year if 2000 <= year <= this_year else this_year
    report = ppid_report.service_report(region=found, year=year)
    if fmt == "pdf":
        response = HttpResponse(
            ppid_report.service_report_pdf(report), content_type="application/pdf"
        )
        response["Content-Disposition"] = (
            f'inline; filename="laporan-layanan-informasi-{found.slug}-{year}.pdf"'
        )
        return response
    if fmt != "html":
        raise Http404
    return render(
        request,
        "engagement/public_ppid_report.html",
        {"report": report, "region": found, "years": range(this_year, this_year - 5, -1)},
    )


@login_not_required
def tracking_document(request: HttpRequest, token: str) -> FileResponse:
    """The answer's document, to whoever holds the request's tracking link."""
    req = svc.request_by_token(token)
    if req is None or not req.response_document:
        raise Http404
    response = FileResponse(
        req.response_document.open("rb"),
        as_attachment=True,
        filename=req.response_document_name or "jawaban",
    )
    _private(response)
    return response
