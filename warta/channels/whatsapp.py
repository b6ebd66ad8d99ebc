"""Connecting a WhatsApp Business number (Cloud API) and keeping its message templates.

What an officer copies from Meta's WhatsApp Manager and app dashboard: the phone-number
id, the WhatsApp Business Account (WABA) id, a system-user token, the app secret (which
signs the webhooks) and a verify token of their own choosing (Meta's subscription check).
All but the phone-number id (the channel's external id) are stored encrypted, as every
channel's credentials. The number and the token are checked against the API before
anything is saved; the templates are read from the account right after.
"""

import re
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from warta.channels.models import Channel, WhatsAppTemplate
from warta.channels.services import channel_account, channel_set_credentials
from warta.connectors.base import Account, ConnectorError, connector_class
from warta.connectors.whatsapp.connector import WhatsAppConnector
from warta.core.services import audit_record
from warta.lib import clock, crypto
from warta.lib.platforms import Platform

Actor = AbstractBaseUser | AnonymousUser | None

_DIGITS = re.compile(r"\d{5,32}")


def _connector(channel: Channel, account: Account | None = None) -> WhatsAppConnector:
    cls = connector_class(Platform.WHATSAPP, mode=channel.mode)
    connector = cls(account or channel_account(channel))
    assert isinstance(connector, WhatsAppConnector)
    return connector


def whatsapp_connect(
    *,
    channel: Channel,
    actor: Actor,
    phone_number_id: str,
    waba_id: str,
    access_token: str,
    app_secret: str,
    verify_token: str,
) -> Channel:
    """Check the number and token with the Cloud API, then store them; nothing on error."""
    if channel.platform != Platform.WHATSAPP:
        raise ValidationError(_("Kanal ini bukan kanal WhatsApp Business."))
    values = {
        "phone_number_id": phone_number_id.strip(),
        "waba_id": waba_id.strip(),
        "access_token": access_token.strip(),
        "app_secret": app_secret.strip(),
        "verify_token": verify_token.strip(),
    }
    errors: dict[str, list[str]] = {}
    for name in ("phone_number_id", "waba_id"):
        if not _DIGITS.fullmatch(values[name]):
            errors[name] = [_("Isi dengan angka ID dari WhatsApp Manager (5-32 digit).")]
    for name in ("access_token", "app_secret"):
        if not values[name]:
            errors[name] = [_("Wajib diisi.")]
    if len(values["verify_token"]) < 8:
        errors["verify_token"] = [_("Token verifikasi paling sedikit 8 karakter.")]
    if errors:
        raise ValidationError(errors)
    credentials: dict[str, Any] = {
        "access_token": values["access_token"],
        "app_secret": values["app_secret"],
        "verify_token": values["verify_token"],
        "waba_id": values["waba_id"],
    }
    account = replace_account(
        channel, external_id=values["phone_number_id"], credentials=credentials
    )
    connector = _connector(channel, account)
    try:
        number = connector.phone_number()
        templates = connector.templates()
    except ConnectorError as exc:
        raise ValidationError(
            _("WhatsApp Cloud API menolak data ini: %(msg)s") % {"msg": exc.localized}
        ) from None
    with transaction.atomic():
        if channel.external_id != values["phone_number_id"]:
            channel.external_id = values["phone_number_id"]
            channel.save(update_fields=["external_id"])
        channel_set_credentials(channel=channel, credentials=credentials, actor=actor)
        if number["display_phone_number"] and not channel.url:
            digits = re.sub(r"\D", "", number["display_phone_number"])
            channel.url = f"https://wa.me/{digits}"
            channel.save(update_fields=["url"])
        _store_templates(channel, templates)
    return channel


def replace_account(channel: Channel, *, external_id: str, credentials: dict[str, Any]) -> Account:
    """The account as it will be once saved (base URL as channel_account chooses it)."""
    current = channel_account(channel)
    return Account(
        platform=current.platform,
        external_id=external_id,
        handle=current.handle,
        credentials=credentials,
        base_url=current.base_url,
    )


def whatsapp_templates_refresh(*, channel: Channel, actor: Actor) -> int:
    """Read the account's templates again (Meta reviews them outside warta); returns how many."""
    if channel.platform != Platform.WHATSAPP or not channel.credentials_encrypted:
        raise ValidationError(_("Sambungkan kanal WhatsApp ini terlebih dahulu."))
    try:
        templates = _connector(channel).templates()
    except ConnectorError as exc:
        raise ValidationError(
            _("Daftar templat tidak dapat dibaca: %(msg)s") % {"msg": exc.localized}
        ) from None
    with transaction.atomic():
        count = _store_templates(channel, templates)
        audit_record(
            actor=actor, action="channel.whatsapp_templates", obj=channel, after={"count": count}
        )
    return count


def _store_templates(channel: Channel, templates: list[Any]) -> int:
    now = clock.now()
    keep: set[tuple[str, str]] = set()
    for t in templates:
        if not t.name or not t.language:
            continue
        keep.add((t.name, t.language))
        WhatsAppTemplate.objects.update_or_create(
            channel=channel,
            name=t.name[:512],
            language=t.language[:16],
            defaults={
                "status": t.status[:32],
                "category": t.category[:32],
                "body": t.body,
                "refreshed_at": now,
            },
        )
    for stale in WhatsAppTemplate.objects.filter(channel=channel):
        if (stale.name, stale.language) not in keep:
            stale.delete()
    return len(keep)


def whatsapp_set_notice_template(
    *, channel: Channel, template: WhatsAppTemplate | None, actor: Actor
) -> None:
    """The approved template PPID notices to requesters go out with (None: no notices)."""
    if template is not None and (template.channel_id != channel.pk or not template.is_approved):
        raise ValidationError(_("Pilih templat yang sudah disetujui Meta untuk kanal ini."))
    with transaction.atomic():
        WhatsAppTemplate.objects.filter(channel=channel).update(for_ppid_notices=False)
        if template is not None:
            WhatsAppTemplate.objects.filter(pk=template.pk).update(for_ppid_notices=True)
        audit_record(
            actor=actor,
            action="channel.whatsapp_notice_template",
            obj=channel,
            after={"template": template.name if template else ""},
        )


def webhook_ready(channel: Channel) -> bool:
    """Whether the channel holds what the webhook needs (app secret and verify token)."""
    if not channel.credentials_encrypted:
        return False
    try:
        credentials = crypto.decrypt_json(channel.credentials_encrypted)
    except crypto.CredentialsUnreadable:
        return False
    return bool(credentials.get("app_secret") and credentials.get("verify_token"))
