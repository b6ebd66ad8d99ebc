"""Task throughput with 1, 2 and 4 workers against one database.

    .venv/bin/python bench/scaleout/run.py \
        --database-url postgres://warta:warta@127.0.0.1/warta_production_bench \
        --tasks 400 --workers 1,2,4 --sleep-ms 0,50

For each worker count and each task kind, enqueues N probe tasks (warta.core.probe_tasks),
starts that many `manage.py db_worker` processes, and times from the first task's start
to the last task's end (worker start-up excluded). `--sleep-ms 0` measures the queue's own overhead (claiming, locking,
recording the result: CPU- and database-bound); `--sleep-ms 50` stands for a task that
mostly waits on a platform, like a publish. Also checks that no task ran twice.
The database is emptied first (DROP SCHEMA on PostgreSQL): never point it at real data.
"""

import argparse
import os
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from _common import ROOT, machine, setup_django


def run_once(*, env: dict[str, str], workers: int, tasks: int, sleep_ms: int) -> tuple[float, int]:
    from django.db.models import Max, Min
    from django_tasks_db.models import DBTaskResult

    from warta.core.probe_tasks import probe

    DBTaskResult.objects.all().delete()
    for _ in range(tasks):
        probe.enqueue(sleep_ms=sleep_ms)
    processes = [
        subprocess.Popen(
            [
                sys.executable,
                "manage.py",
                "db_worker",
                "--batch",
                "--interval",
                "0.05",
                "--no-startup-delay",
                "--worker-id",
                f"bench-{n}",
                "--verbosity",
                "0",
            ],
            cwd=ROOT,
            env=env,
        )
        for n in range(workers)
    ]
    for process in processes:
        process.wait()
    done = DBTaskResult.objects.filter(status="SUCCESSFUL")
    # From the first claim to the last result: process start-up (a few seconds of imports)
    # is not part of a long-running worker's throughput.
    span = done.aggregate(first=Min("started_at"), last=Max("finished_at"))
    elapsed = (span["last"] - span["first"]).total_seconds()
    twice = sum(1 for ids in done.values_list("worker_ids", flat=True) if len(ids) != 1)
    assert done.count() == tasks, f"only {done.count()} of {tasks} tasks succeeded"
    return elapsed, twice


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database-url", help="default: a temporary SQLite file")
    parser.add_argument("--tasks", type=int, default=400)
    parser.add_argument("--workers", default="1,2,4")
    parser.add_argument("--sleep-ms", default="0,50", help="comma-separated task kinds")
    args = parser.parse_args()

    # This process enqueues through the same backend the workers read.
    os.environ["WARTA_TASKS_BACKEND"] = "django_tasks_db.DatabaseBackend"
    vendor = setup_django(args.database_url)
    env = dict(os.environ, PYTHONPATH=str(ROOT))

    print(f"machine: {machine()}")
    print(f"database: {vendor}; tasks per run: {args.tasks}")
    print(
        f"{'task':>12} {'workers':>7} {'seconds':>8} {'tasks/s':>8} {'speed-up':>8} {'ran twice':>9}"
    )
    for sleep_ms in [int(s) for s in args.sleep_ms.split(",")]:
        base = None
        for workers in [int(w) for w in args.workers.split(",")]:
            elapsed, twice = run_once(env=env, workers=workers, tasks=args.tasks, sleep_ms=sleep_ms)
            rate = args.tasks / elapsed
            base = base or rate
            kind = "queue only" if sleep_ms == 0 else f"{sleep_ms} ms wait"
            print(
                f"{kind:>12} {workers:>7} {elapsed:>8.1f} {rate:>8.1f} {rate / base:>7.2f}x {twice:>9}"
            )


if __name__ == "__main__":
    main()
