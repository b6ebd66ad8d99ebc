"""TOTP two-factor sign-in: optional for everyone, mandatory for coordinators by setting."""

import pyotp
import pytest
import time_machine
from django.core.management import call_command
from django.test import Client

from warta.core.models import AuditEvent
from warta.core.twofactor import TOTPDevice
from warta.testing.fixtures import PASSWORD, World

NOW = "2026-03-02 01:00:00+00:00"


def _login(username: str) -> Client:
    client = Client()
    response = client.post("/masuk/", {"username": username, "password": PASSWORD})
    assert response.status_code == 302
    return client


def _enrol(client: Client) -> pyotp.TOTP:
    client.post("/core/dua-langkah/", {"action": "start"})
    page = client.get("/core/dua-langkah/")
    secret = page.context["secret"]
    totp = pyotp.TOTP(secret)
    response = client.post("/core/dua-langkah/", {"action": "confirm", "code": totp.now()})
    assert response.status_code == 302
    return totp


@time_machine.travel(NOW, tick=False)
def test_it_asks_for_a_code_after_the_password_once_enrolled(world: World) -> None:
    totp = _enrol(_login("alice"))
    device = TOTPDevice.objects.get(user=world.alice)
    assert (
        totp.now() not in device.secret_encrypted and device.secret() not in device.secret_encrypted
    )
    assert AuditEvent.objects.filter(action="twofactor.enable", actor=world.alice).exists()

    client = _login("alice")
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/core/dua-langkah/verifikasi/?next=%2F"
    assert client.get("/api/v1/schema/").status_code == 403

    wrong = client.post("/core/dua-langkah/verifikasi/", {"code": "000000", "next": "/"})
    assert wrong.status_code == 200
    assert "tidak cocok" in wrong.content.decode()
    assert client.get("/").status_code == 302

    with time_machine.travel("2026-03-02 01:00:31+00:00", tick=False):
        ok = client.post("/core/dua-langkah/verifikasi/", {"code": totp.now(), "next": "/"})
        assert ok.status_code == 302 and ok["Location"] == "/"
        assert client.get("/").status_code == 200


@time_machine.travel(NOW, tick=False)
def test_it_refuses_a_code_used_twice_and_an_offsite_next(world: World) -> None:
    totp = _enrol(_login("alice"))
    client = _login("alice")
    # The enrolment code's step is spent: the same code cannot sign in again.
    replay = client.post("/core/dua-langkah/verifikasi/", {"code": totp.now()})
    assert replay.status_code == 200
    with time_machine.travel("2026-03-02 01:00:31+00:00", tick=False):
        response = client.post(
            "/core/dua-langkah/verifikasi/", {"code": totp.now(), "next": "https://evil.example/"}
        )
    assert response["Location"] == "/"


@time_machine.travel(NOW, tick=False)
def test_it_locks_the_second_step_after_repeated_wrong_codes(world: World) -> None:
    totp = _enrol(_login("alice"))
    client = _login("alice")
    for _ in range(5):
        client.post("/core/dua-langkah/verifikasi/", {"code": "123456"})
    with time_machine.travel("2026-03-02 01:00:31+00:00", tick=False):
        response = client.post("/core/dua-langkah/verifikasi/", {"code": totp.now()})
    assert "Terlalu banyak" in response.content.decode()
    assert client.get("/").status_code == 302


def test_it_leaves_people_without_a_device_alone(world: World) -> None:
    assert _login("alice").get("/").status_code == 200
    assert _login("cora").get("/").status_code == 200


@time_machine.travel(NOW, tick=False)
def test_it_makes_coordinators_enrol_when_required(world: World, settings) -> None:  # type: ignore[no-untyped-def]
    settings.WARTA_REQUIRE_2FA_FOR_COORDINATORS = True
    assert _login("alice").get("/").status_code == 200  # officers: still optional
    client = _login("cora")
    response = client.get("/core/audit/")
    assert response.status_code == 302 and response["Location"] == "/core/dua-langkah/"
    assert "wajib" in client.get("/core/dua-langkah/").content.decode()
    totp = _enrol(client)
    assert client.get("/core/audit/").status_code == 200
    # And may not switch it off again.
    with time_machine.travel("2026-03-02 01:00:31+00:00", tick=False):
        response = client.post("/core/dua-langkah/", {"action": "remove", "code": totp.now()})
    assert "wajib" in response.content.decode()
    assert TOTPDevice.objects.filter(user=world.cora).exists()


@time_machine.travel(NOW, tick=False)
def test_it_lets_an_owner_switch_off_with_a_code_and_an_operator_reset(world: World) -> None:
    client = _login("alice")
    totp = _enrol(client)
    bad = client.post("/core/dua-langkah/", {"action": "remove", "code": "000000"})
    assert bad.status_code == 200 and TOTPDevice.objects.filter(user=world.alice).exists()
    with time_machine.travel("2026-03-02 01:00:31+00:00", tick=False):
        client.post("/core/dua-langkah/", {"action": "remove", "code": totp.now()})
    assert not TOTPDevice.objects.filter(user=world.alice).exists()

    _enrol(_login("bob"))
    call_command("twofactor_reset", "bob")
    assert not TOTPDevice.objects.filter(user=world.bob).exists()
    assert _login("bob").get("/").status_code == 200


def test_it_asks_for_a_code_before_an_unconfirmed_enrolment_counts(world: World) -> None:
    client = _login("alice")
    client.post("/core/dua-langkah/", {"action": "start"})
    page = client.get("/core/dua-langkah/")
    assert page.context["pending"] and "otpauth://" in page.context["uri"]
    # Not confirmed yet: signing in again needs no code.
    assert _login("alice").get("/").status_code == 200


@pytest.mark.parametrize("code", ["", "abcdef", "1234567", "{{ 7*7 }}", "' OR 1=1 --"])
def test_it_rejects_malformed_codes_with_a_message(world: World, code: str) -> None:
    client = _login("alice")
    _enrol(client)
    client = _login("alice")
    response = client.post("/core/dua-langkah/verifikasi/", {"code": code})
    assert response.status_code == 200
    assert client.get("/").status_code == 302


@time_machine.travel(NOW, tick=False)
def test_key_rotation_keeps_the_authenticator_working(world: World, settings) -> None:  # type: ignore[no-untyped-def]
    from warta.lib import crypto

    _enrol(_login("alice"))
    secret = TOTPDevice.objects.get(user=world.alice).secret()
    settings.WARTA_CREDENTIAL_KEYS = [crypto.generate_key(), *settings.WARTA_CREDENTIAL_KEYS]
    call_command("twofactor_rotate_key")
    settings.WARTA_CREDENTIAL_KEYS = settings.WARTA_CREDENTIAL_KEYS[:1]
    assert TOTPDevice.objects.get(user=world.alice).secret() == secret
