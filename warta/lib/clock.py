"""The one place warta reads "now".

Code asks `clock.now()` (and `clock.localdate()`/`clock.localtime()`) instead of
`timezone.now()`, so that work which must happen "as of" another moment — the demo seed
building months of history up to its `--now`, a replay — can set it for the block it runs,
and tests can freeze it with time-machine as they would Django's clock. Outside such a
block it is the wall clock in UTC.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime, tzinfo

from django.utils import timezone

_fixed: ContextVar[datetime | None] = ContextVar("warta_clock_fixed", default=None)


def now() -> datetime:
    """Return the current moment (aware, UTC), or the one a `fixed_at` block set."""
    fixed = _fixed.get()
    return fixed if fixed is not None else timezone.now()


def localtime(tz: tzinfo | None = None) -> datetime:
    """Return `now()` in `tz` (default: the active time zone)."""
    return timezone.localtime(now(), tz)


def localdate(tz: tzinfo | None = None) -> date:
    """Return today's date in `tz` (default: the active time zone)."""
    return timezone.localdate(now(), tz)


@contextmanager
def fixed_at(moment: datetime) -> Iterator[None]:
    """Make `now()` answer `moment` inside the block (this thread or task only)."""
    if timezone.is_naive(moment):
        raise ValueError("clock.fixed_at needs an aware datetime")
    token = _fixed.set(moment)
    try:
        yield
    finally:
        _fixed.reset(token)


# Indonesia's three zones by the names people use (Permendagri; Pontianak keeps WIB).
ZONE_LABELS = {
    "Asia/Jakarta": "WIB",
    "Asia/Pontianak": "WIB",
    "Asia/Makassar": "WITA",
    "Asia/Jayapura": "WIT",
}


def zone_label(tz: tzinfo | None = None) -> str:
    """Return WIB/WITA/WIT for `tz` (default: the active zone); else its own abbreviation."""
    zone = tz or timezone.get_current_timezone()
    name = str(getattr(zone, "key", zone))
    return ZONE_LABELS.get(name) or localtime(zone).tzname() or name
