import re

import pytest
from django.contrib.auth.models import User
from django.test import Client

from warta.core.models import AuditEvent
from warta.institutions.models import Officer
from warta.testing.fixtures import PASSWORD, World, client_for

NEW_PASSWORD = "Kampung-Selambai-2026"


def _new(world: World, **overrides: object) -> dict[str, object]:
    return {
        "username": "sari",
        "first_name": "Sari",
        "last_name": "Wulandari",
        "email": "sari@dinkes.go.id",
        "role": "officer",
        "agencies": [world.agency_a.pk],
        "password": "",
    } | overrides


def test_the_coordinator_adds_an_officer_who_sets_a_password_by_link(
    world: World, cora_client: Client
) -> None:
    response = cora_client.post("/institusi/petugas/baru/", _new(world))
    body = response.content.decode()
    assert response.status_code == 200 and "password-link" in body
    officer = Officer.objects.get(user__username="sari")
    assert list(officer.agencies.all()) == [world.agency_a]
    assert not officer.user.has_usable_password()
    created = AuditEvent.objects.get(action="officer.create")
    assert created.after is not None and created.after["agencies"] == ["Dinkes"]

    link = re.search(r"http://testserver(/institusi/sandi/[^<\s]+)", body).group(1)  # type: ignore[union-attr]
    visitor = Client()
    form_page = visitor.get(link, follow=True)
    assert form_page.status_code == 200
    visitor.post(
        form_page.redirect_chain[-1][0] if form_page.redirect_chain else link,
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    officer.user.refresh_from_db()
    assert officer.user.check_password(NEW_PASSWORD)
    # The link works once.
    again = Client().get(link, follow=True).content.decode()
    assert "tidak berlaku lagi" in again


def test_the_coordinator_may_give_an_initial_password(world: World, cora_client: Client) -> None:
    response = cora_client.post("/institusi/petugas/baru/", _new(world, password=NEW_PASSWORD))
    assert response.status_code == 302
    assert User.objects.get(username="sari").check_password(NEW_PASSWORD)
    assert NEW_PASSWORD not in str(list(AuditEvent.objects.values()))


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"username": "alice"}, "sudah dipakai"),
        ({"username": "ada spasi!"}, "Nama pengguna hanya boleh"),
        ({"agencies": []}, "harus punya perangkat daerah"),
        ({"password": "123"}, "password"),
        ({"role": "raja"}, "role"),
    ],
)
def test_it_rejects_bad_officers_with_field_messages(
    world: World, cora_client: Client, overrides: dict[str, object], message: str
) -> None:
    before = User.objects.count()
    response = cora_client.post("/institusi/petugas/baru/", _new(world, **overrides))
    assert response.status_code == 200
    body = response.content.decode()
    assert message in body or message in response.context["form"].errors
    assert User.objects.count() == before and not AuditEvent.objects.exists()


def test_the_coordinator_edits_roles_and_agencies(world: World, cora_client: Client) -> None:
    officer = world.alice.officer
    response = cora_client.post(
        f"/institusi/petugas/{officer.pk}/",
        {
            "first_name": "Alice",
            "last_name": "Baru",
            "email": "alice@x.go.id",
            "role": "head",
            "agencies": [world.agency_a.pk, world.agency_b.pk],
        },
    )
    assert response.status_code == 302
    officer.refresh_from_db()
    assert officer.role == "head" and officer.agencies.count() == 2
    event = AuditEvent.objects.get(action="officer.update")
    assert event.before is not None and event.after is not None
    assert event.before["role"] == "officer" and event.after["role"] == "head"


def test_deactivating_and_resetting_stop_the_old_password(
    world: World, cora_client: Client
) -> None:
    officer = world.alice.officer
    cora_client.post(f"/institusi/petugas/{officer.pk}/sandi/", {"password": ""})
    world.alice.refresh_from_db()
    assert not world.alice.has_usable_password()
    cora_client.post(f"/institusi/petugas/{officer.pk}/aktif/", {"active": "0"})
    world.alice.refresh_from_db()
    assert not world.alice.is_active
    assert not Client().login(username="alice", password=PASSWORD)
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"officer.password_reset", "officer.deactivate"} <= actions


def test_the_last_coordinator_cannot_deactivate_themself(world: World, cora_client: Client) -> None:
    officer = world.cora.officer
    response = cora_client.post(
        f"/institusi/petugas/{officer.pk}/aktif/", {"active": "0"}, follow=True
    )
    assert "terakhir" in response.content.decode()
    world.cora.refresh_from_db()
    assert world.cora.is_active


@pytest.mark.parametrize("who", ["alice", "hana", "bob"])
def test_only_the_coordinator_manages_people(world: World, who: str) -> None:
    client = client_for(getattr(world, who))
    pk = world.alice.officer.pk
    assert client.get("/institusi/petugas/").status_code == 403
    assert client.get("/institusi/petugas/baru/").status_code == 403
    assert client.post("/institusi/petugas/baru/", _new(world)).status_code == 403
    assert client.post(f"/institusi/petugas/{pk}/", {"role": "coordinator"}).status_code in {
        403,
        404,
    }
    assert client.post(f"/institusi/petugas/{pk}/aktif/", {"active": "0"}).status_code in {403, 404}
    assert client.post(f"/institusi/petugas/{pk}/sandi/", {"password": ""}).status_code in {
        403,
        404,
    }
    world.alice.refresh_from_db()
    assert world.alice.is_active and world.alice.has_usable_password()
    assert world.alice.officer.role == "officer"
    assert not User.objects.filter(username="sari").exists()


def test_the_officer_list_filters_by_role(world: World, cora_client: Client) -> None:
    body = cora_client.get("/institusi/petugas/?role=head").content.decode()
    assert "hana" in body and "alice" not in body


def test_the_set_password_link_is_also_mailed(
    world: World, cora_client: Client, mailoutbox
) -> None:  # type: ignore[no-untyped-def]
    body = cora_client.post("/institusi/petugas/baru/", _new(world)).content.decode()
    assert "password-link-emailed" in body
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["sari@dinkes.go.id"]
    assert "/institusi/sandi/" in mailoutbox[0].body and "sari" in mailoutbox[0].body
    cora_client.post("/institusi/petugas/baru/", _new(world, username="tanpa", email=""))
    assert len(mailoutbox) == 1


def test_a_mail_server_failure_still_shows_the_link(world: World, cora_client: Client) -> None:
    from unittest import mock

    refused = ConnectionRefusedError("no mail server")
    with mock.patch("warta.institutions.officers.send_mail", side_effect=refused):
        body = cora_client.post("/institusi/petugas/baru/", _new(world)).content.decode()
    assert "password-link" in body and "password-link-emailed" not in body
