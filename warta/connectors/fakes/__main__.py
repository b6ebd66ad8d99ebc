"""Run one fake platform as a process, for benchmarks whose workers live elsewhere.

    python -m warta.connectors.fakes x --latency 0.1 --error-rate 0.02
    # prints the base URL, then serves until Ctrl-C; counts at <base_url>/_fake/stats

Point warta at it with WARTA_CONNECTOR_BASE_URLS=<platform>=<printed url> (the sandbox
override; a base_url in credentials is never trusted) and store the credentials from the
printed JSON line as the channels' credentials.
"""

import argparse
import contextlib
import json
import signal
import sys
import threading

from warta.connectors.fakes import FAKE_PLATFORMS, Fault, fake_class


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m warta.connectors.fakes",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("platform", choices=FAKE_PLATFORMS)
    parser.add_argument("--latency", type=float, default=0.0, help="seconds added to every answer")
    parser.add_argument(
        "--error-rate", type=float, default=0.0, help="share of requests answered 503"
    )
    parser.add_argument(
        "--error-kinds",
        default=Fault.SERVER_ERROR,
        help="comma-separated faults drawn at random (default server_error)",
    )
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--no-rate-limits",
        action="store_true",
        help="do not enforce the platform's documented rate limits (throughput benchmarks)",
    )
    args = parser.parse_args(argv)
    fake = fake_class(args.platform)(
        latency=args.latency,
        transient_error_rate=args.error_rate,
        transient_kinds=tuple(args.error_kinds.split(",")),
        seed=args.seed,
        rate_limits=not args.no_rate_limits,
    )
    fake.start()
    print(
        json.dumps(
            {
                "base_url": fake.base_url,
                "credentials": fake.credentials(),
                "external_id": fake.external_id,
                "handle": fake.handle,
            }
        ),
        flush=True,
    )
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    with contextlib.suppress(KeyboardInterrupt):
        stop.wait()
    fake.stop()
    print(json.dumps(fake.stats()), file=sys.stderr)


if __name__ == "__main__":
    main()
