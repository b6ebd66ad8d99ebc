import pytest
from django.test import Client

from warta.channels.models import Channel
from warta.core.models import AuditEvent
from warta.testing.fixtures import World, client_for, make_person


def test_each_role_lists_channels_within_scope(world: World) -> None:
    def ids(user) -> set[int]:  # type: ignore[no-untyped-def]
        return {c["id"] for c in client_for(user).get("/api/v1/channels/").json()["results"]}

    assert ids(world.cora) == {world.channel_a.pk, world.channel_b.pk}
    assert ids(world.alice) == ids(world.hana) == {world.channel_a.pk}
    assert ids(world.bob) == {world.channel_b.pk}


def test_credentials_never_appear_in_the_api(world: World, alice_client: Client) -> None:
    from warta.channels.services import channel_set_credentials

    channel_set_credentials(
        channel=world.channel_a, credentials={"access_token": "rahasia-1"}, actor=world.alice
    )
    body = alice_client.get(f"/api/v1/channels/{world.channel_a.pk}/").content.decode()
    assert "rahasia-1" not in body and '"has_credentials":true' in body


def test_an_officer_creates_and_updates_their_channel(world: World, alice_client: Client) -> None:
    response = alice_client.post(
        "/api/v1/channels/",
        {
            "agency": world.agency_a.pk,
            "platform": "youtube",
            "handle": "Dinkes Uji",
            "url": "https://youtube.com/@dinkesuji",
            "mode": "export",
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.json()
    pk = response.json()["id"]
    response = alice_client.patch(
        f"/api/v1/channels/{pk}/", {"status": "disabled"}, content_type="application/json"
    )
    assert response.status_code == 200 and response.json()["status"] == "disabled"
    assert AuditEvent.objects.filter(action__startswith="channel.").count() == 2


def test_an_outsider_gets_404_and_cannot_create_in_another_agency(
    world: World, bob_client: Client
) -> None:
    pk = world.channel_a.pk
    assert bob_client.get(f"/api/v1/channels/{pk}/").status_code == 404
    assert (
        bob_client.patch(
            f"/api/v1/channels/{pk}/", {"handle": "@diretas"}, content_type="application/json"
        ).status_code
        == 404
    )
    response = bob_client.post(
        "/api/v1/channels/",
        {
            "agency": world.agency_a.pk,
            "platform": "x",
            "handle": "@palsu",
        },
        content_type="application/json",
    )
    assert response.status_code == 400 and "agency" in response.json()
    world.channel_a.refresh_from_db()
    assert world.channel_a.handle == "@dinkes.uji" and Channel.objects.count() == 2


@pytest.mark.parametrize("role", ["head", "viewer"])
def test_read_only_roles_get_403_on_writes(world: World, role: str) -> None:
    client = client_for(make_person("ro", world.region, role, [world.agency_a]))
    assert client.get(f"/api/v1/channels/{world.channel_a.pk}/").status_code == 200
    assert (
        client.patch(
            f"/api/v1/channels/{world.channel_a.pk}/",
            {"handle": "x"},
            content_type="application/json",
        ).status_code
        == 403
    )
    assert (
        client.post(
            "/api/v1/channels/",
            {"agency": world.agency_a.pk, "platform": "x", "handle": "y"},
            content_type="application/json",
        ).status_code
        == 403
    )


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"platform": "myspace", "handle": "h"}, "platform"),
        ({"platform": "x", "handle": ""}, "handle"),
        ({"platform": "x", "handle": "h", "url": "ftp://x"}, "url"),
        ({"platform": "instagram", "handle": "@DINKES.uji"}, "handle"),
        ({"platform": "x", "handle": "h", "mode": 5}, "mode"),
        ({"platform": "x", "handle": "h" * 300}, "handle"),
    ],
)
def test_bad_channel_payloads_name_the_field(
    world: World, alice_client: Client, payload: dict[str, object], field: str
) -> None:
    payload = {"agency": world.agency_a.pk} | payload
    response = alice_client.post("/api/v1/channels/", payload, content_type="application/json")
    assert response.status_code == 400 and field in response.json()
    assert Channel.objects.count() == 2


def test_a_channel_cannot_move_to_another_agency(world: World, cora_client: Client) -> None:
    response = cora_client.patch(
        f"/api/v1/channels/{world.channel_a.pk}/",
        {"agency": world.agency_b.pk},
        content_type="application/json",
    )
    assert response.status_code == 400 and "agency" in response.json()


def test_anonymous_requests_are_refused(world: World) -> None:
    assert Client().get("/api/v1/channels/").status_code in {401, 403}


def test_odd_ids_are_404_not_500(world: World, cora_client: Client) -> None:
    for path in ["/api/v1/channels/abc/", "/api/v1/agencies/1.5/", "/api/v1/officers/-1/"]:
        assert cora_client.get(path).status_code == 404
        assert cora_client.patch(path, {}, content_type="application/json").status_code == 404
