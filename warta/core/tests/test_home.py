from django.test import Client

from warta.testing.fixtures import PASSWORD, World


def test_it_redirects_anonymous_visitors_to_login(world: World) -> None:
    response = Client().get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/masuk/")


def test_it_shows_an_officer_only_their_agency(world: World, alice_client: Client) -> None:
    body = alice_client.get("/").content.decode()
    assert "Dinkes" in body
    assert "Disdik" not in body
    assert "Log audit" not in body


def test_it_shows_the_coordinator_every_agency_and_the_audit_log(
    world: World, cora_client: Client
) -> None:
    body = cora_client.get("/").content.decode()
    assert "Dinkes" in body and "Disdik" in body
    assert "Log audit" in body


def test_it_refuses_login_after_repeated_failures(world: World) -> None:
    client = Client()
    for _ in range(5):
        response = client.post("/masuk/", {"username": "alice", "password": "wrong"})
        assert response.status_code == 200
    response = client.post("/masuk/", {"username": "alice", "password": PASSWORD})
    assert "Terlalu banyak percobaan" in response.content.decode()
    assert "_auth_user_id" not in client.session
