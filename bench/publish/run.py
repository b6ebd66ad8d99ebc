"""Publishing benchmark: many variants due in one minute, real db_worker processes, a fake platform.

    .venv/bin/python bench/publish/run.py --variants 10000 --workers 4 --spread 0 \
        --db postgres://warta:warta@127.0.0.1/warta_publish_bench [--kill]
    .venv/bin/python bench/publish/run.py --variants 10000 --workers 2 --db sqlite [--kill]

Batch and in-flight figures default to production's (settings.py). It prints the
in-flight limit (workers x in flight / platform latency) and the ratio reached, with the
machine's load and CPU use over the run: on a shared machine the ratio depends on CPU
being free. --spread 0 puts every due time in the same second (a burst: it measures
capacity); the default spread measures the arrival rate instead. Exits 1 on any
duplicate or lost post.

Counts on the fake platform's side: every variant must be taken exactly once (no
duplicates, none lost), within 2 minutes of its due time. --kill SIGKILLs one worker
mid-run; its claims are recovered by asking the platform first. --cap N: the mini fake
takes N posts at most (429 beyond) and warta knows it as a 24-hour budget per app: the
rest must wait for the reset (counted as held, not lost), with 0 429s at the fake.
"""

import argparse
import atexit
import contextlib
import json
import os
import platform as pyplatform
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(ROOT), str(HERE)]

from fakeplatform import PLATFORM, FakeState, make_server  # noqa: E402


class MiniFake:
    """bench/publish/fakeplatform.py in this process: counts every post it takes, per key,
    with its time, and never dedupes (the strictest duplicate count)."""

    platform = PLATFORM

    def __init__(self, latency: float, error_rate: float, cap: int = 0) -> None:
        self.state = FakeState(latency=latency, error_rate=error_rate, cap=cap)
        self.server = make_server(self.state)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.base_url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.credentials: dict[str, object] = {"token": "x"}
        self.external_id, self.handle = "1", "@bench"

    def taken(self) -> int:
        with self.state.lock:
            return len(self.state.accepted)

    def counts(self, keys: dict[str, str]) -> tuple[int, int, int, str]:
        """(unique posts, duplicated variants, lost variants, request summary)."""
        accepted = self.state.accepted
        dupes = sum(1 for v in accepted.values() if len(v) > 1)
        lost = sum(1 for k in keys if k not in accepted)
        return (
            len(accepted),
            dupes,
            lost,
            (
                f"platform requests {self.state.requests} (503s: {self.state.errors}, "
                f"429s over the cap: {self.state.refused})"
            ),
        )

    def first_attempts(self) -> list[float]:
        """When each post was first tried, sorted: the workers' pace before any retry."""
        with self.state.lock:
            return sorted(self.state.first_tried.values())

    def stop(self) -> None:
        self.server.shutdown()


class ProcessFake:
    """A fake of the connectors app (`python -m warta.connectors.fakes`) as its own process;
    warta publishes to it through the real connector. Counts come from /_fake/stats."""

    def __init__(self, platform: str, latency: float, error_rate: float) -> None:
        self.platform = platform
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "warta.connectors.fakes",
                platform,
                "--latency",
                str(latency),
                "--error-rate",
                str(error_rate),
            ],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.proc.stdout is not None
        info = json.loads(self.proc.stdout.readline())
        self.base_url = info["base_url"]
        self.credentials = info["credentials"]
        self.external_id, self.handle = info["external_id"], info["handle"]

    def stats(self) -> dict:
        return httpx.get(f"{self.base_url}/_fake/stats", timeout=30).json()

    def taken(self) -> int:
        return int(self.stats()["published"])

    def counts(self, keys: dict[str, str]) -> tuple[int, int, int, str]:
        stats = self.stats()
        dupes = len(stats["duplicates"])
        lost = len(keys) - stats["distinct_captions"]
        return (
            stats["distinct_captions"],
            dupes,
            lost,
            (f"platform requests {stats['requests']} (injected faults: {stats['injected']})"),
        )

    def first_attempts(self) -> list[float]:
        return []  # the connectors' fakes do not keep request times

    def stop(self) -> None:
        self.proc.send_signal(signal.SIGTERM)
        self.proc.wait(timeout=20)


def budget_wait() -> Any:
    """Variants deferred to a spent rate budget's reset (content.publishing BUDGET_SPENT*)."""
    from django.db.models import Q

    return Q(status="scheduled") & (
        Q(last_error__startswith="Jatah ") | Q(last_error__startswith="Batas ")
    )


def parse_args() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--variants", type=int, default=10000)
    p.add_argument("--workers", type=int, default=4)
    p.add_argument(
        "--db",
        default="postgres://warta:warta@127.0.0.1/warta_publish_bench",
        help="PostgreSQL URL (the database is dropped and re-created) or 'sqlite'",
    )
    p.add_argument("--kill", action="store_true", help="SIGKILL one worker mid-run")
    p.add_argument("--latency", type=float, default=0.1, help="fake platform latency (s)")
    p.add_argument("--error-rate", type=float, default=0.02, help="share of 503 answers")
    p.add_argument(
        "--batch", type=int, default=25, help="variants per publish task (production: 25)"
    )
    p.add_argument(
        "--concurrency",
        type=int,
        default=8,
        help="platform requests in flight per worker (production: 8)",
    )
    p.add_argument("--spread", type=float, default=60.0, help="due times spread over (s)")
    p.add_argument("--lead", type=float, default=30.0, help="first due time after seeding ends (s)")
    p.add_argument("--stale", type=int, default=20, help="seconds before a claim is stale")
    p.add_argument("--timeout", type=float, default=300.0)
    p.add_argument(
        "--fake",
        default="mini",
        choices=["mini", "mastodon", "x", "telegram"],
        help="mini: the strict counting fake here; else the connectors app's fake of that "
        "platform, through its real connector",
    )
    p.add_argument("--channels", type=int, default=1, help="spread variants over N channels")
    p.add_argument(
        "--pool",
        default="publish",
        choices=["publish", "all"],
        help="publish: workers take only the publishing queue, as a pool kept for it in "
        "production (docs/deployment.md §12); all: every queue, as one pool of workers",
    )
    p.add_argument(
        "--cap",
        type=int,
        default=0,
        help="mini fake: take at most N posts (429 beyond), known to warta as a 24-hour "
        "budget per app: the rest must wait for the reset, none lost, none twice",
    )
    return p.parse_args()


def prepare_database(url: str) -> str:
    if url == "sqlite":
        path = Path(tempfile.mkdtemp(prefix="warta-bench-")) / "bench.sqlite3"
        return f"sqlite:///{path}"
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    return url


def main() -> None:
    args = parse_args()
    db_url = prepare_database(args.db)
    env = {
        **os.environ,
        "WARTA_DATABASE_URL": db_url,
        "WARTA_DEBUG": "0",
        "WARTA_SECRET_KEY": "bench-secret-key-bench-secret-key-0123456789",
        "WARTA_ALLOWED_HOSTS": "127.0.0.1",
        "WARTA_CREDENTIAL_KEYS": "YmVuY2gta2V5LWZvci13YXJ0YS1iZW5jaG1hcmstMDA=",
        "WARTA_LOG_LEVEL": "ERROR",
        "WARTA_TASK_STALE_AFTER_SECONDS": str(args.stale),
        "WARTA_PUBLISH_BATCH": str(args.batch),
        "WARTA_PUBLISH_CONCURRENCY": str(args.concurrency),
        "DJANGO_SETTINGS_MODULE": "warta.settings",
        "BENCH_CAP": str(args.cap),
        "BENCH_STATS_DIR": tempfile.mkdtemp(prefix="warta-bench-calls-"),
    }
    os.environ.update(env)
    python = sys.executable
    subprocess.run([python, "manage.py", "migrate", "-v", "0"], cwd=ROOT, env=env, check=True)

    fake: MiniFake | ProcessFake = (
        MiniFake(args.latency, args.error_rate, args.cap)
        if args.fake == "mini"
        else ProcessFake(args.fake, args.latency, args.error_rate)
    )

    # The sandbox override: the only API root that may be loopback (the SSRF guard).
    env["WARTA_CONNECTOR_BASE_URLS"] = f"{fake.platform}={fake.base_url}"
    os.environ.update(env)

    import django

    django.setup()
    from django.db import connection
    from django.db.models import F, Q

    from warta.channels.models import Channel
    from warta.content.models import Post, PostVariant
    from warta.content.publishing.config import PUBLISH_QUEUE
    from warta.institutions.models import Agency, Region
    from warta.lib import crypto

    region = Region.objects.create(
        name="Kota Bench", slug="kota-bench", kind="kota", timezone="Asia/Makassar"
    )
    agency = Agency.objects.create(region=region, name="Dinas Bench", short_name="Bench")
    channels = [
        Channel.objects.create(
            agency=agency,
            platform=fake.platform,
            handle=f"{fake.handle}{i or ''}",
            external_id=fake.external_id,
            mode="api",
            credentials_encrypted=crypto.encrypt_json(dict(fake.credentials)),
        )
        for i in range(args.channels)
    ]
    # Started before seeding: processes take long to start on a loaded machine, and the
    # lead must not be spent on that.
    procs = [
        subprocess.Popen([python, "manage.py", "run_scheduler", "--tick", "1"], cwd=ROOT, env=env)
    ]
    workers = [
        subprocess.Popen(
            [
                python,
                str(HERE / "worker.py"),
                "--interval",
                "0.2",
                "--verbosity",
                "0",
                "--no-reload",
                "--queue-name",
                PUBLISH_QUEUE if args.pool == "publish" else "*",
            ],
            cwd=ROOT,
            env=env,
        )
        for _ in range(args.workers)
    ]
    # Should seeding fail, none of them is left running.
    atexit.register(lambda: [p.kill() for p in procs + workers if p.poll() is None])
    t_start = time.time()
    # Seeded a day ahead, then moved to `lead` seconds from the moment seeding is done:
    # however long seeding takes on a loaded machine, the workers get the whole lead.
    planned = datetime.now(UTC) + timedelta(days=1)
    due0 = planned
    rng = random.Random(42)
    posts = Post.objects.bulk_create(
        [Post(agency=agency, message=f"Unggahan uji {i}") for i in range(args.variants)],
        batch_size=2000,
    )
    dues = sorted(due0 + timedelta(seconds=rng.uniform(0, args.spread)) for _ in posts)
    from warta.content.services import content_digest

    variants = [
        PostVariant(
            post=p,
            channel=channels[i % len(channels)],
            caption=p.message,
            status="scheduled",
            scheduled_at=d,
        )
        for i, (p, d) in enumerate(zip(posts, dues, strict=True))
    ]
    for v in variants:  # as variant_submit leaves them: checked as they stand
        v.checked_digest = content_digest(variant=v, post=v.post, media=[])
    PostVariant.objects.bulk_create(variants, batch_size=2000)
    shift = planned - (datetime.now(UTC) + timedelta(seconds=args.lead))
    PostVariant.objects.update(scheduled_at=F("scheduled_at") - shift)
    due_by_key = {
        str(k): d.timestamp()
        for k, d in PostVariant.objects.values_list("idempotency_key", "scheduled_at")
    }
    connection.close()
    print(
        f"seeded {args.variants} variants in {time.time() - t_start:.1f}s; "
        f"due from {args.lead:.0f}s to {args.lead + args.spread:.0f}s from now"
    )

    killed_at = None
    # The machine's CPU from the first post on (the lead before it is idle time).
    cpu_before: tuple[float, float] | None = None
    own_before = 0.0
    database = DatabaseCpu()
    deadline = time.time() + args.lead + args.spread + args.timeout
    try:
        while time.time() < deadline:
            time.sleep(1)
            taken = fake.taken()
            if cpu_before is None and taken:
                cpu_before, own_before = cpu_times(), time.process_time()
                database.start()
            database.sample()
            if args.kill and killed_at is None and taken >= args.variants * 0.3:
                workers[0].send_signal(signal.SIGKILL)
                killed_at = time.time()
                print(f"SIGKILLed worker pid {workers[0].pid} after {taken} posts")
            # Deferred to a spent rate budget's reset counts as settled: it waits, not lost.
            done = PostVariant.objects.filter(
                Q(status__in=["published", "failed", "needs_attention"]) | budget_wait()
            ).count()
            connection.close()
            if done >= args.variants:
                break
    finally:
        worker_cpu = sum(process_cpu(proc.pid) for proc in workers)
        # The fake platform serves from this process (beside the one-second count above).
        side_cpu = {
            "the fake platform": time.process_time() - own_before,
            "the scheduler": process_cpu(procs[0].pid),
        }
        if not db_url.startswith("sqlite"):
            side_cpu["PostgreSQL"] = database.used()
        for proc in procs + workers:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        for proc in procs + workers:
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
        counts = fake.counts(due_by_key)
        first_attempts = fake.first_attempts()
        fake.stop()
    cpu_after = cpu_times()
    busy = [a - b for a, b in zip(cpu_after, cpu_before or cpu_after, strict=True)]
    idle = (busy[1] / busy[0]) if busy[0] else float("nan")

    ok = report(args, counts, first_attempts, db_url, killed_at, idle, worker_cpu, side_cpu)
    sys.exit(0 if ok else 1)


def process_cpu(pid: int) -> float:
    """CPU seconds (user + system) a live process has used so far; 0 once it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class DatabaseCpu:
    """CPU seconds of the PostgreSQL processes on this machine (the server is local) from
    start() on, sampled every second: a backend that ends (a connection closed after a
    task) keeps what it used up to its last sample, so little is lost."""

    def __init__(self) -> None:
        self.first: dict[int, float] = {}
        self.last: dict[int, float] = {}
        self.started = False

    def start(self) -> None:
        self.first, self.started = self._read(), True
        self.last = dict(self.first)

    def sample(self) -> None:
        if self.started:
            self.last.update(self._read())

    def used(self) -> float:
        self.sample()
        return sum(cpu - self.first.get(pid, 0.0) for pid, cpu in self.last.items())

    @staticmethod
    def _read() -> dict[int, float]:
        found = {}
        for stat in Path("/proc").glob("[0-9]*/stat"):
            with contextlib.suppress(OSError):
                if stat.read_text().split(" ", 2)[1] == "(postgres)":
                    found[int(stat.parent.name)] = process_cpu(int(stat.parent.name))
        return found


def cpu_times() -> tuple[float, float]:
    """(all, idle) jiffies of the whole machine, from /proc/stat (0s elsewhere)."""
    try:
        fields = [float(x) for x in Path("/proc/stat").read_text().split("\n")[0].split()[1:]]
    except OSError:
        return (0.0, 0.0)
    return (sum(fields), fields[3] + fields[4])  # idle + iowait


def load() -> str:
    try:
        return "load " + " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "load ?"


def report(
    args: argparse.Namespace,
    counts: tuple[int, int, int, str],
    first_attempts: list[float],
    db_url: str,
    killed_at: float | None,
    idle: float,
    worker_cpu: float,
    side_cpu: dict[str, float],
) -> bool:
    from django.db.models import Count

    from warta.content.models import PostVariant

    statuses = dict(PostVariant.objects.values_list("status").annotate(n=Count("id")))
    unique, dupes, lost, requests = counts
    # Waiting for a spent budget's reset is not lost: it goes out then.
    waiting = PostVariant.objects.filter(budget_wait()).count()
    lost -= waiting
    # Lag as officers see it: from the due time to the moment warta recorded the post.
    rows = PostVariant.objects.filter(published_at__isnull=False).values_list(
        "scheduled_at", "published_at"
    )
    lags = sorted((p - s).total_seconds() for s, p in rows)
    firsts = sorted(p.timestamp() for _s, p in rows)
    span = (firsts[-1] - firsts[0]) if len(firsts) > 1 else 0.0

    def pct(q: float) -> float:
        return lags[min(len(lags) - 1, int(q * len(lags)))] if lags else float("nan")

    try:
        cpu = next(
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        )
    except (OSError, StopIteration):
        cpu = pyplatform.processor()
    print("\n== publishing benchmark ==")
    print(
        f"machine: {os.cpu_count()} cores, {cpu}, Python {pyplatform.python_version()}, "
        f"DB {'SQLite' if db_url.startswith('sqlite') else 'PostgreSQL'}; shared machine"
    )
    print(
        f"variants {args.variants}, workers {args.workers} (db_worker), batch {args.batch}, "
        f"{args.concurrency} requests in flight per worker, fake latency "
        f"{args.latency * 1000:.0f} ms, transient errors {args.error_rate:.0%}, "
        f"worker killed: {'yes' if killed_at else 'no'}; workers take "
        + ("only the publishing queue" if args.pool == "publish" else "every queue")
    )
    print(f"fake: {args.fake}, channels {args.channels}; {requests}")
    print(
        f"taken by platform: {unique} unique; duplicates {dupes}; lost {lost}; "
        f"held until a rate budget resets {waiting}"
    )
    print(f"variant states: {statuses}")
    limit = args.workers * args.concurrency / args.latency
    if lags:
        rate = len(firsts) / span if span else float("nan")
        print(
            f"throughput {rate:.0f} posts/s (first to last post {span:.1f}s); "
            f"in-flight limit {args.workers} workers x {args.concurrency} / "
            f"{args.latency * 1000:.0f} ms = {limit:.0f} posts/s; ratio {rate / limit:.2f}"
            + (" (a worker was killed: fewer in flight after it)" if killed_at else "")
        )
        steady = steady_rate(firsts)
        print(
            f"steady rate (middle 80 % of posts) {steady:.0f} posts/s, ratio {steady / limit:.2f}"
        )
        attempts_line(first_attempts, firsts, limit)
        print(
            f"lag from due time: p50 {statistics.median(lags):.2f}s, p99 {pct(0.99):.2f}s, "
            f"max {lags[-1]:.2f}s; first post {lags[0]:.2f}s after its due time; within 2 min: {sum(1 for x in lags if x <= 120)}"
            f"/{args.variants}"
        )
        if args.spread == 0:
            floor = args.variants / limit
            print(
                f"floor: {args.variants} posts due at once take at least {floor:.1f}s at the "
                f"in-flight limit, so p99 lag >= {0.99 * floor:.1f}s; p99 <= 15 s needs a limit "
                f"of {0.99 * args.variants / 15:.0f} posts/s (more workers or more in flight)"
            )
    print(
        f"machine from the first post on: {load()} on {os.cpu_count()} cores, CPU idle {idle:.0%} "
        "(shared with other work: the ratio needs free CPU)"
    )
    window_line(args)
    if unique:
        per_post = worker_cpu / unique
        print(
            f"worker CPU {per_post * 1000:.1f} ms per post (the workers alone, not the database"
            f" or the fake): {limit:.0f} posts/s needs {per_post * limit:.1f} cores for them"
            + ("; the killed worker's CPU is not counted" if killed_at else "")
        )
        print(
            "beside them on the same cores: "
            + ", ".join(f"{name} {cpu / unique * 1000:.1f} ms" for name, cpu in side_cpu.items())
            + " per post"
        )
    return dupes == 0 and lost == 0


def attempts_line(attempts: list[float], recorded: list[float], limit: float) -> None:
    """The pace of first requests (the workers' capacity) beside that of recorded posts.

    Recorded posts include the transient failures' retries, which wait their backoff
    (5 s and more): the last posts recorded are often retries, and stretch the span.
    """
    if len(attempts) < 2:
        return
    span = attempts[-1] - attempts[0]
    rate = len(attempts) / span if span else float("nan")
    print(
        f"first attempts: {rate:.0f} posts/s over {span:.1f}s, ratio {rate / limit:.2f}; the "
        f"last post was recorded {recorded[-1] - attempts[-1]:.1f}s after the last first "
        "attempt (retries waiting their backoff)"
    )


def window_line(args: argparse.Namespace) -> None:
    """How full the workers kept their windows, and how long a request took them."""
    directory = Path(os.environ["BENCH_STATS_DIR"])
    runs = [json.loads(p.read_text()) for p in directory.glob("*.json")]
    runs = [r for r in runs if r["calls"] and r["last"] > r["first"]]
    if args.fake != "mini" or not runs:
        return
    busy = sum(r["seconds"] for r in runs)
    span = sum(r["last"] - r["first"] for r in runs)
    calls = sum(r["calls"] for r in runs)
    mean = busy / calls
    print(
        f"window kept full: {busy / span / args.concurrency:.2f} of {args.concurrency} "
        f"in flight on average per worker; a request took {mean * 1000:.0f} ms on the "
        f"workers' side for {args.latency * 1000:.0f} ms at the platform (the rest is "
        "waiting for CPU and the client's own work)"
    )


def steady_rate(times: list[float]) -> float:
    """Posts per second between the 10th and the 90th percentile of recording times."""
    if len(times) < 10:
        return float("nan")
    lo, hi = times[len(times) // 10], times[len(times) * 9 // 10]
    return (len(times) * 8 // 10) / (hi - lo) if hi > lo else float("nan")


if __name__ == "__main__":
    main()
