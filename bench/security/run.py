"""Schemathesis against warta's OpenAPI document, on a live gunicorn, as a signed-in coordinator.

    .venv/bin/python bench/security/run.py [--database-url URL] [--max-examples 50] [--seed-demo]

Makes a fresh database (a temporary SQLite file unless --database-url), a region with two
agencies, a coordinator and an officer, and an API token for each; starts gunicorn; then
runs `schemathesis run` (property-based requests generated from the schema: every
operation, positive and negative data) with the token, for the coordinator and again for
the officer. Prints schemathesis' summary and exits non-zero on any failure. By default
the verdict is "no server error for any generated request"; --checks all adds the
schema-conformance checks (undocumented status codes, rejected valid data, ...).
Needs the `security` extra: pip install -e '.[security]' (schemathesis).
"""

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from _common import ROOT, machine, setup_django


def _people() -> dict[str, str]:
    from warta.channels.models import Channel
    from warta.core.apitokens import api_token_create
    from warta.institutions.models import Agency, Officer, Region
    from warta.testing.fixtures import make_person

    region = Region.objects.create(name="Kota Uji", slug="kota-uji", timezone="Asia/Makassar")
    a = Agency.objects.create(region=region, name="Dinas Kesehatan", short_name="Dinkes")
    b = Agency.objects.create(region=region, name="Dinas Pendidikan", short_name="Disdik")
    Channel.objects.create(agency=a, platform="instagram", handle="@dinkes.uji", mode="api")
    Channel.objects.create(agency=b, platform="instagram", handle="@disdik.uji", mode="api")
    people = {
        "coordinator": make_person("cora", region, Officer.Role.COORDINATOR),
        "officer": make_person("alice", region, Officer.Role.OFFICER, [a]),
    }
    return {
        role: api_token_create(actor=None, user=user, name="schemathesis")[1]
        for role, user in people.items()
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database-url")
    parser.add_argument("--max-examples", type=int, default=50)
    parser.add_argument("--port", type=int, default=8191)
    parser.add_argument("--roles", default="coordinator,officer")
    parser.add_argument(
        "--checks",
        default="not_a_server_error",
        help="schemathesis checks; 'all' adds schema conformance (documented status codes...)",
    )
    args = parser.parse_args()

    vendor = setup_django(args.database_url)
    tokens = _people()
    from django.conf import settings

    env = dict(
        os.environ,
        PYTHONPATH=str(ROOT),
        DJANGO_SETTINGS_MODULE="warta.settings",
        WARTA_DEBUG="0",
        WARTA_SECRET_KEY=settings.SECRET_KEY,
        WARTA_ALLOWED_HOSTS="127.0.0.1",
        WARTA_LOG_LEVEL="ERROR",
        WARTA_SECURE_COOKIES="0",
        WARTA_TASKS_BACKEND="django_tasks_db.DatabaseBackend",
        # Schemathesis makes hundreds of requests a minute from one address.
        WARTA_LOGIN_MAX_FAILURES="100000",
    )
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{args.port}",
            "warta.wsgi",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{args.port}"
    failed = False
    try:
        for _ in range(100):
            try:
                httpx.get(f"{base}/healthz", timeout=2)
                break
            except httpx.TransportError:
                time.sleep(0.3)
        print(f"machine: {machine()}")
        print(f"database: {vendor}; server: gunicorn 2 workers at {base}")
        for role in args.roles.split(","):
            print(
                f"\n=== schemathesis as the {role} (max {args.max_examples} examples per operation)",
                flush=True,
            )
            result = subprocess.run(
                [
                    str(Path(sys.executable).parent / "schemathesis"),
                    "run",
                    f"{base}/api/v1/schema/",
                    "--url",
                    base,
                    "--header",
                    f"Authorization: Token {tokens[role]}",
                    "--checks",
                    args.checks,
                    "--max-examples",
                    str(args.max_examples),
                    "--no-color",
                ],
                cwd=tempfile.mkdtemp(prefix="warta-schemathesis-"),  # its .schemathesis/ cache
                env=env,
            )
            failed |= result.returncode != 0
            print(
                f"=== {role}: {'FAIL' if result.returncode else 'PASS'} (exit {result.returncode})"
            )
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait()
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
