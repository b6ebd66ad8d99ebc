"""Shared set-up for benchmarks: a fresh database, Django configured, the machine described,
and the timing figures (CPU milliseconds, percentiles, the extrapolated size)."""

import os
import platform
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def setup_django(database_url: str | None, *, fresh: bool = True) -> str:
    """Point warta at a fresh database (a temp SQLite file unless a URL is given) and migrate."""
    sys.path.insert(0, str(ROOT))
    if database_url is None:
        database_url = f"sqlite:///{tempfile.mkdtemp(prefix='warta-bench-')}/bench.sqlite3"
    os.environ["WARTA_DATABASE_URL"] = database_url
    if database_url.startswith(("postgres://", "postgresql://")):
        ensure_pg_database(database_url)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "warta.testing.settings")
    os.environ.setdefault("WARTA_LOG_LEVEL", "WARNING")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    if fresh and connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
    call_command("migrate", verbosity=0)
    return connection.vendor


def ensure_pg_database(url: str) -> None:
    """Create the benchmark's database when the role may and it does not exist yet."""
    import dj_database_url
    import psycopg

    cfg = dj_database_url.parse(url)
    params = {
        "host": cfg["HOST"] or "127.0.0.1",
        "port": cfg["PORT"] or 5432,
        "user": cfg["USER"],
        "password": cfg["PASSWORD"],
        "dbname": "postgres",
    }
    with psycopg.connect(**params, autocommit=True) as conn:
        exists = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [cfg["NAME"]]
        ).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{cfg["NAME"]}"')


def cpu_model(unknown: str = "unknown CPU") -> str:
    """The CPU's model name from /proc/cpuinfo, or `unknown` where there is none."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return unknown


def machine() -> str:
    cpu = cpu_model()
    from django.db import connection

    db = connection.vendor
    if db == "postgresql":
        db += f" {connection.pg_version // 10000}.{connection.pg_version % 10000}"
    elif db == "sqlite":
        import sqlite3

        db += " " + sqlite3.sqlite_version
    return (
        f"{os.cpu_count()} cores, {cpu}; Python {platform.python_version()}; {db}; "
        f"load average {os.getloadavg()[0]:.1f}"
    )


# -- timing ------------------------------------------------------------------------------

_backend: list[int] = []


def server_cpu_ms() -> float:
    """CPU milliseconds so far of this connection's PostgreSQL backend (0 on SQLite).

    Read from /proc/<pid>/schedstat (nanoseconds on a CPU): the benchmark runs on the
    database's machine, and on a shared machine CPU time says more than wall time.
    """
    from django.db import connection

    if connection.vendor != "postgresql":
        return 0.0
    if not _backend:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            _backend.append(cursor.fetchone()[0])
    try:
        return int(Path(f"/proc/{_backend[0]}/schedstat").read_text().split()[0]) / 1e6
    except (OSError, ValueError, IndexError):
        return 0.0


def cpu_ms() -> float:
    """This process's CPU plus its database backend's, in milliseconds."""
    return time.process_time() * 1000 + server_cpu_ms()


def pct(values: list[float], p: float) -> float:
    """The `p` quantile (0.95 for p95) of `values`: the nearest rank, no interpolation."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p * (len(ordered) - 1)))]


def extrapolated(n1: int, v1: float, n2: int, v2: float, n: int = 10_000_000) -> float:
    """The figure at size `n`, linear in its growth from `n1` to `n2` (never falling)."""
    per_item = max(0.0, (v2 - v1) / (n2 - n1))
    return v2 + per_item * (n - n2)
