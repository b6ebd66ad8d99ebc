"""Fake WhatsApp Business Cloud API: POST /{phone-number-id}/messages, signed webhooks.

Shapes: https://developers.facebook.com/docs/whatsapp/cloud-api/reference/messages
(send: {"messaging_product", "contacts": [{"input", "wa_id"}], "messages": [{"id"}]}),
/docs/whatsapp/cloud-api/webhooks/payload-examples (incoming), and Graph errors with the
Cloud API's codes (/docs/whatsapp/cloud-api/support/error-codes): 131047 outside the
24-hour window, 132001 no such approved template, 131026 undeliverable.

`receive(wa_id, text)` is a citizen writing in: it opens that number's 24-hour window and
returns (raw body, X-Hub-Signature-256) of the webhook Meta would deliver. `sent` holds
what went out; `approved_templates` the (name, language) pairs Meta approved. What the
fake cannot know: whether a number really has WhatsApp (`undeliverable` lists those
that do not) and Meta's template review.
"""

import hashlib
import hmac
import json
from datetime import datetime, timedelta
from typing import Any

from warta.connectors.fakes.meta import _graph_error
from warta.connectors.fakes.server import FakePlatform, FakeRequest, FakeResponse, Fault, route


class FakeWhatsApp(FakePlatform):
    platform = "whatsapp"
    token_prefix = "EAAW"  # noqa: S105
    external_id = "109876543210987"  # the phone-number id
    handle = "Pengaduan Pemkot Bontang"
    app_secret = "whatsapp-app-secret"  # noqa: S105
    verify_token = "whatsapp-verify"  # noqa: S105

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self.last_inbound: dict[str, datetime] = {}
        self.sent: list[dict[str, Any]] = []
        self.approved_templates = {("jawaban_pengaduan", "id")}
        self.undeliverable: set[str] = set()
        self.read: set[str] = set()

    def credentials(self) -> dict[str, Any]:
        return {
            "access_token": self.access_token,
            "app_secret": self.app_secret,
            "verify_token": self.verify_token,
        }

    def error(self, kind: str) -> FakeResponse:
        if kind in (Fault.RATE_LIMIT, Fault.THROTTLED):
            return _graph_error(
                400, 131056, "(#131056) (Business Account, Consumer Account) pair rate limit hit"
            )
        if kind == Fault.EXPIRED_TOKEN:
            return _graph_error(401, 190, "Error validating access token: Session has expired.")
        return _graph_error(500, 131000, "Something went wrong", is_transient=True)

    def receive(
        self, wa_id: str, text: str, *, name: str = "Warga", at: datetime | None = None
    ) -> tuple[bytes, str]:
        when = at or self.now()
        message_id = f"wamid.HBgN{self.new_id()}"
        with self.lock:
            self.last_inbound[wa_id] = when
        payload = {
            "object": "whatsapp_business_account",
            "entry": [
                {
                    "id": "WABA-1",
                    "changes": [
                        {
                            "field": "messages",
                            "value": {
                                "messaging_product": "whatsapp",
                                "metadata": {
                                    "display_phone_number": "6281100001111",
                                    "phone_number_id": self.external_id,
                                },
                                "contacts": [{"profile": {"name": name}, "wa_id": wa_id}],
                                "messages": [
                                    {
                                        "from": wa_id,
                                        "id": message_id,
                                        "timestamp": str(int(when.timestamp())),
                                        "type": "text",
                                        "text": {"body": text},
                                    }
                                ],
                            },
                        }
                    ],
                }
            ],
        }
        body = json.dumps(payload).encode()
        digest = hmac.new(self.app_secret.encode(), body, hashlib.sha256).hexdigest()
        return body, f"sha256={digest}"

    @route("POST", r"/(?P<phone>\d+)/messages")
    def messages(self, request: FakeRequest) -> FakeResponse:
        # https://developers.facebook.com/docs/whatsapp/cloud-api/reference/messages
        data = request.json()
        if data.get("messaging_product") != "whatsapp":
            return _graph_error(400, 100, "(#100) The parameter messaging_product is required.")
        if data.get("status") == "read":
            self.read.add(str(data.get("message_id")))
            return FakeResponse(200, {"success": True})
        to, kind = str(data.get("to") or ""), data.get("type")
        if not to.isdigit():
            return _graph_error(400, 100, "(#100) Invalid parameter: to")
        if to in self.undeliverable:
            return _graph_error(400, 131026, "(#131026) Message undeliverable")
        if kind == "text":
            body = str((data.get("text") or {}).get("body") or "")
            if not body or len(body) > 4096:
                return _graph_error(400, 100, "(#100) Param text['body'] must be 1-4096 chars")
            opened = self.last_inbound.get(to)
            if opened is None or self.now() - opened >= timedelta(hours=24):
                error = _graph_error(400, 131047, "(#131047) Re-engagement message")
                error.body["error"]["error_data"] = {
                    "messaging_product": "whatsapp",
                    "details": "Message failed to send because more than 24 hours have passed "
                    "since the customer last replied to this number.",
                }
                return error
        elif kind == "template":
            template = data.get("template") or {}
            pair = (template.get("name"), (template.get("language") or {}).get("code"))
            if pair not in self.approved_templates:
                return _graph_error(
                    404, 132001, "(#132001) Template name does not exist in the translation"
                )
        else:
            return _graph_error(400, 100, f"(#100) Unsupported message type: {kind}")
        message_id = f"wamid.HBgL{self.new_id()}"
        with self.lock:
            self.sent.append({**data, "id": message_id})
        return FakeResponse(
            200,
            {
                "messaging_product": "whatsapp",
                "contacts": [{"input": to, "wa_id": to}],
                "messages": [{"id": message_id}],
            },
        )
