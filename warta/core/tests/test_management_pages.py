import pytest
from django.contrib.auth.models import User
from django.test import Client

from warta.core.models import AuditEvent
from warta.core.services import audit_record
from warta.institutions.services import agency_update
from warta.testing.fixtures import PASSWORD, World, client_for, make_person


def _nav(client: Client) -> str:
    body = client.get("/").content.decode()
    return body.split("</nav>")[0]


def test_each_role_sees_its_own_navigation(world: World) -> None:
    cora = _nav(client_for(world.cora))
    assert all(label in cora for label in ["Perangkat daerah", "Petugas", "Kanal", "Log audit"])
    for user in (
        world.alice,
        world.hana,
        make_person("vera", world.region, "viewer", [world.agency_a]),
    ):
        nav = _nav(client_for(user))
        assert "Kanal" in nav and "Perangkat daerah" in nav
        assert "/institusi/petugas/" not in nav and "Log audit" not in nav


def test_the_audit_log_is_for_the_coordinator_only(world: World) -> None:
    for user in (world.alice, world.hana, world.bob):
        assert client_for(user).get("/core/audit/").status_code == 403
    assert client_for(world.cora).get("/core/audit/").status_code == 200


def test_the_audit_log_filters(world: World, cora_client: Client) -> None:
    agency_update(
        actor=world.cora,
        agency=world.agency_a,
        name="Dinkes Baru",
        short_name="Dinkes",
        kind="dinas",
    )
    audit_record(actor=world.alice, action="channel.update", obj=world.channel_b)
    body = cora_client.get("/core/audit/?actor=alice").content.decode()
    assert "channel.update" in body and "agency.update" not in body
    body = cora_client.get(f"/core/audit/?agency={world.agency_a.pk}").content.decode()
    assert "agency.update" in body and "channel.update" not in body
    body = cora_client.get("/core/audit/?action=agency.").content.decode()
    assert "agency.update" in body and "channel.update" not in body
    body = cora_client.get("/core/audit/?since=2000-01-01&until=2000-01-02").content.decode()
    assert "agency.update" not in body
    assert cora_client.get("/core/audit/?since=bukan&agency=zzz&page=x").status_code == 200


def test_the_audit_log_escapes_what_it_shows(world: World, cora_client: Client) -> None:
    audit_record(
        actor=world.cora,
        action="x",
        obj=world.agency_a,
        after={"name": "<img src=x onerror=alert(1)>"},
    )
    body = cora_client.get("/core/audit/").content.decode()
    assert "<img src=x" not in body


def test_the_audit_log_does_not_leak_other_regions(world: World, cora_client: Client) -> None:
    from warta.institutions.models import Region

    other = Region.objects.create(name="Kota Lain", slug="lain", kind="kota")
    AuditEvent.objects.create(action="rahasia.lain", region=other)
    assert "rahasia.lain" not in cora_client.get("/core/audit/").content.decode()


@pytest.mark.parametrize("path", ["/masuk/", "/", "/kanal/", "/institusi/opd/"])
def test_the_language_switch_works_everywhere(world: World, path: str) -> None:
    client = Client()
    if path != "/masuk/":
        client.login(username="alice", password=PASSWORD)
    body = client.get(path).content.decode()
    assert '<html lang="id">' in body and 'value="en"' in body
    response = client.post("/bahasa/", {"language": "en", "next": path})
    assert response.status_code == 302 and response["Location"] == path
    body = client.get(path).content.decode()
    assert '<html lang="en">' in body and 'value="id"' in body


def test_the_admin_is_for_superusers_only(world: World) -> None:
    world.cora.is_staff = True
    world.cora.save()
    assert client_for(world.cora).get("/admin/").status_code == 302
    root = User.objects.create_superuser("root", "root@x.go.id", PASSWORD)
    client = client_for(root)
    for path in [
        "/admin/",
        "/admin/institutions/agency/",
        "/admin/institutions/officer/",
        "/admin/channels/channel/",
        "/admin/core/auditevent/",
        f"/admin/channels/channel/{world.channel_a.pk}/change/",
    ]:
        assert client.get(path).status_code == 200, path


def test_no_page_has_inline_styles(world: World, cora_client: Client, alice_client: Client) -> None:
    pages = [
        "/",
        "/institusi/opd/",
        f"/institusi/opd/{world.agency_a.pk}/",
        "/institusi/opd/baru/",
        "/institusi/petugas/",
        "/institusi/petugas/baru/",
        f"/institusi/petugas/{world.alice.officer.pk}/",
        "/institusi/impor/",
        "/kanal/",
        f"/kanal/{world.channel_a.pk}/",
        "/kanal/baru/",
        "/core/audit/",
        "/institusi/token-api/",
    ]
    for path in pages:
        response = cora_client.get(path)
        assert response.status_code == 200, path
        body = response.content.decode()
        assert " style=" not in body and "<style" not in body, path
    assert " style=" not in Client().get("/masuk/").content.decode()


def test_indonesian_is_the_default_whatever_the_browser_says(world: World) -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert '<html lang="id">' in client.get("/masuk/").content.decode()
    client.post("/bahasa/", {"language": "en", "next": "/masuk/"})
    assert '<html lang="en">' in client.get("/masuk/").content.decode()
