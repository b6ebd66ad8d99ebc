from typing import Any

from django import forms
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _

from warta.core import throttle
from warta.core.models import AuditEvent
from warta.institutions.access import is_coordinator, officer_of, visible_agencies


def client_ip(request: HttpRequest) -> str | None:
    # REMOTE_ADDR only: X-Forwarded-For is spoofable unless the proxy is trusted; the
    # production guide sets the proxy to overwrite REMOTE_ADDR instead.
    return request.META.get("REMOTE_ADDR") or None


class ThrottledAuthenticationForm(AuthenticationForm):
    def clean(self) -> dict[str, Any]:
        username = self.data.get("username", "")
        ip = client_ip(self.request) if self.request else None
        if throttle.login_locked(username=username, ip_address=ip):
            raise forms.ValidationError(
                _("Terlalu banyak percobaan masuk yang gagal. Coba lagi dalam 15 menit."),
                code="throttled",
            )
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            throttle.login_failed(username=username, ip_address=ip)
            raise
        throttle.login_succeeded(username=username)
        return cleaned


@method_decorator(login_not_required, name="dispatch")
class LoginView(auth_views.LoginView):
    form_class = ThrottledAuthenticationForm
    redirect_authenticated_user = True


def home(request: HttpRequest) -> HttpResponse:
    officer = officer_of(request.user)
    if officer is None:
        return render(request, "core/no_role.html", status=403)
    agencies = visible_agencies(request.user).annotate(
        channel_count=Count("channels", distinct=True),
        attention_count=Count("channels", filter=~Q(channels__status="active"), distinct=True),
    )
    return render(request, "core/home.html", {"agencies": agencies})


def audit_list(request: HttpRequest) -> HttpResponse:
    if not is_coordinator(request.user):
        raise PermissionDenied
    officer = officer_of(request.user)
    assert officer is not None
    events = AuditEvent.objects.filter(region_id=officer.region_id).select_related("actor")
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    return render(request, "core/audit_list.html", {"page": page})
