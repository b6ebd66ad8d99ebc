#!/usr/bin/env python
"""Archive benchmark: archiving rate at province scale and the time to verify a long chain.

    .venv/bin/python bench/archive/run.py --records 1000000
    .venv/bin/python bench/archive/run.py --records 10000000 --database-url postgres://…

Records are appended the way the archiver appends them (batches through
`records_append`), spread over 40 agencies of one region with realistic payloads;
then `archive verify` walks the chain, once with contents re-hashed and once links only.
"""

import argparse
import random
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from _common import machine, setup_django

WORDS = ["pelayanan", "vaksinasi", "jadwal", "warga", "kelurahan", "bontang", "program", "bantuan", "sosial", "jalan", "rusak", "mohon", "info", "pendaftaran", "sekolah", "banjir", "posko", "puskesmas", "terima", "kasih", "pak"]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--records", type=int, default=200_000)
    parser.add_argument("--batch", type=int, default=2000)
    parser.add_argument("--database-url", default=None, help="default: a fresh SQLite file")
    args = parser.parse_args()

    setup_django(args.database_url)
    from warta.archive.services import Entry, records_append
    from warta.archive.verify import chain_verify
    from warta.institutions.models import Agency, Region

    region = Region.objects.create(
        name="Provinsi Bench", slug="bench", kind="provinsi", timezone="Asia/Makassar"
    )
    agencies = Agency.objects.bulk_create(
        [Agency(region=region, name=f"Dinas {i}", short_name=f"D{i}") for i in range(40)]
    )
    rng = random.Random(1)
    start = datetime(2024, 11, 1, tzinfo=UTC)
    print(f"machine: {machine()}")
    print(f"appending {args.records:,} records in batches of {args.batch} …", flush=True)
    t0 = time.perf_counter()
    done = 0
    while done < args.records:
        n = min(args.batch, args.records - done)
        entries = []
        for i in range(done, done + n):
            agency = agencies[i % 40]
            text = " ".join(rng.choices(WORDS, k=12))
            if i % 5 == 0:
                kind, payload = (
                    "variant_published",
                    {"caption": text, "url": f"https://x.example/{i}", "platform": "instagram"},
                )
            else:
                kind, payload = (
                    "item_received",
                    {"text": text, "author_name": "Warga", "author_handle": f"@w{i % 997}"},
                )
            entries.append(
                Entry(
                    kind=kind,
                    subject=f"s:{i}",
                    thread=f"t:{i // 5}",
                    occurred_at=start + timedelta(seconds=i * 3),
                    payload=payload,
                    agency_id=agency.pk,
                    search_text=text,
                )
            )
        records_append(region_id=region.pk, entries=entries)
        done += n
        if done % (args.batch * 50) == 0:
            rate = done / (time.perf_counter() - t0)
            print(f"  {done:,} records, {rate:,.0f}/s", flush=True)
    took = time.perf_counter() - t0
    print(
        f"archiving: {args.records:,} records in {took:.1f}s = {args.records / took:,.0f} records/s"
    )

    for label, full in (
        ("verify (contents re-hashed)", True),
        ("verify --fast (links only)", False),
    ):
        t0 = time.perf_counter()
        result = chain_verify(region_id=region.pk, check_payloads=full)
        took = time.perf_counter() - t0
        assert result.ok, result.problems
        print(
            f"{label}: {result.checked:,} records in {took:.1f}s = {result.checked / took:,.0f} records/s; "
            f"10 million would take ≈ {10_000_000 / (result.checked / took) / 60:.1f} min"
        )


if __name__ == "__main__":
    main()
