from datetime import date

import pytest
from django.test import Client

from warta.core.models import AuditEvent
from warta.institutions.models import Agency, LeadershipTerm
from warta.testing.fixtures import World, client_for, make_person


def test_the_coordinator_creates_an_agency_and_it_is_audited(
    world: World, cora_client: Client
) -> None:
    response = cora_client.post(
        "/institusi/opd/baru/",
        {
            "name": "Badan Perencanaan Pembangunan Daerah",
            "short_name": "Bappeda",
            "kind": "badan",
        },
    )
    agency = Agency.objects.get(short_name="Bappeda")
    assert response.status_code == 302 and agency.region == world.region
    event = AuditEvent.objects.get(action="agency.create")
    assert event.actor == world.cora
    assert event.after is not None and event.after["short_name"] == "Bappeda"


def test_it_rejects_a_duplicate_short_name_with_a_field_message(
    world: World, cora_client: Client
) -> None:
    response = cora_client.post(
        "/institusi/opd/baru/",
        {
            "name": "Dinas Kesehatan Lain",
            "short_name": "dinkes",
            "kind": "dinas",
        },
    )
    assert response.status_code == 200
    assert "Sudah ada perangkat daerah dengan singkatan ini" in response.content.decode()
    assert Agency.objects.count() == 2 and not AuditEvent.objects.exists()


@pytest.mark.parametrize("short_name", ["../../etc", "A/B", "C\\D", "x..y"])
def test_it_rejects_a_short_name_with_path_pieces(
    world: World, cora_client: Client, short_name: str
) -> None:
    response = cora_client.post(
        "/institusi/opd/baru/",
        {"name": "Dinas Jalan", "short_name": short_name, "kind": "dinas"},
    )
    assert response.status_code == 200
    assert "Singkatan tidak boleh memuat garis miring" in response.content.decode()
    assert Agency.objects.count() == 2 and not AuditEvent.objects.exists()


def test_it_rejects_an_empty_form_without_a_500(world: World, cora_client: Client) -> None:
    response = cora_client.post("/institusi/opd/baru/", {"kind": "nonsense"})
    assert response.status_code == 200
    assert Agency.objects.count() == 2


def test_the_coordinator_edits_and_deactivates_an_agency(world: World, cora_client: Client) -> None:
    url = f"/institusi/opd/{world.agency_a.pk}/"
    cora_client.post(
        url + "ubah/", {"name": "Dinas Kesehatan Kota", "short_name": "Dinkes", "kind": "dinas"}
    )
    cora_client.post(url + "aktif/", {"active": "0"})
    world.agency_a.refresh_from_db()
    assert world.agency_a.name == "Dinas Kesehatan Kota" and not world.agency_a.is_active
    update = AuditEvent.objects.get(action="agency.update")
    assert update.before is not None and update.after is not None
    assert update.before["name"] == "Dinas Kesehatan"
    assert update.after["name"] == "Dinas Kesehatan Kota"
    assert AuditEvent.objects.filter(action="agency.deactivate").exists()


@pytest.mark.parametrize("who", ["alice", "hana", "bob"])
def test_only_the_coordinator_manages_agencies(world: World, who: str) -> None:
    client = client_for(getattr(world, who))
    pk = world.agency_a.pk
    assert client.get("/institusi/opd/baru/").status_code == 403
    assert client.post("/institusi/opd/baru/", {"name": "X", "short_name": "X"}).status_code == 403
    assert (
        client.post(
            f"/institusi/opd/{pk}/ubah/", {"name": "X", "short_name": "X", "kind": "dinas"}
        ).status_code
        == 403
    )
    assert client.post(f"/institusi/opd/{pk}/aktif/", {"active": "0"}).status_code == 403
    world.agency_a.refresh_from_db()
    assert world.agency_a.is_active and world.agency_a.name == "Dinas Kesehatan"


def test_the_agency_list_is_scoped(
    world: World, alice_client: Client, bob_client: Client, cora_client: Client
) -> None:
    assert "Disdik" not in alice_client.get("/institusi/opd/").content.decode()
    assert "Dinkes" not in bob_client.get("/institusi/opd/").content.decode()
    body = cora_client.get("/institusi/opd/").content.decode()
    assert "Dinkes" in body and "Disdik" in body and "agency-create" in body


def test_an_outsider_cannot_see_another_agency(
    world: World, bob_client: Client, hana_client: Client
) -> None:
    assert bob_client.get(f"/institusi/opd/{world.agency_a.pk}/").status_code == 404
    assert hana_client.get(f"/institusi/opd/{world.agency_a.pk}/").status_code == 200
    assert hana_client.get(f"/institusi/opd/{world.agency_b.pk}/").status_code == 404


def test_a_viewer_reads_their_agency_only(world: World) -> None:
    vera = make_person("vera", world.region, "viewer", [world.agency_b])
    client = client_for(vera)
    assert client.get(f"/institusi/opd/{world.agency_b.pk}/").status_code == 200
    assert client.get(f"/institusi/opd/{world.agency_a.pk}/").status_code == 404


def test_an_anonymous_visitor_is_sent_to_login(world: World) -> None:
    response = Client().get(f"/institusi/opd/{world.agency_a.pk}/")
    assert response.status_code == 302 and "/masuk/" in response["Location"]


# --- leadership terms ---------------------------------------------------------------


def test_the_coordinator_records_and_closes_terms(world: World, cora_client: Client) -> None:
    url = f"/institusi/opd/{world.agency_a.pk}/pimpinan/"
    response = cora_client.post(
        url,
        {"head_name": "dr. Andi", "title": "Kepala Dinas", "start": "2025-01-02"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200 and "dr. Andi" in response.content.decode()
    term = LeadershipTerm.objects.get()
    # A second open term would overlap: refused with a message, nothing saved.
    response = cora_client.post(
        url, {"head_name": "dr. Budi", "start": "2025-06-01"}, HTTP_HX_REQUEST="true"
    )
    assert "bertumpang tindih" in response.content.decode()
    assert LeadershipTerm.objects.count() == 1
    cora_client.post(
        f"/institusi/pimpinan/{term.pk}/tutup/", {"end": "2025-05-31"}, HTTP_HX_REQUEST="true"
    )
    term.refresh_from_db()
    assert term.end == date(2025, 5, 31)
    cora_client.post(url, {"head_name": "dr. Budi", "start": "2025-06-01"})
    assert LeadershipTerm.objects.count() == 2
    assert AuditEvent.objects.filter(action__startswith="leadership_term.").count() == 3


def test_it_refuses_a_term_that_ends_before_it_starts(world: World, cora_client: Client) -> None:
    response = cora_client.post(
        f"/institusi/opd/{world.agency_a.pk}/pimpinan/",
        {
            "head_name": "dr. Andi",
            "start": "2025-06-01",
            "end": "2025-01-01",
        },
        HTTP_HX_REQUEST="true",
    )
    assert "tidak boleh sebelum" in response.content.decode()
    assert not LeadershipTerm.objects.exists()


@pytest.mark.parametrize("who", ["alice", "hana", "bob"])
def test_only_the_coordinator_changes_terms(world: World, who: str) -> None:
    term = LeadershipTerm.objects.create(
        agency=world.agency_a, head_name="A", start=date(2025, 1, 1)
    )
    client = client_for(getattr(world, who))
    expected = 403
    assert (
        client.post(
            f"/institusi/opd/{world.agency_a.pk}/pimpinan/",
            {"head_name": "B", "start": "2026-01-01"},
        ).status_code
        == expected
    )
    close = client.post(f"/institusi/pimpinan/{term.pk}/tutup/", {"end": "2025-02-01"})
    assert close.status_code == (404 if who == "bob" else 403)
    term.refresh_from_db()
    assert term.end is None and LeadershipTerm.objects.count() == 1


def test_a_lost_race_on_a_unique_name_is_a_message_not_a_500(world: World) -> None:
    from unittest import mock

    from django.core.exceptions import ValidationError

    from warta.institutions import agencies, services

    # Validation passed (the other request had not committed yet); the database refuses.
    with (
        mock.patch.object(agencies, "_validate_agency", return_value={}),
        pytest.raises(ValidationError, match="bentrok"),
    ):
        services.agency_create(
            actor=world.cora, region=world.region, name="Dinas Kesehatan", short_name="Dinkes"
        )
    assert Agency.objects.count() == 2
