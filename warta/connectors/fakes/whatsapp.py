"""Fake WhatsApp Business Cloud API: POST /{phone-number-id}/messages, signed webhooks.

Shapes: https://developers.facebook.com/docs/whatsapp/cloud-api/reference/messages
(send: {"messaging_product", "contacts": [{"input", "wa_id"}], "messages": [{"id"}]}),
/docs/whatsapp/cloud-api/webhooks/payload-examples (incoming), and Graph errors with the
Cloud API's codes (/docs/whatsapp/cloud-api/support/error-codes): 131047 outside the
24-hour window, 132001 no such approved template, 131026 undeliverable.

Also GET /{phone-number-id} (/docs/whatsapp/cloud-api/reference/phone-numbers) and
GET /{waba-id}/message_templates (/docs/graph-api/reference/whats-app-business-account/
message_templates), each answering only the `fields` asked for, (#100) for any other.

`receive(wa_id, text)` is a citizen writing in: it opens that number's 24-hour window and
returns (raw body, X-Hub-Signature-256) of the webhook Meta would deliver; `status(wamid,
"delivered"|"read"|"failed")` the status webhook of a message sent. `sent` holds what
went out; `templates` the account's templates with Meta's review status;
`approved_templates` extra (name, language) pairs treated as approved. What the fake
cannot know: whether a number really has WhatsApp (`undeliverable` lists those that do
not), Meta's template review, conversation pricing, when (or whether) Meta delivers a
status, and the real throughput limits (only the pair-rate error 131056 on request).
In the sandbox the citizens' messages come from warta's demo seed, not through the
fake, so there a number the fake never saw counts as inside the window.
"""

import hashlib
import hmac
import json
from datetime import datetime, timedelta
from typing import Any

from warta.connectors.fakes.graph import _graph_error
from warta.connectors.fakes.server import FakePlatform, FakeRequest, FakeResponse, Fault, route


class FakeWhatsApp(FakePlatform):
    platform = "whatsapp"
    token_prefix = "EAAW"  # noqa: S105
    external_id = "109876543210987"  # the phone-number id
    handle = "Pengaduan Pemkot Bontang"
    app_secret = "whatsapp-app-secret"  # noqa: S105
    verify_token = "whatsapp-verify"  # noqa: S105
    waba_id = "102290129340398"
    display_phone_number = "+62 811-0000-1111"

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self.last_inbound: dict[str, datetime] = {}
        self.sent: list[dict[str, Any]] = []
        self.approved_templates = {("jawaban_pengaduan", "id"), ("pemberitahuan_ppid", "id")}
        # Every template of the business account as Meta's review left it:
        # (name, language) -> (status, category, body text).
        self.templates: dict[tuple[str, str], tuple[str, str, str]] = {
            ("jawaban_pengaduan", "id"): (
                "APPROVED",
                "UTILITY",
                "Tanggapan atas pesan Anda: {{1}}. Balas pesan ini bila masih ada pertanyaan.",
            ),
            ("pemberitahuan_ppid", "id"): (
                "APPROVED",
                "UTILITY",
                "Kabar permohonan informasi Anda: {{1}}",
            ),
            ("promo_acara", "id"): ("REJECTED", "MARKETING", "Datanglah ke {{1}}!"),
        }
        self.undeliverable: set[str] = set()
        self.read: set[str] = set()

    def credentials(self) -> dict[str, Any]:
        return {
            "access_token": self.access_token,
            "app_secret": self.app_secret,
            "verify_token": self.verify_token,
            "waba_id": self.waba_id,
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
        return self._delivery(
            {
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
            }
        )

    def _delivery(self, value: dict[str, Any]) -> tuple[bytes, str]:
        payload = {
            "object": "whatsapp_business_account",
            "entry": [
                {
                    "id": self.waba_id,
                    "changes": [
                        {
                            "field": "messages",
                            "value": {
                                "messaging_product": "whatsapp",
                                "metadata": {
                                    "display_phone_number": "6281100001111",
                                    "phone_number_id": self.external_id,
                                },
                                **value,
                            },
                        }
                    ],
                }
            ],
        }
        body = json.dumps(payload).encode()
        digest = hmac.new(self.app_secret.encode(), body, hashlib.sha256).hexdigest()
        return body, f"sha256={digest}"

    def status(self, message_id: str, status: str, *, error: str = "") -> tuple[bytes, str]:
        """The status webhook Meta delivers for a message sent: sent/delivered/read/failed.

        https://developers.facebook.com/docs/whatsapp/cloud-api/webhooks/payload-examples#message-status-updates
        """
        sent = next((m for m in self.sent if m["id"] == message_id), {})
        update: dict[str, Any] = {
            "id": message_id,
            "status": status,
            "timestamp": str(int(self.now().timestamp())),
            "recipient_id": str(sent.get("to") or ""),
        }
        if status == "failed":
            update["errors"] = [
                {
                    "code": 131026,
                    "title": error or "Message undeliverable",
                    "error_data": {"details": "Message Undeliverable."},
                }
            ]
        return self._delivery({"statuses": [update]})

    @route("GET", r"/(?P<phone>\d+)")
    def phone_number(self, request: FakeRequest) -> FakeResponse:
        # https://developers.facebook.com/docs/whatsapp/cloud-api/reference/phone-numbers
        assert request.match is not None
        if request.match["phone"] != self.external_id:
            return _graph_error(
                400,
                100,
                f"(#100) Unsupported get request. Object with ID '{request.match['phone']}' "
                "does not exist, cannot be loaded due to missing permissions, or does not "
                "support this operation.",
                error_subcode=33,
            )
        full = {
            "id": self.external_id,
            "display_phone_number": self.display_phone_number,
            "verified_name": self.handle,
            "quality_rating": "GREEN",
            "code_verification_status": "VERIFIED",
        }
        return self._fields(full, request.query.get("fields", ""), "WhatsAppBusinessPhoneNumber")

    @route("GET", r"/(?P<waba>\d+)/message_templates")
    def message_templates(self, request: FakeRequest) -> FakeResponse:
        # https://developers.facebook.com/docs/graph-api/reference/whats-app-business-account/message_templates
        # Cursor paging ({"paging": {"cursors": {"before", "after"}, "next"}}), 25 a page.
        assert request.match is not None
        if request.match["waba"] != self.waba_id:
            return _graph_error(400, 100, "(#100) Unsupported get request.", error_subcode=33)
        rows = [
            {
                "name": name,
                "language": language,
                "status": status,
                "category": category,
                "components": [{"type": "BODY", "text": text}],
                "id": f"{abs(hash((name, language))) % 10**15}",
            }
            for (name, language), (status, category, text) in sorted(self.templates.items())
        ]
        start = int(request.query.get("after") or 0)
        page = rows[start : start + 25]
        fields = request.query.get("fields", "")
        shown = []
        for row in page:
            answer = self._fields(row, fields, "WhatsAppBusinessHSM")
            if answer.status != 200:
                return answer
            shown.append(answer.body)
        paging: dict[str, Any] = {"cursors": {"before": str(start), "after": str(start + 25)}}
        if start + 25 < len(rows):
            paging["next"] = f"{self.base_url}/{self.waba_id}/message_templates?after={start + 25}"
        return FakeResponse(200, {"data": shown, "paging": paging})

    def _fields(self, full: dict[str, Any], spec: str, node: str) -> FakeResponse:
        """Only the fields asked for (and id); an unknown one is Graph's (#100)."""
        answer: dict[str, Any] = {"id": full["id"]}
        for name in [f.strip() for f in spec.split(",") if f.strip()] or ["id"]:
            if name not in full:
                return _graph_error(
                    400,
                    100,
                    f"(#100) Tried accessing nonexisting field ({name}) on node type ({node})",
                )
            answer[name] = full[name]
        return FakeResponse(200, answer)

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
            if opened is None and self.mounted_at:
                opened = self.now()  # the sandbox: see the module's docstring
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
            status = self.templates.get((str(pair[0]), str(pair[1])), ("", "", ""))[0]
            approved = status == "APPROVED"
            if pair not in self.approved_templates and not approved:
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
