#!/usr/bin/env python
"""Guardrails benchmark: time of all pre-publish checks per variant.

    .venv/bin/python bench/guardrails/run.py --variants 2000
    .venv/bin/python bench/guardrails/run.py --variants 500 --link-delay 2.0

Runs `run_checks` on realistic Indonesian captions (some with NIKs, phone numbers,
addresses, links, campaign words) against an agency with a full strategy and a live
election period. The network is faked: each uncached link takes --link-delay seconds
to "resolve", which shows that the link check stays within its time budget.
The language engine is used when installed (warta.language.api); its model is
loaded before timing starts.
"""

import argparse
import os
import random
import statistics
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from _common import machine, setup_django

PARTS = [
    "Posyandu Lansia buka setiap Selasa pukul 08.00 WITA di Kelurahan Api-Api.",
    "Pendaftaran vaksinasi gratis dibuka mulai Senin; bawa KTP dan KK.",
    "Sahabat, jalan di Jl. Bhayangkara sedang diperbaiki sampai akhir bulan.",
    "Anggaran Rp 1.250.000.000 dipakai untuk perbaikan drainase.",
    "Hubungi layanan pengaduan di (0548) 21234 atau WA 0811-5555-1234.",
    "Terima kasih kepada warga yang ikut kerja bakti kemarin!",
    "Info lengkap: https://dinkes.bontangkota.go.id/jadwal",
    "Penerima bantuan: Ibu Rina, NIK 6474015708900003.",
    "Rumah warga di Jl. Merdeka No. 12, RT 05/RW 02 terdampak banjir.",
    "Dihadiri Andi Wijaya yang memberi salam dua jari.",
    "Kami mengimbau warga menjaga kebersihan lingkungan.",
    "Tautan pendaftaran: https://daftar.bontangkota.go.id/form?id={n}",
]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--variants", type=int, default=1000)
    parser.add_argument(
        "--link-delay", type=float, default=0.05, help="seconds a fake link lookup takes"
    )
    parser.add_argument("--database-url", default=None, help="default: a fresh SQLite file")
    args = parser.parse_args()

    os.environ["WARTA_LINK_CHECK_ENABLED"] = "1"  # the test settings switch it off
    setup_django(args.database_url)
    from django.conf import settings
    from django.contrib.auth.models import User
    from django.core.cache import cache

    from warta.guardrails.checks import links
    from warta.guardrails.models import ElectionPeriod
    from warta.guardrails.registry import CheckSubject, MediaInfo, registered_checks, run_checks
    from warta.institutions.models import Agency, Officer, Region
    from warta.strategy.services import strategy_propose
    from warta.strategy.tests.helpers import strategy_doc

    region = Region.objects.create(
        name="Kota Bench", slug="bench", kind="kota", timezone="Asia/Makassar"
    )
    agency = Agency.objects.create(region=region, name="Dinas Kesehatan", short_name="Dinkes")
    user = User.objects.create_user("koordinator")
    Officer.objects.create(user=user, region=region, role=Officer.Role.COORDINATOR)
    strategy_propose(
        actor=user,
        region=region,
        agency=agency,
        reason="Strategi untuk benchmark",
        data=strategy_doc(
            rule_patterns=[{"pattern": r"(?i)\bkami\b", "message": "Pakai kita"}],
            mentions=["@pemkot.bench"],
        ),
    )
    today = date.today()
    ElectionPeriod.objects.create(
        region=region,
        name="Pilkada",
        start=today.replace(day=1),
        end=today.replace(year=today.year + 1),
        parties="Partai Maju Sejahtera | PMS",
        candidates="Andi Wijaya | 1",
        sitting_candidates="Andi Wijaya",
    )

    def fake_probe(url: str) -> str:
        time.sleep(args.link_delay)
        return "ok"

    links.prober = fake_probe
    cache.clear()
    try:
        from warta.language.api import analyze

        analyze(["pemanasan model"])
        language = "warta.language.api"
    except ImportError:
        language = "not installed (check skipped)"

    rng = random.Random(7)
    photo = MediaInfo(
        kind="image", mime_type="image/jpeg", size_bytes=200_000, alt_text="Petugas memeriksa warga"
    )
    timings: list[float] = []
    for n in range(args.variants):
        caption = " ".join(rng.sample(PARTS, k=rng.randint(2, 6))).replace("{n}", str(n % 50))
        subject = CheckSubject(
            platform="instagram",
            caption=caption + " #DinkesUji",
            region_id=region.pk,
            agency_id=agency.pk,
            media=(photo,),
        )
        t0 = time.perf_counter()
        run_checks(subject)
        timings.append(time.perf_counter() - t0)
    timings.sort()

    def pct(p: float) -> float:
        return timings[min(len(timings) - 1, int(p * len(timings)))] * 1000

    print(f"machine: {machine()}")
    print(f"checks: {', '.join(registered_checks())}; language engine: {language}")
    print(
        f"variants: {args.variants}; fake link lookup: {args.link_delay * 1000:.0f} ms; "
        f"link budget: {settings.WARTA_LINK_CHECK_BUDGET_SECONDS * 1000:.0f} ms"
    )
    print(
        f"per variant: mean {statistics.mean(timings) * 1000:.1f} ms, p50 {pct(0.5):.1f} ms, "
        f"p95 {pct(0.95):.1f} ms, p99 {pct(0.99):.1f} ms, max {timings[-1] * 1000:.1f} ms"
    )


if __name__ == "__main__":
    main()
