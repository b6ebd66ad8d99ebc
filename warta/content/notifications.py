"""Telling officers what needs them: failures, channels to reconnect, manual posts, the day's plan.

By e-mail (Django mail) and by Telegram bot message to each officer's chat, when the
installation has a bot token. A notification that cannot be delivered is logged; it never
stops publishing.
"""

import logging
import math
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import httpx
from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext

from warta.channels.models import Channel
from warta.content.models import DigestSent, PostVariant
from warta.core.reasons import Reason, localize
from warta.institutions.models import Agency, Officer
from warta.lib import clock
from warta.lib.platforms import API_MODES

logger = logging.getLogger(__name__)


def _recipients(agency_id: int) -> list[Officer]:
    """The agency's officers (those who can act); the coordinator when it has none."""
    officers = list(
        Officer.objects.filter(agencies__id=agency_id, role=Officer.Role.OFFICER)
        .select_related("user")
        .filter(user__is_active=True)
    )
    if officers:
        return officers
    region_id = Agency.objects.filter(pk=agency_id).values_list("region_id", flat=True).first()
    if region_id is None:
        return []
    return list(
        Officer.objects.filter(
            region_id=region_id, role=Officer.Role.COORDINATOR, user__is_active=True
        ).select_related("user")
    )


def send(agency_id: int, subject: str, body: str) -> int:
    """Send to every recipient by e-mail and Telegram; returns messages delivered."""
    return send_to(_recipients(agency_id), subject, body)


def _officers_and_coordinators(agency: Agency) -> list[Officer]:
    """The agency's officers and its region's coordinators, each once."""
    return list(
        Officer.objects.filter(user__is_active=True)
        .filter(
            Q(agencies__id=agency.pk, role=Officer.Role.OFFICER)
            | Q(region_id=agency.region_id, role=Officer.Role.COORDINATOR)
        )
        .select_related("user")
        .distinct()
        .order_by("pk")
    )


def send_to(officers: list[Officer], subject: str, body: str) -> int:
    delivered = 0
    for officer in officers:
        if officer.user.email:
            try:
                delivered += send_mail(subject, body, None, [officer.user.email])
            except Exception:
                logger.exception("e-mail to officer %s failed", officer.pk)
        if officer.telegram_chat_id and settings.WARTA_TELEGRAM_BOT_TOKEN:
            delivered += telegram_send(officer.telegram_chat_id, f"{subject}\n\n{body}")
    return delivered


def telegram_send(chat_id: str, text: str) -> int:
    url = (
        f"{settings.WARTA_TELEGRAM_API_BASE.rstrip('/')}/bot"
        f"{settings.WARTA_TELEGRAM_BOT_TOKEN}/sendMessage"
    )
    try:
        response = httpx.post(
            url,
            json={"chat_id": chat_id, "text": text[:4096], "disable_web_page_preview": True},
            timeout=10,
        )
        ok = response.status_code == 200 and response.json().get("ok") is True
    except (httpx.HTTPError, ValueError):
        ok = False
    if not ok:
        logger.warning("Telegram message to chat %s was not delivered", chat_id)
    return int(ok)


def _link(name: str, *args: object) -> str:
    return settings.SITE_URL.rstrip("/") + reverse(name, args=args)


def _local(when: datetime | None, agency: Agency, *, zone: bool = False) -> str:
    if when is None:
        return "-"
    shape = "%d-%m-%Y %H:%M %Z" if zone else "%d-%m-%Y %H:%M"
    return timezone.localtime(when, ZoneInfo(agency.region.timezone)).strftime(shape)


def publish_failed(variant: PostVariant) -> int:
    agency = variant.post.agency
    subject = _("[warta] Unggahan %(a)s tidak terbit di %(c)s") % {
        "a": agency.short_name,
        "c": variant.channel,
    }
    body = _(
        "Unggahan “%(post)s” (jadwal %(when)s) di %(c)s: %(status)s.\n\nAlasan: "
        "%(reason)s\n\nBuka: %(url)s"
    ) % {
        "post": variant.post,
        "when": _local(variant.scheduled_at, agency),
        "c": variant.channel,
        "status": variant.get_status_display(),
        "reason": localize(variant.last_error),
        "url": _link("content:post_detail", variant.post_id),
    }
    return send(agency.pk, subject, body)


def manual_reminder(variant: PostVariant) -> int:
    agency = variant.post.agency
    subject = _("[warta] Saatnya mengunggah manual ke %(c)s") % {"c": variant.channel}
    body = _(
        "Unggahan “%(post)s” dijadwalkan %(when)s di kanal manual %(c)s. Unggah sendiri, "
        "lalu tempel tautannya di warta: %(url)s"
    ) % {
        "post": variant.post,
        "when": _local(variant.scheduled_at, agency),
        "c": variant.channel,
        "url": _link("content:post_detail", variant.post_id),
    }
    return send(agency.pk, subject, body)


def needs_reconnect(channel: Channel) -> int:
    held = PostVariant.objects.filter(channel=channel, status=PostVariant.Status.SCHEDULED).count()
    subject = _("[warta] Kanal %(c)s perlu disambungkan ulang") % {"c": channel}
    body = ngettext(
        "Platform menolak akses kanal %(c)s: %(reason)s\n\n%(n)d unggahan terjadwal "
        "ditahan sampai kanal disambungkan ulang; tidak ada yang dibuang.",
        "Platform menolak akses kanal %(c)s: %(reason)s\n\n%(n)d unggahan terjadwal "
        "ditahan sampai kanal disambungkan ulang; tidak ada yang dibuang.",
        held,
    ) % {
        "c": channel,
        "reason": localize(channel.status_reason),
        "n": held,
    }
    return send(channel.agency_id, subject, body)


def daily_digest_send(*, now: datetime | None = None, hour: int = 6) -> int:
    """Each agency's plan for its local day, once a day from `hour` local time on."""
    now = now or clock.now()
    sent = 0
    for agency in Agency.objects.filter(is_active=True).select_related("region"):
        zone = ZoneInfo(agency.region.timezone)
        local = timezone.localtime(now, zone)
        if local.hour < hour:
            continue
        day: date = local.date()
        start = datetime.combine(day, time.min, tzinfo=zone)
        variants = list(
            PostVariant.objects.filter(
                post__agency=agency,
                scheduled_at__gte=start,
                scheduled_at__lt=start + timedelta(days=1),
            )
            .exclude(status=PostVariant.Status.CANCELLED)
            .select_related("channel", "post")
        )
        attention = PostVariant.objects.filter(
            post__agency=agency,
            status__in=[PostVariant.Status.FAILED, PostVariant.Status.NEEDS_ATTENTION],
        ).count()
        if not variants and not attention:
            continue
        try:
            with transaction.atomic():
                DigestSent.objects.create(agency=agency, day=day)
        except IntegrityError:
            continue  # already sent today
        lines = [
            f"{_local(v.scheduled_at, agency)[-5:]}  {v.channel}  {v.post}  "
            f"({v.get_status_display()})"
            for v in variants
        ]
        if attention:
            lines.append(
                ngettext(
                    "%(n)d unggahan gagal atau perlu perhatian.",
                    "%(n)d unggahan gagal atau perlu perhatian.",
                    attention,
                )
                % {"n": attention}
            )
        subject = _("[warta] Jadwal %(a)s hari ini, %(d)s") % {
            "a": agency.short_name,
            "d": day.strftime("%d-%m-%Y"),
        }
        sent += send(agency.pk, subject, "\n".join(lines) + "\n\n" + _link("content:calendar"))
    return sent


# Days before a token's expiry at which its officers and coordinator are told, once each.
TOKEN_NOTICE_DAYS = (7, 2)
TOKEN_EXPIRED = Reason(
    gettext_noop("Token akses kedaluwarsa pada %(when)s; platform tidak lagi menerima warta")
)


def reconnect_link(channel: Channel) -> str:
    """The channel page, opened at its reconnect form: one click from the message."""
    return _link("channels:channel_detail", channel.pk) + "#sambung-ulang"


def token_expiry_notices_send(*, now: datetime | None = None) -> int:
    """Warn 7 and 2 days before a channel's token expires; mark expired ones. Returns sent.

    Each threshold once per expiry: the claim is a conditional update of the nearest
    threshold announced, so a second scheduler tick or worker sends nothing again; new
    credentials (channel_set_credentials) clear it.
    """
    now = now or clock.now()
    sent = 0
    horizon = now + timedelta(days=max(TOKEN_NOTICE_DAYS))
    active = Channel.objects.filter(
        mode__in=API_MODES, status=Channel.Status.ACTIVE, token_expires_at__isnull=False
    ).select_related("agency__region")
    for channel in active.filter(token_expires_at__lte=horizon):
        expires = channel.token_expires_at
        assert expires is not None  # filtered above
        if expires <= now:
            sent += _token_expired(channel, expires)
            continue
        left = expires - now
        threshold = min(d for d in TOKEN_NOTICE_DAYS if left <= timedelta(days=d))
        claimed = (
            Channel.objects.filter(pk=channel.pk, token_expires_at=expires)
            .filter(Q(token_notice_days__isnull=True) | Q(token_notice_days__gt=threshold))
            .update(token_notice_days=threshold)
        )
        if claimed:
            sent += token_expiring(channel, left=left)
    return sent


def _token_expired(channel: Channel, expires: datetime) -> int:
    reason = TOKEN_EXPIRED(when=_local(expires, channel.agency, zone=True))
    flipped = Channel.objects.filter(
        pk=channel.pk, status=Channel.Status.ACTIVE, token_expires_at=expires
    ).update(status=Channel.Status.NEEDS_RECONNECT, status_reason=reason[:500])
    if not flipped:
        return 0
    channel.status, channel.status_reason = Channel.Status.NEEDS_RECONNECT, reason[:500]
    return needs_reconnect(channel)


def token_expiring(channel: Channel, *, left: timedelta) -> int:
    """Tell the agency's officers and the coordinator that the token runs out soon."""
    agency = channel.agency
    days = max(1, math.ceil(left / timedelta(days=1)))
    subject = ngettext(
        "[warta] Token kanal %(c)s habis dalam %(n)d hari",
        "[warta] Token kanal %(c)s habis dalam %(n)d hari",
        days,
    ) % {"c": channel, "n": days}
    body = _(
        "Token akses kanal %(c)s (%(a)s) berlaku sampai %(when)s. Setelah itu warta tidak "
        "dapat menerbitkan ke kanal ini atau membaca komentarnya; unggahan terjadwal "
        "ditahan.\n\nSambungkan ulang sekarang, sekali klik:\n%(url)s"
    ) % {
        "c": channel,
        "a": agency.short_name,
        "when": _local(channel.token_expires_at, agency, zone=True),
        "url": reconnect_link(channel),
    }
    return send_to(_officers_and_coordinators(agency), subject, body)
