import pytest
from django.test import Client

from warta.channels.models import Channel
from warta.core.models import AuditEvent
from warta.lib import crypto
from warta.testing.fixtures import World, client_for, make_person

SECRET = "EAAB-sangat-rahasia-token-123"


def _new(world: World, **overrides: object) -> dict[str, object]:
    return {
        "agency": world.agency_a.pk,
        "platform": "tiktok",
        "handle": "@dinkes.uji",
        "url": "https://www.tiktok.com/@dinkes.uji",
        "mode": "manual",
    } | overrides


def test_an_officer_adds_a_channel_to_their_agency(world: World, alice_client: Client) -> None:
    response = alice_client.post("/kanal/baru/", _new(world))
    channel = Channel.objects.get(platform="tiktok")
    assert response.status_code == 302 and channel.agency == world.agency_a
    assert AuditEvent.objects.get(action="channel.create").actor == world.alice


def test_an_officer_cannot_add_a_channel_to_another_agency(
    world: World, alice_client: Client
) -> None:
    response = alice_client.post("/kanal/baru/", _new(world, agency=world.agency_b.pk))
    assert response.status_code == 200 and "agency" in response.context["form"].errors
    assert not Channel.objects.filter(platform="tiktok").exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"handle": ""}, "handle"),
        ({"url": "javascript:alert(1)"}, "url"),
        ({"platform": "myspace"}, "platform"),
        ({"handle": "@DINKES.UJI", "platform": "instagram"}, "handle"),
        ({"mode": "telepati"}, "mode"),
    ],
)
def test_bad_channels_get_field_messages_and_nothing_is_saved(
    world: World, alice_client: Client, overrides: dict[str, object], field: str
) -> None:
    response = alice_client.post("/kanal/baru/", _new(world, **overrides))
    assert response.status_code == 200 and field in response.context["form"].errors
    assert Channel.objects.count() == 2 and not AuditEvent.objects.exists()


def test_an_officer_edits_and_disables_their_channel(world: World, alice_client: Client) -> None:
    pk = world.channel_a.pk
    alice_client.post(
        f"/kanal/{pk}/ubah/",
        {
            "platform": "instagram",
            "handle": "@dinkes.uji",
            "url": "https://instagram.com/dinkes.uji",
            "mode": "api",
        },
    )
    alice_client.post(f"/kanal/{pk}/aktif/", {"enabled": "0"})
    world.channel_a.refresh_from_db()
    assert world.channel_a.url == "https://instagram.com/dinkes.uji"
    assert world.channel_a.status == Channel.Status.DISABLED
    event = AuditEvent.objects.get(action="channel.update")
    assert event.before is not None and event.after is not None
    assert event.before["url"] == "" and event.after["url"].startswith("https://")


def test_credentials_are_stored_encrypted_and_never_shown_again(
    world: World, alice_client: Client
) -> None:
    url = f"/kanal/{world.channel_a.pk}/"
    response = alice_client.post(
        url + "kredensial/", {"access_token": SECRET, "token_expires_at": "2027-01-31T10:00"}
    )
    assert response.status_code == 302
    world.channel_a.refresh_from_db()
    assert SECRET not in world.channel_a.credentials_encrypted
    assert crypto.decrypt_json(world.channel_a.credentials_encrypted) == {"access_token": SECRET}
    expires = world.channel_a.token_expires_at
    assert expires is not None and expires.isoformat().startswith("2027-01-31T02:00")  # WITA→UTC
    page = alice_client.get(url).content.decode()
    assert SECRET not in page and "tersimpan" in page
    assert SECRET not in str(list(AuditEvent.objects.values()))


def test_an_empty_credentials_form_is_refused(world: World, alice_client: Client) -> None:
    response = alice_client.post(f"/kanal/{world.channel_a.pk}/kredensial/", {"base_url": "x"})
    assert response.status_code == 200 and "paling sedikit satu" in response.content.decode()
    world.channel_a.refresh_from_db()
    assert not world.channel_a.has_credentials


def test_a_rejected_credentials_form_does_not_echo_the_secret(
    world: World, alice_client: Client
) -> None:
    response = alice_client.post(
        f"/kanal/{world.channel_a.pk}/kredensial/",
        {"access_token": SECRET, "token_expires_at": "bukan tanggal"},
    )
    assert response.status_code == 200 and SECRET not in response.content.decode()


@pytest.mark.parametrize("who", ["hana", "bob"])
def test_heads_and_outsiders_cannot_change_a_channel(world: World, who: str) -> None:
    client = client_for(getattr(world, who))
    pk = world.channel_a.pk
    expected = 404 if who == "bob" else 403
    assert client.get(f"/kanal/{pk}/").status_code == (404 if who == "bob" else 200)
    assert client.get(f"/kanal/{pk}/ubah/").status_code == expected
    assert (
        client.post(
            f"/kanal/{pk}/ubah/", {"platform": "x", "handle": "h", "mode": "manual"}
        ).status_code
        == expected
    )
    assert client.post(f"/kanal/{pk}/aktif/", {"enabled": "0"}).status_code == expected
    assert client.post(f"/kanal/{pk}/kredensial/", {"access_token": "x"}).status_code == expected
    world.channel_a.refresh_from_db()
    assert world.channel_a.status == "active" and not world.channel_a.has_credentials


def test_heads_and_viewers_cannot_add_channels(world: World, hana_client: Client) -> None:
    assert hana_client.get("/kanal/baru/").status_code == 403
    vera = make_person("vera", world.region, "viewer", [world.agency_a])
    assert client_for(vera).post("/kanal/baru/", _new(world)).status_code == 403
    assert Channel.objects.count() == 2


def test_the_head_sees_the_channel_read_only(world: World, hana_client: Client) -> None:
    body = hana_client.get(f"/kanal/{world.channel_a.pk}/").content.decode()
    assert "Kesehatan kanal" in body and "kredensial/" not in body


def test_the_channel_list_is_scoped_and_filtered(
    world: World, alice_client: Client, cora_client: Client
) -> None:
    body = alice_client.get("/kanal/").content.decode()
    assert "@dinkes.uji" in body and "@disdik.uji" not in body
    body = cora_client.get(
        f"/kanal/?agency={world.agency_b.pk}&platform=instagram"
    ).content.decode()
    assert "@disdik.uji" in body and "@dinkes.uji" not in body
    assert cora_client.get("/kanal/?agency=abc&status=zzz").status_code == 200


def test_the_coordinator_manages_every_agencys_channels(world: World, cora_client: Client) -> None:
    response = cora_client.post("/kanal/baru/", _new(world, agency=world.agency_b.pk))
    assert response.status_code == 302
    assert Channel.objects.filter(agency=world.agency_b, platform="tiktok").exists()


def test_expiring_tokens_are_flagged(world: World, cora_client: Client) -> None:
    from datetime import timedelta

    from django.utils import timezone

    Channel.objects.filter(pk=world.channel_a.pk).update(
        token_expires_at=timezone.now() + timedelta(days=2)
    )
    Channel.objects.filter(pk=world.channel_b.pk).update(
        token_expires_at=timezone.now() + timedelta(days=60)
    )
    body = cora_client.get("/kanal/").content.decode()
    assert body.count('data-testid="token-expiring"') == 1
    assert (
        "token segera kedaluwarsa"
        in cora_client.get(f"/kanal/{world.channel_a.pk}/").content.decode()
    )


def test_a_sandbox_channel_gets_practice_tokens_that_never_follow_it_to_a_platform(world):
    from warta.channels.services import channel_account, channel_create, channel_update

    channel = channel_create(
        actor=None, agency=world.agency_a, platform="x", handle="dinkes", mode="sandbox"
    )
    assert channel.has_credentials and str(channel).endswith("(latihan)")
    assert channel_account(channel).credentials["access_token"]
    channel_update(actor=None, channel=channel, platform="x", handle="dinkes", url="", mode="api")
    channel.refresh_from_db()
    assert not channel.has_credentials  # practice tokens stay in the sandbox
