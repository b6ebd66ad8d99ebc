import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client

from warta.core.apitokens import ApiToken, hash_token
from warta.core.models import AuditEvent
from warta.institutions.models import Agency, Officer
from warta.testing.fixtures import World, client_for


def _ids(response) -> set[int]:  # type: ignore[no-untyped-def]
    return {item["id"] for item in response.json()["results"]}


def test_each_role_lists_agencies_within_scope(world: World) -> None:
    a, b = world.agency_a.pk, world.agency_b.pk
    assert _ids(client_for(world.cora).get("/api/v1/agencies/")) == {a, b}
    assert _ids(client_for(world.alice).get("/api/v1/agencies/")) == {a}
    assert _ids(client_for(world.hana).get("/api/v1/agencies/")) == {a}
    assert _ids(client_for(world.bob).get("/api/v1/agencies/")) == {b}


def test_an_outsider_gets_404_for_another_agency(world: World, bob_client: Client) -> None:
    assert bob_client.get(f"/api/v1/agencies/{world.agency_a.pk}/").status_code == 404
    assert bob_client.get(f"/api/v1/officers/{world.alice.officer.pk}/").status_code == 404


def test_the_coordinator_creates_and_updates_agencies(world: World, cora_client: Client) -> None:
    response = cora_client.post(
        "/api/v1/agencies/",
        {"name": "Bappeda Kota", "short_name": "Bappeda", "kind": "badan"},
        content_type="application/json",
    )
    assert response.status_code == 201
    pk = response.json()["id"]
    response = cora_client.patch(
        f"/api/v1/agencies/{pk}/", {"is_active": False}, content_type="application/json"
    )
    assert response.status_code == 200 and response.json()["is_active"] is False
    assert AuditEvent.objects.filter(action__startswith="agency.").count() == 2


@pytest.mark.parametrize(
    "payload",
    [
        {},
        {"name": "", "short_name": "X"},
        {"name": "X", "short_name": "Dinkes"},
        {"name": "X", "short_name": "Y", "kind": "kerajaan"},
        [],
        "teks",
        {"name": ["list"]},
    ],
)
def test_bad_agency_payloads_get_field_errors_not_500(
    world: World, cora_client: Client, payload: object
) -> None:
    response = cora_client.post("/api/v1/agencies/", payload, content_type="application/json")
    assert response.status_code == 400
    assert Agency.objects.count() == 2


def test_malformed_json_is_a_400(world: World, cora_client: Client) -> None:
    response = cora_client.post("/api/v1/agencies/", "{not json", content_type="application/json")
    assert response.status_code == 400


@pytest.mark.parametrize("who", ["alice", "hana", "bob"])
def test_only_the_coordinator_writes_agencies_and_officers(world: World, who: str) -> None:
    client = client_for(getattr(world, who))
    assert (
        client.post(
            "/api/v1/agencies/", {"name": "X", "short_name": "X"}, content_type="application/json"
        ).status_code
        == 403
    )
    assert (
        client.patch(
            f"/api/v1/agencies/{world.agency_a.pk}/", {"name": "X"}, content_type="application/json"
        ).status_code
        == 403
    )
    assert (
        client.post(
            "/api/v1/officers/",
            {"username": "z", "role": "officer"},
            content_type="application/json",
        ).status_code
        == 403
    )
    assert (
        client.patch(
            f"/api/v1/officers/{world.alice.officer.pk}/",
            {"role": "coordinator"},
            content_type="application/json",
        ).status_code
        == 403
    )
    world.agency_a.refresh_from_db()
    assert world.agency_a.name == "Dinas Kesehatan"
    assert world.alice.officer.role == "officer"


def test_the_coordinator_creates_an_officer(world: World, cora_client: Client) -> None:
    response = cora_client.post(
        "/api/v1/officers/",
        {
            "username": "sari",
            "role": "officer",
            "agencies": [world.agency_a.pk],
            "email": "sari@x.go.id",
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["agencies"] == [world.agency_a.pk]
    assert Officer.objects.get(user__username="sari").role == "officer"


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"username": "alice", "role": "officer", "agencies": [1]}, "username"),
        ({"username": "x", "role": "officer", "agencies": []}, "agencies"),
        ({"username": "x", "role": "officer", "agencies": [999999]}, "agencies"),
        ({"username": "x", "role": "boss"}, "role"),
        ({"username": "x", "role": "officer", "password": "1"}, "password"),
        ({"role": "officer"}, "username"),
    ],
)
def test_bad_officer_payloads_name_the_field(
    world: World, cora_client: Client, payload: dict[str, object], field: str
) -> None:
    if payload.get("agencies") == [1]:
        payload["agencies"] = [world.agency_a.pk]
    before = User.objects.count()
    response = cora_client.post("/api/v1/officers/", payload, content_type="application/json")
    assert response.status_code == 400 and field in response.json()
    assert User.objects.count() == before


def test_the_api_never_changes_passwords(world: World, cora_client: Client) -> None:
    response = cora_client.patch(
        f"/api/v1/officers/{world.alice.officer.pk}/",
        {"password": "Baru-Sekali-2026"},
        content_type="application/json",
    )
    assert response.status_code == 400 and "password" in response.json()


def test_colleagues_see_no_email_addresses(
    world: World, hana_client: Client, cora_client: Client
) -> None:
    officers = hana_client.get("/api/v1/officers/").json()["results"]
    assert {o["username"] for o in officers} == {"alice", "hana"}
    assert all(o["email"] == "" for o in officers)
    assert any(o["email"] for o in cora_client.get("/api/v1/officers/").json()["results"])


def test_token_auth_works_and_the_command_prints_a_token(world: World, capsys) -> None:  # type: ignore[no-untyped-def]
    call_command("api_token", "alice")
    key = capsys.readouterr().out.strip()
    token = ApiToken.objects.get(user=world.alice)
    assert token.token_hash == hash_token(key) and key.startswith(token.prefix)
    response = Client().get("/api/v1/agencies/", HTTP_AUTHORIZATION=f"Token {key}")
    assert _ids(response) == {world.agency_a.pk}
    assert Client().get("/api/v1/agencies/", HTTP_AUTHORIZATION="Token wrong").status_code == 401
    call_command("api_token", "alice", "--revoke", token.prefix)
    assert Client().get("/api/v1/agencies/", HTTP_AUTHORIZATION=f"Token {key}").status_code == 401


def test_the_token_page_shows_a_new_token_once(world: World, alice_client: Client) -> None:
    assert alice_client.get("/institusi/token-api/").status_code == 200
    body = alice_client.post("/institusi/token-api/baru/", {"name": "Dasbor"}).content.decode()
    token = ApiToken.objects.get(user=world.alice)
    key = body.split('data-testid="api-token">', 1)[1].split("<", 1)[0]
    assert token.token_hash == hash_token(key)
    later = alice_client.get("/institusi/token-api/").content.decode()
    assert key not in later and token.prefix in later


def test_the_schema_generates(world: World, cora_client: Client) -> None:
    response = cora_client.get("/api/v1/schema/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "/api/v1/agencies/" in body and "/api/v1/channels/" in body


def test_the_schema_has_no_warnings(capsys) -> None:  # type: ignore[no-untyped-def]
    call_command("spectacular", "--fail-on-warn", "--validate", "--file", "/dev/null")
