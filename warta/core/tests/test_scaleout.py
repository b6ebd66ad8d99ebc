"""Scale-out: two task workers and two web processes at once against one database.

This is what the production guide promises for several machines; here the "machines"
are processes on 127.0.0.1. On PostgreSQL the processes share the test database; on
SQLite (in-memory for pytest) they share a migrated temporary file instead.
"""

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from django.db import connection

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[3]
STARTUP_SECONDS = 20


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _database_url(tmp_path: Path) -> str:
    settings = connection.settings_dict
    if connection.vendor == "postgresql":
        return (
            f"postgres://{settings['USER']}:{settings['PASSWORD']}@{settings['HOST'] or '127.0.0.1'}"
            f":{settings['PORT'] or 5432}/{settings['NAME']}"
        )
    return f"sqlite:///{tmp_path / 'scaleout.sqlite3'}"


@pytest.fixture
def shared_env(tmp_path: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="warta.testing.settings",
        WARTA_DATABASE_URL=_database_url(tmp_path),
        WARTA_TASKS_BACKEND="django_tasks_db.DatabaseBackend",
        WARTA_LOG_LEVEL="WARNING",
        PYTHONPATH=str(ROOT),
    )
    if connection.vendor != "postgresql":
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--verbosity", "0"],
            cwd=ROOT,
            env=env,
            check=True,
            timeout=120,
        )
    return env


def _start(cmd: list[str], env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        cmd,
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )


def _stop(processes: list[subprocess.Popen[bytes]]) -> None:
    for process in processes:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
    for process in processes:
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


@pytest.fixture
def web_ports(shared_env: dict[str, str]) -> Iterator[list[int]]:
    ports = [_free_port(), _free_port()]
    processes = [
        _start(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "--workers",
                "1",
                "--bind",
                f"127.0.0.1:{port}",
                "warta.wsgi",
            ],
            shared_env,
        )
        for port in ports
    ]
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        for port, process in zip(ports, processes, strict=True):
            while True:
                assert process.poll() is None, (
                    process.stderr.read().decode() if process.stderr else ""
                )
                try:
                    if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code:
                        break
                except httpx.TransportError:
                    pass
                assert time.monotonic() < deadline, "web process did not start"
                time.sleep(0.2)
        yield ports
    finally:
        _stop(processes)


def _workers(env: dict[str, str], count: int) -> list[subprocess.Popen[bytes]]:
    return [
        _start(
            [
                sys.executable,
                "manage.py",
                "db_worker",
                "--interval",
                "0.1",
                "--no-startup-delay",
                "--worker-id",
                f"scaleout-{n}",
            ],
            env,
        )
        for n in range(count)
    ]


def test_it_shares_tasks_between_two_workers_and_sessions_between_two_web_processes(
    shared_env: dict[str, str], web_ports: list[int]
) -> None:
    # Enqueue in the same database the subprocesses use (a file DB on SQLite).
    enqueue = (
        "import django; django.setup();"
        "from warta.core.probe_tasks import probe;"
        "print(','.join(str(probe.enqueue(sleep_ms=150).id) for _ in range(12)))"
    )
    out = subprocess.run(
        [sys.executable, "-c", enqueue],
        cwd=ROOT,
        env=shared_env,
        check=True,
        capture_output=True,
        timeout=60,
    )
    ids = out.stdout.decode().strip().split(",")
    assert len(ids) == 12

    workers = _workers(shared_env, 2)
    try:
        # Both web processes answer from the shared database while the workers run.
        for port in web_ports:
            response = httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=5)
            assert response.status_code == 200, response.text
            assert response.json()["database"] == "ok"
        report = (
            "import django, json, sys, time; django.setup();"
            "from django_tasks_db.models import DBTaskResult;"
            "ids = sys.argv[1].split(',');"
            "deadline = time.monotonic() + 25\n"
            "while time.monotonic() < deadline:\n"
            "    rows = list(DBTaskResult.objects.filter(id__in=ids).values('status','worker_ids'))\n"
            "    if all(r['status'] == 'SUCCESSFUL' for r in rows): break\n"
            "    time.sleep(0.2)\n"
            "print(json.dumps(rows))"
        )
        out = subprocess.run(
            [sys.executable, "-c", report, ",".join(ids)],
            cwd=ROOT,
            env=shared_env,
            check=True,
            capture_output=True,
            timeout=60,
        )
    finally:
        _stop(workers)
    rows = json.loads(out.stdout.decode())
    assert [row["status"] for row in rows] == ["SUCCESSFUL"] * 12
    # Each task ran exactly once, and both workers took a share.
    assert all(len(row["worker_ids"]) == 1 for row in rows)
    takers = {row["worker_ids"][0] for row in rows}
    assert takers == {"scaleout-0", "scaleout-1"}

    # A session made on one web process is valid on the other: no sticky sessions needed.
    create_user = (
        "import django; django.setup();"
        "from django.contrib.auth.models import User;"
        "User.objects.create_user('scaleout', password='scaleout-password-123')"
    )
    subprocess.run(
        [sys.executable, "-c", create_user], cwd=ROOT, env=shared_env, check=True, timeout=60
    )
    first, second = (f"http://127.0.0.1:{port}" for port in web_ports)
    with httpx.Client(base_url=first, timeout=10) as client:
        page = client.get("/masuk/")
        token = client.cookies["csrftoken"]
        response = client.post(
            "/masuk/",
            data={
                "username": "scaleout",
                "password": "scaleout-password-123",
                "csrfmiddlewaretoken": token,
            },
            headers={"Referer": f"{first}/masuk/"},
        )
        assert page.status_code == 200
        assert response.status_code == 302, response.text[:500]
        cookies = dict(client.cookies)
    with httpx.Client(base_url=second, timeout=10, cookies=cookies) as other:
        response = other.get("/")
    assert response.status_code in (200, 403)  # 403: signed in but no role, not a redirect
    assert "/masuk/" not in response.headers.get("location", "")
