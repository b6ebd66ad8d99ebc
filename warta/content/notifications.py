"""Telling officers what needs them: failures, channels to reconnect, manual posts, the day's plan.

By e-mail (Django mail) and by Telegram bot message to each officer's chat, when the
installation has a bot token. A notification that cannot be delivered is logged; it never
stops publishing.
"""

import logging
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import httpx
from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from warta.channels.models import Channel
from warta.content.models import DigestSent, PostVariant
from warta.core.reasons import localize
from warta.institutions.models import Agency, Officer
from warta.lib import clock

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
    delivered = 0
    for officer in _recipients(agency_id):
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


def _local(when: datetime | None, agency: Agency) -> str:
    if when is None:
        return "-"
    return timezone.localtime(when, ZoneInfo(agency.region.timezone)).strftime("%d-%m-%Y %H:%M")


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
