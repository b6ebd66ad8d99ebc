"""The REST API of the inbox, requests and consultations keeps the same boundaries as the UI."""

import uuid
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from warta.engagement import consultations as svc
from warta.engagement.ingest import inbox_ingest
from warta.engagement.models import InboxItem, InformationRequest, Reply
from warta.engagement.tests.fakes import FakePlatform, comment
from warta.testing.fixtures import World


@pytest.fixture
def item(world: World) -> InboxItem:
    inbox_ingest(
        channel=world.channel_a,
        comments=[comment("a1", "Kapan vaksin dibuka?"), comment("a2", "Dasar bodoh", minutes=1)],
    )
    inbox_ingest(channel=world.channel_b, comments=[comment("b1", "Sekolah rusak?")])
    return InboxItem.objects.get(platform_item_id="a1")


def test_it_lists_only_visible_items_with_filters(
    item: InboxItem, alice_client: Client, bob_client: Client, cora_client: Client
) -> None:
    ids = {
        r["platform_item_id"] for r in alice_client.get("/api/v1/inbox-items/").json()["results"]
    }
    assert ids == {"a1", "a2"}
    ids = {r["platform_item_id"] for r in cora_client.get("/api/v1/inbox-items/").json()["results"]}
    assert ids == {"a1", "a2", "b1"}
    filtered = alice_client.get("/api/v1/inbox-items/?annotation=abusive").json()["results"]
    assert [r["platform_item_id"] for r in filtered] == ["a2"]
    assert bob_client.get(f"/api/v1/inbox-items/{item.pk}/").status_code == 404
    assert Client().get("/api/v1/inbox-items/").status_code in (401, 403)


def test_it_assigns_replies_and_finishes_through_the_api(
    world: World,
    item: InboxItem,
    alice_client: Client,
    bob_client: Client,
    hana_client: Client,
    inbox_platform: FakePlatform,
    commit,
) -> None:
    url = f"/api/v1/inbox-items/{item.pk}/"
    assert (
        bob_client.post(
            url + "assign/", {"assignee": world.bob.pk}, content_type="application/json"
        ).status_code
        == 404
    )
    assert (
        hana_client.post(
            url + "assign/", {"assignee": None}, content_type="application/json"
        ).status_code
        == 403
    )
    response = alice_client.post(
        url + "assign/", {"assignee": world.alice.pk}, content_type="application/json"
    )
    assert response.json()["status"] == "assigned"
    key = str(uuid.uuid4())
    for _ in range(2):
        with commit(execute=True):
            response = alice_client.post(
                url + "reply/",
                {"text": "Senin", "idempotency_key": key},
                content_type="application/json",
            )
        assert response.status_code == 201
    assert Reply.objects.count() == 1 and inbox_platform.reply_calls == 1
    assert response.json()["status"] == "sent"
    assert (
        bob_client.post(url + "reply/", {"text": "x"}, content_type="application/json").status_code
        == 404
    )
    assert hana_client.post(url + "done/", {}, content_type="application/json").status_code == 403
    assert (
        alice_client.post(url + "done/", {}, content_type="application/json").json()["status"]
        == "done"
    )
    bad = alice_client.post(url + "reply/", {"text": " "}, content_type="application/json")
    assert bad.status_code == 400


def test_it_creates_and_answers_requests_within_the_boundary(
    world: World, item: InboxItem, alice_client: Client, bob_client: Client, hana_client: Client
) -> None:
    payload = {
        "agency": world.agency_a.pk,
        "origin": "social",
        "requester_name": "Ani",
        "requester_contact": "@ani",
        "information_requested": "Data vaksin",
        "inbox_item": item.pk,
    }
    assert (
        bob_client.post(
            "/api/v1/information-requests/", payload, content_type="application/json"
        ).status_code
        == 404
    )
    assert (
        hana_client.post(
            "/api/v1/information-requests/", payload, content_type="application/json"
        ).status_code
        == 403
    )
    created = alice_client.post(
        "/api/v1/information-requests/", payload, content_type="application/json"
    )
    assert created.status_code == 201
    assert created.json()["register_number"].startswith("0001/PPID-DINKES/")
    pk = created.json()["id"]
    assert bob_client.get(f"/api/v1/information-requests/{pk}/").status_code == 404
    assert bob_client.get("/api/v1/information-requests/").json()["results"] == []
    refused = alice_client.post(
        f"/api/v1/information-requests/{pk}/respond/",
        {"status": "refused", "response": "Tidak"},
        content_type="application/json",
    )
    assert refused.status_code == 400 and "exemption_reason" in refused.json()
    granted = alice_client.post(
        f"/api/v1/information-requests/{pk}/respond/",
        {"status": "granted", "response": "Terlampir"},
        content_type="application/json",
    )
    assert granted.json()["status"] == "granted"
    assert InformationRequest.objects.get().status == "granted"


def test_it_shows_consultations_with_themes_only_to_their_region_and_agency(
    world: World, alice_client: Client, bob_client: Client
) -> None:
    now = timezone.now()
    consultation = svc.consultation_create(
        agency=world.agency_a,
        actor=world.alice,
        title="Taman",
        question="Apa?",
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=5),
    )
    svc.consultation_submit_public(consultation=consultation, text="Lampu taman", ip_address=None)
    svc.consultation_group(consultation=consultation, actor=world.alice)
    data = alice_client.get(f"/api/v1/consultations/{consultation.pk}/").json()
    assert data["themes"][0]["count"] == 1 and data["themes"][0]["quotes"] == ["Lampu taman"]
    assert bob_client.get(f"/api/v1/consultations/{consultation.pk}/").status_code == 404
    assert bob_client.get("/api/v1/consultations/").json()["results"] == []


def test_it_describes_the_endpoints_in_the_openapi_document(alice_client: Client) -> None:
    schema = alice_client.get("/api/v1/schema/").content.decode()
    assert "/api/v1/inbox-items/{id}/reply/" in schema
    assert "/api/v1/information-requests/{id}/respond/" in schema
