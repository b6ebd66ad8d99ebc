import contextlib
import os
import signal
import socket
import threading
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import DatabaseError

from warta.core import scheduling
from warta.core.periodic import periodic_jobs
from warta.core.reconnect import Outage, connection_lost

LEASE = "scheduler"


class Command(BaseCommand):
    help = (
        "Enqueue warta's periodic jobs (publishing due posts, syncing, rollups, reports). "
        "Run exactly one per installation; a second one waits as a stand-by."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--tick", type=float, default=5.0, help="seconds between checks")
        parser.add_argument("--once", action="store_true", help="enqueue due jobs once, then exit")

    def handle(self, *args: Any, tick: float, once: bool, **options: Any) -> None:
        holder = f"{socket.gethostname()}:{os.getpid()}"
        stopping = False
        woken = threading.Event()  # set on SIGTERM/SIGINT: stop now, not after the tick

        def stop(*_: object) -> None:
            nonlocal stopping
            stopping = True
            woken.set()

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        last_run: dict[str, float] = {}
        lease_seconds = max(30, int(tick * 6))
        outage = Outage(who=f"scheduler {holder}", stopping=lambda: stopping)
        try:
            while not stopping:
                try:
                    holds = scheduling.lease_acquire(
                        name=LEASE, holder=holder, seconds=lease_seconds
                    )
                    if holds:
                        now = time.monotonic()
                        for job in periodic_jobs():
                            if now - last_run.get(job.name, -1e9) >= job.seconds:
                                scheduling.job_enqueue_if_idle(job)
                                last_run[job.name] = now
                except DatabaseError as exc:
                    # PostgreSQL restarted or unreachable: wait for it and carry on. A lease
                    # that expired meanwhile may go to a stand-by; then this one waits.
                    if not connection_lost(exc) or once:
                        raise
                    outage.wait_for_database(exc)
                    continue
                if not holds and once:
                    self.stderr.write("another scheduler holds the lease; nothing enqueued")
                if once:
                    break
                woken.wait(tick)
        finally:
            # If the database is away, the lease expires by itself after lease_seconds.
            with contextlib.suppress(DatabaseError):
                scheduling.lease_release(name=LEASE, holder=holder)
