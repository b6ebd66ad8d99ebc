#!/usr/bin/env python
"""A day of the nation on paper: when ~100,000 official accounts post, and what that asks.

No database: a model of the day from stated assumptions and from figures that the other
benchmarks measured (each named below with the command that produced it). It prints,
per UTC hour, the posts due, the busiest minute, the drain rate needed to publish that
minute within --drain seconds, and the workers that takes at the measured per-worker
rate; then the daily inbox and archive growth that sizes partitions.

    .venv/bin/python bench/scale/simulate.py
    .venv/bin/python bench/scale/simulate.py --accounts 100000 --posts-per-day 1.2 \\
        --per-worker 71.8 --drain 15
"""

import argparse
import math

# Share of accounts by zone (regions' count by zone, Kemendagri 2024 list, rounded):
# WIB (UTC+7) Sumatra, Java, West/Central Kalimantan; WITA (UTC+8) South/East/North
# Kalimantan, Sulawesi, Bali, Nusa Tenggara; WIT (UTC+9) Maluku and Papua.
ZONES = {"WIB": (7, 0.62), "WITA": (8, 0.25), "WIT": (9, 0.13)}
# Share of a day's posts scheduled in each local hour: officers post at office hours,
# with peaks at 08, 12, 16 and 19 (the hours the demo city's history shows).
LOCAL_HOURS = {
    6: 0.02,
    7: 0.06,
    8: 0.20,
    9: 0.08,
    10: 0.07,
    11: 0.05,
    12: 0.13,
    13: 0.05,
    14: 0.05,
    15: 0.05,
    16: 0.09,
    17: 0.03,
    18: 0.03,
    19: 0.07,
    20: 0.02,
}
# Of the posts in an hour, the share due at its round minute (hh:00): schedulers offer
# round times, so most arrive in the same second.
ROUND_MINUTE = 0.6


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--accounts", type=int, default=100_000)
    p.add_argument("--posts-per-day", type=float, default=1.2, help="per account (cadence targets)")
    p.add_argument("--comments-per-day", type=float, default=15.0, help="per account")
    p.add_argument(
        "--per-worker",
        type=float,
        default=71.8,
        help="posts/s one worker sustains in a burst at 100 ms platform latency, first to "
        "last post (bench/publish/run.py --spread 0: 287 posts/s with 4 workers, 6 Dec 2026)",
    )
    p.add_argument("--drain", type=float, default=15.0, help="seconds to publish a busy minute")
    p.add_argument(
        "--ingest-per-worker",
        type=float,
        default=2701.0,
        help="comments/s one worker ingests and annotates (bench/engagement: 5,403/s, 2 workers, "
        "on a shared machine at load 7.5)",
    )
    a = p.parse_args()
    total = a.accounts * a.posts_per_day
    by_utc: dict[int, float] = {h: 0.0 for h in range(24)}
    round_minute: dict[int, float] = {h: 0.0 for h in range(24)}
    assert abs(sum(LOCAL_HOURS.values()) - 1.0) < 1e-9
    for offset, share in ZONES.values():
        for hour, hshare in LOCAL_HOURS.items():
            utc = (hour - offset) % 24
            n = total * share * hshare
            by_utc[utc] += n
            round_minute[utc] += n * ROUND_MINUTE  # zones' round minutes coincide in UTC
    print(f"{a.accounts:,} accounts x {a.posts_per_day} posts/day = {total:,.0f} posts a day")
    print(f"{'UTC':>5} {'WIB':>5} {'posts':>8} {'at hh:00':>9} {'needed/s':>9} {'workers':>8}")
    peak_workers = 0
    for h in range(24):
        if by_utc[h] < 1:
            continue
        need = round_minute[h] / a.drain
        workers = math.ceil(need / a.per_worker)
        peak_workers = max(peak_workers, workers)
        print(
            f"{h:02d}:00 {(h + 7) % 24:02d}:00 {by_utc[h]:8,.0f} {round_minute[h]:9,.0f} "
            f"{need:9,.0f} {workers:8d}"
        )
    comments = a.accounts * a.comments_per_day
    peak_comments_s = comments * 0.2 / 3600  # a fifth of a day's comments in the busiest hour
    print(
        f"\npublishing: {peak_workers} workers keep every busy minute within {a.drain:.0f} s "
        f"at {a.per_worker} posts/s each (measured, 100 ms latency)"
    )
    print(
        f"inbox: {comments:,.0f} comments a day, {peak_comments_s:,.0f}/s in the busiest hour: "
        f"{math.ceil(peak_comments_s / a.ingest_per_worker)} ingest worker(s) at the measured rate"
    )
    print(
        f"growth: {comments * 30:,.0f} inbox rows and ~{(comments + total) * 30:,.0f} archive "
        f"records a month; {total * 30:,.0f} post variants and metric snapshots a month"
    )


if __name__ == "__main__":
    main()
