from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.test import Client

from warta.institutions.models import Officer, Region
from warta.institutions.setup import setup_token

pytestmark = pytest.mark.django_db
GOOD_PASSWORD = "Pelabuhan-Loktuan-2026"


def _setup(tmp_path: Path, **overrides: str) -> None:
    pw = tmp_path / "pw"
    pw.write_text(GOOD_PASSWORD + "\n")
    args = {
        "--name": "Kota X",
        "--kind": "kota",
        "--timezone": "Asia/Makassar",
        "--coordinator-username": "kominfo",
        "--coordinator-email": "kominfo@kotax.go.id",
    } | overrides
    flat = [item for pair in args.items() for item in pair]
    call_command("setup_region", *flat, "--password-file", str(pw))


def test_it_creates_the_region_and_its_first_coordinator(tmp_path: Path) -> None:
    _setup(tmp_path)
    region = Region.objects.get()
    assert (region.slug, region.timezone, region.kind) == ("kota-x", "Asia/Makassar", "kota")
    officer = Officer.objects.get(user__username="kominfo")
    assert officer.role == Officer.Role.COORDINATOR and officer.region == region
    assert officer.user.check_password(GOOD_PASSWORD)


def test_it_refuses_a_region_that_exists(tmp_path: Path) -> None:
    _setup(tmp_path)
    with pytest.raises(CommandError, match="sudah ada"):
        _setup(tmp_path, **{"--coordinator-username": "other"})
    assert Region.objects.count() == 1
    assert not User.objects.filter(username="other").exists()


def test_it_rejects_an_unknown_time_zone_and_creates_nothing(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="Zona waktu"):
        _setup(tmp_path, **{"--timezone": "Asia/Bontang"})
    assert not Region.objects.exists() and not User.objects.exists()


def test_it_rejects_a_weak_password(tmp_path: Path) -> None:
    pw = tmp_path / "weak"
    pw.write_text("12345678")
    with pytest.raises(CommandError, match="password"):
        call_command(
            "setup_region",
            "--name",
            "Kota X",
            "--kind",
            "kota",
            "--timezone",
            "Asia/Makassar",
            "--coordinator-username",
            "k",
            "--coordinator-email",
            "k@kotax.go.id",
            "--password-file",
            str(pw),
        )
    assert not Region.objects.exists()


def _form(**overrides: str) -> dict[str, str]:
    return {
        "token": setup_token(),
        "name": "Kabupaten Y",
        "kind": "kabupaten",
        "timezone": "Asia/Jakarta",
        "coordinator_name": "Rina Kominfo",
        "coordinator_username": "rina",
        "coordinator_email": "rina@kaby.go.id",
        "coordinator_password": GOOD_PASSWORD,
        "coordinator_password2": GOOD_PASSWORD,
    } | overrides


def test_the_first_run_page_creates_the_region_and_signs_in() -> None:
    client = Client()
    assert "first-run-hint" in client.get("/masuk/").content.decode()
    assert client.get("/institusi/mulai/").status_code == 200
    response = client.post("/institusi/mulai/", _form())
    assert response.status_code == 302
    assert Region.objects.get().name == "Kabupaten Y"
    assert client.get("/").status_code == 200  # signed in as the new coordinator
    # Once a region exists the page is gone, for everyone.
    assert client.get("/institusi/mulai/").status_code == 404
    assert Client().get("/institusi/mulai/").status_code == 404
    assert Client().post("/institusi/mulai/", _form(name="Kota Z")).status_code == 404
    assert "first-run-hint" not in Client().get("/masuk/").content.decode()


def test_the_first_run_page_needs_the_token() -> None:
    response = Client().post("/institusi/mulai/", _form(token="tebakan"))
    assert "Token penyiapan salah" in response.content.decode()
    assert not Region.objects.exists()


def test_the_first_run_token_can_come_from_the_environment(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("WARTA_SETUP_TOKEN", "token-dari-lingkungan-123")
    assert (
        Client().post("/institusi/mulai/", _form(token="token-dari-lingkungan-123")).status_code
        == 302
    )


def test_the_first_run_page_shows_field_errors_and_saves_nothing() -> None:
    response = Client().post(
        "/institusi/mulai/", _form(coordinator_email="bukan-surel", coordinator_password2="lain")
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Kedua kata sandi tidak sama" in body
    assert not Region.objects.exists() and not User.objects.exists()


def test_setup_token_command_prints_the_token(capsys) -> None:  # type: ignore[no-untyped-def]
    call_command("setup_token")
    assert capsys.readouterr().out.strip() == setup_token()


def test_wrong_first_run_tokens_lock_only_the_address_that_sent_them() -> None:
    guesser = Client(REMOTE_ADDR="203.0.113.9")
    for _ in range(5):
        assert (
            "Token penyiapan salah"
            in guesser.post("/institusi/mulai/", _form(token="tebakan")).content.decode()
        )
    # Locked out, even with the right token...
    assert "Terlalu banyak percobaan" in guesser.post("/institusi/mulai/", _form()).content.decode()
    assert not Region.objects.exists()
    # ...while the administrator at another address still sets the region up.
    admin = Client(REMOTE_ADDR="192.0.2.10")
    assert admin.post("/institusi/mulai/", _form()).status_code == 302
    assert Region.objects.get().name == "Kabupaten Y"
