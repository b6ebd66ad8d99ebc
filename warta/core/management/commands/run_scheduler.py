import os
import signal
import socket
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from warta.core import scheduling
from warta.core.periodic import periodic_jobs

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

        def stop(*_: object) -> None:
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        last_run: dict[str, float] = {}
        lease_seconds = max(30, int(tick * 6))
        try:
            while not stopping:
                if scheduling.lease_acquire(name=LEASE, holder=holder, seconds=lease_seconds):
                    now = time.monotonic()
                    for job in periodic_jobs():
                        if now - last_run.get(job.name, -1e9) >= job.seconds:
                            scheduling.job_enqueue_if_idle(job)
                            last_run[job.name] = now
                elif once:
                    self.stderr.write("another scheduler holds the lease; nothing enqueued")
                if once:
                    break
                time.sleep(tick)
        finally:
            scheduling.lease_release(name=LEASE, holder=holder)
