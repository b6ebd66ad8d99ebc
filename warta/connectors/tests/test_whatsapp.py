from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from warta.connectors.base import AuthError, NotSupported, PermanentError, TransientError
from warta.connectors.fakes import Fault
from warta.connectors.whatsapp.connector import (
    opt_keyword,
    parse_webhook,
    verify_subscription,
    window_open,
)

CITIZEN = "6281234567890"


@pytest.fixture
def fake(fake_platform):
    return fake_platform("whatsapp")


def test_it_reads_a_signed_webhook_and_refuses_a_forged_one(fake):
    # https://developers.facebook.com/docs/whatsapp/cloud-api/webhooks/payload-examples
    body, signature = fake.receive(CITIZEN, "Jalan rusak di Loktuan", name="Budi")
    [message] = parse_webhook(body, signature=signature, app_secret=fake.app_secret)
    assert (message.text, message.author_name, message.author_handle, message.kind) == (
        "Jalan rusak di Loktuan",
        "Budi",
        CITIZEN,
        "message",
    )
    assert message.platform_item_id.startswith(f"{CITIZEN}:wamid.")
    with pytest.raises(PermanentError):
        parse_webhook(body + b" ", signature=signature, app_secret=fake.app_secret)
    with pytest.raises(PermanentError):
        parse_webhook(body, signature="", app_secret="")


def test_it_answers_the_subscription_check_only_with_the_right_token():
    params = {"hub.mode": "subscribe", "hub.verify_token": "v", "hub.challenge": "42"}
    assert verify_subscription(params, verify_token="v") == "42"
    with pytest.raises(PermanentError):
        verify_subscription({**params, "hub.verify_token": "x"}, verify_token="v")


def test_it_replies_inside_the_24_hour_window_and_says_when_it_closed(fake):
    connector = fake.connector()
    start = datetime(2026, 12, 2, 1, 0, tzinfo=UTC)
    with time_machine.travel(start, tick=False):
        body, signature = fake.receive(CITIZEN, "Kapan diperbaiki?")
        [message] = parse_webhook(body, signature=signature, app_secret=fake.app_secret)
        answer = connector.reply(
            platform_item_id=message.platform_item_id, text="Pekan ini.", idempotency_key="r"
        )
    assert answer.parent_id == message.platform_item_id
    assert fake.sent[-1]["context"] == {"message_id": message.platform_item_id.split(":")[1]}
    assert window_open(message.created_at, now=start + timedelta(hours=23))
    later = start + timedelta(hours=25)
    assert not window_open(message.created_at, now=later)
    with time_machine.travel(later, tick=False), pytest.raises(PermanentError) as caught:
        connector.reply(platform_item_id=message.platform_item_id, text="Lagi", idempotency_key="x")
    assert caught.value.platform_code == "outside_window" and "templat" in caught.value.message
    with time_machine.travel(later, tick=False):
        sent = connector.send_template(
            to=CITIZEN, name="jawaban_pengaduan", parameters=("PGD-0012",)
        )
    assert sent.startswith("wamid.") and fake.sent[-1]["type"] == "template"


def test_it_maps_the_cloud_apis_errors(fake):
    connector = fake.connector()
    with pytest.raises(PermanentError) as caught:
        connector.send_template(to=CITIZEN, name="tidak_ada")
    assert caught.value.platform_code == "template"
    fake.undeliverable.add("6280000000000")
    with pytest.raises(PermanentError) as caught:
        connector.send_template(to="6280000000000", name="jawaban_pengaduan")
    assert caught.value.platform_code == "undeliverable"
    fake.fail_next(Fault.RATE_LIMIT)
    with pytest.raises(TransientError) as slow:
        connector.send_template(to=CITIZEN, name="jawaban_pengaduan")
    assert slow.value.retry_after == 60
    fake.expire_token()
    with pytest.raises(AuthError):
        connector.send_template(to=CITIZEN, name="jawaban_pengaduan")
    with pytest.raises(NotSupported):
        connector.fetch_comments(since=None)


@pytest.mark.parametrize(
    ("text", "meaning"),
    [("STOP", "out"), (" berhenti ", "out"), ("Mulai", "in"), ("stop jalan rusak", "")],
)
def test_it_recognises_opt_out_and_opt_in(text, meaning):
    assert opt_keyword(text) == meaning
