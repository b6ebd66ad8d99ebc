from datetime import datetime
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from warta.channels.models import Channel
from warta.connectors import sandbox
from warta.connectors.base import (
    Account,
    AuthError,
    ConnectorError,
    NotSupported,
    TransientError,
    sandbox_base_url,
)
from warta.core.reasons import Reason
from warta.core.services import audit_record, snapshot, unique_conflicts_as_validation
from warta.institutions.models import Agency
from warta.lib import crypto, safe_http
from warta.lib.platforms import (
    API_MODES,
    MANUAL_ONLY_PLATFORMS,
    MESSAGING_PLATFORMS,
    ConnectionMode,
    Platform,
)

Actor = AbstractBaseUser | AnonymousUser | None

_EDITABLE = ["platform", "handle", "url", "mode", "external_id"]
_url_validator = URLValidator(schemes=["http", "https"])


def _validate_channel(
    *,
    agency: Agency,
    platform: str,
    handle: str,
    url: str,
    mode: str,
    external_id: str,
    exclude_pk: int | None,
) -> None:
    errors: dict[str, list[str]] = {}
    if platform not in Platform.values:
        errors["platform"] = [_("Platform tidak dikenal.")]
    if mode not in ConnectionMode.values:
        errors["mode"] = [_("Cara tersambung harus api, export, manual atau sandbox.")]
    if platform in MANUAL_ONLY_PLATFORMS and mode != ConnectionMode.MANUAL:
        errors["mode"] = [
            _(
                "Saluran WhatsApp tidak punya API resmi: pilih cara tersambung Manual. warta "
                "menyiapkan unggahannya dan mengingatkan petugas pada waktunya."
            )
        ]
    if platform in MESSAGING_PLATFORMS and mode not in API_MODES:
        errors["mode"] = [
            _(
                "WhatsApp Business hanya bisa tersambung lewat API platform (WhatsApp Cloud API) "
                "atau sandbox/latihan."
            )
        ]
    if not handle:
        errors["handle"] = [_("Nama akun wajib diisi.")]
    elif len(handle) > 200:
        errors["handle"] = [_("Nama akun paling panjang 200 karakter.")]
    if url:
        try:
            _url_validator(url)
        except ValidationError:
            errors["url"] = [_("Alamat harus berupa URL http(s) yang sah.")]
        if len(url) > 200:
            errors["url"] = [_("Alamat paling panjang 200 karakter.")]
    if len(external_id) > 200:
        errors["external_id"] = [_("ID di platform paling panjang 200 karakter.")]
    if not agency.is_active:
        errors["agency"] = [_("Perangkat daerah ini nonaktif.")]
    if (
        "platform" not in errors
        and handle
        and Channel.objects.filter(agency=agency, platform=platform, handle__iexact=handle)
        .exclude(pk=exclude_pk or 0)
        .exists()
    ):
        errors["handle"] = [_("Perangkat daerah ini sudah punya akun tersebut di platform ini.")]
    if errors:
        raise ValidationError(errors)


def channel_create(
    *,
    actor: Actor,
    agency: Agency,
    platform: str,
    handle: str,
    url: str = "",
    mode: str = ConnectionMode.MANUAL,
    external_id: str = "",
) -> Channel:
    handle, url, external_id = handle.strip(), url.strip(), external_id.strip()
    _validate_channel(
        agency=agency,
        platform=platform,
        handle=handle,
        url=url,
        mode=mode,
        external_id=external_id,
        exclude_pk=None,
    )
    with unique_conflicts_as_validation(), transaction.atomic():
        channel = Channel.objects.create(
            agency=agency,
            platform=platform,
            handle=handle,
            url=url,
            mode=mode,
            external_id=external_id,
            credentials_encrypted=_practice_credentials(platform, mode),
        )
        audit_record(actor=actor, action="channel.create", obj=channel, after=snapshot(channel))
    return channel


def channel_update(
    *,
    actor: Actor,
    channel: Channel,
    platform: str,
    handle: str,
    url: str,
    mode: str,
    external_id: str | None = None,
) -> Channel:
    handle, url = handle.strip(), url.strip()
    external_id = channel.external_id if external_id is None else external_id.strip()
    _validate_channel(
        agency=channel.agency,
        platform=platform,
        handle=handle,
        url=url,
        mode=mode,
        external_id=external_id,
        exclude_pk=channel.pk,
    )
    before = snapshot(channel)
    fields = list(_EDITABLE)
    if (channel.mode == ConnectionMode.SANDBOX) != (mode == ConnectionMode.SANDBOX):
        # Practice tokens never go to a real platform, nor real ones to the sandbox.
        channel.credentials_encrypted = _practice_credentials(platform, mode)
        fields.append("credentials_encrypted")
    channel.platform, channel.handle, channel.url, channel.mode = platform, handle, url, mode
    channel.external_id = external_id
    if snapshot(channel) == before:
        return channel
    with unique_conflicts_as_validation(), transaction.atomic():
        channel.save(update_fields=fields)
        audit_record(
            actor=actor,
            action="channel.update",
            obj=channel,
            before=before,
            after=snapshot(channel),
        )
    return channel


def _practice_credentials(platform: str, mode: str) -> str:
    """A sandbox channel is connected at once, with the sandbox's practice tokens."""
    credentials = sandbox.practice_credentials(platform) if mode == ConnectionMode.SANDBOX else {}
    return crypto.encrypt_json(credentials) if credentials else ""


def channel_set_enabled(*, actor: Actor, channel: Channel, enabled: bool) -> Channel:
    """Disable a channel (nothing is published to or fetched from it) or enable it again."""
    new = Channel.Status.ACTIVE if enabled else Channel.Status.DISABLED
    if channel.status == new:
        return channel
    before = snapshot(channel)
    with unique_conflicts_as_validation(), transaction.atomic():
        Channel.objects.filter(pk=channel.pk).update(status=new, status_reason="")
        channel.status, channel.status_reason = new, ""
        audit_record(
            actor=actor,
            action="channel.enable" if enabled else "channel.disable",
            obj=channel,
            before=before,
            after=snapshot(channel),
        )
    return channel


def channel_account(channel: Channel) -> Account:
    """The decrypted account a connector acts with.

    The API root is the sandbox an operator set in settings for the platform, else the
    platform's own; only a Mastodon account names its server, and that address goes
    through the SSRF guard again on every connection (warta.connectors.base.connector_http).
    A `base_url` stored with any other platform's credentials is ignored.
    """
    credentials = crypto.decrypt_json(channel.credentials_encrypted)
    base_url = sandbox_base_url(channel.platform)
    if not base_url and channel.platform == Platform.MASTODON:
        base_url = str(credentials.get("base_url", ""))
    return Account(
        platform=channel.platform,
        external_id=channel.external_id,
        handle=channel.handle,
        credentials=credentials,
        base_url=base_url,
    )


def check_server_address(url: str) -> str:
    """A server address an officer typed, if https to a public host; ValidationError if not.

    The same check runs again at each connection, on the address then resolved.
    """
    try:
        safe_http.vet_url(url, allow_http=False)
    except safe_http.UnsafeURLError:
        raise ValidationError(
            {
                "base_url": [
                    _("Alamat server harus https ke alamat publik, bukan jaringan internal.")
                ]
            }
        ) from None
    except safe_http.FetchError:
        raise ValidationError({"base_url": [_("Alamat server tidak ditemukan.")]}) from None
    return url.strip().rstrip("/")


def channel_set_credentials(
    *,
    channel: Channel,
    credentials: dict[str, Any],
    actor: AbstractBaseUser | AnonymousUser | None,
    token_expires_at: datetime | None = None,
) -> None:
    """Store new credentials encrypted, and mark the channel active again."""
    if not credentials or not all(isinstance(k, str) and k for k in credentials):
        raise ValidationError({"credentials": [_("Isi paling sedikit satu kredensial.")]})
    if credentials.get("base_url"):
        credentials = {**credentials, "base_url": check_server_address(credentials["base_url"])}
    fields = ["credentials_encrypted", "status", "status_reason", "token_notice_days"]
    fields += ["failed_calls"]
    channel.credentials_encrypted = crypto.encrypt_json(credentials)
    channel.status = Channel.Status.ACTIVE
    channel.status_reason = ""
    # A new token: its own expiry warnings, and a fresh start for the failure count.
    channel.token_notice_days = None
    channel.failed_calls = 0
    if token_expires_at is not None:
        channel.token_expires_at = token_expires_at
        fields.append("token_expires_at")
    with unique_conflicts_as_validation(), transaction.atomic():
        channel.save(update_fields=fields)
        # The audit log says that credentials changed and which keys, never their values.
        audit_record(
            actor=actor,
            action="channel.credentials_set",
            obj=channel,
            after={"keys": sorted(credentials)},
        )


def credentials_rotate_all() -> int:
    """Re-encrypt every channel's credentials under the newest key; returns how many."""
    count = 0
    with unique_conflicts_as_validation(), transaction.atomic():
        for channel in Channel.objects.exclude(credentials_encrypted="").select_for_update():
            channel.credentials_encrypted = crypto.rotate(channel.credentials_encrypted)
            channel.save(update_fields=["credentials_encrypted"])
            count += 1
    return count


# Consecutive failed sync calls after which a channel that looks healthy is flagged. A
# platform refusing calls (a 4xx it does not call an auth error: a lost permission, a
# page gone) makes every call fail: the metric sync (posts, then followers) and the
# comment sync of one round make at least two calls, so it is flagged in that round.
# Timeouts and 5xx are the platform's trouble, not the connection's: only an hour of
# nothing but those (12 rounds of the 5-minute comment sync) flags the channel.
FAILURE_LIMIT = 2
TRANSIENT_FAILURE_LIMIT = 12
EVERY_CALL_FAILS = Reason(
    gettext_noop(
        "Setiap panggilan ke platform gagal (%(n)d kali berturut-turut), padahal kanal "
        "tampak aktif; terakhir: %(err)s"
    )
)


def channel_call_succeeded(*, channel: Channel) -> None:
    """A sync call went through: the count of failures in a row starts again."""
    Channel.objects.filter(pk=channel.pk, failed_calls__gt=0).update(failed_calls=0)
    channel.failed_calls = 0


def channel_call_failed(*, channel: Channel, error: ConnectorError) -> bool:
    """Count a failed sync call; True when this flips the channel to needs-reconnect.

    The platform refusing the token (AuthError) flips it at once; any other failure
    after FAILURE_LIMIT in a row, with what the platform said last. The flip is one
    conditional update from active, so only one caller announces it.
    """
    if isinstance(error, NotSupported):
        return False
    Channel.objects.filter(pk=channel.pk).update(failed_calls=F("failed_calls") + 1)
    failed = Channel.objects.filter(pk=channel.pk).values_list("failed_calls", flat=True).first()
    channel.failed_calls = failed or 0
    if isinstance(error, AuthError):
        reason = error.message
    elif channel.failed_calls >= (
        TRANSIENT_FAILURE_LIMIT if isinstance(error, TransientError) else FAILURE_LIMIT
    ):
        reason = EVERY_CALL_FAILS(n=channel.failed_calls, err=error.message[:400])
    else:
        return False
    flipped = Channel.objects.filter(pk=channel.pk, status=Channel.Status.ACTIVE).update(
        status=Channel.Status.NEEDS_RECONNECT,
        status_reason=reason[:500],
        last_error=error.message,
    )
    if flipped:
        channel.status = Channel.Status.NEEDS_RECONNECT
        channel.status_reason = reason[:500]
    return bool(flipped)
