from typing import Any

from django.test import Client

from warta.strategy import services
from warta.strategy.tests.helpers import strategy_doc
from warta.testing.fixtures import World


def test_the_check_endpoint_returns_findings_with_spans(
    world: World, alice_client: Client, bob_client: Client
) -> None:
    payload: dict[str, Any] = {
        "agency": world.agency_a.pk,
        "platform": "facebook",
        "caption": "WA saya 0812-3456-7890",
    }
    response = alice_client.post(
        "/api/v1/guardrails/check/", payload, content_type="application/json"
    )
    body = response.json()
    assert response.status_code == 200 and body["worst"] == "block"
    phone = next(f for f in body["findings"] if f["code"] == "phone")
    assert payload["caption"][phone["start"] : phone["end"]] == "0812-3456-7890"
    assert (
        bob_client.post(
            "/api/v1/guardrails/check/", payload, content_type="application/json"
        ).status_code
        == 404
    )
    bad = {**payload, "platform": "friendster"}
    assert (
        alice_client.post(
            "/api/v1/guardrails/check/", bad, content_type="application/json"
        ).status_code
        == 400
    )


def test_the_strategy_api_respects_the_agency_boundary(
    world: World, alice_client: Client, bob_client: Client
) -> None:
    services.strategy_propose(
        actor=world.cora,
        region=world.region,
        agency=world.agency_a,
        data=strategy_doc(),
        reason="Versi awal strategi",
    )
    current = alice_client.get(
        f"/api/v1/strategy-versions/current/?agency={world.agency_a.pk}"
    ).json()
    assert current["version"] == 1 and current["data"]["cadence"] == {"instagram": 5, "facebook": 3}
    assert (
        bob_client.get(f"/api/v1/strategy-versions/current/?agency={world.agency_a.pk}").status_code
        == 404
    )
    assert bob_client.get("/api/v1/strategy-versions/").json()["count"] == 0
    assert alice_client.get("/api/v1/strategy-versions/").json()["count"] == 1
