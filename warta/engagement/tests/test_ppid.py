"""Information requests: register numbers, legal deadlines in working days, answers, objections."""

import csv
import io
from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from openpyxl import load_workbook

from warta.engagement.ingest import inbox_ingest
from warta.engagement.models import InboxItem, InformationRequest, Objection
from warta.engagement.ppid import (
    info_request_create,
    info_request_extend,
    info_request_respond,
    objection_answer,
    objection_file,
)
from warta.engagement.reminders import requests_send_reminders
from warta.engagement.tests.fakes import comment
from warta.testing.fixtures import World

# Monday 16 Mar 2026, 10:00 WITA: the week of Nyepi and Idul Fitri with its cuti bersama.
MONDAY_BEFORE_LEBARAN = datetime(2026, 3, 16, 2, 0, tzinfo=UTC)


def _local_day(moment: datetime) -> date:
    return moment.astimezone(__import__("zoneinfo").ZoneInfo("Asia/Makassar")).date()


def make(world: World, **kwargs: object) -> InformationRequest:
    fields: dict[str, object] = {
        "agency": world.agency_a,
        "actor": world.alice,
        "requester_name": "Ani",
        "requester_contact": "ani@example.test",
        "information_requested": "Anggaran posyandu 2026",
        "origin": "email",
    }
    fields.update(kwargs)
    return info_request_create(**fields)  # type: ignore[arg-type]


@time_machine.travel(MONDAY_BEFORE_LEBARAN, tick=False)
def test_it_numbers_requests_per_agency_and_year_and_sets_the_deadline(world: World) -> None:
    first, second = make(world), make(world)
    other = make(world, agency=world.agency_b, actor=world.bob)
    assert first.register_number == "0001/PPID-DINKES/2026"
    assert second.register_number == "0002/PPID-DINKES/2026"
    assert other.register_number == "0001/PPID-DISDIK/2026"
    # 17 Mar (1), 18-24 Mar holidays and cuti bersama, 25 (2) ... 10th working day: 7 April
    # (3 April is Good Friday).
    assert _local_day(first.due_at) == date(2026, 4, 7)


def test_it_refuses_an_incomplete_request_and_stores_nothing(world: World) -> None:
    with pytest.raises(ValidationError) as error:
        make(
            world,
            requester_name=" ",
            requester_contact="",
            information_requested="",
            origin="pigeon",
        )
    assert set(error.value.message_dict) == {
        "requester_name",
        "requester_contact",
        "information_requested",
        "origin",
    }
    with pytest.raises(ValidationError):
        make(world, actor=world.hana)
    with pytest.raises(ValidationError):
        make(world, actor=world.bob)
    assert not InformationRequest.objects.exists()


@time_machine.travel(MONDAY_BEFORE_LEBARAN, tick=False)
def test_it_extends_once_by_seven_working_days_with_a_reason(world: World) -> None:
    request = make(world)
    with pytest.raises(ValidationError):
        info_request_extend(request=request, reason="", actor=world.alice)
    request = info_request_extend(
        request=request, reason="Data masih dihimpun dari puskesmas", actor=world.alice
    )
    # 7 April + 7 working days = 16 April.
    assert _local_day(request.due_at) == date(2026, 4, 16)
    with pytest.raises(ValidationError, match="satu kali"):
        info_request_extend(request=request, reason="Lagi-lagi belum siap", actor=world.alice)


def test_it_refuses_an_extension_after_the_deadline(world: World) -> None:
    with time_machine.travel(MONDAY_BEFORE_LEBARAN, tick=False):
        request = make(world)
    with (
        time_machine.travel(datetime(2026, 4, 9, tzinfo=UTC), tick=False),
        pytest.raises(ValidationError, match="lewat"),
    ):
        info_request_extend(
            request=request, reason="Terlambat minta perpanjangan", actor=world.alice
        )


@time_machine.travel(MONDAY_BEFORE_LEBARAN, tick=False)
def test_it_requires_the_exemption_reason_for_a_refusal(world: World) -> None:
    request = make(world)
    with pytest.raises(ValidationError) as error:
        info_request_respond(
            request=request, status="refused", response="Ditolak", actor=world.alice
        )
    assert "exemption_reason" in error.value.message_dict
    request = info_request_respond(
        request=request,
        status="refused",
        response="Ditolak",
        exemption_reason="Pasal 17 huruf h: data pribadi pasien",
        actor=world.alice,
    )
    assert request.status == "refused" and request.responded_at is not None
    with pytest.raises(ValidationError, match="sudah dijawab"):
        info_request_respond(request=request, status="granted", response="x", actor=world.alice)


def test_it_takes_objections_within_thirty_working_days_and_dates_the_answer(
    world: World,
) -> None:
    with time_machine.travel(MONDAY_BEFORE_LEBARAN, tick=False):
        request = make(world)
        with pytest.raises(ValidationError, match="setelah permohonan dijawab"):
            objection_file(request=request, reason="refused", statement="", actor=world.alice)
        info_request_respond(
            request=request,
            status="refused",
            response="Ditolak",
            exemption_reason="Pasal 17",
            actor=world.alice,
        )
    request.refresh_from_db()
    # 30 working days after Monday 16 March (with Lebaran, Easter, May holidays) is 5 May...
    late = datetime(2026, 6, 1, 2, 0, tzinfo=UTC)
    with time_machine.travel(late, tick=False), pytest.raises(ValidationError, match="30 hari"):
        objection_file(request=request, reason="refused", statement="", actor=world.alice)
    filed = datetime(2026, 4, 1, 2, 0, tzinfo=UTC)
    with time_machine.travel(filed, tick=False):
        objection = objection_file(
            request=request, reason="refused", statement="Data itu bukan rahasia", actor=world.alice
        )
        assert objection.due_at > filed + timedelta(days=30)  # 30 working days, not calendar
        answered = objection_answer(
            objection=objection, outcome="upheld", answer="Informasi diberikan", actor=world.alice
        )
    assert answered.answered_at is not None
    with pytest.raises(ValidationError):
        objection_answer(objection=objection, outcome="rejected", answer="x", actor=world.alice)


def test_it_lets_an_unanswered_request_be_objected_to_after_the_deadline(world: World) -> None:
    with time_machine.travel(MONDAY_BEFORE_LEBARAN, tick=False):
        request = make(world)
    with time_machine.travel(datetime(2026, 4, 9, 2, 0, tzinfo=UTC), tick=False):
        objection = objection_file(
            request=request, reason="not_answered", statement="", actor=world.alice
        )
    assert objection.reason == "not_answered"


def test_it_reminds_the_responsible_officer_before_the_deadline(world: World) -> None:
    with time_machine.travel(MONDAY_BEFORE_LEBARAN, tick=False):
        request = make(world)
    assert requests_send_reminders(now=request.due_at - timedelta(days=5)) == 0
    assert requests_send_reminders(now=request.due_at - timedelta(days=1)) == 1
    assert mail.outbox[0].to == ["alice@example.test"]
    assert request.register_number in mail.outbox[0].body
    assert requests_send_reminders(now=request.due_at - timedelta(hours=1)) == 0


def test_it_turns_a_message_into_a_request(world: World, alice_client: Client) -> None:
    inbox_ingest(
        channel=world.channel_a,
        comments=[comment("m1", "Mohon informasi data stunting 2025", handle="@ani")],
    )
    item = InboxItem.objects.get()
    form = alice_client.get(f"/interaksi/permohonan/baru/?item={item.pk}").content.decode()
    assert "Mohon informasi data stunting 2025" in form
    response = alice_client.post(
        "/interaksi/permohonan/baru/",
        {
            "item": item.pk,
            "agency": world.agency_a.pk,
            "origin": "social",
            "requester_name": "Ani",
            "requester_contact": "@ani (Instagram)",
            "information_requested": item.text,
            "received_at": "2026-11-02T09:00",
        },
    )
    request = InformationRequest.objects.get()
    assert response.status_code == 302 and request.inbox_item == item
    assert request.channel == world.channel_a
    assert request.received_at == datetime(2026, 11, 2, 1, 0, tzinfo=UTC)  # local WITA


def test_it_guards_request_pages_per_role(
    world: World, alice_client: Client, bob_client: Client, hana_client: Client, cora_client: Client
) -> None:
    request = make(world)
    base = f"/interaksi/permohonan/{request.pk}/"
    assert alice_client.get(base).status_code == 200
    assert hana_client.get(base).status_code == 200
    assert cora_client.get(base).status_code == 200
    assert bob_client.get(base).status_code == 404
    assert request.register_number not in bob_client.get("/interaksi/permohonan/").content.decode()
    for action in ["perpanjang/", "jawab/", "keberatan/"]:
        assert bob_client.post(base + action, {"reason": "x" * 20}).status_code == 404
        assert hana_client.post(base + action, {"reason": "x" * 20}).status_code == 403
    assert hana_client.get("/interaksi/permohonan/baru/").status_code == 403
    response = bob_client.post(
        "/interaksi/permohonan/baru/",
        {
            "agency": world.agency_a.pk,
            "origin": "email",
            "requester_name": "x",
            "requester_contact": "x",
            "information_requested": "x",
            "received_at": "2026-11-02T09:00",
        },
    )
    assert response.status_code == 200 and InformationRequest.objects.count() == 1
    alice_client.post(base + "jawab/", {"status": "granted", "response": "Terlampir"})
    request.refresh_from_db()
    assert request.status == "granted"


def test_it_guards_objection_answers_per_role(
    world: World, bob_client: Client, hana_client: Client
) -> None:
    with time_machine.travel(MONDAY_BEFORE_LEBARAN, tick=False):
        request = make(world)
        info_request_respond(
            request=request, status="not_held", response="Tidak ada", actor=world.alice
        )
        objection = objection_file(
            request=request, reason="not_fulfilled", statement="", actor=world.alice
        )
    url = f"/interaksi/keberatan/{objection.pk}/jawab/"
    assert bob_client.post(url, {"outcome": "upheld", "answer": "x"}).status_code == 404
    assert hana_client.post(url, {"outcome": "upheld", "answer": "x"}).status_code == 403
    assert Objection.objects.get().answered_at is None


def test_it_exports_the_register_with_formulas_neutralised(
    world: World, alice_client: Client, bob_client: Client
) -> None:
    make(
        world,
        requester_name='=HYPERLINK("http://evil","klik")',
        information_requested="+62 811 dan @SUM(A1) -1",
    )
    make(world, agency=world.agency_b, actor=world.bob, requester_name="Rahasia B")
    body = alice_client.get("/interaksi/permohonan/register.csv").content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0][0] == "Nomor register" and len(rows) == 2
    assert rows[1][4].startswith("'=HYPERLINK") and rows[1][6].startswith("'+62")
    assert "Rahasia B" not in body
    bob_body = bob_client.get("/interaksi/permohonan/register.csv").content.decode("utf-8-sig")
    assert "Rahasia B" in bob_body and "HYPERLINK" not in bob_body
    xlsx = alice_client.get("/interaksi/permohonan/register.xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    cell = sheet.cell(row=2, column=5)
    assert cell.value.startswith("'=HYPERLINK") and cell.data_type == "s"
    assert alice_client.get("/interaksi/permohonan/register.pdf").status_code == 404


def test_it_offers_an_information_request_from_the_inbox_to_the_register(
    world: World, alice_client: Client, hana_client: Client
) -> None:
    inbox_ingest(
        channel=world.channel_a,
        comments=[
            comment("m1", "Mohon informasi data stunting 2025", handle="@ani"),
            comment("m2", "Jalan rusak di depan sekolah", handle="@budi"),
        ],
    )
    asking = InboxItem.objects.get(platform_item_id="m1")
    complaint = InboxItem.objects.get(platform_item_id="m2")
    offer = f'href="/interaksi/permohonan/baru/?item={asking.pk}" data-testid="ppid-offer"'
    inbox = alice_client.get("/interaksi/kotak-masuk/").content.decode()
    assert offer in inbox
    assert f"?item={complaint.pk}" not in inbox
    detail = alice_client.get(f"/interaksi/kotak-masuk/{asking.pk}/").content.decode()
    assert 'data-testid="ppid-offer"' in detail and "Catat sebagai permohonan informasi" in detail
    assert (
        'data-testid="ppid-offer"'
        not in alice_client.get(f"/interaksi/kotak-masuk/{complaint.pk}/").content.decode()
    )
    # The head of the agency reads the inbox but records nothing: no offer.
    assert (
        'data-testid="ppid-offer"'
        not in hana_client.get("/interaksi/kotak-masuk/").content.decode()
    )
    # Once recorded, the message links to its request instead of offering it again.
    request = make(world, inbox_item=asking)
    detail = alice_client.get(f"/interaksi/kotak-masuk/{asking.pk}/").content.decode()
    assert 'data-testid="ppid-offer"' not in detail and request.register_number in detail
    assert offer not in alice_client.get("/interaksi/kotak-masuk/").content.decode()
