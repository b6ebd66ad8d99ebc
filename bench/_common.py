"""Shared set-up for benchmarks: a fresh database, Django configured, the machine described."""

import os
import platform
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def setup_django(database_url: str | None, *, fresh: bool = True) -> str:
    """Point warta at a fresh database (a temp SQLite file unless a URL is given) and migrate."""
    sys.path.insert(0, str(ROOT))
    if database_url is None:
        database_url = f"sqlite:///{tempfile.mkdtemp(prefix='warta-bench-')}/bench.sqlite3"
    os.environ["WARTA_DATABASE_URL"] = database_url
    if database_url.startswith(("postgres://", "postgresql://")):
        _create_pg_database(database_url)
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


def _create_pg_database(url: str) -> None:
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


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
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
