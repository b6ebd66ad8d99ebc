from datetime import timedelta
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from warta.content import services as content_services
from warta.guardrails import selectors, services
from warta.guardrails.models import ElectionPeriod
from warta.guardrails.severity import CATALOGUE
from warta.institutions.access import require_officer
from warta.lib import clock
from warta.lib.findings import Severity


def review_queue(request: HttpRequest) -> HttpResponse:
    officer = require_officer(request.user)
    sla = selectors.sla_hours(officer.region_id)
    now = clock.now()
    rows: list[dict[str, Any]] = []
    queue = selectors.review_queue(request.user)
    page = Paginator(queue, 50).get_page(request.GET.get("page"))
    for variant in page.object_list:
        rows.append(
            {
                "variant": variant,
                "waiting": selectors.waiting(variant, sla, now),
                "reasons": selectors.held_reasons(variant),
            }
        )
    return render(
        request,
        "guardrails/review_queue.html",
        {
            "rows": rows,
            "page": page,
            "sla": sla,
            # Over the whole queue, not only this page: the oldest come first.
            "overdue": queue.filter(approval_requested_at__lt=now - timedelta(hours=sla)).count(),
            "can_review": selectors.can_review(request.user),
        },
    )


def review_detail(request: HttpRequest, pk: int) -> HttpResponse:
    access = selectors.get_review_variant_for_user(request.user, pk)
    variant = access.variant
    findings = selectors.findings_of(variant)
    rechecked = False
    if not findings and variant.status == variant.Status.AWAITING_APPROVAL:
        # Held with no findings recorded (held before its checks were stored): the
        # reviewer sees what the checks find now rather than "no findings".
        findings = content_services.findings_for(variant)
        rechecked = True
    fields = [
        {"name": name, "label": label, "segments": selectors.highlighted(text, findings, name)}
        for name, label, text in (
            ("title", _("Judul"), variant.title),
            ("caption", _("Keterangan"), variant.caption),
            ("first_comment", _("Komentar pertama"), variant.first_comment),
        )
        if text
    ]
    sla = selectors.sla_hours(variant.post.agency.region_id)
    return render(
        request,
        "guardrails/review_detail.html",
        {
            "variant": variant,
            "access": access,
            "fields": fields,
            "findings": list(enumerate(findings, start=1)),
            "waiting": selectors.waiting(variant, sla),
            "sla": sla,
            "awaiting": variant.status == variant.Status.AWAITING_APPROVAL,
            "rechecked": rechecked,
        },
    )


@require_POST
def review_decide(request: HttpRequest, pk: int) -> HttpResponse:
    access = selectors.get_review_variant_for_user(request.user, pk)
    if not access.can_review:
        raise PermissionDenied
    action = request.POST.get("action")
    comment = request.POST.get("comment", "")
    try:
        if action == "approve":
            services.review_approve(reviewer=request.user, variant=access.variant, comment=comment)
            messages.success(request, _("Disetujui; unggahan lanjut ke penjadwalan."))
        elif action == "send_back":
            services.review_send_back(
                reviewer=request.user, variant=access.variant, comment=comment
            )
            messages.success(request, _("Dikembalikan ke petugas dengan catatan."))
        else:
            raise PermissionDenied
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("guardrails:review_detail", pk=pk)
    return redirect("guardrails:review_queue")


def severity_settings(request: HttpRequest) -> HttpResponse:
    officer = require_officer(request.user)
    if not officer.is_coordinator:
        raise PermissionDenied
    errors: list[str] = []
    if request.method == "POST":
        levels = {
            (check, code): request.POST.get(f"{check}__{code}", default)
            for (check, code), (_label, default) in CATALOGUE.items()
        }
        try:
            sla = int(request.POST.get("sla_hours", ""))
            services.severity_configure(
                actor=request.user, region=officer.region, levels=levels, sla_hours=sla
            )
        except ValueError:
            errors.append(_("Batas waktu persetujuan harus berupa angka jam."))
        except ValidationError as exc:
            errors += exc.messages
        else:
            messages.success(request, _("Tingkat pemeriksaan disimpan."))
            return redirect("guardrails:settings")
    return render(
        request,
        "guardrails/settings.html",
        {
            "rows": selectors.severity_table(officer.region_id),
            "severities": Severity.choices,
            "sla": selectors.sla_hours(officer.region_id),
            "errors": errors,
            "periods": ElectionPeriod.objects.filter(region_id=officer.region_id),
        },
        status=400 if errors else 200,
    )


class ElectionForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Nama"), max_length=200)
    start = forms.DateField(
        label=gettext_lazy("Mulai"), widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=gettext_lazy("Selesai"), widget=forms.DateInput(attrs={"type": "date"})
    )
    parties = forms.CharField(
        label=gettext_lazy("Partai: nama | singkatan (satu per baris)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    candidates = forms.CharField(
        label=gettext_lazy("Nama calon (satu per baris)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    slogans = forms.CharField(
        label=gettext_lazy("Slogan kampanye"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    gestures = forms.CharField(
        label=gettext_lazy("Gestur/simbol tambahan"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    sitting_candidates = forms.CharField(
        label=gettext_lazy("Petahana yang mencalonkan diri"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


def election_periods(request: HttpRequest) -> HttpResponse:
    officer = require_officer(request.user)
    if not officer.is_coordinator:
        raise PermissionDenied
    form = ElectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.election_period_create(
                actor=request.user, region=officer.region, **form.cleaned_data
            )
        except ValidationError as exc:
            for field, msgs in exc.message_dict.items():
                for m in msgs:
                    form.add_error(field if field in form.fields else None, m)
        else:
            messages.success(request, _("Masa pemilihan disimpan."))
            return redirect("guardrails:settings")
    return render(
        request,
        "guardrails/election.html",
        {"form": form},
        status=400 if request.method == "POST" else 200,
    )


@require_POST
def election_period_delete(request: HttpRequest, pk: int) -> HttpResponse:
    officer = require_officer(request.user)
    period = get_object_or_404(ElectionPeriod, pk=pk, region_id=officer.region_id)
    services.election_period_delete(actor=request.user, period=period)
    messages.success(request, _("Masa pemilihan dihapus."))
    return redirect("guardrails:settings")
