"""Channel pages: everyone reads within their scope; officers manage their own agency's."""

from datetime import datetime, timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from warta.channels import services
from warta.channels.forms import ChannelForm, CredentialsForm
from warta.channels.models import Channel
from warta.channels.selectors import get_channel_for_user, visible_channels
from warta.core.forms import add_service_errors
from warta.institutions.access import editable_agencies, require_officer, visible_agencies
from warta.lib import clock
from warta.lib.ids import parse_id
from warta.lib.platforms import Platform

EXPIRY_WARNING_DAYS = 7


def _health_context() -> dict[str, datetime]:
    """Tokens expiring before `expiry_soon` are flagged, so someone reconnects in time."""
    now = clock.now()
    return {"now": now, "expiry_soon": now + timedelta(days=EXPIRY_WARNING_DAYS)}


def channel_list(request: HttpRequest) -> HttpResponse:
    require_officer(request.user)
    channels = visible_channels(request.user).order_by("agency__short_name", "platform", "handle")
    filters = {
        "agency": request.GET.get("agency", ""),
        "platform": request.GET.get("platform", ""),
        "status": request.GET.get("status", ""),
    }
    agency_id = parse_id(filters["agency"])
    if agency_id is not None:
        channels = channels.filter(agency_id=agency_id)
    if filters["platform"] in Platform.values:
        channels = channels.filter(platform=filters["platform"])
    if filters["status"] in Channel.Status.values:
        channels = channels.filter(status=filters["status"])
    return render(
        request,
        "channels/channel_list.html",
        {
            "channels": channels,
            "filters": filters,
            "agencies": visible_agencies(request.user).order_by("short_name"),
            "platforms": Platform.choices,
            "statuses": Channel.Status.choices,
            "can_create": editable_agencies(request.user).filter(is_active=True).exists(),
            **_health_context(),
        },
    )


def channel_create(request: HttpRequest) -> HttpResponse:
    require_officer(request.user)
    agencies = editable_agencies(request.user).filter(is_active=True).order_by("short_name")
    if not agencies.exists():
        raise PermissionDenied
    initial = {}
    if (agency_id := parse_id(request.GET.get("agency", ""))) is not None:
        initial["agency"] = agency_id
    form = ChannelForm(request.POST or None, agencies=agencies, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            channel = services.channel_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Kanal %(name)s ditambahkan.") % {"name": channel})
            return redirect("channels:channel_detail", channel.pk)
    return render(request, "channels/channel_form.html", {"form": form, "channel": None})


def channel_detail(request: HttpRequest, pk: int) -> HttpResponse:
    access = get_channel_for_user(request.user, pk)
    return render(
        request,
        "channels/channel_detail.html",
        {
            "channel": access.channel,
            "can_edit": access.can_edit,
            "credentials_form": CredentialsForm() if access.can_edit else None,
            **_health_context(),
        },
    )


def channel_edit(request: HttpRequest, pk: int) -> HttpResponse:
    channel = get_channel_for_user(request.user, pk, edit=True).channel
    initial = {k: getattr(channel, k) for k in ("platform", "handle", "url", "mode", "external_id")}
    form = ChannelForm(request.POST or None, agencies=None, editing=True, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.channel_update(actor=request.user, channel=channel, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Perubahan disimpan."))
            return redirect("channels:channel_detail", channel.pk)
    return render(request, "channels/channel_form.html", {"form": form, "channel": channel})


@require_POST
def channel_set_enabled(request: HttpRequest, pk: int) -> HttpResponse:
    channel = get_channel_for_user(request.user, pk, edit=True).channel
    enabled = request.POST.get("enabled") == "1"
    services.channel_set_enabled(actor=request.user, channel=channel, enabled=enabled)
    messages.success(request, _("Kanal diaktifkan.") if enabled else _("Kanal dinonaktifkan."))
    return redirect("channels:channel_detail", channel.pk)


@require_POST
def channel_credentials(request: HttpRequest, pk: int) -> HttpResponse:
    access = get_channel_for_user(request.user, pk, edit=True)
    channel = access.channel
    form = CredentialsForm(request.POST)
    if form.is_valid():
        try:
            services.channel_set_credentials(
                channel=channel,
                credentials=form.credentials(),
                actor=request.user,
                token_expires_at=form.cleaned_data.get("token_expires_at"),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Kredensial disimpan terenkripsi."))
            return redirect("channels:channel_detail", channel.pk)
    # PasswordInput never renders a submitted value, so the secrets are not echoed back.
    return render(
        request,
        "channels/channel_detail.html",
        {
            "channel": channel,
            "can_edit": True,
            "credentials_form": form,
            **_health_context(),
        },
    )
