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
`verify_token` (the webhook subscription check), `waba_id` (the business account, whose
templates `templates()` lists); the account's external_id is the phone-number id.
WhatsApp Channels have no API: they are assisted publishing (`Platform.WHATSAPP_CHANNEL`,
manual). The webhook view, the inbox's window, template and consent handling are in
`warta/engagement/whatsapp.py`; connecting in `warta/channels/whatsapp.py`.
"""

import hashlib
import hmac
import json
import re
from dataclasses import dataclass
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
from warta.lib.clock import now

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
    # Bytes: compare_digest refuses str with non-ASCII characters (a 500, not a refusal).
    if params.get("hub.mode") != "subscribe" or not hmac.compare_digest(
        params.get("hub.verify_token", "").encode(), verify_token.encode()
    ):
        raise PermanentError(gettext_noop("Verifikasi webhook WhatsApp gagal."))
    return params.get("hub.challenge", "")


def _verified(body: bytes, *, signature: str, app_secret: str) -> dict[str, Any]:
    """The payload of a delivery whose X-Hub-Signature-256 matches; PermanentError if not.

    https://developers.facebook.com/docs/graph-api/webhooks/getting-started#validate-payloads
    """
    expected = "sha256=" + hmac.new(app_secret.encode(), body, hashlib.sha256).hexdigest()
    if not app_secret or not hmac.compare_digest(expected.encode(), (signature or "").encode()):
        raise PermanentError(gettext_noop("Tanda tangan webhook WhatsApp tidak cocok."))
    try:
        payload = json.loads(body)
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise PermanentError(gettext_noop("Isi webhook WhatsApp rusak.")) from None
    if not isinstance(payload, dict):
        raise PermanentError(gettext_noop("Isi webhook WhatsApp rusak."))
    return payload


def _values(payload: dict[str, Any], phone_number_id: str) -> list[dict[str, Any]]:
    """The `value` of each change, only those for `phone_number_id` when given."""
    found = []
    for entry in payload.get("entry") or []:
        for change in (entry or {}).get("changes") or []:
            value = (change or {}).get("value") or {}
            number = str((value.get("metadata") or {}).get("phone_number_id") or "")
            if isinstance(value, dict) and (not phone_number_id or number == phone_number_id):
                found.append(value)
    return found


def _stamp(raw: object) -> datetime:
    return datetime.fromtimestamp(int(str(raw)), tz=UTC) if str(raw or "").isdigit() else now()


def parse_webhook(
    body: bytes, *, signature: str, app_secret: str, phone_number_id: str = ""
) -> list[RemoteComment]:
    """The citizens' messages in one webhook delivery (statuses are skipped).

    https://developers.facebook.com/docs/whatsapp/cloud-api/webhooks/payload-examples
    A delivery whose X-Hub-Signature-256 does not match the body is refused whole; with
    `phone_number_id`, changes for another number of the same app are left out.
    """
    payload = _verified(body, signature=signature, app_secret=app_secret)
    found: list[RemoteComment] = []
    for value in _values(payload, phone_number_id):
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
            found.append(
                RemoteComment(
                    platform_item_id=f"{sender}:{message.get('id')}",
                    text=text,
                    author_name=names.get(sender, ""),
                    author_handle=sender,
                    created_at=_stamp(message.get("timestamp")),
                    kind="message",
                )
            )
    return found


@dataclass(frozen=True)
class MessageStatus:
    """What became of a message warta sent: sent, delivered, read or failed."""

    message_id: str
    status: str
    at: datetime
    error: str = ""


def parse_statuses(
    body: bytes, *, signature: str, app_secret: str, phone_number_id: str = ""
) -> list[MessageStatus]:
    """The status updates in one webhook delivery (signature checked as for messages).

    https://developers.facebook.com/docs/whatsapp/cloud-api/webhooks/payload-examples#message-status-updates
    A failed message carries `errors` [{"code", "title", ...}].
    """
    payload = _verified(body, signature=signature, app_secret=app_secret)
    found = []
    for value in _values(payload, phone_number_id):
        for status in value.get("statuses") or []:
            errors = status.get("errors") or [{}]
            found.append(
                MessageStatus(
                    message_id=str(status.get("id") or ""),
                    status=str(status.get("status") or ""),
                    at=_stamp(status.get("timestamp")),
                    error=str(errors[0].get("title") or errors[0].get("message") or ""),
                )
            )
    return found


def phone_to_wa_id(phone: str) -> str:
    """A number as WhatsApp names it: digits with the country code (0812… → 62812…)."""
    digits = re.sub(r"\D", "", phone)
    if digits.startswith("0"):
        digits = "62" + digits[1:]
    return digits


def mask_phone(wa_id: str) -> str:
    """A number shown where the full one is not needed: +62 812-••••-7890."""
    digits = re.sub(r"\D", "", wa_id)
    if len(digits) < 8:
        return "•" * len(digits)
    return f"+{digits[:2]} {digits[2:5]}-••••-{digits[-4:]}"


@dataclass(frozen=True)
class Template:
    """A message template of the account, as Meta's review left it."""

    name: str
    language: str
    status: str
    category: str
    body: str


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

    def phone_number(self) -> dict[str, str]:
        """The number's display form and verified name: proves the id and token fit.

        https://developers.facebook.com/docs/whatsapp/cloud-api/reference/phone-numbers
        """
        body = self._request(
            "GET",
            f"/{self.account.external_id}",
            params={"fields": "display_phone_number,verified_name"},
        )
        return {
            "display_phone_number": str(body.get("display_phone_number") or ""),
            "verified_name": str(body.get("verified_name") or ""),
        }

    def templates(self) -> list[Template]:
        """Every message template of the business account (`waba_id`), all pages.

        https://developers.facebook.com/docs/graph-api/reference/whats-app-business-account/message_templates
        """
        waba = str(self.account.credentials.get("waba_id") or "")
        if not waba:
            raise PermanentError(gettext_noop("ID akun WhatsApp Business (WABA) belum diisi."))
        found: list[Template] = []
        params: dict[str, str] = {"fields": "name,language,status,category,components"}
        for _page in range(20):
            body = self._request("GET", f"/{waba}/message_templates", params=params)
            for row in body.get("data") or []:
                text = next(
                    (
                        str(c.get("text") or "")
                        for c in row.get("components") or []
                        if str(c.get("type") or "").upper() == "BODY"
                    ),
                    "",
                )
                found.append(
                    Template(
                        name=str(row.get("name") or ""),
                        language=str(row.get("language") or ""),
                        status=str(row.get("status") or ""),
                        category=str(row.get("category") or ""),
                        body=text,
                    )
                )
            after = ((body.get("paging") or {}).get("cursors") or {}).get("after")
            if not (body.get("paging") or {}).get("next") or not after:
                break
            params = {**params, "after": str(after)}
        return found

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
            created_at=now(),
            parent_id=platform_item_id,
            kind="reply",
        )
