#!/usr/bin/env python3
"""How long `warta seed-demo` takes at each scale, and how many rows it writes.

Each scale runs on a fresh database: a new SQLite file (default) or, with
--database-url postgres://USER:PASS@HOST/NAME, a PostgreSQL database NAME_bench that is
dropped and created for every scale (the user needs CREATEDB). Prints the machine
(cores, CPU model, load, Python, database), the time of `migrate` and of `seed_demo`,
and the row count of every non-empty table.

    .venv/bin/python bench/seed/run.py                       # city and province on SQLite
    .venv/bin/python bench/seed/run.py --scales city --months 3
    .venv/bin/python bench/seed/run.py --database-url postgres://warta:warta@127.0.0.1/warta_x
"""

import argparse
import base64
import json
import os
import platform
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[2]
PY = sys.executable

COUNT_ROWS = """
import json
from django.apps import apps
counts = {}
for model in apps.get_models(include_auto_created=True):
    n = model._base_manager.count()
    if n:
        counts[model._meta.db_table] = n
print("COUNTS" + json.dumps(counts))
"""

DB_VERSION = """
from django.db import connection
with connection.cursor() as c:
    if connection.vendor == "sqlite":
        c.execute("select sqlite_version()"); print("DBVERSION SQLite " + c.fetchone()[0])
    else:
        c.execute("show server_version"); print("DBVERSION PostgreSQL " + c.fetchone()[0])
"""


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def bench_env(database_url: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="warta.settings",
        WARTA_DEBUG="0",
        WARTA_SECRET_KEY=secrets.token_urlsafe(50),
        WARTA_CREDENTIAL_KEYS=base64.urlsafe_b64encode(secrets.token_bytes(32)).decode(),
        WARTA_ALLOWED_HOSTS="localhost",
        WARTA_DATABASE_URL=database_url,
        WARTA_LOG_LEVEL="WARNING",
    )
    env.pop("WARTA_DATABASE_URL_FILE", None)
    return env


def manage(env: dict[str, str], *args: str, echo: bool = False) -> str:
    cmd = [PY, str(ROOT / "manage.py"), *args]
    if not echo:
        return subprocess.run(cmd, env=env, check=True, capture_output=True, text=True).stdout
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, text=True, bufsize=1)
    lines = []
    assert proc.stdout is not None
    for line in proc.stdout:
        print("    " + line.rstrip(), flush=True)
        lines.append(line)
    if proc.wait() != 0:
        raise SystemExit(f"{' '.join(args)} failed with exit code {proc.returncode}")
    return "".join(lines)


def fresh_postgres(url: str, scale: str) -> str:
    import psycopg

    parts = urlsplit(url)
    name = f"{parts.path.lstrip('/')}_bench_{scale}"
    admin = urlunsplit(parts._replace(scheme="postgresql", path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    return urlunsplit(parts._replace(path=f"/{name}"))


def drop_postgres(url: str) -> None:
    import psycopg

    parts = urlsplit(url)
    admin = urlunsplit(parts._replace(scheme="postgresql", path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{parts.path.lstrip("/")}"')


def run_scale(args: argparse.Namespace, scale: str, workdir: Path) -> dict[str, object]:
    if args.database_url:
        url = fresh_postgres(args.database_url, scale)
    else:
        url = f"sqlite:///{workdir / f'{scale}.sqlite3'}"
    env = bench_env(url)
    print(f"\n== {scale}: fresh database", flush=True)
    began = time.monotonic()
    manage(env, "migrate", "--no-input", "-v0")
    migrate_s = time.monotonic() - began
    seed_args = ["seed_demo", "--scale", scale, "--seed", str(args.seed), "--now", args.now]
    if args.months:
        seed_args += ["--months", str(args.months)]
    began = time.monotonic()
    manage(env, *seed_args, echo=True)
    seed_s = time.monotonic() - began
    out = manage(env, "shell", "-v0", "-c", COUNT_ROWS + DB_VERSION)
    counts = json.loads(next(x for x in out.splitlines() if x.startswith("COUNTS"))[6:])
    db = next(x for x in out.splitlines() if x.startswith("DBVERSION"))[10:]
    size = ""
    if not args.database_url:
        size = f"{(workdir / f'{scale}.sqlite3').stat().st_size / 2**20:,.0f} MiB"
    elif not args.keep:
        drop_postgres(url)
    return {
        "scale": scale,
        "migrate_s": migrate_s,
        "seed_s": seed_s,
        "counts": counts,
        "db": db,
        "size": size,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--scales",
        default="city,province",
        help="comma-separated scales (tiny, city, province); default city,province",
    )
    parser.add_argument(
        "--database-url",
        default="",
        help="PostgreSQL URL; a fresh NAME_bench_<scale> database is used",
    )
    parser.add_argument(
        "--months", type=int, default=0, help="history length (default: the scale's own, 6 or 24)"
    )
    parser.add_argument("--seed", type=int, default=1)
    # Today's midnight: runs on the same day (e.g. SQLite, then PostgreSQL) write the same rows.
    today = datetime.now(UTC).strftime("%Y-%m-%dT00:00:00+00:00")
    parser.add_argument("--now", default=today, help=f"end of the history (default {today})")
    parser.add_argument("--keep", action="store_true", help="keep the databases afterwards")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="warta-bench-seed-"))
    load = os.getloadavg() if hasattr(os, "getloadavg") else (0.0, 0.0, 0.0)
    print(
        f"machine: {os.cpu_count()} cores, {cpu_model()}, load average "
        f"{load[0]:.2f} {load[1]:.2f} {load[2]:.2f}"
    )
    print(f"python:  {platform.python_version()} ({platform.system()} {platform.release()})")
    results = []
    try:
        for scale in [s.strip() for s in args.scales.split(",") if s.strip()]:
            results.append(run_scale(args, scale, workdir))
    finally:
        if args.keep:
            print(f"\ndatabases kept in {workdir}" if not args.database_url else "")
        else:
            shutil.rmtree(workdir, ignore_errors=True)

    print("\n== results")
    for r in results:
        counts: dict[str, int] = r["counts"]  # type: ignore[assignment]
        total = sum(counts.values())
        print(
            f"\n{r['scale']}: seed_demo {r['seed_s']:.1f} s (migrate {r['migrate_s']:.1f} s), "
            f"{total:,} rows, {r['db']}{', ' + str(r['size']) if r['size'] else ''}"
        )
        for table, n in sorted(counts.items(), key=lambda kv: -kv[1]):
            print(f"  {table:40} {n:>12,}")
    print(f"\nafter: load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
