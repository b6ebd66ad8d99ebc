"""Pages for the public: no account, the region's zone, untrusted input handled inertly."""

import secrets
import zoneinfo

from django import forms
from django.contrib.auth.decorators import login_not_required
from django.core import signing
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_protect

from warta.core.views import client_ip
from warta.engagement import consultations as svc
from warta.engagement import selectors
from warta.engagement.models import Consultation
from warta.engagement.views.common import add_service_errors
from warta.institutions.models import Region
from warta.lib import clock

BROWSER_COOKIE = "warta_peramban"
FORM_SALT = "warta.engagement.public-form"
# Faster than a person can read the question and write: a script.
MIN_SECONDS_TO_SUBMIT = 3
MAX_FORM_AGE = 60 * 60 * 24


class PublicInputForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Masukan Anda"),
        max_length=svc.MAX_INPUT_CHARS,
        widget=forms.Textarea(attrs={"rows": 5, "maxlength": svc.MAX_INPUT_CHARS}),
        help_text=gettext_lazy(
            "Tidak perlu menulis nama, alamat, atau nomor telepon. Bila tertulis, kami "
            "samarkan sebelum apa pun ditampilkan di halaman ini."
        ),
    )
    # A honeypot: hidden from people by CSS, filled by bots.
    website = forms.CharField(required=False, label=gettext_lazy("Jangan diisi"))
    # When the form was shown, signed: too fast is a script, too old a stale page.
    started = forms.CharField(required=False, widget=forms.HiddenInput)


def _browser_token(request: HttpRequest) -> tuple[str, bool]:
    """The browser's random token from its cookie, or a new one (True if new)."""
    token = request.COOKIES.get(BROWSER_COOKIE, "")
    if 20 <= len(token) <= 64 and token.replace("-", "").replace("_", "").isalnum():
        return token, False
    return secrets.token_urlsafe(24), True


def _form_stamp() -> str:
    return signing.dumps({"t": clock.now().timestamp()}, salt=FORM_SALT)


def _stamp_problem(stamp: str) -> str:
    """Why the form's time stamp does not look like a person filling it in ("" if fine)."""
    try:
        data = signing.loads(stamp, salt=FORM_SALT)
        started = float(data["t"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return _(
            "Formulir ini sudah kedaluwarsa atau tidak lengkap. Masukan Anda masih ada di "
            "kotak di bawah; silakan kirim sekali lagi."
        )
    age = clock.now().timestamp() - started
    if age < MIN_SECONDS_TO_SUBMIT:
        return _(
            "Formulir terkirim terlalu cepat. Periksa kembali masukan Anda, lalu kirim sekali lagi."
        )
    if age > MAX_FORM_AGE:
        return _(
            "Halaman ini sudah dibuka lebih dari sehari. Masukan Anda masih ada di kotak "
            "di bawah; silakan kirim sekali lagi."
        )
    return ""


def _in_region_zone(region: Region) -> None:
    try:
        timezone.activate(zoneinfo.ZoneInfo(region.timezone))
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        timezone.deactivate()


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
        Consultation.objects.select_related("agency__region"),
        pk=pk,
        agency__region=found,
        opens_at__lte=clock.now(),
    )
    token, new_token = _browser_token(request)
    form = PublicInputForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            if form.cleaned_data["website"]:
                return redirect(f"{request.path}?terima=1")  # a bot: thank it, keep nothing
            problem = _stamp_problem(form.cleaned_data["started"])
            if problem:
                form.add_error(None, problem)
                status = 400
            else:
                try:
                    svc.consultation_submit_public(
                        consultation=consultation,
                        text=form.cleaned_data["text"],
                        ip_address=client_ip(request),
                        browser="" if new_token else svc.browser_key(token),
                    )
                except ValidationError as exc:
                    add_service_errors(form, exc)
                    code = getattr(exc, "code", "")
                    status = {"throttled": 429, "duplicate": 409}.get(code or "", 400)
                else:
                    return redirect(f"{request.path}?terima=1")
        else:
            status = 400
    # A fresh stamp each time the form is shown; the text typed so far is kept.
    if form.is_bound:
        data = request.POST.copy()
        data["started"] = _form_stamp()
        form.data = data
    else:
        form.initial["started"] = _form_stamp()
    response = render(
        request,
        "engagement/public_consultation.html",
        {
            "region": found,
            "consultation": consultation,
            "form": form,
            "is_open": consultation.is_open_at(clock.now()),
            "themes": selectors.published_themes(consultation),
            "counts": selectors.consultation_counts(consultation),
            "thanks": request.GET.get("terima") == "1",
        },
        status=status,
    )
    if new_token:
        _set_browser_cookie(request, response, token)
    return response


def _set_browser_cookie(request: HttpRequest, response: HttpResponse, token: str) -> None:
    response.set_cookie(
        BROWSER_COOKIE,
        token,
        max_age=60 * 60 * 24 * 365,
        httponly=True,
        samesite="Lax",
        secure=request.is_secure(),
    )
