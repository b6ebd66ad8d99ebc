"""Fault drills: kill workers mid-task, restart PostgreSQL, make the platforms misbehave.

    .venv/bin/python bench/faults/run.py \
        --database-url postgres://warta:warta@127.0.0.1:5433/warta_faults_bench \
        [--allow-pg-restart [--pg-restart-command "systemctl restart postgresql@15-faults"]]

Prints one line per check: PASS/FAIL, what was checked, and the figures. Checks:
  platforms   every fake platform answers a publish with a timeout, 503, 429, malformed
              JSON, a post made then the answer lost: the connector raises a typed error
              (never a crash), and following the connector guide (find_post when the
              outcome is unknown, else retry with the same key) makes exactly one post.
  queue kill  a worker SIGKILLed while running tasks: the stale-task reaper re-queues
              its task, a replacement worker finishes it; no task lost, /healthz said so.
  import kill a worker SIGKILLed mid-way through a metric export import (--import-rows,
              default 20000, every 500th row unreadable): the job stays "running" with
              progress matching what is stored; the reaper re-queues the task; the
              replacement resumes after the last committed chunk: every good row once
              (posts and figures), bad rows reported, true counts, progress monotonic.
  publish     bench/publish/run.py --kill (the publishing engineer's harness) if present:
              every variant published exactly once though a worker died mid-publish.
  pg restart  (--allow-pg-restart only) the PostgreSQL cluster the URL points at is
              restarted while two workers and the scheduler run: the workers and the
              scheduler reconnect (none exits), every task finishes, none runs twice.
              The restart command defaults to pg_ctlcluster for the local cluster on
              the URL's port: give the drill its own cluster, never a shared one.
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
    from warta.connectors.base import (
        ConnectorError,
        NotSupported,
        PublishRequest,
        TransientError,
    )
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
        if platform in ("youtube", "tiktok", "instagram", "whatsapp"):
            # Video/media-only publishing: their resumable uploads have their own fault
            # tests in warta/connectors/tests; a text post is not a thing there (WhatsApp
            # sends messages, it does not publish).
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
                to_person = False
                # The connector guide's recovery: ask first when the outcome is unknown;
                # when the platform cannot tell (Telegram), a person verifies instead.
                while isinstance(first_error, TransientError) and attempts < 4:
                    found = None
                    if first_error.outcome_unknown and not connector.publish_idempotent:
                        try:
                            found = connector.find_post(
                                request.idempotency_key, since=since, request=request
                            )
                        except NotSupported:
                            found = None
                        if found is None and not connector.find_post_conclusive:
                            to_person = True
                            break
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
                if to_person:
                    kind = "a person verifies"
                check(
                    f"platforms {platform} {fault}",
                    (count == 1 and first_error is None) or (to_person and count <= 1),
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


# --- import: SIGKILL a worker mid-import -----------------------------------------------


def _export_csv(rows: int, bad_every: int) -> bytes:
    """A Facebook post export: one post per row, every bad_every-th row unreadable."""
    lines = ["Post ID,Publish time,Description,Reach,Reactions,Comments,Shares"]
    for i in range(rows):
        reach = "tidak ada" if i % bad_every == bad_every - 1 else str(1000 + i)
        lines.append(f"77{i:08d},10/01/2026 08:00,Kegiatan dinas nomor {i},{reach},{i % 9},1,0")
    return "\n".join(lines).encode()


def drill_import_kill(env: dict[str, str], rows: int) -> None:
    from django_tasks_db.models import DBTaskResult

    from warta.analytics.imports.services import metric_import_create
    from warta.analytics.models import MetricImport, MetricSnapshot
    from warta.analytics.tasks import process_metric_import
    from warta.channels.models import Channel
    from warta.content.models import PostVariant
    from warta.core import scheduling
    from warta.institutions.models import Agency, Region

    DBTaskResult.objects.all().delete()
    region, _ = Region.objects.get_or_create(
        slug="kota-drill",
        defaults={"name": "Kota Latihan", "kind": Region.Kind.KOTA, "timezone": "Asia/Makassar"},
    )
    agency = Agency.objects.create(region=region, name="Dinas Latihan Impor", short_name="DLI")
    channel = Channel.objects.create(
        agency=agency, platform="facebook", handle=f"dli-{time.time_ns()}", mode="export"
    )
    bad_every = 500
    bad = rows // bad_every
    good = rows - bad
    job = metric_import_create(
        channel=channel, data=_export_csv(rows, bad_every), filename="ekspor.csv", actor=None
    )
    task_id = str(process_metric_import.enqueue(job.pk).id)
    victim = _worker(env, "import-victim")
    seen: list[int] = []  # rows_done as a person refreshing the page would have seen it

    def watch() -> MetricImport:
        current = MetricImport.objects.get(pk=job.pk)
        if not seen or seen[-1] != current.rows_done:
            seen.append(current.rows_done)
        return current

    def mid_import() -> bool:
        current = watch()
        return current.rows_total > 0 and current.rows_done >= current.rows_total * 0.4

    if not check("import kill: victim is importing", _wait(mid_import, 300), f"{rows} rows"):
        os.killpg(victim.pid, signal.SIGKILL)
        victim.wait()
        return
    os.killpg(victim.pid, signal.SIGKILL)
    victim.wait()
    at_kill = watch()
    snapshots_at_kill = MetricSnapshot.objects.filter(variant__channel=channel).count()
    # rows_done and the counts are committed with each chunk's rows: they must agree.
    check(
        "import kill: job left running, progress matches what is stored",
        at_kill.status == "running"
        and at_kill.created_count == snapshots_at_kill
        and 0 < at_kill.rows_done < rows,
        f"status {at_kill.status}, {at_kill.rows_done}/{at_kill.rows_total} rows done, "
        f"{at_kill.created_count} counted, {snapshots_at_kill} figures stored",
    )
    time.sleep(1)
    requeued = scheduling.tasks_requeue_stale(older_than=timedelta(seconds=1))
    check("import kill: reaper re-queued the import task", requeued == 1, f"re-queued {requeued}")
    survivor = _worker(env, "import-survivor")
    started = time.monotonic()
    ended = _wait(lambda: watch().status in ("done", "failed"), 300)
    took = time.monotonic() - started
    _wait(lambda: DBTaskResult.objects.get(id=task_id).status == "SUCCESSFUL", 60)
    os.killpg(survivor.pid, signal.SIGTERM)
    survivor.wait()
    final = MetricImport.objects.get(pk=job.pk)
    variants = PostVariant.objects.filter(channel=channel)
    snapshots = MetricSnapshot.objects.filter(variant__channel=channel)
    distinct_ids = variants.values("platform_post_id").distinct().count()
    check(
        "import kill: import finished after the reaper",
        ended and final.status == "done",
        f"status {final.status} {final.error[:200]!r}; survivor took {took:.1f} s",
    )
    check(
        "import kill: every good row imported exactly once",
        variants.count() == distinct_ids == good and snapshots.count() == good,
        f"{variants.count()} posts ({distinct_ids} distinct ids), {snapshots.count()} figures; "
        f"expected {good} each",
    )
    check(
        "import kill: bad rows reported, not lost silently",
        final.row_error_count == bad and len(final.row_errors) == min(bad, 200),
        f"{final.row_error_count} bad rows reported of {bad}",
    )
    check(
        "import kill: summary counts both runs",
        (final.created_count, final.posts_created, final.unchanged_count) == (good, good, 0)
        and final.rows_done == final.rows_total == rows,
        f"created {final.created_count}, posts {final.posts_created}, unchanged "
        f"{final.unchanged_count}, rows {final.rows_done}/{final.rows_total}",
    )
    check(
        "import kill: progress never went backwards",
        seen == sorted(seen),
        f"rows_done seen: {', '.join(map(str, seen[:12]))}{' …' if len(seen) > 12 else ''}",
    )
    workers = DBTaskResult.objects.get(id=task_id).worker_ids
    check(
        "import kill: task ran on the victim, then once on the survivor",
        workers == ["import-victim", "import-survivor"],
        f"worker ids {workers}",
    )


# --- publish harness -------------------------------------------------------------------


def drill_publish(variants: int, database_url: str) -> None:
    harness = ROOT / "bench" / "publish" / "run.py"
    if database_url.startswith(("postgres://", "postgresql://")):
        # The harness drops and re-creates its database: not the one this script holds.
        base, _, name = database_url.rpartition("/")
        database_url = f"{base}/{name.split('?')[0]}_publish"
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


def pg_restart_command(database_url: str) -> list[str]:
    """The pg_ctlcluster command for the local cluster listening on the URL's port.

    Only a local Debian/Ubuntu cluster is found this way; elsewhere pass
    --pg-restart-command. Never guesses "main": restarting the wrong cluster would cut
    off everyone else's work on a shared server.
    """
    import dj_database_url

    port = str(dj_database_url.parse(database_url)["PORT"] or 5432)
    out = subprocess.run(
        ["pg_lsclusters", "--no-header"], capture_output=True, text=True, check=True
    ).stdout
    for line in out.splitlines():
        version, name, cluster_port, *_ = line.split()
        if cluster_port == port:
            return ["pg_ctlcluster", version, name, "restart"]
    raise SystemExit(f"no local PostgreSQL cluster on port {port}; give --pg-restart-command")


def drill_pg_restart(env: dict[str, str], tasks: int, restart: list[str]) -> None:
    from django.db import connection
    from django_tasks_db.models import DBTaskResult

    from warta.core import scheduling
    from warta.core.models import SchedulerLease
    from warta.core.probe_tasks import probe

    DBTaskResult.objects.all().delete()
    SchedulerLease.objects.all().delete()
    ids = {str(probe.enqueue(sleep_ms=100).id) for _ in range(tasks)}
    workers = [_worker(env, f"pg-{n}") for n in range(2)]
    scheduler = subprocess.Popen(
        [sys.executable, "manage.py", "run_scheduler", "--tick", "0.5"],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    _wait(lambda: DBTaskResult.objects.filter(status="SUCCESSFUL").count() >= tasks // 5, 60)
    started = time.monotonic()
    subprocess.run(restart, check=True, timeout=120)
    check(
        "pg restart: server restarted",
        True,
        f"{' '.join(restart)} took {time.monotonic() - started:.1f} s",
    )
    connection.close()
    finished = _wait(
        lambda: DBTaskResult.objects.filter(id__in=ids, status="SUCCESSFUL").count() == tasks, 120
    )
    died = [f"pg-{n}" for n, w in enumerate(workers) if w.poll() is not None]
    reaped = 0
    if not finished:
        # A claim whose COMMIT was cut off can leave a task RUNNING with no worker on it:
        # the reaper (every minute in production) is the safety net; here with 2 s.
        reaped = scheduling.tasks_requeue_stale(older_than=timedelta(seconds=2))
        restarted = [_worker(env, f"pg-re-{n}") for n, _ in enumerate(died)]
        workers += restarted
        finished = _wait(
            lambda: DBTaskResult.objects.filter(id__in=ids, status="SUCCESSFUL").count() == tasks,
            60,
        )
    lease_before = SchedulerLease.objects.filter(name="scheduler").first()
    time.sleep(1.5)
    lease_after = SchedulerLease.objects.filter(name="scheduler").first()
    scheduler_alive = scheduler.poll() is None
    for w in [*workers, scheduler]:
        if w.poll() is None:
            os.killpg(w.pid, signal.SIGTERM)
            w.wait()
    rows = DBTaskResult.objects.filter(id__in=ids)
    done = rows.filter(status="SUCCESSFUL").count()
    failed = rows.filter(status="FAILED").count()
    twice = sum(1 for w in rows.values_list("worker_ids", flat=True) if len(w) > 1)
    check(
        "pg restart: both workers reconnected (none exited)",
        not died,
        f"{len(died)} of 2 exited ({', '.join(died) or 'none'})",
    )
    check(
        "pg restart: scheduler reconnected and renews its lease",
        scheduler_alive
        and lease_before is not None
        and lease_after is not None
        and lease_after.expires_at > lease_before.expires_at,
        f"alive {scheduler_alive}, lease renewed "
        f"{bool(lease_before and lease_after and lease_after.expires_at > lease_before.expires_at)}",
    )
    check(
        "pg restart: every task finished",
        finished and done == tasks,
        f"{done}/{tasks} successful, {failed} failed, {reaped} needed the reaper",
    )
    check("pg restart: no task ran twice", twice == 0, f"{twice} tasks claimed more than once")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database-url", help="default: a temporary SQLite file")
    parser.add_argument("--tasks", type=int, default=10)
    parser.add_argument("--variants", type=int, default=200, help="for the publish harness")
    parser.add_argument("--import-rows", type=int, default=20000, help="rows of the killed import")
    parser.add_argument(
        "--allow-pg-restart",
        action="store_true",
        help="restart the PostgreSQL cluster that --database-url points at",
    )
    parser.add_argument(
        "--pg-restart-command",
        help="how to restart it (default: pg_ctlcluster for the local cluster on the URL's port)",
    )
    parser.add_argument("--only", default="platforms,queue,import,publish,pg")
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
    if "import" in only:
        drill_import_kill(env, args.import_rows)
    if "publish" in only:
        drill_publish(args.variants, args.database_url or "sqlite")
    if "pg" in only:
        if not args.allow_pg_restart or vendor != "postgresql":
            print("SKIP  pg restart: run with --allow-pg-restart on PostgreSQL")
        else:
            restart = (
                args.pg_restart_command.split()
                if args.pg_restart_command
                else pg_restart_command(args.database_url)
            )
            drill_pg_restart(env, args.tasks * 20, restart)
    failed = [name for name, ok, _ in RESULTS if not ok]
    print(f"\n{len(RESULTS) - len(failed)} of {len(RESULTS)} checks passed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
