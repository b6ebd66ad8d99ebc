"""Strategy pages: who sees and does what."""

from django.test import Client
from django.urls import reverse

from warta.strategy import services
from warta.strategy.models import LocalDay, StrategyVersion
from warta.strategy.tests.helpers import strategy_doc
from warta.testing.fixtures import World

REASON = "Penyesuaian dengan RPJMD 2025-2029"


def form_data(**extra: str) -> dict[str, str]:
    data = {
        "purpose": "Warga tahu layanan kesehatan.",
        "audiences": "Lansia\nIbu hamil",
        "hashtags": "#DinkesUji #SehatBersama",
        "mentions": "@pemkot.uji",
        "words_avoid": "oknum | petugas",
        "rule_patterns": r"\bkami\b | Pakai “kita” agar akrab",
        "official_names": "Kota Uji | Kota Udji",
        "templates": "service | Jadwal layanan\nDatang ke {place} pukul {time}.",
        "ideas": "education | Mitos dan fakta imunisasi",
        "pillar_service_label": "Layanan",
        "mix_service": "70",
        "mix_education": "30",
        "cadence_instagram": "5",
        "reason": REASON,
    }
    data.update(extra)
    return data


def test_an_officer_proposes_through_the_form(world: World, alice_client: Client) -> None:
    url = reverse("strategy:agency_propose", args=[world.agency_a.pk])
    assert alice_client.get(url).status_code == 200
    response = alice_client.post(url, form_data())
    version = StrategyVersion.objects.get()
    assert response.status_code == 302 and version.status == StrategyVersion.Status.PROPOSED
    assert version.data["target_mix"] == {"service": 70, "education": 30}
    assert version.data["templates"][0]["body"] == "Datang ke {place} pukul {time}."
    assert version.data["rule_patterns"][0]["pattern"] == r"\bkami\b"


def test_the_form_shows_clear_errors_and_saves_nothing(world: World, alice_client: Client) -> None:
    url = reverse("strategy:agency_propose", args=[world.agency_a.pk])
    response = alice_client.post(
        url,
        form_data(
            mix_education="20", templates="service | X\n{lokasi}", rule_patterns="([a | rusak"
        ),
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "100%" in body and "{lokasi}" in body and "tidak dapat dipakai" in body
    assert not StrategyVersion.objects.exists()


def test_outsiders_get_404_and_read_only_roles_cannot_decide(
    world: World, bob_client: Client, hana_client: Client, alice_client: Client, cora_client: Client
) -> None:
    version = services.strategy_propose(
        actor=world.alice,
        region=world.region,
        agency=world.agency_a,
        data=strategy_doc(),
        reason=REASON,
    )
    for url in (
        reverse("strategy:agency_strategy", args=[world.agency_a.pk]),
        reverse("strategy:agency_propose", args=[world.agency_a.pk]),
        reverse("strategy:version_detail", args=[version.pk]),
        reverse("strategy:inspiration", args=[world.agency_a.pk]),
        reverse("strategy:current_summary") + f"?agency={world.agency_a.pk}",
    ):
        assert bob_client.get(url).status_code == 404, url
    decide = reverse("strategy:version_decide", args=[version.pk])
    assert bob_client.post(decide, {"action": "accept"}).status_code == 404
    assert hana_client.post(decide, {"action": "accept"}).status_code == 403
    assert alice_client.post(decide, {"action": "accept"}).status_code == 403
    assert hana_client.get(reverse("strategy:version_detail", args=[version.pk])).status_code == 200
    assert cora_client.post(decide, {"action": "accept", "note": "ok"}).status_code == 302
    version.refresh_from_db()
    assert version.status == StrategyVersion.Status.ACCEPTED


def test_the_author_may_withdraw(world: World, alice_client: Client) -> None:
    version = services.strategy_propose(
        actor=world.alice,
        region=world.region,
        agency=world.agency_a,
        data=strategy_doc(),
        reason=REASON,
    )
    alice_client.post(reverse("strategy:version_decide", args=[version.pk]), {"action": "withdraw"})
    version.refresh_from_db()
    assert version.status == StrategyVersion.Status.WITHDRAWN


def test_the_diff_page_compares_two_versions_side_by_side(
    world: World, alice_client: Client, bob_client: Client
) -> None:
    v1 = services.strategy_propose(
        actor=world.cora,
        region=world.region,
        agency=world.agency_a,
        data=strategy_doc(),
        reason=REASON,
    )
    v2 = services.strategy_propose(
        actor=world.cora,
        region=world.region,
        agency=world.agency_a,
        data=strategy_doc(hashtags=["#DinkesUji", "#SehatBersama"]),
        reason=REASON,
    )
    url = reverse("strategy:version_diff") + f"?a={v2.pk}&b={v1.pk}"
    body = alice_client.get(url).content.decode()
    assert (
        "<ins>#DinkesUji | #SehatBersama</ins>" not in body and "<ins>#SehatBersama</ins>" in body
    )
    assert bob_client.get(url).status_code == 404


def test_the_current_summary_partial_shows_the_rules(world: World, alice_client: Client) -> None:
    services.strategy_propose(
        actor=world.cora,
        region=world.region,
        agency=world.agency_a,
        data=strategy_doc(),
        reason=REASON,
    )
    body = alice_client.get(
        reverse("strategy:current_summary") + f"?agency={world.agency_a.pk}"
    ).content.decode()
    assert "#DinkesUji" in body and "oknum" in body and "Kota Uji" in body


def test_only_the_coordinator_manages_governance_and_local_days(
    world: World, alice_client: Client, cora_client: Client
) -> None:
    assert alice_client.get(reverse("strategy:governance")).status_code == 403
    assert cora_client.get(reverse("strategy:governance")).status_code == 200
    url = reverse("strategy:local_days")
    assert (
        alice_client.post(url, {"name": "Hari Jadi Kota Uji", "day": 12, "month": 10}).status_code
        == 403
    )
    assert (
        cora_client.post(url, {"name": "Hari Jadi Kota Uji", "day": 31, "month": 2}).status_code
        == 400
    )
    assert (
        cora_client.post(url, {"name": "Hari Jadi Kota Uji", "day": 12, "month": 10}).status_code
        == 302
    )
    assert LocalDay.objects.get().name == "Hari Jadi Kota Uji"


def test_home_lists_agencies_for_the_coordinator_and_redirects_an_officer(
    world: World, alice_client: Client, cora_client: Client
) -> None:
    assert cora_client.get(reverse("strategy:strategy_home")).status_code == 200
    response = alice_client.get(reverse("strategy:strategy_home"))
    assert response.status_code == 302 and str(world.agency_a.pk) in response["Location"]


def test_the_strategy_pages_render_with_history(
    world: World, alice_client: Client, cora_client: Client, hana_client: Client
) -> None:
    services.strategy_propose(
        actor=world.cora, region=world.region, agency=None, data=strategy_doc(), reason=REASON
    )
    v1 = services.strategy_propose(
        actor=world.cora,
        region=world.region,
        agency=world.agency_a,
        data=strategy_doc(),
        reason=REASON,
    )
    services.strategy_propose(
        actor=world.alice,
        region=world.region,
        agency=world.agency_a,
        data=strategy_doc(cadence={}),
        reason=REASON,
    )
    body = alice_client.get(
        reverse("strategy:agency_strategy", args=[world.agency_a.pk])
    ).content.decode()
    assert "v1" in body and "v2" in body and "#DinkesUji" in body and "berlaku" in body
    assert cora_client.get(reverse("strategy:baseline")).status_code == 200
    assert cora_client.get(reverse("strategy:baseline_propose")).status_code == 200
    assert alice_client.get(reverse("strategy:baseline_propose")).status_code == 403
    assert (
        hana_client.get(reverse("strategy:agency_propose", args=[world.agency_a.pk])).status_code
        == 200
    )
    home = cora_client.get(reverse("strategy:strategy_home")).content.decode()
    assert "Usulan menunggu keputusan" in home and "Dinkes v2" in home and f"v{v1.number}" in home
