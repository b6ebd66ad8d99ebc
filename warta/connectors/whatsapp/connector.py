"""WhatsApp Business Cloud API: two-way messages for a pemda's complaint line.

https://developers.facebook.com/docs/whatsapp/cloud-api/ : messages go out with
POST /{phone-number-id}/messages; incoming messages arrive only by webhook (there is no
API to read them), signed with X-Hub-Signature-256 (HMAC-SHA256 of the raw body with the
app secret). Free-form replies are allowed inside the 24-hour customer-service window
that the citizen's last message opened; outside it only an approved template may be sent
(Graph error 131047 "Re-engagement message").
https://developers.facebook.com/docs/whatsapp/pricing#customer-service-windows
A citizen who writes STOP/BERHENTI opts out, MULAI/START opts back in: `opt_keyword`
tells the caller, which keeps the choice. Only Meta's official API: never an unofficial
WhatsApp library for a government account.

Credentials: `access_token` (a system-user token), `app_secret` (webhook signatures),
`verify_token` (the webhook subscription check); the account's external_id is the
phone-number id. WhatsApp Channels have no API: they are assisted publishing (`manual`).

Not yet a choice for channels: `Platform` has no WHATSAPP value (a `channels` migration),
and the webhook endpoint (a view that calls `verify_subscription` and `parse_webhook`)
and the inbox's window and template handling are not built yet.
"""

import hashlib
import hmac
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from django.utils.translation import gettext_noop

from warta.connectors.base import (
    NotSupported,
    Page,
    PermanentError,
    RemoteComment,
    TransientError,
    register,
)
from warta.connectors.meta.graph import GraphConnector

PLATFORM = "whatsapp"
WINDOW = timedelta(hours=24)
TEXT_LIMIT = 4096
# Graph error codes of the Cloud API (https://developers.facebook.com/docs/whatsapp/
# cloud-api/support/error-codes): outside the window; a template that does not exist or
# is not approved; not a WhatsApp user / undeliverable; per-pair, spam and throughput
# limits (wait and retry).
OUTSIDE_WINDOW = 131047
_TEMPLATE_CODES = {132000, 132001, 132005, 132007, 132012, 132015, 132016}
_UNDELIVERABLE = {131026, 131021}
_SLOW_DOWN = {131056: 60.0, 131048: 3600.0, 130429: 5.0}
_OPT_OUT = {"stop", "berhenti", "unsubscribe", "stop langganan"}
_OPT_IN = {"mulai", "start", "langganan"}


def window_open(last_inbound_at: datetime | None, *, now: datetime) -> bool:
    """Whether a free-form reply may go out: within 24 hours of the citizen's last message."""
    return last_inbound_at is not None and now - last_inbound_at < WINDOW


def opt_keyword(text: str) -> str:
    """ "out" when the message asks to stop messages, "in" to start again, else ""."""
    word = " ".join(text.strip().casefold().split())
    if word in _OPT_OUT:
        return "out"
    if word in _OPT_IN:
        return "in"
    return ""


def verify_subscription(params: dict[str, str], *, verify_token: str) -> str:
    """The hub.challenge to echo when Meta checks the webhook subscription.

    https://developers.facebook.com/docs/graph-api/webhooks/getting-started#verification-requests
    """
    if params.get("hub.mode") != "subscribe" or not hmac.compare_digest(
        params.get("hub.verify_token", ""), verify_token
    ):
        raise PermanentError(gettext_noop("Verifikasi webhook WhatsApp gagal."))
    return params.get("hub.challenge", "")


def parse_webhook(body: bytes, *, signature: str, app_secret: str) -> list[RemoteComment]:
    """The citizens' messages in one webhook delivery (statuses are skipped).

    https://developers.facebook.com/docs/whatsapp/cloud-api/webhooks/payload-examples
    A delivery whose X-Hub-Signature-256 does not match the body is refused whole.
    """
    expected = "sha256=" + hmac.new(app_secret.encode(), body, hashlib.sha256).hexdigest()
    if not app_secret or not hmac.compare_digest(expected, signature or ""):
        raise PermanentError(gettext_noop("Tanda tangan webhook WhatsApp tidak cocok."))
    try:
        payload = json.loads(body)
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise PermanentError(gettext_noop("Isi webhook WhatsApp rusak.")) from None
    found: list[RemoteComment] = []
    for entry in payload.get("entry") or []:
        for change in entry.get("changes") or []:
            value = change.get("value") or {}
            names = {
                str(c.get("wa_id")): str((c.get("profile") or {}).get("name") or "")
                for c in value.get("contacts") or []
            }
            for message in value.get("messages") or []:
                sender = str(message.get("from") or "")
                kind = str(message.get("type") or "")
                text = str(((message.get(kind) or {}) if kind else {}).get("body") or "")
                if kind not in ("text", "button"):
                    text = str((message.get(kind) or {}).get("caption") or f"[{kind}]")
                if kind == "button":
                    text = str((message.get("button") or {}).get("text") or "")
                stamp = message.get("timestamp")
                found.append(
                    RemoteComment(
                        platform_item_id=f"{sender}:{message.get('id')}",
                        text=text,
                        author_name=names.get(sender, ""),
                        author_handle=sender,
                        created_at=datetime.fromtimestamp(int(stamp), tz=UTC)
                        if str(stamp or "").isdigit()
                        else datetime.now(UTC),
                        kind="message",
                    )
                )
    return found


@register(PLATFORM)
class WhatsAppConnector(GraphConnector):
    label = "WhatsApp"
    find_post_conclusive = False

    def _raise_for_error(self, response: httpx.Response, body: Any, *, commit: bool) -> None:
        error = body.get("error") if isinstance(body, dict) else None
        if isinstance(error, dict):
            code = int(error.get("code") or 0)
            if code == OUTSIDE_WINDOW:
                raise PermanentError(
                    gettext_noop(
                        "Lewat 24 jam sejak pesan terakhir warga: balas dengan templat pesan "
                        "yang sudah disetujui."
                    ),
                    platform_code="outside_window",
                )
            if code in _TEMPLATE_CODES:
                raise PermanentError(
                    gettext_noop("Templat WhatsApp tidak ada, belum disetujui, atau isinya salah."),
                    platform_code="template",
                )
            if code in _UNDELIVERABLE:
                raise PermanentError(
                    gettext_noop("Pesan tidak dapat dikirim ke nomor WhatsApp ini."),
                    platform_code="undeliverable",
                )
            if code in _SLOW_DOWN:
                raise TransientError(
                    gettext_noop("WhatsApp meminta memperlambat pengiriman."),
                    retry_after=_SLOW_DOWN[code],
                    platform_code=str(code),
                )
        super()._raise_for_error(response, body, commit=commit)

    def _send(self, payload: dict[str, Any]) -> str:
        body = self._request(
            "POST",
            f"/{self.account.external_id}/messages",
            commit=True,
            json={"messaging_product": "whatsapp", "recipient_type": "individual", **payload},
        )
        return str(((body.get("messages") or [{}])[0]).get("id") or "")

    def send_text(self, *, to: str, text: str, reply_to: str = "") -> str:
        """A free-form message (inside the window); returns its wamid."""
        if not text.strip() or len(text) > TEXT_LIMIT:
            raise PermanentError(gettext_noop("Pesan WhatsApp harus berisi 1-4096 karakter."))
        payload: dict[str, Any] = {
            "to": to,
            "type": "text",
            "text": {"body": text, "preview_url": False},
        }
        if reply_to:
            payload["context"] = {"message_id": reply_to}
        return self._send(payload)

    def send_template(
        self, *, to: str, name: str, language: str = "id", parameters: tuple[str, ...] = ()
    ) -> str:
        """An approved template (the only thing allowed outside the window)."""
        template: dict[str, Any] = {"name": name, "language": {"code": language}}
        if parameters:
            template["components"] = [
                {"type": "body", "parameters": [{"type": "text", "text": p} for p in parameters]}
            ]
        return self._send({"to": to, "type": "template", "template": template})

    def refresh_token(self) -> Any:
        raise NotSupported(gettext_noop("Token pengguna sistem WhatsApp tidak kedaluwarsa."))

    def mark_read(self, message_id: str) -> None:
        self._request(
            "POST",
            f"/{self.account.external_id}/messages",
            json={"messaging_product": "whatsapp", "status": "read", "message_id": message_id},
        )

    # --- the Connector interface ---------------------------------------------------------
    def fetch_comments(self, *, since: datetime | None, cursor: str = "") -> Page[RemoteComment]:
        raise NotSupported(
            gettext_noop("Pesan WhatsApp masuk lewat webhook, tidak bisa diambil lewat API.")
        )

    def reply(self, *, platform_item_id: str, text: str, idempotency_key: str) -> RemoteComment:
        """Answer a citizen's message (`"<wa_id>:<wamid>"`) inside the 24-hour window."""
        wa_id, _, message_id = platform_item_id.partition(":")
        if not wa_id:
            raise PermanentError(gettext_noop("ID pesan WhatsApp tidak dikenal."))
        sent = self.send_text(to=wa_id, text=text, reply_to=message_id)
        return RemoteComment(
            platform_item_id=f"{wa_id}:{sent}",
            text=text,
            author_name=self.account.handle,
            author_handle=self.account.handle,
            created_at=datetime.now(UTC),
            parent_id=platform_item_id,
            kind="reply",
        )
