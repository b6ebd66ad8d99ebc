"""The second sign-in step and enrolment pages, and the middleware that holds people there."""

from collections.abc import Callable

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from warta.core import twofactor
from warta.core.views import client_ip


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_lazy("Kode 6 angka dari aplikasi autentikator"),
        max_length=12,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "autofocus": True,
            }
        ),
    )


def _safe_next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse(settings.LOGIN_REDIRECT_URL)


def verify(request: HttpRequest) -> HttpResponse:
    device = twofactor.device_for(request.user)
    if device is None or device.confirmed_at is None:
        return redirect("core:twofactor_setup")
    if twofactor.is_verified(request):
        return HttpResponseRedirect(_safe_next(request))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            twofactor.device_verify(
                user=request.user,  # type: ignore[arg-type]
                code=form.cleaned_data["code"],
                ip_address=client_ip(request),
            )
        except ValidationError as exc:
            form.add_error("code", exc)
        else:
            twofactor.mark_verified(request)
            return HttpResponseRedirect(_safe_next(request))
    return render(
        request, "core/twofactor_verify.html", {"form": form, "next": _safe_next(request)}
    )


def setup(request: HttpRequest) -> HttpResponse:
    user = request.user
    device = twofactor.device_for(user)
    form = CodeForm(request.POST or None)
    action = request.POST.get("action")
    if request.method == "POST":
        try:
            if action == "start":
                device = twofactor.device_start(user=user)  # type: ignore[arg-type]
                form = CodeForm()
            elif action == "confirm" and form.is_valid():
                twofactor.device_confirm(
                    user=user,  # type: ignore[arg-type]
                    code=form.cleaned_data["code"],
                    ip_address=client_ip(request),
                )
                twofactor.mark_verified(request)
                messages.success(request, _("Autentikasi dua langkah aktif."))
                return redirect("core:twofactor_setup")
            elif action == "remove" and form.is_valid():
                twofactor.device_remove(
                    user=user,  # type: ignore[arg-type]
                    actor=user,  # type: ignore[arg-type]
                    code=form.cleaned_data["code"],
                    ip_address=client_ip(request),
                )
                request.session.pop(twofactor.SESSION_KEY, None)
                messages.success(request, _("Autentikasi dua langkah dinonaktifkan."))
                return redirect("core:twofactor_setup")
        except ValidationError as exc:
            form.add_error("code" if action != "start" else None, exc)
    device = twofactor.device_for(user)
    pending = device is not None and device.confirmed_at is None
    context = {
        "device": device,
        "pending": pending,
        "secret": device.secret() if pending and device else "",
        "uri": twofactor.provisioning_uri(device) if pending and device else "",
        "form": form,
        "required": twofactor.twofactor_required(user),
    }
    return render(request, "core/twofactor_setup.html", context)


# Reachable before the second step: the step itself, signing out, the language switch.
_ALWAYS_OPEN = ("core:twofactor_verify", "logout", "set_language", "healthz")


class TwoFactorMiddleware:
    """After the password, hold enrolled people (and coordinators, by policy) at the second step.

    Token-authenticated API calls are not affected: a token is a separate credential that a
    person creates (while fully signed in) and can revoke.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if not user.is_authenticated or twofactor.is_verified(request):
            return self.get_response(request)
        path = request.path_info
        if path.startswith(
            ("/" + settings.STATIC_URL.lstrip("/"), "/" + settings.MEDIA_URL.lstrip("/"))
        ):
            return self.get_response(request)
        if path in {reverse(name) for name in _ALWAYS_OPEN}:
            return self.get_response(request)
        if not twofactor.twofactor_required(user):
            return self.get_response(request)
        device = twofactor.device_for(user)
        enrolled = device is not None and device.confirmed_at is not None
        target = "core:twofactor_verify" if enrolled else "core:twofactor_setup"
        if path == reverse(target):
            return self.get_response(request)
        if path.startswith("/api/"):
            return JsonResponse({"detail": _("Selesaikan autentikasi dua langkah.")}, status=403)
        if enrolled:
            return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")
        return redirect(target)
