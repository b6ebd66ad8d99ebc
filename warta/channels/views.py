"""Channel pages: everyone reads within their scope; officers manage their own agency's."""

from datetime import datetime, timedelta

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from warta.channels import services, whatsapp
from warta.channels.forms import ChannelForm, CredentialsForm, WhatsAppConnectForm
from warta.channels.models import Channel, WhatsAppTemplate
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
    # Four or more channels per agency: a page at a time, the filters kept across pages.
    page = Paginator(channels, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "channels/channel_list.html",
        {
            "channels": page.object_list,
            "page": page,
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


def _whatsapp_context(request: HttpRequest, channel: Channel) -> dict[str, object]:
    if channel.platform != Platform.WHATSAPP:
        return {}
    path = reverse("engagement:whatsapp_webhook", args=[channel.pk])
    return {
        "webhook_url": settings.SITE_URL.rstrip("/") + path,
        "webhook_ready": whatsapp.webhook_ready(channel),
        "wa_templates": WhatsAppTemplate.objects.filter(channel=channel),
    }


def _detail(
    request: HttpRequest,
    access_channel: Channel,
    can_edit: bool,
    *,
    credentials_form: CredentialsForm | None = None,
    whatsapp_form: WhatsAppConnectForm | None = None,
    status: int = 200,
) -> HttpResponse:
    channel = access_channel
    on_whatsapp = channel.platform == Platform.WHATSAPP
    if can_edit and not on_whatsapp and credentials_form is None:
        credentials_form = CredentialsForm()
    if can_edit and on_whatsapp and whatsapp_form is None:
        whatsapp_form = WhatsAppConnectForm(initial={"phone_number_id": channel.external_id})
    return render(
        request,
        "channels/channel_detail.html",
        {
            "channel": channel,
            "can_edit": can_edit,
            "credentials_form": credentials_form if can_edit else None,
            "whatsapp_form": whatsapp_form if can_edit else None,
            **_whatsapp_context(request, channel),
            **_health_context(),
        },
        status=status,
    )


def channel_detail(request: HttpRequest, pk: int) -> HttpResponse:
    access = get_channel_for_user(request.user, pk)
    return _detail(request, access.channel, access.can_edit)


@require_POST
def channel_whatsapp_connect(request: HttpRequest, pk: int) -> HttpResponse:
    channel = get_channel_for_user(request.user, pk, edit=True).channel
    form = WhatsAppConnectForm(request.POST)
    if form.is_valid():
        try:
            whatsapp.whatsapp_connect(channel=channel, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("Nomor WhatsApp tersambung; kredensial disimpan terenkripsi."),
            )
            return redirect("channels:channel_detail", channel.pk)
    return _detail(request, channel, True, whatsapp_form=form)


@require_POST
def channel_whatsapp_templates(request: HttpRequest, pk: int) -> HttpResponse:
    channel = get_channel_for_user(request.user, pk, edit=True).channel
    try:
        count = whatsapp.whatsapp_templates_refresh(channel=channel, actor=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("%(n)d templat dibaca dari WhatsApp.") % {"n": count})
    return redirect("channels:channel_detail", channel.pk)


@require_POST
def channel_whatsapp_notice_template(request: HttpRequest, pk: int) -> HttpResponse:
    channel = get_channel_for_user(request.user, pk, edit=True).channel
    raw = request.POST.get("template", "")
    template = (
        WhatsAppTemplate.objects.filter(pk=int(raw), channel=channel).first()
        if raw.isdigit()
        else None
    )
    try:
        whatsapp.whatsapp_set_notice_template(
            channel=channel, template=template, actor=request.user
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Templat pemberitahuan PPID disimpan."))
    return redirect("channels:channel_detail", channel.pk)


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
    return _detail(request, channel, True, credentials_form=form)
