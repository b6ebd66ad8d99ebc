#!/usr/bin/env python
"""Benchmark of the inbox: ingest N annotated comments, then time filtered inbox pages.

Ingestion goes through the real service (`warta.engagement.ingest.inbox_ingest`): batched
annotation, bulk inserts, idempotency look-ups, thread linking, first-response targets. The
inbox pages are fetched through the real view (login, access scoping, template rendering).

    .venv/bin/python bench/engagement/run.py --comments 100000 --db sqlite
    .venv/bin/python bench/engagement/run.py --comments 1000000 --db postgres \\
        --postgres-url postgres://warta:warta@127.0.0.1/warta_engagement_bench

On PostgreSQL the run then measures the limit beside the figure: the same rows COPYed,
by as many processes and in batches of the same size, into a scratch table LIKE the inbox
INCLUDING ALL (the same indexes; no foreign keys; no annotation), and prints the ratio in
wall time and in CPU time (workers + their PostgreSQL backends, read from /proc), the
figure a shared machine's load does not move. `--skip-queries` stops after that:

    .venv/bin/python bench/engagement/run.py --comments 200000 --workers 2 --db postgres \\
        --postgres-url postgres://warta:warta@127.0.0.1/warta_ingest_bench --skip-queries

The PostgreSQL database named in the URL is dropped and created again (its name must
contain "bench"); the SQLite file is var/bench-engagement.sqlite3.
"""

import argparse
import os
import platform
import random
import resource
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from corpus import _standin_analyze, comments_for  # noqa: E402  (beside this script)
from queries import query_bench  # noqa: E402


def setup_django(db: str, postgres_url: str, *, fresh: bool = True) -> str:
    if db == "postgres" and not fresh:
        os.environ["WARTA_DATABASE_URL"] = postgres_url
    elif db == "postgres":
        url = urlparse(postgres_url)
        name = url.path.lstrip("/")
        if "bench" not in name:
            sys.exit("refusing: the PostgreSQL database name must contain 'bench'")
        import psycopg

        admin = postgres_url.rsplit("/", 1)[0] + "/postgres"
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
        os.environ["WARTA_DATABASE_URL"] = postgres_url
    else:
        path = ROOT / "var" / "bench-engagement.sqlite3"
        path.parent.mkdir(exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            if fresh:
                Path(f"{path}{suffix}").unlink(missing_ok=True)
        os.environ["WARTA_DATABASE_URL"] = f"sqlite:///{path}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "warta.testing.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from django.db import connection

    return f"{connection.vendor} {connection.Database.sqlite_version if connection.vendor == 'sqlite' else connection.pg_version}"


def existing_world() -> SimpleNamespace:
    """The world a previous run left (--queries-only)."""
    from django.contrib.auth.models import User

    from warta.channels.models import Channel
    from warta.institutions.models import Region

    region = Region.objects.get(slug="kota-bench")
    return SimpleNamespace(
        region=region,
        coordinator=User.objects.get(username="bench-koordinator"),
        officers=list(User.objects.filter(username__startswith="bench-petugas-").order_by("id")),
        channels=list(Channel.objects.filter(agency__region=region).order_by("id")),
    )


def build_world(agencies: int) -> SimpleNamespace:
    from django.contrib.auth.models import User

    from warta.channels.models import Channel
    from warta.content.models import Post, PostVariant
    from warta.institutions.models import Agency, Officer, Region

    region = Region.objects.create(
        name="Kota Bench", slug="kota-bench", kind="kota", timezone="Asia/Makassar"
    )
    coordinator = User.objects.create_user("bench-koordinator")
    Officer.objects.create(user=coordinator, region=region, role="coordinator")
    channels, officers = [], []
    for n in range(agencies):
        agency = Agency.objects.create(region=region, name=f"Dinas {n:02d}", short_name=f"D{n:02d}")
        user = User.objects.create_user(f"bench-petugas-{n}")
        officer = Officer.objects.create(user=user, region=region, role="officer")
        officer.agencies.set([agency])
        officers.append(user)
        channel = Channel.objects.create(
            agency=agency, platform="instagram", handle=f"@dinas{n}", mode="api"
        )
        channels.append(channel)
        for p in range(50):
            post = Post.objects.create(agency=agency, message=f"Unggahan {p}")
            PostVariant.objects.create(
                post=post, channel=channel, platform_post_id=f"p{n}-{p}", status="published"
            )
    return SimpleNamespace(
        region=region, coordinator=coordinator, officers=officers, channels=channels
    )


def _batches(total: int, batch: int, channels: int) -> list[tuple[int, int, int, int]]:
    """(batch number, channel index, offset in that channel, size): the same for any split."""
    out = []
    for number, start in enumerate(range(0, total, batch)):
        out.append(
            (number, number % channels, (number // channels) * batch, min(batch, total - start))
        )
    return out


def _ingest_share(
    channel_ids: list[int],
    share: list[tuple[int, int, int, int]],
    seed: int,
    report: Any,
    start: Any,
) -> None:
    """Ingest some batches (one worker's share); report timings through `report`.

    The comments are generated before the clock starts (`start` is set when every worker
    holds its share), so the figure is the ingestion's, not the generator's.
    """
    from warta.channels.models import Channel
    from warta.engagement import annotation
    from warta.engagement.ingest import inbox_ingest

    channels = {c.pk: c for c in Channel.objects.select_related("agency__region")}
    timing = {"annotate": 0.0, "annotate_cpu": 0.0, "service": 0.0}
    real = annotation._language_api()
    engine = real if real is not None else SimpleNamespace(analyze=_standin_analyze)
    original = engine.analyze

    def timed(texts):  # type: ignore[no-untyped-def]
        started, cpu_started = time.perf_counter(), time.process_time()
        try:
            return original(texts)
        finally:
            timing["annotate"] += time.perf_counter() - started
            timing["annotate_cpu"] += time.process_time() - cpu_started

    annotation._language_api = lambda: SimpleNamespace(  # type: ignore[assignment]
        analyze=timed, normalize=lambda t: t
    )
    base = datetime(2026, 1, 5, tzinfo=UTC)
    pages = [
        (index, comments_for(index, offset, size, random.Random(seed * 1_000_003 + number), base))
        for number, index, offset, size in share
    ]
    report.put({"ready": os.getpid()})
    start.wait()
    started = last = time.perf_counter()
    cpu_started, server_started = time.process_time(), _backend_cpu()
    done = 0
    for index, comments in pages:
        service_started = time.perf_counter()
        inbox_ingest(channel=channels[channel_ids[index]], comments=comments)
        timing["service"] += time.perf_counter() - service_started
        done += len(comments)
        if time.perf_counter() - last > 15:
            last = time.perf_counter()
            print(
                f"  … worker {os.getpid()}: {done:,} comments, {done / (last - started):,.0f}/s",
                flush=True,
            )
    report.put(
        {
            **timing,
            "count": done,
            "ended": time.perf_counter(),
            "cpu": time.process_time() - cpu_started,
            "server_cpu": _backend_cpu() - server_started,
            "engine": "warta.language.api" if real else "stand-in keyword rules",
            "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        }
    )


def _backend_cpu() -> float:
    """CPU seconds the PostgreSQL backend of this process's connection has used (0 if unknown).

    Read from /proc (the server runs on this machine): with the machine shared, CPU time
    is the figure that does not depend on what else runs.
    """
    from django.db import connection

    if connection.vendor != "postgresql":
        return 0.0
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (pid,) = cursor.fetchone()
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _run_workers(target: Any, shares: list[Any], *args: Any) -> tuple[float, list[dict]]:
    """Run target(share, *args, report, start) in one forked process per share.

    Returns the wall time from the common start to the last worker's end, and the reports.
    """
    import multiprocessing

    from django.db import connections

    connections.close_all()  # each forked worker opens its own connection
    context = multiprocessing.get_context("fork")
    report, start = context.Queue(), context.Event()
    processes = [
        context.Process(target=target, args=(*args[:1], share, *args[1:], report, start))
        for share in shares
    ]
    for process in processes:
        process.start()
    for _ in processes:
        report.get()  # ready
    started = time.perf_counter()
    start.set()
    results = [report.get() for _ in processes]
    for process in processes:
        process.join()
        if process.exitcode:
            sys.exit(f"a worker failed (exit code {process.exitcode})")
    return max(r["ended"] for r in results) - started, results


def ingest(
    world: SimpleNamespace, total: int, batch: int, seed: int, workers: int
) -> dict[str, Any]:
    channel_ids = [c.pk for c in world.channels]
    batches = _batches(total, batch, len(channel_ids))
    shares = [batches[w::workers] for w in range(workers)]
    wall, results = _run_workers(_ingest_share, shares, channel_ids, seed)
    # Idempotency check: a batch fetched again creates nothing.
    from warta.engagement.ingest import inbox_ingest

    number, index, offset, size = batches[0]
    again = inbox_ingest(
        channel=world.channels[index],
        comments=comments_for(
            index,
            offset,
            size,
            random.Random(seed * 1_000_003 + number),
            datetime(2026, 1, 5, tzinfo=UTC),
        ),
    )
    return {
        "wall": wall,
        "cpu": sum(r["cpu"] for r in results),
        "server_cpu": sum(r["server_cpu"] for r in results),
        "annotate": sum(r["annotate"] for r in results),
        "annotate_cpu": sum(r["annotate_cpu"] for r in results),
        "service": sum(r["service"] for r in results),
        "recreated": again.created,
        "engine": results[0]["engine"],
        "worker_rss_mb": max(r["rss_mb"] for r in results),
    }


COPY_TABLE = "bench_copy_limit"


def _copy_columns() -> list[str]:
    from warta.engagement.models import InboxItem

    return [f.column for f in InboxItem._meta.concrete_fields if not f.primary_key]


def _copy_share(chunks: list[bytes], report: Any, start: Any) -> None:
    """COPY some batches of rows into the scratch table, one transaction per batch."""
    from django.db import connection

    connection.ensure_connection()
    raw = connection.connection
    sql = f"COPY {COPY_TABLE} ({', '.join(_copy_columns())}) FROM STDIN"
    report.put({"ready": os.getpid()})
    start.wait()
    cpu_started, server_started = time.process_time(), _backend_cpu()
    for chunk in chunks:
        with raw.transaction(), raw.cursor() as cursor, cursor.copy(sql) as copy:
            copy.write(chunk)
    report.put(
        {
            "ended": time.perf_counter(),
            "cpu": time.process_time() - cpu_started,
            "server_cpu": _backend_cpu() - server_started,
        }
    )


def copy_limit(
    total: int, batch: int, workers: int, *, foreign_keys: bool = False
) -> dict[str, Any]:
    """PostgreSQL's COPY of the rows the ingestion stored into a table with the same indexes.

    The scratch table is created LIKE the inbox INCLUDING ALL (every index, the partial and
    the pg_trgm ones too; LIKE copies no foreign keys and no triggers). The rows are read
    out first, untimed; then `workers` processes COPY them in batches of `batch` rows, one
    transaction each, as the ingestion commits a connector page at a time. No annotation:
    the rows already hold the ingestion's. With `foreign_keys`, the inbox's foreign keys
    are added too (a floor for the ingestion, which keeps them), not the limit.
    """
    from django.db import connection

    columns = ", ".join(_copy_columns())
    buffer = bytearray()
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {COPY_TABLE}")
        cursor.execute(f"CREATE TABLE {COPY_TABLE} (LIKE engagement_inboxitem INCLUDING ALL)")
        if foreign_keys:
            cursor.execute(
                "SELECT pg_get_constraintdef(oid) FROM pg_constraint "
                "WHERE conrelid = 'engagement_inboxitem'::regclass AND contype = 'f'"
            )
            for (definition,) in cursor.fetchall():
                cursor.execute(f"ALTER TABLE {COPY_TABLE} ADD {definition}")
        with cursor.cursor.copy(
            f"COPY (SELECT {columns} FROM engagement_inboxitem "  # noqa: S608 (own columns)
            f"ORDER BY id LIMIT {int(total)}) TO STDOUT"
        ) as copy:
            for data in copy:
                buffer += data
        cursor.execute("SELECT count(*) FROM pg_indexes WHERE tablename = %s", [COPY_TABLE])
        (indexes,) = cursor.fetchone()
        cursor.execute("SELECT count(*) FROM pg_indexes WHERE tablename = 'engagement_inboxitem'")
        (inbox_indexes,) = cursor.fetchone()
    lines = bytes(buffer).splitlines(keepends=True)
    rows = len(lines)
    chunks = [b"".join(lines[i : i + batch]) for i in range(0, rows, batch)]
    wall, results = _run_workers(_copy_share, [chunks[w::workers] for w in range(workers)])
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {COPY_TABLE}")  # noqa: S608 (constant)
        (copied,) = cursor.fetchone()
        cursor.execute(f"DROP TABLE {COPY_TABLE}")
    assert copied == rows, (copied, rows)
    return {
        "rows": rows,
        "wall": wall,
        "cpu": sum(r["cpu"] for r in results),
        "server_cpu": sum(r["server_cpu"] for r in results),
        "indexes": indexes,
        "inbox_indexes": inbox_indexes,
    }


def report_ingest(args: argparse.Namespace, world: SimpleNamespace) -> None:
    from django.db import connection

    print(
        f"ingesting {args.comments:,} comments in batches of {args.batch} "
        f"over {args.agencies} channels, {args.workers} worker process(es) …",
        flush=True,
    )
    result = ingest(world, args.comments, args.batch, args.seed, args.workers)
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    rate = args.comments / result["wall"]
    print(f"annotation: {result['engine']}")
    print(
        f"ingest: {args.comments:,} comments in {result['wall']:.1f} s wall = "
        f"{rate:,.0f} comments/s (generated before the clock starts); "
        f"time inside the ingestion service, summed over workers, {result['service']:.1f} s "
        f"(annotation {result['annotate']:.1f} s of it); CPU: workers {result['cpu']:.1f} s"
        + (
            f", their PostgreSQL backends {result['server_cpu']:.1f} s"
            if connection.vendor == "postgresql"
            else ""
        )
    )
    print(f"re-fetching a stored batch created {result['recreated']} items (idempotent)")
    print(
        f"peak memory (max RSS): ingesting worker {result['worker_rss_mb']:,.0f} MB, "
        f"main process {rss_mb:,.0f} MB"
    )
    if connection.vendor == "postgresql":
        limit = copy_limit(args.comments, args.batch, args.workers)
        copy_rate = limit["rows"] / limit["wall"]
        print(
            f"COPY limit: the same {limit['rows']:,} rows COPYed by {args.workers} process(es) "
            f"in batches of {args.batch} into a table LIKE the inbox INCLUDING ALL "
            f"({limit['indexes']} indexes; the inbox has {limit['inbox_indexes']}), without "
            f"annotation: {limit['wall']:.1f} s = {copy_rate:,.0f} rows/s; CPU: "
            f"clients {limit['cpu']:.1f} s, PostgreSQL backends {limit['server_cpu']:.1f} s"
        )
        ingest_cpu = result["cpu"] + result["server_cpu"]
        copy_cpu = limit["cpu"] + limit["server_cpu"]
        if ingest_cpu and limit["server_cpu"]:
            with_fks = copy_limit(args.comments, args.batch, args.workers, foreign_keys=True)
            fk_cpu = with_fks["cpu"] + with_fks["server_cpu"]
            print(
                f"the same COPY with the inbox's foreign keys added (which the ingestion "
                f"keeps): {with_fks['wall']:.1f} s, CPU {fk_cpu:.1f} s"
            )
            print(
                f"ratio in CPU time (COPY's CPU / ingestion's, client + server): "
                f"{copy_cpu / ingest_cpu:.2f} (the figure the machine's load does not move); "
                f"of the ingestion's {ingest_cpu:.1f} s, the language engine took "
                f"{result['annotate_cpu']:.1f} s: without it, "
                f"{copy_cpu / (ingest_cpu - result['annotate_cpu']):.2f}"
            )
        print(
            f"ratio ingestion / COPY limit, wall: {rate / copy_rate:.2f} "
            f"(uptime: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} "
            f"{os.getloadavg()[2]:.2f} on {os.cpu_count()} cores)"
        )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--comments", type=int, default=100_000, help="comments to ingest (target 1,000,000)"
    )
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument(
        "--postgres-url", default="postgres://warta:warta@127.0.0.1/warta_engagement_bench"
    )
    parser.add_argument("--batch", type=int, default=2000, help="comments per connector page")
    parser.add_argument("--agencies", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=40, help="requests per inbox filter")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--skip-queries", action="store_true", help="ingest (and the COPY limit) only"
    )
    parser.add_argument(
        "--queries-only",
        action="store_true",
        help="time the inbox pages on the data a previous run left",
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=1,
        help="ingesting processes, as task workers syncing different channels",
    )
    args = parser.parse_args()

    database = setup_django(args.db, args.postgres_url, fresh=not args.queries_only)
    cpuinfo = Path("/proc/cpuinfo")
    lines = cpuinfo.read_text().splitlines() if cpuinfo.exists() else []
    cpu = next(
        (line.split(":", 1)[1].strip() for line in lines if line.startswith("model name")),
        platform.processor(),
    )
    print(
        f"machine: {os.cpu_count()} cores, {cpu}, Python {platform.python_version()}, "
        f"{database}; shared with other work: load average {os.getloadavg()[0]:.1f}"
    )
    if args.queries_only:
        from warta.engagement.models import InboxItem

        world = existing_world()
        print(f"inbox of {InboxItem.objects.count():,} items left by a previous run")
    else:
        world = build_world(args.agencies)
        report_ingest(args, world)
        if args.skip_queries:
            return
    print(
        f"inbox page, 50 items, {args.rounds} requests per filter "
        "(view = whole request incl. login, rendering; query = the selector alone):"
    )
    worst = worst_query = 0.0
    for label, p50, p95, q50, q95, cpu95 in query_bench(world, args.rounds):
        worst, worst_query = max(worst, p95), max(worst_query, q95)
        print(
            f"  {label:34s} view p50 {p50:6.1f} p95 {p95:6.1f} ms (CPU p95 {cpu95:5.1f}) | "
            f"query p50 {q50:6.1f} p95 {q95:6.1f} ms"
        )
    print(f"worst p95: view {worst:.1f} ms, query {worst_query:.1f} ms (target ≤ 200 ms)")
    print(f"load average at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
