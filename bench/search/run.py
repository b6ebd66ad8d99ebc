#!/usr/bin/env python
"""Inbox text search at scale: the indexed search against the row-by-row scan it replaced.

Fills the inbox with N synthetic comments over 20 agencies in bulk (raw inserts; the
SQLite FTS5 table is kept by its triggers, PostgreSQL's trigram indexes by the database),
then times region-wide searches for rare and common words as the inbox view asks them
(`engagement.selectors.inbox_list_page`, a coordinator, first page of 50), and the same
with the row-by-row scan that it replaced.

    .venv/bin/python bench/search/run.py --items 1000000            # SQLite, temp file
    .venv/bin/python bench/search/run.py --items 1000000 \\
        --db postgres://warta:warta@127.0.0.1/warta_search_bench

Prints p50/p95 per query kind at each size (--steps), and the 10-million figure
extrapolated from the growth between the last two sizes (stated as such).
"""

import argparse
import os
import random
import statistics
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from _common import cpu_ms, extrapolated, machine, pct, setup_django

WORDS = [
    "jalan",
    "lampu",
    "sampah",
    "pasar",
    "vaksin",
    "puskesmas",
    "antrean",
    "air",
    "pdam",
    "trotoar",
    "sekolah",
    "banjir",
    "drainase",
    "halte",
    "angkot",
    "parkir",
    "izin",
    "ktp",
    "kk",
    "akta",
    "posyandu",
    "beasiswa",
    "bansos",
    "listrik",
    "taman",
    "bontang",
    "kuala",
    "loktuan",
    "tanjung",
    "laut",
    "guntung",
    "berbas",
    "satimpo",
    "api-api",
    "gunung",
    "elai",
]
FILLER = [
    "mohon",
    "tolong",
    "segera",
    "diperbaiki",
    "sudah",
    "lama",
    "belum",
    "ada",
    "kabar",
    "terima",
    "kasih",
    "pak",
    "bu",
    "min",
]
RARE = ["zebracross", "pemakaman umum", "kolam retensi", "bibit mangrove"]  # ~1 in 20,000
COMMON = ["jalan", "mohon", "pasar"]
TARGET_P95_MS = 30.0


def fill(n_from: int, n_to: int, agencies: list[int], channels: dict[int, int]) -> None:
    from django.db import connection, transaction

    rng = random.Random(n_from)
    base = datetime(2026, 1, 1, tzinfo=UTC)
    sql = (
        "INSERT INTO engagement_inboxitem (agency_id, channel_id, platform_item_id, "
        "platform_post_id, platform_parent_id, kind, author_name, author_handle, text, "
        "received_at, sentiment, is_abusive, is_hate_speech, intent, is_spam, status, "
        "hidden_on_platform, updated_at) VALUES "
        "(%s, %s, %s, '', '', 'comment', 'Warga', %s, %s, %s, '', false, false, '', false, "
        "'new', false, %s)"
    )
    batch: list[tuple[Any, ...]] = []
    with transaction.atomic(), connection.cursor() as cursor:
        for i in range(n_from, n_to):
            words = rng.sample(WORDS, 3) + rng.sample(FILLER, 4)
            if i % 20_000 == 7:
                words.append(RARE[(i // 20_000) % len(RARE)])
            rng.shuffle(words)
            agency = agencies[i % len(agencies)]
            at = base + timedelta(seconds=i * 17)
            batch.append(
                (agency, channels[agency], f"s{i}", f"@warga{i % 5000}", " ".join(words), at, at)
            )
            if len(batch) == 5000:
                cursor.executemany(sql, batch)
                batch.clear()
        if batch:
            cursor.executemany(sql, batch)
    if connection.vendor == "postgresql":
        # Autovacuum's steady state: statistics, and the trigram indexes' pending lists
        # merged (a GIN index scans its pending list row by row until then).
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE engagement_inboxitem")


@contextmanager
def without_text_indexes() -> Iterator[None]:
    """PostgreSQL without engagement 0005's trigram indexes, in a rolled-back transaction.

    There `icontains` is what the indexed search asks too, so without this the scan
    figure would be the index's. (SQLite's scan is `text_contains`, which FTS5 never serves.)
    """
    from django.db import connection, transaction

    if connection.vendor != "postgresql":
        yield
        return
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("DROP INDEX engagement_inbox_text_trgm")
            cursor.execute("DROP INDEX engagement_inbox_handle_trgm")
        yield
        transaction.set_rollback(True)


def timed(
    user: object, queries: list[str], *, indexed: bool, repeat: int, cpu: list[float] | None = None
) -> list[float]:
    """Milliseconds per first page of the region-wide inbox search, as the inbox view asks.

    With `cpu`, the CPU milliseconds per page of this process and its PostgreSQL backend
    are appended to it as well (the machine is shared, so wall time includes waiting).
    """
    from unittest import mock

    from warta.engagement import selectors

    out = []
    # The scan is the search as it was: every query checked row by row.
    patch = (
        mock.patch.object(selectors, "text_matches", selectors.text_contains)
        if not indexed
        else mock.patch.object(selectors, "text_matches", selectors.text_matches)
    )
    with patch, nullcontext() if indexed else without_text_indexes():
        for _ in range(repeat):
            for q in queries:
                began, began_cpu = time.perf_counter(), cpu_ms()
                selectors.inbox_list_page(user, selectors.InboxFilters(q=q))  # type: ignore[arg-type]
                out.append((time.perf_counter() - began) * 1000)
                if cpu is not None:
                    cpu.append(cpu_ms() - began_cpu)
    return out


def reuse(args: argparse.Namespace) -> None:
    from django.contrib.auth import get_user_model

    from warta.engagement.models import InboxItem

    coordinator = get_user_model().objects.get(username="koordinator")
    size = InboxItem.objects.count()
    print(f"machine: {machine()}")
    print(f"inbox of {size:,} items left by a previous run")
    worst = 0.0
    for kind, queries in (("rare", RARE), ("common", COMMON)):
        cpu: list[float] = []
        idx = timed(coordinator, queries, indexed=True, repeat=args.repeat, cpu=cpu)
        scan = [] if args.no_scan else timed(coordinator, queries, indexed=False, repeat=2)
        worst = max(worst, pct(idx, 0.95))
        scan_txt = (
            f"scan p50 {statistics.median(scan):.1f} p95 {pct(scan, 0.95):.1f}" if scan else ""
        )
        print(
            f"{size:>10,} {kind:<7} indexed p50 {statistics.median(idx):.1f} "
            f"p95 {pct(idx, 0.95):.1f} cpu p95 {pct(cpu, 0.95):.1f} ms  {scan_txt}  "
            f"load {os.getloadavg()[0]:.1f}",
            flush=True,
        )
    from django.db import connection

    if connection.vendor == "sqlite":
        # The same common words with the region's walks merged as before this wave's
        # change (51 matches from each agency's walk, not 8 first).
        from unittest import mock

        from warta.engagement import selectors

        cpu = []
        with mock.patch.object(selectors, "FIRST_PER_PART", 10**9):
            before = timed(coordinator, COMMON, indexed=True, repeat=args.repeat, cpu=cpu)
        print(
            f"{size:>10,} common, walks merged as before: p50 {statistics.median(before):.1f} "
            f"p95 {pct(before, 0.95):.1f} cpu p95 {pct(cpu, 0.95):.1f} ms  "
            f"load {os.getloadavg()[0]:.1f}"
        )
    print(
        f"target: p95 ≤ {TARGET_P95_MS:.0f} ms at 1,000,000 items; measured worst p95: {worst:.1f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, default=1_000_000)
    parser.add_argument("--steps", type=int, default=3, help="sizes measured up to --items")
    parser.add_argument("--db", default=None, help="database URL (default: temp SQLite)")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--no-scan", action="store_true", help="skip the old scan figures")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="time the inbox a previous run left in --db (one size: the items it holds)",
    )
    args = parser.parse_args()
    setup_django(args.db, fresh=not args.reuse)
    if args.reuse:
        reuse(args)
        return

    from warta.channels.models import Channel
    from warta.institutions.models import Agency, Region

    region = Region.objects.create(name="Kota Bench", slug="kota-bench", kind="kota")
    agencies, channels = [], {}
    for k in range(20):
        agency = Agency.objects.create(
            region=region, name=f"Dinas {k}", short_name=f"D{k}", kind="dinas"
        )
        channel = Channel.objects.create(
            agency=agency, platform="instagram", handle=f"@d{k}", mode="export"
        )
        agencies.append(agency.pk)
        channels[agency.pk] = channel.pk
    from warta.institutions.models import Officer
    from warta.testing.fixtures import make_person

    coordinator = make_person("koordinator", region, Officer.Role.COORDINATOR)
    print(f"machine: {machine()}")
    sizes = [args.items * (i + 1) // args.steps for i in range(args.steps)]
    done = 0
    results: list[tuple[int, float, float]] = []
    print(
        f"{'items':>10} {'kind':<7} {'indexed p50':>11} {'p95':>8} {'cpu p95':>8} "
        f"{'scan p50':>9} {'p95':>8}  (ms, first page of 50, region-wide: 20 agencies; "
        "cpu: this process + its PostgreSQL backend)"
    )
    for size in sizes:
        began = time.perf_counter()
        fill(done, size, agencies, channels)
        print(f"  filled {size - done:,} in {time.perf_counter() - began:.0f} s")
        done = size
        worst = worst_cpu = 0.0
        for kind, queries in (("rare", RARE), ("common", COMMON)):
            cpu: list[float] = []
            idx = timed(coordinator, queries, indexed=True, repeat=args.repeat, cpu=cpu)
            worst_cpu = max(worst_cpu, pct(cpu, 0.95))
            scan = [] if args.no_scan else timed(coordinator, queries, indexed=False, repeat=2)
            worst = max(worst, pct(idx, 0.95))
            scan_txt = (
                f"{statistics.median(scan):9.1f} {pct(scan, 0.95):8.1f}"
                if scan
                else f"{'-':>9} {'-':>8}"
            )
            print(
                f"{size:>10,} {kind:<7} {statistics.median(idx):11.1f} {pct(idx, 0.95):8.1f} "
                f"{pct(cpu, 0.95):8.1f} {scan_txt}   load {os.getloadavg()[0]:.1f}",
                flush=True,
            )
        results.append((size, worst, worst_cpu))
    if len(results) >= 2:
        (n1, t1, c1), (n2, t2, c2) = results[-2], results[-1]
        print(
            f"extrapolated (linear in the growth between {n1:,} and {n2:,}, not measured): "
            f"cpu p95 at 10,000,000 items ≈ {extrapolated(n1, c1, n2, c2):.1f} ms"
        )
        print(
            f"extrapolated (linear in the growth between {n1:,} and {n2:,}, not measured): "
            f"p95 at 10,000,000 items ≈ {extrapolated(n1, t1, n2, t2):.1f} ms"
        )
    print(
        f"target: p95 ≤ {TARGET_P95_MS:.0f} ms at 1,000,000 items; measured worst p95 at {done:,}: {results[-1][1]:.1f} ms"
    )


if __name__ == "__main__":
    main()
