"""Load: N concurrent signed-in people on the dashboard, calendar and inbox, for a while.

    .venv/bin/python bench/load/run.py \
        --database-url postgres://warta:warta@127.0.0.1/warta_production_bench \
        --seed "seed_demo --scale province" --users 100 --duration 300 --web-workers 4

Starts gunicorn (--web-workers processes) on 127.0.0.1 against the given database (after
`migrate` and the optional seed command), signs in --users people spread over the
regions' coordinators and officers (sessions made directly in the database: the password
hasher is not what is measured), then each person loops over the pages with a think time
of --think seconds; the first --warmup seconds are not counted. Prints p50/p95/p99 and
the error rate per page and overall, and the CPU each request cost: the gunicorn
processes' own CPU time (/proc, user + system) over the measured seconds divided by the
requests answered, beside the target of issue 20 (15 ms; ≈ 33 ms before), with the
database's backends for this database and the load client itself (this process) apart.
CPU per request hardly moves when other work shares the machine; wall times do.
People are signed in past the second step (coordinators must use two-factor sign-in).
The pages are the named URLs that exist (analytics:dashboard, content:calendar,
engagement:inbox, falling back to home) — on a branch without them, says so.
"""

import argparse
import asyncio
import os
import random
import resource
import signal
import statistics
import subprocess
import sys
import threading
import time
from collections import defaultdict
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from _common import ROOT, machine, setup_django

PAGES = ["analytics:dashboard", "content:calendar", "engagement:inbox", "home"]


def _pages() -> list[tuple[str, str]]:
    from django.urls import NoReverseMatch, reverse

    out = []
    for name in PAGES:
        try:
            out.append((name, reverse(name)))
        except NoReverseMatch:
            print(f"note: {name} does not exist on this branch; not loaded")
    return out


def _sessions(users: int) -> list[str]:
    """Session keys for `users` people, coordinators first, then officers of many agencies."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from warta.core import twofactor
    from warta.institutions.models import Officer

    officers = list(Officer.objects.select_related("user").order_by("-role", "id")[: users * 4])
    if not officers:
        officers = _minimal_people(users)
    random.Random(1).shuffle(officers)
    coordinators = [o for o in officers if o.role == Officer.Role.COORDINATOR]
    chosen = (coordinators[: max(1, users // 10)] + officers)[:users]
    while len(chosen) < users:
        chosen += chosen[: users - len(chosen)]
    keys = []
    for officer in chosen:
        store = SessionStore()
        store[SESSION_KEY] = str(officer.user.pk)
        store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
        store[HASH_SESSION_KEY] = officer.user.get_session_auth_hash()
        # Past the second step: a coordinator's session otherwise only reaches the 2FA set-up.
        store[twofactor.SESSION_KEY] = officer.user.pk
        store.create()
        assert store.session_key is not None
        keys.append(store.session_key)
    return keys


def _minimal_people(users: int) -> list:  # type: ignore[type-arg]
    """Without a seed command (a branch before seed_demo landed): one region, 40 agencies."""
    from django.contrib.auth.models import User

    from warta.institutions.models import Agency, Officer, Region

    print("note: no --seed and no people in the database: made 40 agencies and the people")
    region = Region.objects.create(name="Kota Beban", slug="kota-beban", timezone="Asia/Makassar")
    agencies = Agency.objects.bulk_create(
        Agency(region=region, name=f"Dinas Uji {n}", short_name=f"DU{n}") for n in range(40)
    )
    out = []
    for n in range(users):
        user = User.objects.create(username=f"beban{n}")
        role = Officer.Role.COORDINATOR if n % 10 == 0 else Officer.Role.OFFICER
        officer = Officer.objects.create(user=user, region=region, role=role)
        if role == Officer.Role.OFFICER:
            officer.agencies.set([agencies[n % 40]])
        out.append(officer)
    return out


async def _person(
    base: str,
    session_key: str,
    pages: list[tuple[str, str]],
    until: float,
    measure_from: float,
    think: float,
    samples: dict[str, list[float]],
    errors: dict[str, int],
    rng: random.Random,
) -> None:
    async with httpx.AsyncClient(
        base_url=base, cookies={"sessionid": session_key}, follow_redirects=True, timeout=30
    ) as client:
        await asyncio.sleep(rng.random() * think)
        while time.monotonic() < until:
            name, url = rng.choice(pages)
            started = time.perf_counter()
            try:
                response = await client.get(url)
                ok = response.status_code == 200
            except httpx.HTTPError:
                ok = False
            if time.monotonic() >= measure_from:  # the warm-up is not counted
                samples[name].append((time.perf_counter() - started) * 1000)
                if not ok:
                    errors[name] += 1
            await asyncio.sleep(think * (0.5 + rng.random()))


TARGET_MS = 15.0  # issue 20: CPU per request, half of the ≈ 33 ms measured before
_TICK = os.sysconf("SC_CLK_TCK")


def _cpu_seconds(pid: int) -> float | None:
    """User + system CPU seconds of one process (None once it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / _TICK


def _children(pid: int) -> list[int]:
    out = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == pid:
                out.append(int(stat.parent.name))
        except (OSError, ValueError, IndexError):
            continue
    return out


class CpuMeter:
    """CPU seconds of the web processes and of this database's backends, sampled each second.

    A database backend that closes between two samples (CONN_MAX_AGE) loses at most its
    last second; one that starts during the run counts from zero.
    """

    def __init__(self, server_pid: int) -> None:
        self.server_pid = server_pid
        self.web_pids = [server_pid, *_children(server_pid)]
        self.first: dict[str, dict[int, float]] = {"web": {}, "db": {}}
        self.last: dict[str, dict[int, float]] = {"web": {}, "db": {}}
        self.started = False
        self.client = 0.0

    def _db_pids(self) -> list[int]:
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
                "AND pid <> pg_backend_pid()"
            )
            return [row[0] for row in cursor.fetchall()]

    def sample(self) -> None:
        from django.db import connection

        self.web_pids = [self.server_pid, *_children(self.server_pid)]  # workers restart
        groups = {"web": self.web_pids}
        if connection.vendor == "postgresql":
            groups["db"] = self._db_pids()
        for group, pids in groups.items():
            for pid in pids:
                seconds = _cpu_seconds(pid)
                if seconds is None:
                    continue
                if pid not in self.first[group]:
                    self.first[group][pid] = seconds if not self.started else 0.0
                self.last[group][pid] = seconds
        if not self.started:
            self.started = True
            self.client = -_own_cpu()

    def stop(self) -> None:
        self.sample()
        self.client += _own_cpu()

    def seconds(self, group: str) -> float:
        return sum(self.last[group][p] - self.first[group][p] for p in self.last[group])


def _own_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _percentiles(values: list[float]) -> str:
    if len(values) < 2:
        return "n/a"
    q = statistics.quantiles(values, n=100, method="inclusive")
    return f"p50 {q[49]:7.0f} ms  p95 {q[94]:7.0f} ms  p99 {q[98]:7.0f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database-url", required=True)
    parser.add_argument(
        "--seed", default="", help='a manage.py command line, e.g. "seed_demo --scale province"'
    )
    parser.add_argument("--users", type=int, default=100)
    parser.add_argument("--duration", type=float, default=300, help="seconds")
    parser.add_argument(
        "--think", type=float, default=1.0, help="mean seconds between a person's requests"
    )
    parser.add_argument(
        "--warmup",
        type=float,
        default=15,
        help="seconds of load before measuring (each web process imports and compiles once)",
    )
    parser.add_argument("--web-workers", type=int, default=4)
    parser.add_argument(
        "--cache",
        choices=["database", "local"],
        default="database",
        help="WARTA_CACHE of the web processes (production on PostgreSQL: database)",
    )
    parser.add_argument("--port", type=int, default=8190)
    args = parser.parse_args()

    os.environ["WARTA_TASKS_BACKEND"] = "django_tasks_db.DatabaseBackend"
    os.environ["WARTA_CACHE"] = args.cache  # before set-up: `migrate` makes its table
    vendor = setup_django(args.database_url, fresh=bool(args.seed))
    if args.seed:
        from django.core.management import call_command

        started = time.monotonic()
        call_command(*args.seed.split())
        print(f"seeded with `{args.seed}` in {time.monotonic() - started:.0f} s")
    from django.conf import settings
    from django.db import connection

    from warta.institutions.models import Agency, Officer

    pages = _pages()
    keys = _sessions(args.users)
    env = dict(
        os.environ,
        PYTHONPATH=str(ROOT),
        DJANGO_SETTINGS_MODULE="warta.settings",
        WARTA_DEBUG="0",
        WARTA_SECRET_KEY=settings.SECRET_KEY,  # the key that signed our sessions
        WARTA_ALLOWED_HOSTS="127.0.0.1",
        WARTA_LOG_LEVEL="WARNING",
        WARTA_SECURE_COOKIES="0",
    )
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--workers",
            str(args.web_workers),
            "--bind",
            f"127.0.0.1:{args.port}",
            "--access-logfile",
            "-",
            "--log-level",
            "warning",
            "warta.wsgi",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{args.port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{base}/healthz", timeout=2).status_code in (200, 503):
                    break
            except httpx.TransportError:
                time.sleep(0.3)
        samples: dict[str, list[float]] = defaultdict(list)
        errors: dict[str, int] = defaultdict(int)
        measure_from = time.monotonic() + args.warmup
        until = measure_from + args.duration
        rng = random.Random(7)

        meter = CpuMeter(server.pid)

        def watch() -> None:  # a thread: Django's database calls are not for the event loop
            time.sleep(max(0.0, measure_from - time.monotonic()))
            meter.sample()
            while time.monotonic() < until - 1:
                time.sleep(1)
                meter.sample()
            time.sleep(max(0.0, until - time.monotonic()))
            meter.stop()
            connection.close()

        watcher = threading.Thread(target=watch)
        watcher.start()

        async def run() -> None:
            await asyncio.gather(
                *(
                    _person(
                        base,
                        key,
                        pages,
                        until,
                        measure_from,
                        args.think,
                        samples,
                        errors,
                        random.Random(rng.random()),
                    )
                    for key in keys
                ),
            )

        asyncio.run(run())
        watcher.join()
        elapsed = time.monotonic() - measure_from
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait()

    print(f"machine: {machine()}")
    print(
        f"database: {vendor}; {Agency.objects.count()} agencies, {Officer.objects.count()} officers"
    )
    print(
        f"load: {args.users} signed-in people, think time ~{args.think} s, {elapsed:.0f} s "
        f"measured after {args.warmup:.0f} s of warm-up, "
        f"gunicorn {args.web_workers} workers, {args.cache} cache"
    )
    everything: list[float] = []
    total_errors = 0
    for name, _url in pages:
        values = samples.get(name, [])
        everything += values
        total_errors += errors.get(name, 0)
        rate = errors.get(name, 0) / len(values) if values else 0
        print(f"  {name:22} {len(values):6} requests  {_percentiles(values)}  errors {rate:.2%}")
    rate = total_errors / len(everything) if everything else 0
    print(
        f"  {'all':22} {len(everything):6} requests  {_percentiles(everything)}  errors {rate:.2%}"
        f"  ({len(everything) / elapsed:.1f} requests/s)"
    )
    answered = max(len(everything), 1)
    web, db = meter.seconds("web") * 1000 / answered, meter.seconds("db") * 1000 / answered
    print(
        f"CPU per request (a page view): "
        f"web {web:.1f} ms (target ≤ {TARGET_MS:.0f} ms; ≈ 33 ms before, issue 20)"
        f"{'  OK' if web <= TARGET_MS else '  OVER'}, database {db:.1f} ms, "
        f"load client {meter.client * 1000 / answered:.1f} ms; "
        f"web processes busy {meter.seconds('web') / elapsed:.2f} of {os.cpu_count()} cores; "
        f"uptime load average {', '.join(f'{x:.2f}' for x in os.getloadavg())}"
    )


if __name__ == "__main__":
    main()
