import unicodedata
from collections.abc import Callable
from datetime import datetime, time, timedelta
from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from warta.core import people, throttle
from warta.core.forms import DateInput
from warta.core.models import AuditEvent


def client_ip(request: HttpRequest) -> str | None:
    # REMOTE_ADDR only: X-Forwarded-For is spoofable unless the proxy is trusted; the
    # production guide sets the proxy to overwrite REMOTE_ADDR instead.
    return request.META.get("REMOTE_ADDR") or None


def resolve_username(typed: str) -> str:
    """The stored user name a typed one signs in as: case and width do not make a second person.

    Names are unique ignoring case (institutions refuses a second "Alice"); where an older
    pair differs only by case, the exact spelling wins.
    """
    name = unicodedata.normalize("NFKC", typed).strip()
    field = f"{get_user_model().USERNAME_FIELD}__iexact"
    matches = list(
        get_user_model()
        ._default_manager.filter(**{field: name})
        .values_list(get_user_model().USERNAME_FIELD, flat=True)[:2]
    )
    if name in matches:
        return name
    return matches[0] if len(matches) == 1 else name


class ThrottledAuthenticationForm(AuthenticationForm):
    def clean(self) -> dict[str, Any]:
        typed = self.cleaned_data.get("username") or str(self.data.get("username", ""))
        username = resolve_username(typed)
        if "username" in self.cleaned_data:
            self.cleaned_data["username"] = username
        ip = client_ip(self.request) if self.request else None
        # Counted before the password is checked: parallel guesses cannot outrun the count.
        if not throttle.login_try(username=username, ip_address=ip):
            raise forms.ValidationError(
                _("Terlalu banyak percobaan masuk yang gagal. Coba lagi dalam 15 menit."),
                code="throttled",
            )
        cleaned = super().clean()
        throttle.login_succeeded(username=username, ip_address=ip)
        return cleaned


@login_not_required
def admin_login(request: HttpRequest) -> HttpResponse:
    """The admin's own sign-in form has no throttle and no second step: use warta's."""
    target = reverse("login")
    next_url = request.GET.get("next", "")
    if next_url:
        target += "?" + urlencode({"next": next_url})
    return redirect(target)


@method_decorator(login_not_required, name="dispatch")
class LoginView(auth_views.LoginView):
    form_class = ThrottledAuthenticationForm
    redirect_authenticated_user = True
    # Whether first-run set-up is open (the page then links to it). The project's URLconf
    # passes institutions' check: core does not import the apps above it.
    setup_needed: Callable[[], bool] | None = None

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["setup_needed"] = self.setup_needed is not None and self.setup_needed()
        return context


class AuditFilterForm(forms.Form):
    actor = forms.CharField(label=_l("Pelaku"), required=False, max_length=150)
    action = forms.CharField(
        label=_l("Tindakan"),
        required=False,
        max_length=64,
        help_text=_l("misalnya channel. atau officer.create"),
    )
    # The queryset is the person's agencies, set by the view.
    agency: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_l("Perangkat daerah"), required=False, queryset=None
    )
    since = forms.DateField(label=_l("Dari"), required=False, widget=DateInput())
    until = forms.DateField(label=_l("Sampai"), required=False, widget=DateInput())


def audit_list(request: HttpRequest) -> HttpResponse:
    standing = people.standing(request.user)
    if standing is None or not standing.is_coordinator:
        raise PermissionDenied
    events = AuditEvent.objects.filter(region_id=standing.region_id).select_related(
        "actor", "agency"
    )
    form = AuditFilterForm(request.GET or None)
    agencies = form.fields["agency"]
    assert isinstance(agencies, forms.ModelChoiceField)
    agencies.queryset = people.readable_agencies(request.user).order_by("short_name")
    if form.is_valid():
        data = form.cleaned_data
        if data["actor"]:
            events = events.filter(actor__username__iexact=data["actor"].strip())
        if data["action"]:
            events = events.filter(action__startswith=data["action"].strip())
        if data["agency"]:
            events = events.filter(agency=data["agency"])
        zone = timezone.get_current_timezone()
        if data["since"]:
            events = events.filter(at__gte=datetime.combine(data["since"], time.min, zone))
        if data["until"]:
            events = events.filter(
                at__lt=datetime.combine(data["until"] + timedelta(days=1), time.min, zone)
            )
    query = request.GET.copy()
    query.pop("page", None)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "core/audit_list.html",
        {
            "page": page,
            "form": form,
            "query": query.urlencode(),
        },
    )
