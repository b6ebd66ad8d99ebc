"""Keeping the task workers and the scheduler alive when the database goes away.

A PostgreSQL restart, a failover or a network blip breaks every open connection and
refuses new ones for a few seconds. The worker and the scheduler then close what is
broken, wait with a capped back-off, log one line when the outage starts and one when
it ends (never the connection settings: they hold the password), and carry on.
"""

import logging
import re
import time
from collections.abc import Callable

from django.db import DatabaseError, InterfaceError, OperationalError, connections
from django_tasks_db.utils import is_locked_database_exception

logger = logging.getLogger("warta.core.reconnect")

FIRST_DELAY = 0.5
MAX_DELAY = 30.0

_SECRETS = re.compile(r"(password\s*=\s*)\S+|(//[^:/@\s]+:)[^@\s]+@", re.IGNORECASE)


# SQLSTATEs of a connection that is gone: class 08 (connection exception), and the
# server shutting down or starting up (admin_shutdown, crash_shutdown, cannot_connect_now).
_LOST_SQLSTATES = ("08", "57P01", "57P02", "57P03")


def connection_lost(exc: BaseException) -> bool:
    """True when exc is the database being unreachable, not a mistake in a query.

    A statement timeout or (on SQLite) a missing table is an OperationalError too, but
    waiting would not help there, and the error must show.
    """
    if not isinstance(exc, OperationalError | InterfaceError):
        return False
    if isinstance(exc, OperationalError) and is_locked_database_exception(exc):
        return False
    sqlstate: str | bool | None = getattr(exc.__cause__, "sqlstate", False)
    if sqlstate is not False:
        # psycopg: no SQLSTATE means the client could not reach or lost the server.
        return sqlstate is None or str(sqlstate).startswith(_LOST_SQLSTATES)
    conn = connections["default"]
    if conn.connection is None:
        return True
    try:
        return not conn.is_usable()
    except DatabaseError:
        return True


def describe(exc: BaseException) -> str:
    """The error's class and first line, with anything that looks like a password removed."""
    first = (str(exc).strip().splitlines() or [""])[0][:200]
    first = _SECRETS.sub(lambda m: (m.group(1) or m.group(2) or "") + "***", first)
    return f"{type(exc).__name__}: {first}" if first else type(exc).__name__


def close_broken() -> None:
    for conn in connections.all(initialized_only=True):
        try:
            conn.close()
        except DatabaseError:
            # Closing a socket the server already dropped may complain; it is gone anyway.
            conn.connection = None


class Outage:
    """Waits for the database after a lost connection, backing off up to a cap."""

    def __init__(
        self,
        *,
        who: str,
        first_delay: float = FIRST_DELAY,
        max_delay: float = MAX_DELAY,
        sleep: Callable[[float], None] = time.sleep,
        stopping: Callable[[], bool] = lambda: False,
    ) -> None:
        self.who = who
        self.first_delay = first_delay
        self.max_delay = max_delay
        self.sleep = sleep
        self.stopping = stopping
        self.outages = 0

    def wait_for_database(self, exc: BaseException) -> bool:
        """Block until a new connection works (True) or the process is asked to stop.

        Raises `exc` again when the connection was lost inside a transaction: Django keeps
        the broken connection until the atomic block ends, so a new one cannot be made
        and waiting would meet the same error forever (a test's transaction, or a caller's
        mistake); the transaction's work is lost either way, and that must show.
        """
        if any(c.in_atomic_block for c in connections.all(initialized_only=True)):
            raise exc
        self.outages += 1
        started = time.monotonic()
        logger.warning(
            "%s: database connection lost (%s); reconnecting, back-off up to %.0f s",
            self.who,
            describe(exc),
            self.max_delay,
        )
        delay = self.first_delay
        while True:
            close_broken()
            # In short steps, so that a stop request is honoured within a second.
            waited = 0.0
            while waited < delay and not self.stopping():
                step = min(0.5, delay - waited)
                self.sleep(step)
                waited += step
            if self.stopping():
                return False
            try:
                connections["default"].ensure_connection()
            except DatabaseError:
                delay = min(delay * 2, self.max_delay)
                continue
            break
        logger.warning(
            "%s: database connection back after %.1f s", self.who, time.monotonic() - started
        )
        return True
