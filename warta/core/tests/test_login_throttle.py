"""The login throttle: one budget per person however the name is spelt, counted atomically."""

import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.contrib.auth.models import User
from django.db import OperationalError, connection
from django.test import Client

from warta.core.throttle import normalise_username
from warta.testing.fixtures import PASSWORD, World

NOW = datetime(2026, 12, 2, 3, 0, tzinfo=UTC)
LOCKED = "Terlalu banyak percobaan"
# Full-width letters (U+FF41...), written by code point: they look like ASCII in an editor.
FULL_WIDTH_ALICE = "".join(chr(ord(c) + 0xFEE0) for c in "alice")
FULL_WIDTH_PPID = "".join(chr(ord(c) + 0xFEE0) for c in "ppid.dpupr")


@pytest.fixture
def frozen() -> Iterator[time_machine.Traveller]:
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def _signed_in(client: Client) -> str | None:
    return client.session.get("_auth_user_id")


def _lock(username: str) -> None:
    for _ in range(5):
        body = Client().post("/masuk/", {"username": username, "password": "salah"})
        assert LOCKED not in body.content.decode()


def test_it_normalises_the_name_it_counts_under() -> None:
    assert normalise_username("  PPID.DPUPR\t") == "ppid.dpupr"
    assert normalise_username(FULL_WIDTH_PPID) == "ppid.dpupr"  # full-width
    assert normalise_username("Straße") == "strasse"


@pytest.mark.parametrize("variant", ["alice ", " alice", "alice\t", "ALICE", FULL_WIDTH_ALICE])
def test_a_locked_name_stays_locked_under_every_spelling(
    world: World, frozen: time_machine.Traveller, variant: str
) -> None:
    _lock("alice")
    client = Client()
    response = client.post("/masuk/", {"username": variant, "password": PASSWORD})
    assert LOCKED in response.content.decode()
    assert _signed_in(client) is None


def test_guesses_under_different_spellings_share_one_budget(
    world: World, frozen: time_machine.Traveller
) -> None:
    for variant in ["alice", "alice ", "\talice", "ALICE", FULL_WIDTH_ALICE]:
        Client().post("/masuk/", {"username": variant, "password": "salah"})
    client = Client()
    assert (
        LOCKED
        in client.post("/masuk/", {"username": "alice", "password": PASSWORD}).content.decode()
    )
    assert _signed_in(client) is None
    # The lock ends with its window, and the person signs in as themself.
    frozen.shift(timedelta(minutes=16))
    client.post("/masuk/", {"username": "alice", "password": PASSWORD})
    assert _signed_in(client) == str(world.alice.pk)


def test_a_spelling_variant_signs_in_as_the_same_person(world: World) -> None:
    client = Client()
    response = client.post("/masuk/", {"username": " ALICE ", "password": PASSWORD})
    assert response.status_code == 302
    assert _signed_in(client) == str(world.alice.pk)


def test_a_successful_sign_in_gives_the_person_their_tries_back(
    world: World, frozen: time_machine.Traveller
) -> None:
    for _ in range(4):
        Client().post("/masuk/", {"username": "alice", "password": "salah"})
    Client().post("/masuk/", {"username": "alice", "password": PASSWORD})
    for _ in range(4):
        Client().post("/masuk/", {"username": "alice", "password": "salah"})
    client = Client()
    client.post("/masuk/", {"username": "alice", "password": PASSWORD})
    assert _signed_in(client) == str(world.alice.pk)


@pytest.mark.django_db(transaction=True)
def test_thirty_parallel_guesses_get_at_most_five_checked(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    checked = 0
    lock = threading.Lock()
    real_check = User.check_password

    def slow_check(self: User, raw: str) -> bool:
        nonlocal checked
        with lock:
            checked += 1
        time.sleep(0.05)  # a real hash takes this long; it widens the race the throttle closes
        return real_check(self, raw)

    monkeypatch.setattr(User, "check_password", slow_check)
    start = threading.Barrier(30)

    def guess(n: int) -> str:
        client = Client(REMOTE_ADDR=f"10.0.{n}.1")  # each from its own address
        start.wait()
        try:
            for _attempt in range(200):
                try:
                    response = client.post(
                        "/masuk/", {"username": "alice", "password": f"tebakan-{n}"}
                    )
                except OperationalError as exc:
                    # The suite's in-memory SQLite refuses a second writer at once where a
                    # database file waits (busy timeout): wait here as the file would.
                    if "locked" not in str(exc):
                        raise
                    time.sleep(0.01)
                    continue
                return "locked" if LOCKED in response.content.decode() else "wrong"
            return "gave up"
        finally:
            connection.close()

    with ThreadPoolExecutor(30) as pool:
        results = list(pool.map(guess, range(30)))
    assert 1 <= checked <= 5, (checked, connection.vendor)
    # Every guess was answered: refused as wrong (checked) or as locked (never checked).
    # (On the in-memory SQLite a page read after the check may meet a lock and be retried,
    # so a checked guess can come back "locked": fewer "wrong", never more.)
    assert set(results) <= {"wrong", "locked"}
    assert results.count("wrong") <= checked
    assert results.count("locked") >= 30 - checked
    # And the real password is now refused too, until the window ends.
    client = Client()
    assert (
        LOCKED
        in client.post("/masuk/", {"username": "alice", "password": PASSWORD}).content.decode()
    )


def test_the_admin_sign_in_goes_through_the_throttled_form(world: World) -> None:
    User.objects.create_superuser("root", "root@example.test", PASSWORD)
    _lock("root")
    client = Client()
    response = client.post("/admin/login/?next=/admin/", {"username": "root", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/masuk/?next=%2Fadmin%2F"
    assert _signed_in(client) is None
    assert client.get("/admin/")["Location"].startswith("/admin/login/")
    response = client.post("/masuk/?next=/admin/", {"username": "root", "password": PASSWORD})
    assert LOCKED in response.content.decode() and _signed_in(client) is None
