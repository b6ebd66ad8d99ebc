from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import transaction

from warta.channels.models import Channel
from warta.connectors.base import Account
from warta.core.services import audit_record
from warta.lib import crypto


def channel_account(channel: Channel, *, base_url: str = "") -> Account:
    """The decrypted account a connector acts with."""
    credentials = crypto.decrypt_json(channel.credentials_encrypted)
    return Account(
        platform=channel.platform,
        external_id=channel.external_id,
        handle=channel.handle,
        credentials=credentials,
        base_url=base_url or str(credentials.get("base_url", "")),
    )


def channel_set_credentials(
    *, channel: Channel, credentials: dict[str, Any], actor: AbstractBaseUser | AnonymousUser | None
) -> None:
    """Store new credentials encrypted, and mark the channel active again."""
    channel.credentials_encrypted = crypto.encrypt_json(credentials)
    channel.status = Channel.Status.ACTIVE
    channel.status_reason = ""
    channel.save(update_fields=["credentials_encrypted", "status", "status_reason"])
    # The audit log says that credentials changed, never what they are.
    audit_record(actor=actor, action="channel.credentials_set", obj=channel)


def credentials_rotate_all() -> int:
    """Re-encrypt every channel's credentials under the newest key; returns how many."""
    count = 0
    with transaction.atomic():
        for channel in Channel.objects.exclude(credentials_encrypted="").select_for_update():
            channel.credentials_encrypted = crypto.rotate(channel.credentials_encrypted)
            channel.save(update_fields=["credentials_encrypted"])
            count += 1
    return count
