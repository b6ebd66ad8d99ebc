"""WhatsApp in the inbox: webhook deliveries in, replies and notices out, consent kept.

- A delivery is stored only when its X-Hub-Signature-256 matches the channel's app
  secret; messages enter the inbox through `inbox_ingest` (annotated, with a
  first-response target like any message), idempotent on the message id, so a delivery
  Meta retries is stored once. Status updates mark warta's replies delivered, read or
  failed.
- The citizen's number is personal data: `WhatsAppContact` keeps it encrypted, found by
  a keyed hash; the inbox shows it masked, and `platform_item_id` is
  "<contact id>:<wamid>", so no page or export carries the number.
- A free-form reply only inside the 24-hour window the citizen's last message opened;
  after it only an approved template (the officer picks one, their text fills `{{1}}`).
- STOP/BERHENTI stops every message warta would send on that channel (replies and PPID
  notices) until the citizen writes MULAI.
- The Cloud API has no idempotency key: a send whose outcome is unknown (a worker died
  mid-send, a timeout after the request left) is not repeated but marked for a person
  to check, so a citizen never gets a message twice.
"""

import logging
from dataclasses import dataclass, replace
from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from warta.channels.models import Channel, WhatsAppTemplate
from warta.connectors.base import ConnectorError, PermanentError, RemoteComment
from warta.connectors.whatsapp import connector as wa
from warta.engagement import platform
from warta.engagement.ingest import inbox_ingest
from warta.engagement.models import InboxItem, Reply, WhatsAppContact
from warta.lib import clock, crypto
from warta.lib.platforms import API_MODES, Platform

logger = logging.getLogger(__name__)

UNKNOWN_OUTCOME = gettext_noop(
    "Tidak pasti apakah pesan WhatsApp ini terkirim (pengiriman terputus). Periksa "
    "percakapan di WhatsApp Business sebelum mengirim ulang, agar warga tidak menerimanya dua kali."
)
OPTED_OUT = gettext_noop(
    "Warga ini meminta berhenti menerima pesan (STOP/BERHENTI). warta tidak mengirim apa pun "
    "kepadanya di kanal ini sampai ia menulis MULAI."
)


def is_whatsapp(channel: Channel) -> bool:
    return channel.platform == Platform.WHATSAPP


def _number_hash(wa_id: str, secret: str | bytes | None = None) -> str:
    return salted_hmac(
        "warta.whatsapp.number", wa_id, secret=secret, algorithm="sha256"
    ).hexdigest()


def contact_for(*, channel: Channel, wa_id: str) -> WhatsAppContact:
    """The channel's contact for a number, made on first sight (number encrypted).

    The number is looked up by a keyed hash. After the secret key is rotated (the old one
    kept in SECRET_KEY_FALLBACKS) a contact is still found by its old hash and re-keyed,
    so a citizen's conversation and 24-hour window don't split into two contacts.
    """
    wa_id = wa.phone_to_wa_id(wa_id)
    number_hash = _number_hash(wa_id)
    found = WhatsAppContact.objects.filter(channel=channel, number_hash=number_hash).first()
    if found is not None:
        return found
    old_hashes = [_number_hash(wa_id, old) for old in settings.SECRET_KEY_FALLBACKS]
    if old_hashes:
        rekeyed = WhatsAppContact.objects.filter(
            channel=channel, number_hash__in=old_hashes
        ).update(number_hash=number_hash)
        if rekeyed:
            return WhatsAppContact.objects.get(channel=channel, number_hash=number_hash)
    try:
        with transaction.atomic():
            return WhatsAppContact.objects.create(
                channel=channel,
                number_hash=number_hash,
                number_encrypted=crypto.encrypt_json({"wa_id": wa_id}),
                masked=wa.mask_phone(wa_id),
            )
    except IntegrityError:  # the same number arrived in a parallel delivery
        return WhatsAppContact.objects.get(channel=channel, number_hash=number_hash)


def contact_of(item: InboxItem) -> WhatsAppContact | None:
    pk, _sep, _wamid = item.platform_item_id.partition(":")
    if not pk.isdigit():
        return None
    return WhatsAppContact.objects.filter(pk=int(pk), channel_id=item.channel_id).first()


def window_open(contact: WhatsAppContact | None, *, now: datetime | None = None) -> bool:
    if contact is None:
        return False
    return wa.window_open(contact.last_inbound_at, now=now or clock.now())


def window_closes_at(contact: WhatsAppContact | None) -> datetime | None:
    if contact is None or contact.last_inbound_at is None:
        return None
    return contact.last_inbound_at + wa.WINDOW


# --- Webhook deliveries ---------------------------------------------------------------


@dataclass(frozen=True)
class DeliveryResult:
    created: int = 0
    statuses: int = 0


def webhook_verify(*, channel: Channel, params: dict[str, str]) -> str:
    """The hub.challenge for Meta's subscription check; PermanentError if the token is wrong."""
    credentials = crypto.decrypt_json(channel.credentials_encrypted)
    token = str(credentials.get("verify_token") or "")
    if not token:
        raise PermanentError(gettext_noop("Token verifikasi webhook belum diisi."))
    return wa.verify_subscription(params, verify_token=token)


def webhook_receive(*, channel: Channel, body: bytes, signature: str) -> DeliveryResult:
    """Store one signed delivery: messages into the inbox, status updates onto replies.

    PermanentError (nothing stored) when the signature does not match the app secret.
    """
    credentials = crypto.decrypt_json(channel.credentials_encrypted)
    secret = str(credentials.get("app_secret") or "")
    number = channel.external_id
    messages = wa.parse_webhook(
        body, signature=signature, app_secret=secret, phone_number_id=number
    )
    statuses = wa.parse_statuses(
        body, signature=signature, app_secret=secret, phone_number_id=number
    )
    created = messages_store(channel, messages) if messages else 0
    updated = sum(_apply_status(channel, s) for s in statuses)
    return DeliveryResult(created=created, statuses=updated)


def messages_store(channel: Channel, messages: list[RemoteComment]) -> int:
    """Store a delivery's messages ("<wa_id>:<wamid>") under the channel's contacts."""
    rows: list[tuple[WhatsAppContact, RemoteComment]] = []
    for message in sorted(messages, key=lambda m: m.created_at):
        wa_id, _sep, wamid = message.platform_item_id.partition(":")
        if not wa_id or not wamid:
            continue
        contact = contact_for(channel=channel, wa_id=wa_id)
        rows.append(
            (
                contact,
                replace(
                    message,
                    platform_item_id=f"{contact.pk}:{wamid}",
                    author_handle=contact.masked,
                ),
            )
        )
    ids = [m.platform_item_id for _c, m in rows]
    with transaction.atomic():
        known = set(
            InboxItem.objects.filter(channel=channel, platform_item_id__in=ids).values_list(
                "platform_item_id", flat=True
            )
        )
        result = inbox_ingest(channel=channel, comments=[m for _c, m in rows])
        for contact, message in rows:
            # The window runs from the citizen's latest message, whatever order Meta
            # delivered them in.
            WhatsAppContact.objects.filter(pk=contact.pk).filter(
                last_inbound_at__isnull=True
            ).update(last_inbound_at=message.created_at)
            WhatsAppContact.objects.filter(
                pk=contact.pk, last_inbound_at__lt=message.created_at
            ).update(last_inbound_at=message.created_at)
            if message.platform_item_id in known:
                continue  # a retried delivery: its consent keyword counted the first time
            choice = wa.opt_keyword(message.text)
            if choice == "out":
                WhatsAppContact.objects.filter(pk=contact.pk).update(
                    opted_out_at=message.created_at
                )
            elif choice == "in":
                WhatsAppContact.objects.filter(pk=contact.pk).update(opted_out_at=None)
            if choice:
                # A consent keyword is not a question to answer: no response target.
                InboxItem.objects.filter(
                    channel=channel, platform_item_id=message.platform_item_id
                ).update(
                    response_due_at=None,
                    status=InboxItem.Status.DONE,
                    done_at=clock.now(),
                    updated_at=clock.now(),
                )
    return result.created


def _apply_status(channel: Channel, status: wa.MessageStatus) -> int:
    if not status.message_id:
        return 0
    replies = Reply.objects.filter(item__channel=channel, platform_reply_id=status.message_id)
    if status.status == "delivered":
        return replies.filter(delivered_at__isnull=True).update(delivered_at=status.at)
    if status.status == "read":
        replies.filter(delivered_at__isnull=True).update(delivered_at=status.at)
        return replies.filter(read_at__isnull=True).update(read_at=status.at)
    if status.status == "failed":
        detail = status.error or "failed"
        return replies.exclude(status=Reply.Status.FAILED).update(
            status=Reply.Status.FAILED,
            error=f"{gettext_noop('WhatsApp tidak dapat mengantar pesan ini.')} ({detail})",
        )
    return 0


# --- Replies ----------------------------------------------------------------------------


def approved_templates(channel: Channel) -> list[WhatsAppTemplate]:
    """Templates an officer may pick: approved, with at most one `{{1}}` to fill."""
    return [
        t
        for t in WhatsAppTemplate.objects.filter(channel=channel, status="APPROVED")
        if t.parameter_count <= 1
    ]


def reply_check(*, item: InboxItem, template: WhatsAppTemplate | None) -> None:
    """ValidationError when this reply may not go to the citizen as asked."""
    contact = contact_of(item)
    if contact is None:
        raise ValidationError(_("Nomor pengirim pesan WhatsApp ini tidak dikenal."))
    if contact.opted_out_at is not None:
        raise ValidationError(_(OPTED_OUT))
    if template is not None:
        if template.channel_id != item.channel_id or not template.is_approved:
            raise ValidationError(
                {"wa_template": _("Pilih templat yang sudah disetujui Meta untuk kanal ini.")}
            )
        if template.parameter_count > 1:
            raise ValidationError(
                {"wa_template": _("Templat ini punya lebih dari satu isian; pilih yang lain.")}
            )
        return
    if not window_open(contact):
        raise ValidationError(
            {
                "wa_template": _(
                    "Sudah lewat 24 jam sejak pesan terakhir warga. WhatsApp hanya mengizinkan "
                    "templat pesan yang sudah disetujui Meta di luar jendela 24 jam: pilih "
                    "templat; teks Anda mengisi bagian {{1}}. Begitu warga membalas, Anda bisa "
                    "menulis bebas lagi."
                )
            }
        )


def send_reply(reply: Reply) -> str:
    """Send a claimed reply to the citizen; returns the wamid. ConnectorError on refusal."""
    item = reply.item
    contact = contact_of(item)
    if contact is None:
        raise PermanentError(gettext_noop("Nomor pengirim pesan WhatsApp ini tidak dikenal."))
    if contact.opted_out_at is not None:
        raise PermanentError(OPTED_OUT, platform_code="opted_out")
    connector = _connector(item.channel)
    to = str(crypto.decrypt_json(contact.number_encrypted).get("wa_id") or "")
    _pk, _sep, wamid = item.platform_item_id.partition(":")
    template = reply.wa_template
    if template is not None:
        return connector.send_template(
            to=to,
            name=template.name,
            language=template.language,
            parameters=(reply.text,) if template.parameter_count else (),
        )
    return connector.send_text(to=to, text=reply.text, reply_to=wamid)


def _connector(channel: Channel) -> wa.WhatsAppConnector:
    connector = platform.connector_for(channel)
    if not isinstance(connector, wa.WhatsAppConnector):
        raise PermanentError(gettext_noop("Kanal ini bukan kanal WhatsApp Business."))
    return connector


# --- Notices to information requesters ------------------------------------------------


def notice_channel(agency_id: int) -> Channel | None:
    """The agency's active WhatsApp channel with a PPID notice template, if any."""
    template = (
        WhatsAppTemplate.objects.filter(
            channel__agency_id=agency_id,
            channel__platform=Platform.WHATSAPP,
            channel__mode__in=API_MODES,
            channel__status=Channel.Status.ACTIVE,
            for_ppid_notices=True,
            status="APPROVED",
        )
        .select_related("channel")
        .first()
    )
    return template.channel if template else None


def send_notice(*, agency_id: int, phone: str, text: str) -> str:
    """A PPID notice by approved template to a requester's number; "" when not sent.

    Not sent (and logged) without a notice template, to a number that opted out, or
    when WhatsApp refuses; the change it reports stands either way.
    """
    channel = notice_channel(agency_id)
    wa_id = wa.phone_to_wa_id(phone)
    if channel is None or len(wa_id) < 8:
        return ""
    contact = contact_for(channel=channel, wa_id=wa_id)
    if contact.opted_out_at is not None:
        logger.info("PPID notice not sent: contact %s opted out", contact.pk)
        return ""
    template = WhatsAppTemplate.objects.filter(
        channel=channel, for_ppid_notices=True, status="APPROVED"
    ).first()
    if template is None:
        return ""
    try:
        return _connector(channel).send_template(
            to=wa_id,
            name=template.name,
            language=template.language,
            parameters=(text,) if template.parameter_count else (),
        )
    except ConnectorError as exc:
        logger.warning("PPID notice by WhatsApp failed: %s", exc.message)
        return ""
