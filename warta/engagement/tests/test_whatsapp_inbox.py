"""WhatsApp in the inbox, against the strict Cloud API fake: webhook, window, consent."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core import mail
from django.test import Client

from warta.channels.models import Channel, WhatsAppTemplate
from warta.channels.whatsapp import whatsapp_connect
from warta.core.models import AuditEvent
from warta.engagement import ppid
from warta.engagement.models import InboxItem, InformationRequest, Reply, WhatsAppContact
from warta.engagement.services import replies_retry_due, reply_create
from warta.lib import crypto
from warta.testing.fixtures import World

CITIZEN = "6281234567890"
START = datetime(2026, 12, 2, 1, 0, tzinfo=UTC)  # Wednesday 09:00 WITA


@pytest.fixture
def fake(fake_platform):  # type: ignore[no-untyped-def]
    return fake_platform("whatsapp")


@pytest.fixture
def line(world: World, fake) -> Channel:  # type: ignore[no-untyped-def]
    channel = Channel.objects.create(
        agency=world.agency_a, platform="whatsapp", handle="Pengaduan Dinkes", mode="api"
    )
    return whatsapp_connect(
        channel=channel,
        actor=world.alice,
        phone_number_id=fake.external_id,
        waba_id=fake.waba_id,
        access_token=fake.access_token,
        app_secret=fake.app_secret,
        verify_token=fake.verify_token,
    )


def _hook(line: Channel) -> str:
    return f"/interaksi/whatsapp/{line.pk}/webhook/"


def _deliver(client: Client, line: Channel, body: bytes, signature: str):  # type: ignore[no-untyped-def]
    return client.post(
        _hook(line), body, content_type="application/json", HTTP_X_HUB_SIGNATURE_256=signature
    )


def _write_in(fake, line: Channel, text: str, at: datetime = START) -> InboxItem:  # type: ignore[no-untyped-def]
    with time_machine.travel(at, tick=False):
        body, signature = fake.receive(CITIZEN, text, name="Budi")
        assert _deliver(Client(), line, body, signature).status_code == 200
    return InboxItem.objects.filter(channel=line).order_by("-id").first()  # type: ignore[return-value]


# --- Connecting ----------------------------------------------------------------------


def test_an_officer_connects_a_number_checked_against_the_api(
    world: World, alice_client: Client, fake
) -> None:
    channel = Channel.objects.create(
        agency=world.agency_a, platform="whatsapp", handle="Pengaduan Dinkes", mode="api"
    )
    data = {
        "phone_number_id": fake.external_id,
        "waba_id": fake.waba_id,
        "access_token": fake.access_token,
        "app_secret": fake.app_secret,
        "verify_token": fake.verify_token,
    }
    wrong = alice_client.post(
        f"/kanal/{channel.pk}/whatsapp/", {**data, "phone_number_id": "99999999"}
    )
    channel.refresh_from_db()
    assert wrong.status_code == 200 and "WhatsApp Cloud API menolak" in wrong.content.decode()
    assert not channel.has_credentials and not WhatsAppTemplate.objects.exists()

    response = alice_client.post(f"/kanal/{channel.pk}/whatsapp/", data)
    assert response.status_code == 302
    channel.refresh_from_db()
    assert channel.external_id == fake.external_id
    assert fake.app_secret not in channel.credentials_encrypted
    assert crypto.decrypt_json(channel.credentials_encrypted)["verify_token"] == fake.verify_token
    approved = {t.name for t in WhatsAppTemplate.objects.filter(channel=channel, status="APPROVED")}
    assert approved == {"jawaban_pengaduan", "pemberitahuan_ppid"}
    assert WhatsAppTemplate.objects.filter(name="promo_acara", status="REJECTED").exists()
    page = alice_client.get(f"/kanal/{channel.pk}/").content.decode()
    assert f"/interaksi/whatsapp/{channel.pk}/webhook/" in page
    assert fake.access_token not in page and fake.app_secret not in page


def test_an_outsider_cannot_connect_another_agencys_number(
    world: World, line: Channel, bob_client: Client
) -> None:
    response = bob_client.post(
        f"/kanal/{line.pk}/whatsapp/",
        {
            "phone_number_id": "1234567",
            "waba_id": "1234567",
            "access_token": "x",
            "app_secret": "y",
            "verify_token": "zzzzzzzz",
        },
    )
    assert response.status_code in (403, 404)


# --- The webhook -----------------------------------------------------------------------


def test_the_subscription_check_echoes_the_challenge_only_with_the_verify_token(
    line: Channel, fake
) -> None:
    params = {"hub.mode": "subscribe", "hub.verify_token": fake.verify_token, "hub.challenge": "7"}
    ok = Client().get(_hook(line), params)
    assert ok.status_code == 200 and ok.content == b"7"
    wrong = Client().get(_hook(line), {**params, "hub.verify_token": "tebakan"})
    assert wrong.status_code == 403 and b"7" not in wrong.content


def test_a_forged_delivery_is_refused_and_nothing_is_stored(line: Channel, fake) -> None:
    body, signature = fake.receive(CITIZEN, "Jalan rusak")
    assert (
        _deliver(Client(), line, body.replace(b"Jalan", b"Jembatan"), signature).status_code == 403
    )
    assert _deliver(Client(), line, body, "").status_code == 403
    other_secret = "sha256=" + "0" * 64
    assert _deliver(Client(), line, body, other_secret).status_code == 403
    assert not InboxItem.objects.exists() and not WhatsAppContact.objects.exists()


def test_a_message_lands_in_the_inbox_annotated_with_a_target_and_the_number_masked(
    world: World, line: Channel, fake, alice_client: Client
) -> None:
    item = _write_in(fake, line, "Kapan posyandu di Loktuan buka?")
    assert item.kind == InboxItem.Kind.MESSAGE and item.agency == world.agency_a
    assert item.annotated_at is not None and item.response_due_at is not None
    assert item.author_name == "Budi"
    assert CITIZEN not in item.author_handle and item.author_handle.endswith("7890")
    assert CITIZEN not in item.platform_item_id
    contact = WhatsAppContact.objects.get()
    assert CITIZEN not in contact.number_encrypted and contact.last_inbound_at == START
    for page in (
        alice_client.get("/interaksi/kotak-masuk/"),
        alice_client.get(f"/interaksi/kotak-masuk/{item.pk}/"),
    ):
        html = page.content.decode()
        assert "Kapan posyandu" in html and CITIZEN not in html and "812345" not in html


def test_a_delivery_meta_retries_twice_is_stored_once(line: Channel, fake) -> None:
    body, signature = fake.receive(CITIZEN, "Sampah belum diangkut")
    for _ in range(3):
        assert _deliver(Client(), line, body, signature).status_code == 200
    assert InboxItem.objects.count() == 1 and WhatsAppContact.objects.count() == 1


def test_hostile_text_is_stored_as_given_and_escaped(
    line: Channel, fake, alice_client: Client
) -> None:
    item = _write_in(fake, line, "<script>alert(1)</script>")
    assert item.text == "<script>alert(1)</script>"
    html = alice_client.get(f"/interaksi/kotak-masuk/{item.pk}/").content.decode()
    assert "<script>alert(1)" not in html and "&lt;script&gt;" in html


# --- Replies: the 24-hour window -------------------------------------------------------


def test_inside_the_window_a_reply_goes_as_text_and_statuses_mark_it_read(
    line: Channel, fake, alice_client: Client, commit
) -> None:
    item = _write_in(fake, line, "Kapan posyandu buka?")
    with time_machine.travel(START + timedelta(hours=2), tick=False), commit(execute=True):
        page = alice_client.get(f"/interaksi/kotak-masuk/{item.pk}/").content.decode()
        assert "Jendela 24 jam terbuka" in page
        key = page.split('name="key" value="')[1].split('"')[0]
        alice_client.post(
            f"/interaksi/kotak-masuk/{item.pk}/balas/", {"text": "Besok pukul 08.00.", "key": key}
        )
    reply = Reply.objects.get()
    assert reply.status == Reply.Status.SENT and reply.platform_reply_id.startswith("wamid.")
    sent = fake.sent[-1]
    assert (sent["to"], sent["type"], sent["text"]["body"]) == (
        CITIZEN,
        "text",
        "Besok pukul 08.00.",
    )
    assert sent["context"]["message_id"] == item.platform_item_id.split(":")[1]
    for status in ("delivered", "read"):
        body, signature = fake.status(reply.platform_reply_id, status)
        assert _deliver(Client(), line, body, signature).status_code == 200
        assert _deliver(Client(), line, body, signature).status_code == 200  # retried
    reply.refresh_from_db()
    assert reply.delivered_at is not None and reply.read_at is not None
    assert InboxItem.objects.count() == 1  # statuses are not messages


def test_outside_the_window_only_an_approved_template_goes(
    world: World, line: Channel, fake, alice_client: Client, commit
) -> None:
    item = _write_in(fake, line, "Kapan posyandu buka?")
    later = START + timedelta(hours=25)
    with time_machine.travel(later, tick=False), commit(execute=True):
        page = alice_client.get(f"/interaksi/kotak-masuk/{item.pk}/").content.decode()
        assert "Jendela 24 jam sudah tertutup" in page
        free = alice_client.post(
            f"/interaksi/kotak-masuk/{item.pk}/balas/",
            {"text": "Maaf terlambat.", "key": "8a0c8f5e-0000-4000-8000-000000000001"},
            follow=True,
        )
        assert "Sudah lewat 24 jam" in free.content.decode()
        assert not Reply.objects.exists() and fake.sent == []
        rejected = WhatsAppTemplate.objects.get(name="promo_acara")
        alice_client.post(
            f"/interaksi/kotak-masuk/{item.pk}/balas/",
            {
                "text": "x",
                "key": "8a0c8f5e-0000-4000-8000-000000000002",
                "wa_template": rejected.pk,
            },
        )
        assert not Reply.objects.exists()
        template = WhatsAppTemplate.objects.get(name="jawaban_pengaduan")
        alice_client.post(
            f"/interaksi/kotak-masuk/{item.pk}/balas/",
            {
                "text": "posyandu buka Senin",
                "key": "8a0c8f5e-0000-4000-8000-000000000003",
                "wa_template": template.pk,
            },
        )
    reply = Reply.objects.get()
    assert reply.status == Reply.Status.SENT and reply.wa_template == template
    sent = fake.sent[-1]
    assert sent["type"] == "template" and sent["template"]["name"] == "jawaban_pengaduan"
    assert sent["template"]["components"][0]["parameters"] == [
        {"type": "text", "text": "posyandu buka Senin"}
    ]
    assert "posyandu buka Senin" in reply.as_sent and "{{1}}" not in reply.as_sent


def test_a_citizen_writing_again_reopens_the_window(line: Channel, fake, world: World) -> None:
    item = _write_in(fake, line, "Halo?")
    _write_in(fake, line, "Masih menunggu", at=START + timedelta(hours=30))
    with time_machine.travel(START + timedelta(hours=31), tick=False):
        reply = reply_create(item=item, text="Sudah kami teruskan.", actor=world.alice)
    assert reply.wa_template is None


def test_after_the_secret_key_is_rotated_a_citizen_stays_one_contact(
    line: Channel, fake, world: World, settings
) -> None:  # type: ignore[no-untyped-def]
    item = _write_in(fake, line, "Halo?")
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "a-new-secret-key-after-rotation-" + "x" * 32
    _write_in(fake, line, "Masih menunggu", at=START + timedelta(hours=30))
    assert WhatsAppContact.objects.filter(channel=line).count() == 1
    # The window reopened by the second message is the citizen's own: a free-text reply goes.
    with time_machine.travel(START + timedelta(hours=31), tick=False):
        reply = reply_create(item=item, text="Sudah kami teruskan.", actor=world.alice)
    assert reply.wa_template is None


def test_a_send_a_dead_worker_left_is_not_repeated(line: Channel, fake, world: World) -> None:
    item = _write_in(fake, line, "Halo?")
    with time_machine.travel(START + timedelta(minutes=5), tick=False):
        reply = reply_create(item=item, text="Sebentar.", actor=world.alice)
        Reply.objects.filter(pk=reply.pk).update(status=Reply.Status.SENDING)
    with time_machine.travel(START + timedelta(hours=1), tick=False):
        replies_retry_due()
    reply.refresh_from_db()
    assert reply.status == Reply.Status.FAILED and "Tidak pasti" in reply.error
    assert fake.sent == []


# --- Consent ------------------------------------------------------------------------------


def test_stop_is_respected_until_the_citizen_writes_mulai(
    line: Channel, fake, world: World, alice_client: Client
) -> None:
    item = _write_in(fake, line, "Lampu jalan mati")
    stop = _write_in(fake, line, "BERHENTI", at=START + timedelta(minutes=10))
    contact = WhatsAppContact.objects.get()
    assert contact.opted_out_at is not None
    stop.refresh_from_db()
    assert stop.response_due_at is None and stop.status == InboxItem.Status.DONE
    with time_machine.travel(START + timedelta(minutes=20), tick=False):
        page = alice_client.get(f"/interaksi/kotak-masuk/{item.pk}/").content.decode()
        assert "berhenti berlangganan" in page
        with pytest.raises(Exception, match="STOP/BERHENTI"):
            reply_create(item=item, text="Sudah diperbaiki.", actor=world.alice)
    assert fake.sent == []
    _write_in(fake, line, "Mulai", at=START + timedelta(minutes=30))
    contact.refresh_from_db()
    assert contact.opted_out_at is None
    with time_machine.travel(START + timedelta(minutes=40), tick=False):
        assert reply_create(item=item, text="Sudah diperbaiki.", actor=world.alice)


def test_a_retried_old_stop_does_not_undo_a_later_mulai(line: Channel, fake) -> None:
    with time_machine.travel(START, tick=False):
        stop = fake.receive(CITIZEN, "STOP")
    _deliver(Client(), line, *stop)
    _write_in(fake, line, "MULAI", at=START + timedelta(minutes=5))
    _deliver(Client(), line, *stop)  # Meta retries the first delivery
    assert WhatsAppContact.objects.get().opted_out_at is None


def test_an_opt_out_that_arrives_while_a_reply_waits_stops_it(
    line: Channel, fake, world: World
) -> None:
    from warta.engagement.services import reply_send

    item = _write_in(fake, line, "Halo")
    with time_machine.travel(START + timedelta(seconds=30), tick=False):
        reply = reply_create(item=item, text="Halo juga", actor=world.alice)
    _write_in(fake, line, "STOP", at=START + timedelta(minutes=1))
    with time_machine.travel(START + timedelta(minutes=2), tick=False):
        reply_send(reply_id=reply.pk)
    reply.refresh_from_db()
    assert reply.status == Reply.Status.FAILED and fake.sent == []


def test_the_notice_template_choice_is_audited(
    line: Channel, alice_client: Client, world: World
) -> None:
    template = WhatsAppTemplate.objects.get(name="pemberitahuan_ppid")
    alice_client.post(f"/kanal/{line.pk}/whatsapp/pemberitahuan/", {"template": template.pk})
    template.refresh_from_db()
    assert template.for_ppid_notices
    assert AuditEvent.objects.filter(action="channel.whatsapp_notice_template").exists()


# --- Notices to information requesters ----------------------------------------------------


def _notices_on(line: Channel) -> None:
    WhatsAppTemplate.objects.filter(channel=line, name="pemberitahuan_ppid").update(
        for_ppid_notices=True
    )


def _file(world: World, **changes: str) -> InformationRequest:
    from warta.engagement.tests.test_consultations import stamp_of
    from warta.engagement.tests.test_ppid_portal import FORM

    url = f"/interaksi/publik/{world.region.slug}/ppid/{world.agency_a.pk}/permohonan/"
    client = Client()
    with time_machine.travel(START, tick=False) as frozen:
        page = client.get(url)
        frozen.shift(timedelta(seconds=60))
        response = client.post(url, {**FORM, "started": stamp_of(page), **changes})
    assert response.status_code == 302, response.content.decode()[:3000]
    return InformationRequest.objects.get()


def test_a_requester_who_chose_whatsapp_gets_notices_by_template(
    world: World, line: Channel, fake, commit
) -> None:
    page = Client().get(
        f"/interaksi/publik/{world.region.slug}/ppid/{world.agency_a.pk}/permohonan/"
    )
    assert "lewat WhatsApp" not in page.content.decode()  # no notice template chosen yet
    _notices_on(line)
    page = Client().get(
        f"/interaksi/publik/{world.region.slug}/ppid/{world.agency_a.pk}/permohonan/"
    )
    assert "Kabari saya lewat WhatsApp" in page.content.decode()
    with commit(execute=True):
        request = _file(world, email="", phone="0812-7777-1234", notify_whatsapp="on")
    sent = fake.sent[-1]
    assert (sent["to"], sent["type"]) == ("6281277771234", "template")
    assert sent["template"]["name"] == "pemberitahuan_ppid"
    [parameter] = sent["template"]["components"][0]["parameters"]
    assert (
        request.register_number in parameter["text"]
        and "/interaksi/publik/lacak/" in parameter["text"]
    )
    with commit(execute=True), time_machine.travel(START + timedelta(days=1), tick=False):
        ppid.info_request_respond(
            request=request, status="granted", response="Terlampir.", actor=world.alice
        )
    assert (
        len(fake.sent) == 2
        and "Dijawab" in fake.sent[-1]["template"]["components"][0]["parameters"][0]["text"]
    )


def test_a_requester_who_opted_out_gets_no_whatsapp_notice(
    world: World, line: Channel, fake, commit
) -> None:
    _notices_on(line)
    with time_machine.travel(START, tick=False):
        body, signature = fake.receive("6281277771234", "STOP")
        _deliver(Client(), line, body, signature)
    with commit(execute=True):
        _file(world, phone="0812-7777-1234", notify_whatsapp="on")
    assert fake.sent == []
    assert mail.outbox  # the e-mail still goes


def test_whatsapp_notices_need_a_number(world: World, line: Channel) -> None:
    from warta.engagement.tests.test_consultations import stamp_of
    from warta.engagement.tests.test_ppid_portal import FORM

    _notices_on(line)
    url = f"/interaksi/publik/{world.region.slug}/ppid/{world.agency_a.pk}/permohonan/"
    client = Client()
    with time_machine.travel(START, tick=False) as frozen:
        page = client.get(url)
        frozen.shift(timedelta(seconds=60))
        response = client.post(
            url, {**FORM, "phone": "", "notify_whatsapp": "on", "started": stamp_of(page)}
        )
    assert response.status_code == 400 and "nomor WhatsApp" in response.content.decode()
    assert not InformationRequest.objects.exists()


def test_the_demo_city_gets_threads_and_whatsapp_lines(world: World) -> None:
    import random

    from warta.engagement.whatsapp_demo import add_threads_and_whatsapp

    world.agency_a.short_name = "Diskominfo"
    with time_machine.travel(START, tick=False):
        counts = add_threads_and_whatsapp(
            {"Diskominfo": world.agency_a}, end=START, rng=random.Random(1)
        )
    assert counts == {"channels": 3, "messages": 3}
    platforms = set(world.agency_a.channels.values_list("platform", "mode"))
    assert {
        ("threads", "sandbox"),
        ("whatsapp", "sandbox"),
        ("whatsapp_channel", "manual"),
    } <= platforms
    line = Channel.objects.get(platform="whatsapp")
    assert (
        line.has_credentials
        and WhatsAppTemplate.objects.filter(
            channel=line, for_ppid_notices=True, status="APPROVED"
        ).exists()
    )
    assert InboxItem.objects.filter(channel=line, response_due_at__isnull=False).count() == 3


def test_the_api_sends_a_template_outside_the_window_and_refuses_free_text(
    line: Channel, fake, alice_client: Client, commit
) -> None:
    item = _write_in(fake, line, "Halo?")
    url = f"/api/v1/inbox-items/{item.pk}/reply/"
    template = WhatsAppTemplate.objects.get(name="jawaban_pengaduan")
    with time_machine.travel(START + timedelta(hours=26), tick=False), commit(execute=True):
        free = alice_client.post(url, {"text": "Maaf."}, content_type="application/json")
        assert free.status_code == 400 and not Reply.objects.exists()
        sent = alice_client.post(
            url,
            {"text": "sudah selesai", "wa_template": template.pk},
            content_type="application/json",
        )
    assert sent.status_code == 201 and sent.json()["wa_template"] == template.pk
    assert fake.sent[-1]["type"] == "template"


def test_a_failed_status_marks_the_reply_failed_with_whatsapps_reason(
    line: Channel, fake, world: World, commit
) -> None:
    item = _write_in(fake, line, "Halo?")
    with time_machine.travel(START + timedelta(minutes=5), tick=False), commit(execute=True):
        reply = reply_create(item=item, text="Halo juga.", actor=world.alice)
    reply.refresh_from_db()
    assert reply.status == Reply.Status.SENT
    body, signature = fake.status(reply.platform_reply_id, "failed", error="Message undeliverable")
    assert _deliver(Client(), line, body, signature).status_code == 200
    reply.refresh_from_db()
    assert reply.status == Reply.Status.FAILED and "Message undeliverable" in reply.error


def test_a_delivery_for_another_number_of_the_app_is_not_stored_here(line: Channel, fake) -> None:
    fake.external_id = "100000000000001"  # the same Meta app, another business number
    body, signature = fake.receive(CITIZEN, "Salah alamat")
    assert _deliver(Client(), line, body, signature).status_code == 200
    assert not InboxItem.objects.exists()


def test_only_the_agencys_officers_change_its_whatsapp_templates(
    world: World, line: Channel, bob_client: Client
) -> None:
    from warta.testing.fixtures import client_for

    template = WhatsAppTemplate.objects.get(name="pemberitahuan_ppid")
    for client in (bob_client, client_for(world.hana)):
        notice = client.post(f"/kanal/{line.pk}/whatsapp/pemberitahuan/", {"template": template.pk})
        refresh = client.post(f"/kanal/{line.pk}/whatsapp/templat/")
        assert notice.status_code in (403, 404) and refresh.status_code in (403, 404)
    template.refresh_from_db()
    assert not template.for_ppid_notices
    assert not AuditEvent.objects.filter(action__startswith="channel.whatsapp").exists()
    page = bob_client.get(f"/kanal/{line.pk}/")
    assert page.status_code in (403, 404)


def test_odd_characters_in_the_token_or_signature_are_a_refusal_not_an_error(
    line: Channel, fake
) -> None:
    params = {"hub.mode": "subscribe", "hub.verify_token": "tébakan", "hub.challenge": "7"}
    assert Client().get(_hook(line), params).status_code == 403
    body, _signature = fake.receive(CITIZEN, "Halo")
    assert _deliver(Client(), line, body, "sha256=é").status_code == 403
    assert not InboxItem.objects.exists()
