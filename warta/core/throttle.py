"""Slow down guessing: tries per user and per address, counted atomically in the database.

A try is counted *before* the password (or code, or token) is checked, in one conditional
UPDATE, so however many guesses arrive at once from however many processes, at most the
limit of them are ever checked. The counter is keyed by the user name as the login
resolves it (`normalise_username`), so `" Alice"`, `"ALICE"` and full-width letters are
one person with one budget, not five.
"""

import unicodedata
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F

from warta.core.models import ThrottleCounter
from warta.lib import clock

KEY_LENGTH = ThrottleCounter._meta.get_field("key").max_length or 200


def normalise_username(raw: str) -> str:
    """The one spelling of a user name that every variant of it counts under."""
    folded = unicodedata.normalize("NFKC", raw).strip().casefold()
    # Case-folding can leave a string that NFKC would write differently ("ﬃ").
    return unicodedata.normalize("NFKC", folded)


def _window_start(now: datetime) -> datetime:
    return now - timedelta(seconds=settings.WARTA_LOGIN_LOCKOUT_SECONDS)


def take(key: str, *, limit: int) -> bool:
    """Count one try under `key`; False (and nothing counted) when `limit` are already used."""
    key = key[:KEY_LENGTH]
    now = clock.now()
    counters = ThrottleCounter.objects.filter(key=key)
    for _attempt in range(2):
        # A window that ran out starts again with this try. Conditional: of many parallel
        # tries only one restarts it (PostgreSQL re-reads the row after the lock wait).
        if counters.filter(window_start__lt=_window_start(now)).update(count=1, window_start=now):
            return True
        if counters.filter(count__lt=limit).update(count=F("count") + 1):
            return True
        if counters.exists():
            return False
        try:
            with transaction.atomic():
                ThrottleCounter.objects.create(key=key, count=1, window_start=now)
        except IntegrityError:
            continue  # another process made the row first: count against it
        ThrottleCounter.objects.filter(window_start__lt=now - timedelta(days=1)).delete()
        return True
    return False


def forget(key: str) -> None:
    ThrottleCounter.objects.filter(key=key[:KEY_LENGTH]).delete()


def give_back(key: str) -> None:
    ThrottleCounter.objects.filter(key=key[:KEY_LENGTH], count__gt=0).update(count=F("count") - 1)


def _keys(*, username: str, ip_address: str | None) -> list[tuple[str, int]]:
    limit = settings.WARTA_LOGIN_MAX_FAILURES
    keys = [(f"user:{normalise_username(username)}", limit)] if username.strip() else []
    if ip_address:
        # An address may try a few names (a shared office NAT), but not endlessly.
        keys.append((f"ip:{ip_address}", 4 * limit))
    return keys


def login_try(*, username: str, ip_address: str | None) -> bool:
    """Count one sign-in try before checking it; False when the name or address is locked."""
    return all(
        take(key, limit=limit) for key, limit in _keys(username=username, ip_address=ip_address)
    )


def login_succeeded(*, username: str, ip_address: str | None) -> None:
    """The name's budget is full again; the address gets its one try back."""
    for key, _limit in _keys(username=username, ip_address=ip_address):
        if key.startswith("user:"):
            forget(key)
        else:
            give_back(key)


def _setup_key(ip_address: str | None) -> str:
    return f"setup:{ip_address or 'unknown'}"


def setup_try(*, ip_address: str | None) -> bool:
    """Count one first-run token try per client address: a guesser locks only themself."""
    return take(_setup_key(ip_address), limit=settings.WARTA_LOGIN_MAX_FAILURES)


def setup_token_accepted(*, ip_address: str | None) -> None:
    """The right token: fixing the form's other fields costs no tries."""
    forget(_setup_key(ip_address))
