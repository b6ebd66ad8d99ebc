"""Officers hear about failures, reconnects and their day, by e-mail and Telegram."""

import json
import threading
from datetime import datetime, timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail

from warta.content import notifications
from warta.content.models import PostVariant
from warta.content.tests.conftest import make_variant
from warta.institutions.models import Officer

pytestmark = pytest.mark.django_db
WITA = ZoneInfo("Asia/Makassar")


@pytest.fixture
def telegram(settings):
    """A local stand-in for the Bot API's sendMessage, recording what it was sent."""
    received: list[dict] = []

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_POST(self):
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            received.append({"path": self.path, **body})
            ok = body["chat_id"] != "blocked"
            data = json.dumps(
                {"ok": ok}
                if ok
                else {"ok": False, "error_code": 403, "description": "bot was blocked"}
            ).encode()
            self.send_response(200 if ok else 403)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    server = HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings.WARTA_TELEGRAM_API_BASE = f"http://127.0.0.1:{server.server_address[1]}"
    settings.WARTA_TELEGRAM_BOT_TOKEN = "123:ABC"
    yield received
    server.shutdown()


def test_a_failure_reaches_officers_by_mail_and_telegram(world, telegram):
    Officer.objects.filter(user=world.alice).update(telegram_chat_id="5551")
    variant = make_variant(world, world.channel_a, status=PostVariant.Status.FAILED)
    variant.last_error = "Token kedaluwarsa"
    assert notifications.publish_failed(variant) == 2
    assert mail.outbox[0].to == ["alice@example.test"]
    assert telegram[0]["path"] == "/bot123:ABC/sendMessage"
    assert telegram[0]["chat_id"] == "5551" and "Token kedaluwarsa" in telegram[0]["text"]


def test_an_undeliverable_telegram_message_is_logged_not_raised(world, telegram):
    Officer.objects.filter(user=world.alice).update(telegram_chat_id="blocked")
    variant = make_variant(world, world.channel_a, status=PostVariant.Status.FAILED)
    assert notifications.publish_failed(variant) == 1  # the e-mail still went


def test_the_daily_digest_goes_once_from_six_local(world):
    at = datetime(2026, 11, 26, 9, 0, tzinfo=WITA)
    make_variant(world, world.channel_a, at=at)
    with time_machine.travel(datetime(2026, 11, 26, 5, 30, tzinfo=WITA)):
        assert notifications.daily_digest_send() == 0
    with time_machine.travel(datetime(2026, 11, 26, 6, 5, tzinfo=WITA)):
        assert notifications.daily_digest_send() == 1
        assert notifications.daily_digest_send() == 0
    assert "09:00" in mail.outbox[0].body and "26-11-2026" in mail.outbox[0].subject
    with time_machine.travel(datetime(2026, 11, 27, 6, 5, tzinfo=WITA) + timedelta(hours=1)):
        assert notifications.daily_digest_send() == 0  # nothing planned that day
