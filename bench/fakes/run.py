"""How fast a fake platform serves publishes: can it carry the publishing benchmark?

    .venv/bin/python bench/fakes/run.py --count 10000 --concurrency 64 --latency 0.1 --error-rate 0.02

Runs the fake in its own process (python -m warta.connectors.fakes) and publishes text
posts through the real connector from a thread pool, retrying transient errors with the
same idempotency key. Prints throughput, latency percentiles, injected errors, and the
fake's own duplicate count (must be zero). Mastodon by default: its Idempotency-Key makes
a retry after a lost answer safe, so duplicates would be the fake's fault.
"""

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "warta.testing.settings")

import django

django.setup()

from warta.connectors.base import Account, PublishRequest, TransientError, connector_class  # noqa: E402


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--platform", default="mastodon")
    parser.add_argument("--count", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=64)
    parser.add_argument("--latency", type=float, default=0.1)
    parser.add_argument("--error-rate", type=float, default=0.02)
    parser.add_argument(
        "--rate-limits",
        action="store_true",
        help="keep the platform's documented rate limits on (off: this measures the fake's "
        "capacity, and Telegram's 20 a minute per channel would measure only the limit)",
    )
    args = parser.parse_args()

    fake = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "warta.connectors.fakes",
            args.platform,
            "--latency",
            str(args.latency),
            "--error-rate",
            str(args.error_rate),
            *([] if args.rate_limits else ["--no-rate-limits"]),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        info = json.loads(fake.stdout.readline())  # type: ignore[union-attr]
        account = Account(
            platform=args.platform,
            external_id=info["external_id"],
            handle=info["handle"],
            credentials=info["credentials"],
            base_url=info["base_url"],
        )
        limits = httpx.Limits(
            max_connections=args.concurrency, max_keepalive_connections=args.concurrency
        )
        http = httpx.Client(timeout=httpx.Timeout(10.0), limits=limits)
        connector = connector_class(args.platform)(account, http=http)
        retries = 0

        def publish(n: int) -> float:
            nonlocal retries
            request = PublishRequest(idempotency_key=f"bench-{n}", caption=f"Pengumuman nomor {n}")
            started = time.monotonic()
            for _attempt in range(10):
                try:
                    connector.publish(request)
                    return time.monotonic() - started
                except TransientError:
                    retries += 1
            raise RuntimeError(f"publish {n} failed 10 times")

        started = time.monotonic()
        with ThreadPoolExecutor(max_workers=args.concurrency) as pool:
            latencies = sorted(pool.map(publish, range(args.count)))
        elapsed = time.monotonic() - started
        stats = httpx.get(f"{info['base_url']}/_fake/stats").json()
    finally:
        fake.terminate()
        fake.wait(timeout=10)

    print(f"machine: {os.cpu_count()} cores, {cpu_model()}, Python {platform.python_version()}")
    print(
        f"fake {args.platform}: latency {args.latency * 1000:.0f} ms, error rate {args.error_rate:.1%}"
    )
    print(
        f"published {args.count} in {elapsed:.1f} s with {args.concurrency} in flight: "
        f"{args.count / elapsed:.0f} publishes/s"
    )
    print(
        f"per publish incl. retries: p50 {statistics.median(latencies) * 1000:.0f} ms, "
        f"p99 {latencies[int(len(latencies) * 0.99) - 1] * 1000:.0f} ms, max {latencies[-1] * 1000:.0f} ms"
    )
    print(
        f"client retries {retries}; fake injected {stats['injected']}; "
        f"fake counted {stats['published']} posts, duplicates {stats['duplicates'] or 'none'}"
    )


if __name__ == "__main__":
    main()
