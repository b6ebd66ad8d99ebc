from django import forms
from django.contrib import messages
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from warta.engagement import ppid, selectors
from warta.engagement.access import (
    get_inbox_item_for_user,
    get_info_request_for_user,
    get_objection_for_user,
)
from warta.engagement.models import InformationRequest, Objection
from warta.engagement.views.common import add_service_errors, flash_errors
from warta.institutions.access import editable_agencies, require_officer
from warta.institutions.models import Agency
from warta.lib import clock
from warta.lib.ids import parse_id

LOCAL_DT = {"type": "datetime-local"}
DT_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d"]


class RequestForm(forms.Form):
    agency = forms.ModelChoiceField(
        queryset=Agency.objects.none(), label=gettext_lazy("Perangkat daerah")
    )
    origin = forms.ChoiceField(
        choices=InformationRequest.Origin.choices, label=gettext_lazy("Asal permohonan")
    )
    requester_name = forms.CharField(label=gettext_lazy("Nama pemohon"), max_length=200)
    requester_contact = forms.CharField(
        label=gettext_lazy("Kontak pemohon (surel, telepon atau alamat)"), max_length=300
    )
    information_requested = forms.CharField(
        label=gettext_lazy("Informasi yang diminta"), widget=forms.Textarea(attrs={"rows": 4})
    )
    purpose = forms.CharField(
        label=gettext_lazy("Tujuan penggunaan"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    received_at = forms.DateTimeField(
        label=gettext_lazy("Diterima"),
        input_formats=DT_FORMATS,
        widget=forms.DateTimeInput(attrs=LOCAL_DT, format=DT_FORMATS[0]),
    )

    responsible = forms.ModelChoiceField(
        queryset=User.objects.none(),
        required=False,
        label=gettext_lazy("Petugas penanggung jawab (kosong: Anda sendiri)"),
    )

    def __init__(self, *args: object, user: User, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        agencies = editable_agencies(user)
        self.fields["agency"].queryset = agencies  # type: ignore[attr-defined]
        officer = require_officer(user)
        self.fields["responsible"].queryset = (  # type: ignore[attr-defined]
            User.objects.filter(officer__region_id=officer.region_id, is_active=True)
            .filter(
                Q(officer__role="coordinator")
                | Q(officer__role="officer", officer__agencies__in=agencies)
            )
            .distinct()
            .order_by("first_name", "username")
        )


def request_list(request: HttpRequest) -> HttpResponse:
    require_officer(request.user)
    qs = selectors.info_requests(request.user)
    status = request.GET.get("status", "")
    if status in InformationRequest.Status.values:
        qs = qs.filter(status=status)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "engagement/request_list.html",
        {
            "page": page,
            "now": clock.now(),
            "statuses": InformationRequest.Status.choices,
            "status": status,
            "can_edit": editable_agencies(request.user).exists(),
        },
    )


def request_create(request: HttpRequest) -> HttpResponse:
    require_officer(request.user)
    if not editable_agencies(request.user).exists():
        raise PermissionDenied
    item = None
    item_id = request.GET.get("item") or request.POST.get("item")
    if (found_id := parse_id(item_id)) is not None:
        item = get_inbox_item_for_user(request.user, found_id, edit=True).obj
    initial: dict[str, object] = {"received_at": clock.localtime().replace(second=0, microsecond=0)}
    if item is not None:
        initial.update(
            {
                "agency": item.agency_id,
                "origin": InformationRequest.Origin.SOCIAL,
                "requester_name": item.author_name or item.author_handle,
                "requester_contact": (
                    f"{item.author_handle} ({item.channel.get_platform_display()})"
                ),
                "information_requested": item.text,
                "received_at": timezone.localtime(item.received_at).replace(
                    second=0, microsecond=0
                ),
            }
        )
    form = RequestForm(request.POST or None, initial=initial, user=request.user)  # type: ignore[arg-type]
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            created = ppid.info_request_create(
                agency=data["agency"],
                actor=request.user,
                requester_name=data["requester_name"],
                requester_contact=data["requester_contact"],
                information_requested=data["information_requested"],
                origin=data["origin"],
                received_at=data["received_at"],
                purpose=data["purpose"],
                inbox_item=item,
                responsible=data["responsible"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("Permohonan dicatat dengan nomor %(n)s.") % {"n": created.register_number},
            )
            return redirect("engagement:request_detail", pk=created.pk)
    return render(request, "engagement/request_form.html", {"form": form, "item": item})


class ExtendForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Alasan perpanjangan"), widget=forms.Textarea(attrs={"rows": 2})
    )


class RespondForm(forms.Form):
    status = forms.ChoiceField(
        label=gettext_lazy("Keputusan"),
        choices=[c for c in InformationRequest.Status.choices if c[0] != "in_process"],
    )
    response = forms.CharField(
        label=gettext_lazy("Jawaban kepada pemohon"), widget=forms.Textarea(attrs={"rows": 3})
    )
    exemption_reason = forms.CharField(
        label=gettext_lazy("Alasan pengecualian (UU 14/2008 Pasal 17)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    document = forms.FileField(
        label=gettext_lazy("Dokumen jawaban (diunduh pemohon lewat tautan pelacakan)"),
        required=False,
    )


class ObjectionForm(forms.Form):
    reason = forms.ChoiceField(
        label=gettext_lazy("Alasan keberatan"), choices=Objection.Reason.choices
    )
    statement = forms.CharField(
        label=gettext_lazy("Uraian"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    filed_at = forms.DateTimeField(
        label=gettext_lazy("Diajukan"),
        input_formats=DT_FORMATS,
        widget=forms.DateTimeInput(attrs=LOCAL_DT, format=DT_FORMATS[0]),
    )


class ObjectionAnswerForm(forms.Form):
    outcome = forms.ChoiceField(label=gettext_lazy("Hasil"), choices=Objection.Outcome.choices)
    answer = forms.CharField(
        label=gettext_lazy("Tanggapan atasan PPID"), widget=forms.Textarea(attrs={"rows": 3})
    )


def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_info_request_for_user(request.user, pk)
    req = found.obj
    now_local = clock.localtime().replace(second=0, microsecond=0)
    return render(
        request,
        "engagement/request_detail.html",
        {
            "req": req,
            "can_edit": found.can_edit,
            "now": clock.now(),
            "objection": req.objections.first(),
            "objection_deadline": ppid.objection_filing_deadline(req),
            "extend_form": ExtendForm(),
            "respond_form": RespondForm(),
            "objection_form": ObjectionForm(initial={"filed_at": now_local}),
            "objection_answer_form": ObjectionAnswerForm(),
            "identity": _identity_for_officer(req),
        },
    )


def _identity_for_officer(req: InformationRequest) -> dict[str, str] | None:
    """What an officer sees of an online requester: all but the identity number, masked."""
    from warta.engagement.ppid_notices import identity_of
    from warta.engagement.ppid_public import mask_middle

    identity = identity_of(req)
    if identity is None:
        return None
    return {
        "address": identity["address"],
        "phone": identity["phone"],
        "email": identity["email"],
        "id_number": mask_middle(identity["id_number"], 4),
    }


def _post_action(request: HttpRequest, pk: int, form_class: type[forms.Form], act) -> HttpResponse:  # type: ignore[no-untyped-def]
    form = form_class(request.POST, request.FILES)
    if form.is_valid():
        try:
            act(form.cleaned_data)
            messages.success(request, _("Tersimpan."))
        except ValidationError as exc:
            flash_errors(request, exc)
    else:
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, str(message))
    return redirect("engagement:request_detail", pk=pk)


@require_POST
def request_extend(request: HttpRequest, pk: int) -> HttpResponse:
    req = get_info_request_for_user(request.user, pk, edit=True).obj
    return _post_action(
        request,
        pk,
        ExtendForm,
        lambda d: ppid.info_request_extend(request=req, reason=d["reason"], actor=request.user),
    )


@require_POST
def request_respond(request: HttpRequest, pk: int) -> HttpResponse:
    req = get_info_request_for_user(request.user, pk, edit=True).obj
    return _post_action(
        request,
        pk,
        RespondForm,
        lambda d: ppid.info_request_respond(
            request=req,
            status=d["status"],
            response=d["response"],
            exemption_reason=d["exemption_reason"],
            actor=request.user,
            document=d.get("document"),
        ),
    )


@require_POST
def objection_file(request: HttpRequest, pk: int) -> HttpResponse:
    req = get_info_request_for_user(request.user, pk, edit=True).obj
    return _post_action(
        request,
        pk,
        ObjectionForm,
        lambda d: ppid.objection_file(
            request=req,
            reason=d["reason"],
            statement=d["statement"],
            filed_at=d["filed_at"],
            actor=request.user,
        ),
    )


@require_POST
def objection_answer(request: HttpRequest, pk: int) -> HttpResponse:
    objection = get_objection_for_user(request.user, pk, edit=True).obj
    return _post_action(
        request,
        objection.request_id,
        ObjectionAnswerForm,
        lambda d: ppid.objection_answer(
            objection=objection, outcome=d["outcome"], answer=d["answer"], actor=request.user
        ),
    )


def register_export(request: HttpRequest, fmt: str) -> HttpResponse:
    officer = require_officer(request.user)
    if fmt not in {"csv", "xlsx"}:
        raise Http404
    qs = selectors.info_requests(request.user)
    year = parse_id(request.GET.get("year", ""))
    if year is not None:
        qs = qs.filter(year=year)
    stamp = clock.localdate().isoformat()
    if fmt == "xlsx":
        response = HttpResponse(
            ppid.register_export_xlsx(qs, officer.region.timezone),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        response = HttpResponse(
            ppid.register_export_csv(qs, officer.region.timezone), content_type="text/csv"
        )
    response["Content-Disposition"] = f'attachment; filename="register-ppid-{stamp}.{fmt}"'
    return response
