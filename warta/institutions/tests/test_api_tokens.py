"""API tokens are stored as a hash, shown once, revocable by their owner and their coordinator."""

import importlib
import logging
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest
import time_machine
from django.apps import apps
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.utils import timezone
from django.views.debug import ExceptionReporter

from warta.core.apitokens import ApiToken, api_token_create, hash_token
from warta.core.models import AuditEvent
from warta.institutions.models import Officer, Region
from warta.testing.fixtures import World, client_for, make_person

API = "/api/v1/agencies/"
NOW = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)


def _create(client: Client, name: str = "Dasbor Diskominfo", expires: str = "90") -> str:
    """Make a token on the page and return it as the person copies it from the page."""
    response = client.post("/institusi/token-api/baru/", {"name": name, "expires": expires})
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    body = response.content.decode()
    assert "tidak akan ditampilkan lagi" in body
    return body.split('data-testid="api-token">', 1)[1].split("<", 1)[0]


def _call(key: str, keyword: str = "Token") -> int:
    return Client().get(API, HTTP_AUTHORIZATION=f"{keyword} {key}").status_code


def test_it_shows_a_new_token_once_and_then_only_its_prefix(
    world: World, alice_client: Client
) -> None:
    key = _create(alice_client)
    assert _call(key) == 200
    assert _call(key, "Bearer") == 200
    page = alice_client.get("/institusi/token-api/").content.decode()
    token = ApiToken.objects.get(user=world.alice)
    assert key not in page
    assert token.prefix in page and "Dasbor Diskominfo" in page
    assert key.startswith(token.prefix) and len(key) > len(token.prefix) + 32


def test_it_never_stores_the_token_itself(world: World, alice_client: Client) -> None:
    key = _create(alice_client)
    row = ApiToken.objects.filter(user=world.alice).values().get()
    assert all(key not in str(value) for value in row.values())
    assert row["token_hash"] == hash_token(key)
    events = AuditEvent.objects.filter(action__startswith="api_token.")
    assert [e.action for e in events] == ["api_token.create"]
    assert all(key not in str(v) for e in events.values() for v in e.values())


def test_a_revoked_token_gets_401_with_the_challenge(world: World, alice_client: Client) -> None:
    key = _create(alice_client)
    token = ApiToken.objects.get(user=world.alice)
    response = alice_client.post(f"/institusi/token-api/{token.pk}/cabut/", follow=True)
    assert "dicabut" in response.content.decode()
    refused = Client().get(API, HTTP_AUTHORIZATION=f"Token {key}")
    assert refused.status_code == 401
    assert refused["WWW-Authenticate"] == "Token"
    assert "dicabut" in refused.json()["detail"]
    assert AuditEvent.objects.filter(action="api_token.revoke", actor=world.alice).count() == 1
    # A second click changes nothing and records nothing.
    alice_client.post(f"/institusi/token-api/{token.pk}/cabut/")
    assert AuditEvent.objects.filter(action="api_token.revoke").count() == 1


def test_an_expired_token_gets_401(world: World, alice_client: Client) -> None:
    with time_machine.travel(NOW, tick=False):
        key = _create(alice_client, expires="30")
        assert _call(key) == 200
    with time_machine.travel(NOW + timedelta(days=30, seconds=1), tick=False):
        response = Client().get(API, HTTP_AUTHORIZATION=f"Token {key}")
        assert response.status_code == 401 and "kedaluwarsa" in response.json()["detail"]
        assert "kedaluwarsa" in alice_client.get("/institusi/token-api/").content.decode()


def test_a_deactivated_person_or_a_removed_role_gets_401(world: World) -> None:
    _t, alice_key = api_token_create(actor=world.alice, user=world.alice, name="A")
    _t, bob_key = api_token_create(actor=world.bob, user=world.bob, name="B")
    User.objects.filter(pk=world.alice.pk).update(is_active=False)
    Officer.objects.filter(user=world.bob).delete()
    assert _call(alice_key) == 401
    assert _call(bob_key) == 401


def test_a_malformed_header_gets_401_and_no_header_401_too(world: World) -> None:
    assert Client().get(API, HTTP_AUTHORIZATION="Token").status_code == 401
    assert Client().get(API, HTTP_AUTHORIZATION="Token a b").status_code == 401
    assert Client().get(API, HTTP_AUTHORIZATION="Token " + "x" * 5000).status_code == 401
    assert Client().get(API).status_code == 401


def test_it_notes_the_last_use_at_most_once_a_minute(world: World) -> None:
    token, key = api_token_create(actor=world.alice, user=world.alice, name="A")
    with time_machine.travel(NOW, tick=False):
        assert _call(key) == 200
        assert ApiToken.objects.get(pk=token.pk).last_used_at == NOW
    with time_machine.travel(NOW + timedelta(seconds=30), tick=False):
        assert _call(key) == 200
        assert ApiToken.objects.get(pk=token.pk).last_used_at == NOW
    with time_machine.travel(NOW + timedelta(seconds=61), tick=False):
        assert _call(key) == 200
        assert ApiToken.objects.get(pk=token.pk).last_used_at == NOW + timedelta(seconds=61)


def test_it_refuses_a_token_without_a_name(world: World, alice_client: Client) -> None:
    response = alice_client.post("/institusi/token-api/baru/", {"name": "  ", "expires": "90"})
    body = response.content.decode()
    assert 'data-testid="api-token"' not in body
    assert ApiToken.objects.count() == 0


def test_the_coordinator_revokes_a_token_of_their_region(
    world: World, alice_client: Client, cora_client: Client
) -> None:
    key = _create(alice_client)
    token = ApiToken.objects.get(user=world.alice)
    officer_pk = world.alice.officer.pk
    page = cora_client.get(f"/institusi/petugas/{officer_pk}/").content.decode()
    assert token.prefix in page and key not in page
    cora_client.post(f"/institusi/petugas/{officer_pk}/token/{token.pk}/cabut/")
    assert _call(key) == 401
    event = AuditEvent.objects.get(action="api_token.revoke")
    assert event.actor == world.cora and event.region_id == world.region.pk


def test_nobody_else_sees_or_revokes_a_token(world: World, alice_client: Client) -> None:
    key = _create(alice_client)
    token = ApiToken.objects.get(user=world.alice)
    officer_pk = world.alice.officer.pk
    elsewhere = Region.objects.create(name="Kota Lain", slug="kota-lain", kind="kota")
    dina = make_person("dina", elsewhere, Officer.Role.COORDINATOR)
    revoke = f"/institusi/petugas/{officer_pk}/token/{token.pk}/cabut/"
    assert client_for(dina).get(f"/institusi/petugas/{officer_pk}/").status_code == 404
    assert client_for(dina).post(revoke).status_code == 404
    # Nor under their own person's URL, nor as "their own" token.
    own = f"/institusi/petugas/{dina.officer.pk}/token/{token.pk}/cabut/"
    assert client_for(dina).post(own).status_code == 404
    assert client_for(dina).post(f"/institusi/token-api/{token.pk}/cabut/").status_code == 404
    assert client_for(world.bob).post(f"/institusi/token-api/{token.pk}/cabut/").status_code == 404
    assert client_for(world.bob).post(revoke).status_code == 404
    assert token.prefix not in client_for(world.bob).get("/institusi/token-api/").content.decode()
    assert _call(key) == 200
    assert not AuditEvent.objects.filter(action="api_token.revoke").exists()


def test_a_token_never_shows_in_an_error_page_log_or_error_report(
    world: World,
    monkeypatch,
    caplog,  # type: ignore[no-untyped-def]
) -> None:
    _t, key = api_token_create(actor=world.alice, user=world.alice, name="A")

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("database gone")

    monkeypatch.setattr(ApiToken.objects, "select_related", broken)
    client = Client(raise_request_exception=False)
    with caplog.at_level(logging.ERROR, logger="django.request"):
        response = client.get(API, HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 500 and key not in response.content.decode()
    record = next(r for r in caplog.records if r.exc_info)
    assert key not in caplog.text
    # What Django mails to ADMINS: every frame's locals and the request's headers.
    request = record.request  # type: ignore[attr-defined]
    report = ExceptionReporter(request, *record.exc_info, is_email=True)  # type: ignore[misc]
    assert "database gone" in report.get_traceback_text()
    assert key not in report.get_traceback_text() and key not in report.get_traceback_html()


def test_the_migration_converts_an_old_plain_text_token(world: World) -> None:
    """An integration set up with DRF's authtoken keeps working after the upgrade."""
    old_key = "9944b09199c62bcf9418ad846dd0e4bbdfc6ee4b"
    q = connection.ops.quote_name
    made = timezone.now() - timedelta(days=400)
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE authtoken_token ({q('key')} varchar(40) PRIMARY KEY, "
            f"{q('created')} timestamp NOT NULL, {q('user_id')} integer NOT NULL)"
        )
        cursor.execute(
            f"INSERT INTO authtoken_token ({q('key')}, {q('created')}, {q('user_id')}) "  # noqa: S608
            "VALUES (%s, %s, %s)",
            [old_key, made.replace(tzinfo=None), world.alice.pk],
        )
        cursor.execute(
            "INSERT INTO django_migrations (app, name, applied) VALUES (%s, %s, %s)",
            ["authtoken", "0001_initial", made],
        )
    migration = importlib.import_module("warta.core.migrations.0004_convert_drf_tokens")
    migration.convert(apps, SimpleNamespace(connection=connection))

    token = ApiToken.objects.get(user=world.alice)
    assert token.token_hash == hash_token(old_key) and old_key not in token.token_hash
    assert abs(token.created_at - made) < timedelta(seconds=1)
    assert _call(old_key) == 200
    assert "authtoken_token" not in connection.introspection.table_names()
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM django_migrations WHERE app = %s", ["authtoken"])
        assert cursor.fetchone()[0] == 0


def test_a_superuser_revokes_in_the_admin_but_never_sees_a_hash(world: World) -> None:
    token, key = api_token_create(actor=world.alice, user=world.alice, name="A")
    root = User.objects.create_superuser("root", "root@example.test", "x")
    admin = client_for(root)
    page = admin.get(f"/admin/core/apitoken/{token.pk}/change/").content.decode()
    assert token.prefix in page and token.token_hash not in page
    admin.post(
        "/admin/core/apitoken/",
        {"action": "revoke", "_selected_action": [token.pk]},
    )
    assert _call(key) == 401
    assert AuditEvent.objects.filter(action="api_token.revoke", actor=root).exists()


def test_the_command_lists_by_prefix_and_revokes_all(world: World, capsys) -> None:  # type: ignore[no-untyped-def]
    call_command("api_token", "alice", "--name", "Skrip harian", "--days", "30")
    key = capsys.readouterr().out.strip()
    call_command("api_token", "alice", "--list")
    listing = capsys.readouterr().out
    assert "Skrip harian" in listing and "live" in listing and key not in listing
    call_command("api_token", "alice", "--revoke-all")
    assert _call(key) == 401
    User.objects.filter(pk=world.bob.pk).update(is_active=False)
    with pytest.raises(CommandError):
        call_command("api_token", "bob")
    assert not ApiToken.objects.filter(user=world.bob).exists()


# --- expiry and password changes (issue 17) ------------------------------------------


def _live_token(user: User, name: str = "Skrip") -> str:
    _token, raw = api_token_create(actor=user, user=user, name=name)
    assert _call(raw) == 200
    return raw


def test_a_token_made_without_a_term_expires_after_the_default(
    world: World, capsys, settings
) -> None:  # type: ignore[no-untyped-def]
    settings.WARTA_API_TOKEN_DAYS = 90
    with time_machine.travel(NOW, tick=False) as traveller:
        call_command("api_token", "alice", "--name", "Skrip tanpa --days")
        key = capsys.readouterr().out.strip()
        token = ApiToken.objects.get(user=world.alice)
        assert token.expires_at == NOW + timedelta(days=90)
        assert _call(key) == 200
        traveller.shift(timedelta(days=90, seconds=1))
        response = Client().get(API, HTTP_AUTHORIZATION=f"Token {key}")
        assert response.status_code == 401
        assert "kedaluwarsa" in response.content.decode()


def test_a_term_beyond_the_maximum_is_refused_and_nothing_is_made(world: World) -> None:
    with pytest.raises(CommandError, match="1 sampai 365 hari"):
        call_command("api_token", "alice", "--days", "4000")
    assert not ApiToken.objects.exists()


def test_the_page_no_longer_offers_a_token_without_end(world: World, alice_client: Client) -> None:
    page = alice_client.get("/institusi/token-api/").content.decode()
    assert "Tanpa batas waktu" not in page
    assert "semua token Anda dicabut" in page
    response = alice_client.post("/institusi/token-api/baru/", {"name": "X", "expires": ""})
    assert ApiToken.objects.get(user=world.alice).expires_at is not None
    assert response.status_code == 200


def test_a_password_set_by_the_coordinator_revokes_every_token(
    world: World, cora_client: Client, alice_client: Client
) -> None:
    keys = [_live_token(world.alice, "Satu"), _live_token(world.alice, "Dua")]
    other = _live_token(world.bob)
    cora_client.post(
        f"/institusi/petugas/{world.alice.officer.pk}/sandi/",
        {"password": "Sandi-Baru-Bontang-2026"},
    )
    assert [_call(k) for k in keys] == [401, 401]
    assert _call(other) == 200  # someone else's tokens stay
    # Her session ended with the old password too; signed in again, she sees why.
    assert alice_client.get("/institusi/token-api/").status_code == 302
    world.alice.refresh_from_db()
    page = client_for(world.alice).get("/institusi/token-api/").content.decode()
    assert page.count("dicabut: kata sandi diganti") == 2
    events = AuditEvent.objects.filter(action="api_token.revoke", note="kata sandi diganti")
    assert events.count() == 2
    # A token made with the new password works.
    assert _call(_live_token(world.alice, "Tiga")) == 200


def test_a_reset_and_the_set_password_link_both_revoke_tokens(
    world: World, cora_client: Client
) -> None:
    before_reset = _live_token(world.alice)
    response = cora_client.post(
        f"/institusi/petugas/{world.alice.officer.pk}/sandi/", {"password": ""}
    )
    assert _call(before_reset) == 401
    # Made by the command while the password was reset, then the person sets a new one.
    _token, meanwhile = api_token_create(actor=None, user=world.alice, name="Sementara")
    link = response.content.decode().split("http://testserver", 1)[1].split("<", 1)[0].split()[0]
    visitor = Client()
    form_page = visitor.get(link, follow=True)
    visitor.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "Sandi-Baru-Bontang-2026", "new_password2": "Sandi-Baru-Bontang-2026"},
    )
    world.alice.refresh_from_db()
    assert world.alice.check_password("Sandi-Baru-Bontang-2026")
    assert _call(meanwhile) == 401


def test_saving_a_person_without_changing_the_password_keeps_their_tokens(
    world: World,
) -> None:
    key = _live_token(world.alice)
    world.alice.first_name = "Alicia"
    world.alice.save()
    assert _call(key) == 200
    assert Client().login(username="alice", password="correct-horse-battery-staple")
    world.alice.refresh_from_db()
    assert world.alice.last_login is not None  # saved with update_fields=["last_login"]
    assert _call(key) == 200
