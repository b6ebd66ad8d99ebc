"""The WhatsApp Cloud API's webhook: Meta's subscription check and signed deliveries.

One address per channel (`/interaksi/whatsapp/<channel id>/webhook/`), set as the
callback URL of the channel's Meta app. Public (Meta has no session), without CSRF (Meta
signs instead): a POST whose X-Hub-Signature-256 does not match the channel's app secret
is refused with 403 and nothing is stored.
"""

import logging

from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from warta.channels.models import Channel
from warta.connectors.base import PermanentError
from warta.engagement import whatsapp
from warta.lib.crypto import CredentialsUnreadable
from warta.lib.platforms import API_MODES, Platform

logger = logging.getLogger(__name__)

# Meta's deliveries are small (a few KB); anything far larger is not one.
MAX_BODY = 1024 * 1024


@csrf_exempt
@login_not_required
@require_http_methods(["GET", "POST"])
def webhook(request: HttpRequest, channel_id: int) -> HttpResponse:
    channel = (
        Channel.objects.select_related("agency__region")
        .filter(pk=channel_id, platform=Platform.WHATSAPP, mode__in=API_MODES)
        .exclude(status=Channel.Status.DISABLED)
        .exclude(credentials_encrypted="")
        .first()
    )
    if channel is None:
        raise Http404
    try:
        if request.method == "GET":
            params = {k: request.GET.get(k, "") for k in request.GET}
            challenge = whatsapp.webhook_verify(channel=channel, params=params)
            return HttpResponse(challenge, content_type="text/plain")
        if int(request.headers.get("content-length") or 0) > MAX_BODY:
            return HttpResponse(status=413)
        result = whatsapp.webhook_receive(
            channel=channel,
            body=request.body,
            signature=request.headers.get("x-hub-signature-256", ""),
        )
    except (PermanentError, CredentialsUnreadable) as exc:
        logger.warning("WhatsApp webhook of channel %s refused: %s", channel.pk, exc)
        return HttpResponse(status=403)
    logger.info(
        "WhatsApp webhook of channel %s: %s new, %s statuses",
        channel.pk,
        result.created,
        result.statuses,
    )
    return HttpResponse("OK", content_type="text/plain")
