"""Workers and the scheduler survive a lost database connection (PostgreSQL restart).

The PostgreSQL tests cut the running process's connection with pg_terminate_backend, as a
server restart or failover would, and check that it reconnects and goes on working.
The back-off logic itself is checked on any database.
"""

import logging
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.db import DatabaseError, OperationalError, connection, transaction
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult

from warta.core.models import SchedulerLease
from warta.core.probe_tasks import probe
from warta.core.reconnect import Outage, connection_lost, describe

ROOT = Path(__file__).resolve().parents[3]

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="pg_terminate_backend is PostgreSQL's"
)


def _env() -> dict[str, str]:
    s = connection.settings_dict
    url = (
        f"postgres://{s['USER']}:{s['PASSWORD']}@{s['HOST'] or '127.0.0.1'}"
        f":{s['PORT'] or 5432}/{s['NAME']}"
    )
    return dict(
        os.environ,
        DJANGO_SETTINGS_MODULE="warta.testing.settings",
        WARTA_DATABASE_URL=url,
        WARTA_TASKS_BACKEND="django_tasks_db.DatabaseBackend",
        WARTA_LOG_LEVEL="WARNING",
        PYTHONPATH=str(ROOT),
    )


@pytest.fixture
def start() -> Iterator[Callable[[list[str]], subprocess.Popen[str]]]:
    started: list[subprocess.Popen[str]] = []

    def run(args: list[str]) -> subprocess.Popen[str]:
        process = subprocess.Popen(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=_env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        started.append(process)
        return process

    yield run
    for process in started:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def _enqueue(sleep_ms: int = 0) -> str:
    backend = DatabaseBackend(alias="default", params={"QUEUES": []})
    return str(backend.enqueue(probe, (), {"sleep_ms": sleep_ms}).id)


def _until(predicate: Callable[[], bool], process: subprocess.Popen[str], seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while True:
        if process.poll() is not None:
            pytest.fail(f"the process exited ({process.returncode}):\n{process.stdout.read()}")  # type: ignore[union-attr]
        if predicate():
            return
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)


def _status(task_id: str) -> str:
    return DBTaskResult.objects.get(id=task_id).status


def _terminate_others() -> int:
    """Cut every other connection to the test database, as a server restart does."""
    with connection.cursor() as cur:
        cur.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
            # Only our own role's: a superuser's session (an operator's psql) may not be cut.
            " AND usename = current_user"
        )
        return int(cur.fetchone()[0])


@postgres_only
@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_it_keeps_the_worker_running_when_its_connection_is_cut_mid_task(start) -> None:
    worker = start(["db_worker", "--interval", "0.1", "--no-startup-delay", "--no-reload"])
    first = _enqueue(sleep_ms=1500)
    _until(lambda: _status(first) == "RUNNING", worker, 30)
    assert _terminate_others() >= 1
    # The task was waiting (as on a platform) when its connection died: its outcome is
    # recorded on a new connection, once; the worker then takes the next task.
    _until(lambda: _status(first) == "SUCCESSFUL", worker, 30)
    assert len(DBTaskResult.objects.get(id=first).worker_ids) == 1
    _terminate_others()  # and cut again while it is idle
    second = _enqueue()
    _until(lambda: _status(second) == "SUCCESSFUL", worker, 30)
    assert worker.poll() is None


@postgres_only
@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_it_keeps_the_scheduler_running_when_its_connection_is_cut(start) -> None:
    scheduler = start(["run_scheduler", "--tick", "0.2"])
    _until(lambda: SchedulerLease.objects.filter(name="scheduler").exists(), scheduler, 30)
    time.sleep(0.5)
    _until(lambda: SchedulerLease.objects.filter(name="scheduler").exists(), scheduler, 30)
    expires = SchedulerLease.objects.get(name="scheduler").expires_at
    assert _terminate_others() >= 1
    # It renews its lease every tick: a renewal after the cut shows it reconnected.
    _until(lambda: SchedulerLease.objects.get(name="scheduler").expires_at > expires, scheduler, 30)
    assert scheduler.poll() is None


def test_it_backs_off_up_to_a_cap_and_logs_one_line_each_way(caplog, monkeypatch) -> None:
    slept: list[float] = []
    tries = iter([OperationalError("down"), OperationalError("down"), None])

    def ensure_connection() -> None:
        failure = next(tries)
        if failure:
            raise failure

    monkeypatch.setattr(connection, "ensure_connection", ensure_connection)
    outage = Outage(who="worker w1", first_delay=1, max_delay=2, sleep=slept.append)
    with caplog.at_level(logging.WARNING, logger="warta.core.reconnect"):
        back = outage.wait_for_database(
            OperationalError('connection to "db" failed: password=hunter2 refused')
        )
    assert back
    # 1 s, then doubled to 2 s, then capped at 2 s (in half-second steps).
    assert sum(slept) == 1 + 2 + 2
    lines = [r.getMessage() for r in caplog.records]
    assert len(lines) == 2
    assert "connection lost" in lines[0] and "back after" in lines[1]
    assert "hunter2" not in lines[0]


def test_it_never_logs_a_password_from_a_connection_error() -> None:
    text = describe(OperationalError("could not connect to postgres://warta:s3cret@db/warta"))
    assert "s3cret" not in text and "OperationalError" in text


def test_it_stops_waiting_when_asked_to_stop(monkeypatch) -> None:
    monkeypatch.setattr(connection, "ensure_connection", lambda: None)
    outage = Outage(who="scheduler", sleep=lambda s: None, stopping=lambda: True)
    assert outage.wait_for_database(OperationalError("down")) is False


@pytest.mark.django_db
def test_a_connection_lost_inside_a_transaction_fails_loudly_instead_of_waiting() -> None:
    # No new connection can be made before the atomic block ends: waiting would never end.
    outage = Outage(who="worker w1", sleep=lambda s: pytest.fail("it waited"))
    lost = OperationalError("server closed the connection unexpectedly")
    with transaction.atomic(), pytest.raises(OperationalError) as caught:
        outage.wait_for_database(lost)
    assert caught.value is lost and outage.outages == 0


@pytest.mark.django_db
def test_a_broken_query_is_not_taken_for_a_lost_connection() -> None:
    # Waiting would not fix it: the worker must fail the task and show the error.
    with (
        pytest.raises(DatabaseError) as caught,
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("SELECT * FROM no_such_table_here")
    assert not connection_lost(caught.value)
