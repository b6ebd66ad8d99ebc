"""Fault drills: kill workers mid-task, restart PostgreSQL, make the platforms misbehave.

    .venv/bin/python bench/faults/run.py \
        --database-url postgres://warta:warta@127.0.0.1/warta_production_bench [--allow-pg-restart]

Prints one line per check: PASS/FAIL, what was checked, and the figures. Checks:
  platforms   every fake platform answers a publish with a timeout, 503, 429, malformed
              JSON, a post made then the answer lost: the connector raises a typed error
              (never a crash), and following the connector guide (find_post when the
              outcome is unknown, else retry with the same key) makes exactly one post.
  queue kill  a worker SIGKILLed while running tasks: the stale-task reaper re-queues
              its task, a replacement worker finishes it; no task lost, /healthz said so.
  publish     bench/publish/run.py --kill (the publishing engineer's harness) if present:
              every variant published exactly once though a worker died mid-publish.
  pg restart  (--allow-pg-restart only; the server is shared) PostgreSQL restarted while
              two workers run: every task still finishes, workers reconnect or are
              restarted (systemd: Restart=always), nothing runs twice.
The database is emptied first: never point it at real data.
"""

import argparse
import json
import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from _common import ROOT, machine, setup_django

RESULTS: list[tuple[str, bool, str]] = []


def check(name: str, ok: bool, detail: str = "") -> bool:
    RESULTS.append((name, ok, detail))
    print(f"{'PASS' if ok else 'FAIL'}  {name}{'  — ' + detail if detail else ''}", flush=True)
    return ok


# --- platforms -----------------------------------------------------------------------


def drill_platforms() -> None:
    from warta.connectors.base import ConnectorError, PublishRequest, TransientError
    from warta.connectors.fakes import FAKE_PLATFORMS, fake_class
    from warta.connectors.fakes.server import Fault

    faults = [
        Fault.TIMEOUT,
        Fault.SERVER_ERROR,
        Fault.RATE_LIMIT,
        Fault.MALFORMED_JSON,
        Fault.COMMIT_THEN_TIMEOUT,
        Fault.COMMIT_THEN_SERVER_ERROR,
        Fault.CONNECTION_RESET,
    ]
    for platform in FAKE_PLATFORMS:
        if platform in ("youtube", "tiktok", "instagram"):
            # Video/media-only publishing: their resumable uploads have their own fault
            # tests in warta/connectors/tests; a text post is not a thing there.
            continue
        fake = fake_class(platform)().start()
        try:
            for n, fault in enumerate(faults):
                caption = f"Uji gangguan {platform} {fault} {n}"
                request = PublishRequest(idempotency_key=f"fault-{platform}-{n}", caption=caption)
                since = datetime.now(UTC) - timedelta(minutes=1)
                connector = fake.connector(timeout=0.5)
                fake.fail_next(fault)
                first_error: Exception | None = None
                try:
                    connector.publish(request)
                except ConnectorError as exc:
                    first_error = exc
                except Exception as exc:
                    check(
                        f"platforms {platform} {fault}",
                        False,
                        f"untyped {type(exc).__name__}: {exc}",
                    )
                    continue
                attempts = 1
                # The connector guide's recovery: ask first when the outcome is unknown.
                while isinstance(first_error, TransientError) and attempts < 4:
                    found = None
                    if first_error.outcome_unknown and not connector.publish_idempotent:
                        found = connector.find_post(
                            request.idempotency_key, since=since, request=request
                        )
                    if found is not None:
                        first_error = None  # the post landed: record it, do not retry
                        break
                    try:
                        connector.publish(request)
                        first_error = None
                    except TransientError as exc:
                        first_error = exc
                    attempts += 1
                count = fake.publish_counts.get(caption, 0)
                kind = type(first_error).__name__ if first_error else "recovered"
                check(
                    f"platforms {platform} {fault}",
                    count == 1 and first_error is None,
                    f"posts made {count}, attempts {attempts}, end state {kind}",
                )
                connector.close()
            check(
                f"platforms {platform} no duplicates",
                not fake.duplicates(),
                f"fake's duplicate list {fake.duplicates()!r}",
            )
        finally:
            fake.stop()


# --- queue: SIGKILL a worker -----------------------------------------------------------


def _worker(env: dict[str, str], worker_id: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [
            sys.executable,
            "manage.py",
            "db_worker",
            "--interval",
            "0.1",
            "--no-startup-delay",
            "--worker-id",
            worker_id,
            "--verbosity",
            "0",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )


def _wait(predicate, seconds: float) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


def drill_queue_kill(env: dict[str, str], tasks: int) -> None:
    from django.test import Client
    from django_tasks_db.models import DBTaskResult

    from warta.core import scheduling
    from warta.core.probe_tasks import probe

    DBTaskResult.objects.all().delete()
    # Tasks long enough that the victim is surely still inside one when it is killed.
    ids = {str(probe.enqueue(sleep_ms=2500).id) for _ in range(tasks)}
    # The victim works alone until it dies, so that the reaper (with a 1 s limit here)
    # finds only its task; the survivor starts after, as a restarted worker would.
    victim = _worker(env, "victim")

    def victims_task() -> str | None:
        # worker_ids is JSON: filtered here, as SQLite has no JSON "contains".
        running = DBTaskResult.objects.filter(status="RUNNING").values_list("id", "worker_ids")
        return next((str(pk) for pk, workers in running if workers[-1:] == ["victim"]), None)

    if not check("queue kill: victim took a task", _wait(victims_task, 60)):
        return
    held = victims_task() or ""
    os.killpg(victim.pid, signal.SIGKILL)
    victim.wait()
    time.sleep(1)
    stuck = DBTaskResult.objects.get(id=held)
    check(
        "queue kill: task left RUNNING by the dead worker",
        stuck.status == "RUNNING",
        f"task {held[:8]} status {stuck.status}",
    )
    # Surfaced: /healthz reports the queue; the reaper (every 60 s in production) takes back
    # tasks RUNNING longer than WARTA_TASK_STALE_AFTER_SECONDS; here with a 1 s limit.
    health = Client().get("/healthz").json()
    requeued = scheduling.tasks_requeue_stale(older_than=timedelta(seconds=1))
    check(
        "queue kill: reaper re-queued the dead worker's task",
        requeued == 1,
        f"re-queued {requeued}; /healthz said {json.dumps(health)}",
    )
    survivor = _worker(env, "survivor")
    finished = _wait(
        lambda: DBTaskResult.objects.filter(id__in=ids, status="SUCCESSFUL").count() == tasks, 120
    )
    os.killpg(survivor.pid, signal.SIGTERM)
    survivor.wait()
    done = DBTaskResult.objects.filter(id__in=ids, status="SUCCESSFUL").count()
    check("queue kill: no task lost", finished and done == tasks, f"{done}/{tasks} successful")
    rerun = DBTaskResult.objects.get(id=held)
    check(
        "queue kill: the held task ran again on the survivor",
        rerun.status == "SUCCESSFUL" and rerun.worker_ids[-1] == "survivor",
        f"worker ids {rerun.worker_ids}",
    )


# --- publish harness -------------------------------------------------------------------


def drill_publish(variants: int, database_url: str) -> None:
    harness = ROOT / "bench" / "publish" / "run.py"
    if not harness.exists():
        check(
            "publish kill: bench/publish/run.py present",
            False,
            "not on this branch yet: publishing has not landed; skipped",
        )
        return
    out = subprocess.run(
        [
            sys.executable,
            str(harness),
            "--variants",
            str(variants),
            "--workers",
            "2",
            "--kill",
            "--db",
            database_url,
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=900,
    )
    tail = "\n".join(out.stdout.strip().splitlines()[-12:])
    print("      " + tail.replace("\n", "\n      "))
    check(
        "publish kill: harness says every variant published exactly once",
        out.returncode == 0,
        f"exit code {out.returncode}{'; ' + out.stderr.strip()[-300:] if out.returncode else ''}",
    )


# --- PostgreSQL restart ----------------------------------------------------------------


def drill_pg_restart(env: dict[str, str], tasks: int) -> None:
    from django.db import connection
    from django_tasks_db.models import DBTaskResult

    from warta.core import scheduling
    from warta.core.probe_tasks import probe

    DBTaskResult.objects.all().delete()
    ids = {str(probe.enqueue(sleep_ms=100).id) for _ in range(tasks)}
    workers = [_worker(env, f"pg-{n}") for n in range(2)]
    _wait(lambda: DBTaskResult.objects.filter(status="SUCCESSFUL").count() >= tasks // 5, 60)
    started = time.monotonic()
    subprocess.run(["pg_ctlcluster", "15", "main", "restart"], check=True, timeout=120)
    check("pg restart: server restarted", True, f"took {time.monotonic() - started:.1f} s")
    connection.close()
    time.sleep(2)
    died = [w.args[-3] for w in workers if w.poll() is not None]
    # What systemd would do: start the dead ones again.
    restarted = [_worker(env, f"pg-re-{n}") for n, _ in enumerate(died)]
    # A worker killed by the restart mid-task leaves it RUNNING: the reaper takes it back.
    time.sleep(2)
    scheduling.tasks_requeue_stale(older_than=timedelta(seconds=2))
    finished = _wait(
        lambda: DBTaskResult.objects.filter(id__in=ids, status="SUCCESSFUL").count() == tasks, 180
    )
    if not finished:
        scheduling.tasks_requeue_stale(older_than=timedelta(seconds=2))
        finished = _wait(
            lambda: DBTaskResult.objects.filter(id__in=ids, status="SUCCESSFUL").count() == tasks,
            60,
        )
    for w in workers + restarted:
        if w.poll() is None:
            os.killpg(w.pid, signal.SIGTERM)
            w.wait()
    rows = DBTaskResult.objects.filter(id__in=ids)
    done = rows.filter(status="SUCCESSFUL").count()
    failed = rows.filter(status="FAILED").count()
    check(
        "pg restart: workers that died with the connection",
        True,
        f"{len(died)} of 2 exited ({', '.join(died) or 'none'}); restarted as systemd would",
    )
    check(
        "pg restart: every task finished",
        finished and done == tasks,
        f"{done}/{tasks} successful, {failed} failed",
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database-url", help="default: a temporary SQLite file")
    parser.add_argument("--tasks", type=int, default=10)
    parser.add_argument("--variants", type=int, default=200, help="for the publish harness")
    parser.add_argument(
        "--allow-pg-restart",
        action="store_true",
        help="restart the shared PostgreSQL server (pg_ctlcluster 15 main)",
    )
    parser.add_argument("--only", default="platforms,queue,publish,pg")
    args = parser.parse_args()
    os.environ["WARTA_TASKS_BACKEND"] = "django_tasks_db.DatabaseBackend"
    vendor = setup_django(args.database_url)
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    only = set(args.only.split(","))
    print(f"machine: {machine()}")
    print(f"database: {vendor}")
    if "platforms" in only:
        drill_platforms()
    if "queue" in only:
        drill_queue_kill(env, args.tasks)
    if "publish" in only:
        drill_publish(args.variants, args.database_url or "sqlite")
    if "pg" in only:
        if not args.allow_pg_restart or vendor != "postgresql":
            print("SKIP  pg restart: run with --allow-pg-restart on PostgreSQL")
        else:
            drill_pg_restart(env, args.tasks * 20)
    failed = [name for name, ok, _ in RESULTS if not ok]
    print(f"\n{len(RESULTS) - len(failed)} of {len(RESULTS)} checks passed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
