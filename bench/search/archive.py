#!/usr/bin/env python
"""Archive text search at scale: the indexed search against the scan it replaced, same run.

Fills one region's archive with N synthetic records over 20 agencies in bulk (raw inserts
of records and payloads; the SQLite FTS5 table is kept by its triggers, PostgreSQL's
trigram index by the database), then times searches for rare and common words as the
archive page asks them (`archive.selectors.records_page`, first page of 30) for the
coordinator (region-wide) and for one agency's officer, and beside them the search as it
was: `icontains` row by row plus the paginator's COUNT, first page of 30.

    .venv/bin/python bench/search/archive.py --items 1000000 --db sqlite:////tmp/a.sqlite3
    .venv/bin/python bench/search/archive.py --items 1000000 \\
        --db postgres://warta:warta@127.0.0.1/warta_search_archive
    # later: measure what a previous run left, growing it to --items first if smaller
    .venv/bin/python bench/search/archive.py --reuse --items 1000000 --db …

Prints p50/p95 per query kind at each size (--steps), and the 10-million figure
extrapolated from the growth between the last two sizes (stated as such).
"""

import argparse
import os
import random
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import cpu_ms, extrapolated, machine, pct, setup_django
from run import COMMON, FILLER, RARE, TARGET_P95_MS, WORDS

AGENCIES = 20


def fill(n_from: int, n_to: int, region: int, agencies: list[int]) -> None:
    from django.db import connection, transaction

    rng = random.Random(n_from)
    base = datetime(2025, 1, 1, tzinfo=UTC)
    records_sql = (
        "INSERT INTO archive_archiverecord (id, region_id, seq, kind, agency_id, channel_id, "
        "subject, thread, occurred_at, recorded_at, payload_hash, prev_hash, hash, agency_seq, "
        "agency_prev_hash, agency_hash, hash_version, search_hash) VALUES "
        "(%s, %s, %s, 'item_received', %s, NULL, %s, %s, %s, %s, 'p', 'h', 'h', %s, 'a', 'a', "
        "2, 's')"
    )
    payloads_sql = (
        "INSERT INTO archive_archivepayload (record_id, data, search_text) VALUES (%s, %s, %s)"
    )
    records: list[tuple[Any, ...]] = []
    payloads: list[tuple[Any, ...]] = []
    with transaction.atomic(), connection.cursor() as cursor:
        for i in range(n_from, n_to):
            words = rng.sample(WORDS, 3) + rng.sample(FILLER, 4)
            if i % 20_000 == 7:
                words.append(RARE[(i // 20_000) % len(RARE)])
            rng.shuffle(words)
            seq = i + 1
            at = base + timedelta(seconds=i * 17)
            agency = agencies[i % len(agencies)]
            text = f"Warga @warga{i % 5000}\n{' '.join(words)}"
            records.append(
                (seq, region, seq, agency, f"item:{seq}", f"variant:{seq // 7}", at, at, i)
            )
            payloads.append((seq, '{"text": "x"}', text))
            if len(records) == 5000:
                cursor.executemany(records_sql, records)
                cursor.executemany(payloads_sql, payloads)
                records.clear()
                payloads.clear()
        if records:
            cursor.executemany(records_sql, records)
            cursor.executemany(payloads_sql, payloads)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence('archive_archiverecord', 'id'), %s)", [n_to]
            )
            # Autovacuum's steady state: statistics, and the trigram index's pending list
            # merged (a GIN index scans its pending list row by row until then).
            cursor.execute("VACUUM ANALYZE archive_archiverecord")
            cursor.execute("VACUUM ANALYZE archive_archivepayload")


def previous_search(user: Any, q: str) -> list[Any]:
    """The search as it was before the index: icontains, the paginator's COUNT, page 1."""
    from django.core.paginator import Paginator
    from django.db.models import Q

    from warta.archive.models import ArchiveRecord
    from warta.institutions.access import is_coordinator, officer_of, visible_agencies

    officer = officer_of(user)
    assert officer is not None
    scope = Q(agency__in=visible_agencies(user))
    if is_coordinator(user):
        scope |= Q(agency__isnull=True)
    qs = (
        ArchiveRecord.objects.filter(Q(region_id=officer.region_id) & scope)
        .select_related("agency", "payload")
        .filter(payload__search_text__icontains=q)
        .order_by("-seq")
    )
    return list(Paginator(qs, 30).get_page(1))


@contextmanager
def without_new_indexes() -> Iterator[None]:
    """The database as it was before archive 0004's indexes, inside a rolled-back transaction.

    Both databases drop an index transactionally, so the previous search is measured in
    the same run on the same rows and nothing changes. (SQLite's previous search did not
    know its FTS5 table; PostgreSQL's planner would use the trigram index for `icontains`.)
    """
    from django.db import connection, transaction

    with transaction.atomic():
        with connection.cursor() as cursor:
            for index in NEW_INDEXES[connection.vendor]:
                cursor.execute(f"DROP INDEX {index}")
        yield
        transaction.set_rollback(True)


NEW_INDEXES = {
    "sqlite": ["archive_arc_agency__ad3e2f_idx"],
    "postgresql": ["archive_arc_agency__ad3e2f_idx", "archive_payload_search_trgm"],
}


def indexed_search(user: Any, q: str) -> list[Any]:
    from warta.archive import selectors

    return selectors.records_page(user, text=q)[0]


def timed(
    search: Callable[[Any, str], list[Any]], user: Any, queries: list[str], repeat: int
) -> tuple[list[float], list[float]]:
    """Milliseconds per first page: wall, and CPU of this process and its PostgreSQL backend."""
    wall, cpu = [], []
    for _ in range(repeat):
        for q in queries:
            began, began_cpu = time.perf_counter(), cpu_ms()
            search(user, q)
            wall.append((time.perf_counter() - began) * 1000)
            cpu.append(cpu_ms() - began_cpu)
    return wall, cpu


def measure(size: int, people: dict[str, Any], args: argparse.Namespace) -> tuple[float, float]:
    """Time each search at this size; return the worst p95, wall and CPU."""
    worst = worst_cpu = 0.0
    for who, user in people.items():
        for kind, queries in (("rare", RARE), ("common", COMMON)):
            idx, cpu = timed(indexed_search, user, queries, args.repeat)
            old = []
            if not args.no_scan:
                with without_new_indexes():
                    old = timed(previous_search, user, queries, 1)[0]
            worst = max(worst, pct(idx, 0.95))
            worst_cpu = max(worst_cpu, pct(cpu, 0.95))
            old_txt = (
                f"{statistics.median(old):10.1f} {pct(old, 0.95):8.1f}"
                if old
                else f"{'-':>10} {'-':>8}"
            )
            print(
                f"{size:>10,} {who:<12} {kind:<7} {statistics.median(idx):11.1f} "
                f"{pct(idx, 0.95):8.1f} {pct(cpu, 0.95):8.1f} {old_txt}   "
                f"load {os.getloadavg()[0]:.1f}",
                flush=True,
            )
    return worst, worst_cpu


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--items", type=int, default=1_000_000)
    parser.add_argument("--steps", type=int, default=2, help="sizes measured up to --items")
    parser.add_argument("--db", default=None, help="database URL (default: temp SQLite)")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--no-scan", action="store_true", help="skip the previous search")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="measure the archive a previous run left in --db, grown to --items first",
    )
    args = parser.parse_args()
    setup_django(args.db, fresh=not args.reuse)

    from django.contrib.auth import get_user_model

    from warta.archive.models import ArchiveRecord
    from warta.institutions.models import Agency, Officer, Region
    from warta.testing.fixtures import make_person

    User = get_user_model()
    if args.reuse and Region.objects.filter(slug="arsip-bench").exists():
        region = Region.objects.get(slug="arsip-bench")
        agencies = list(
            Agency.objects.filter(region=region).order_by("pk").values_list("pk", flat=True)
        )
        people = {
            "coordinator": User.objects.get(username="koordinator"),
            "one agency": User.objects.get(username="petugas"),
        }
        done = ArchiveRecord.objects.count()
    else:
        region = Region.objects.create(name="Kota Arsip", slug="arsip-bench", kind="kota")
        made = [
            Agency.objects.create(region=region, name=f"Dinas {k}", short_name=f"D{k}")
            for k in range(AGENCIES)
        ]
        agencies = [a.pk for a in made]
        people = {
            "coordinator": make_person("koordinator", region, Officer.Role.COORDINATOR),
            "one agency": make_person("petugas", region, Officer.Role.OFFICER, [made[0]]),
        }
        done = 0
    print(f"machine: {machine()}")
    print(
        f"{'records':>10} {'who':<12} {'kind':<7} {'indexed p50':>11} {'p95':>8} "
        f"{'cpu p95':>8} {'before p50':>10} {'p95':>8}   (ms, first page of 30; cpu: this "
        "process + its PostgreSQL backend; before: icontains + the paginator's COUNT, "
        "without archive 0004's indexes)"
    )
    results: list[tuple[int, tuple[float, float]]] = []
    if done:
        print(f"  an archive of {done:,} records left by a previous run")
        results.append((done, measure(done, people, args)))
    start = done
    for step in range(1, args.steps + 1):
        size = start + (args.items - start) * step // args.steps
        if size <= done:
            continue
        began = time.perf_counter()
        fill(done, size, region.pk, agencies)
        print(f"  filled {size - done:,} in {time.perf_counter() - began:.0f} s", flush=True)
        done = size
        results.append((size, measure(size, people, args)))
    if len(results) >= 2:
        (n1, t1), (n2, t2) = results[-2], results[-1]
        for label, i in (("wall", 0), ("cpu", 1)):
            est = extrapolated(n1, t1[i], n2, t2[i])
            print(
                f"extrapolated (linear in the growth between {n1:,} and {n2:,}, not measured): "
                f"worst {label} p95 at 10,000,000 records ≈ {est:.1f} ms"
            )
    wall, cpu = results[-1][1]
    print(
        f"target: p95 ≤ {TARGET_P95_MS:.0f} ms at 1,000,000 records; measured worst p95 at "
        f"{done:,}: {wall:.1f} ms wall, {cpu:.1f} ms cpu; load {os.getloadavg()}"
    )


if __name__ == "__main__":
    main()
