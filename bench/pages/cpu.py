"""CPU per request of the busy pages (dashboard, calendar, inbox, home), in-process.

    .venv/bin/python bench/pages/cpu.py \
        --database-url postgres://warta:warta@127.0.0.1/warta_pages_bench --seed seed_demo

Production settings (WARTA_DEBUG=0, the database cache on PostgreSQL) against the given
database (fresh and seeded with --seed, or used as it is with --seed ""). Signs in --users
people spread over the region's coordinators and officers, as bench/load/run.py does, asks
each page once per person to warm up (templates compiled, caches filled as they are after
a minute of traffic), then --rounds times per person through Django's test client and
measures `time.process_time()` around each request: the CPU of this Python process only,
which another session on a shared machine barely disturbs (the database's own CPU is in
its process; the load benchmark counts it). Prints CPU ms per request per page and the
mean over the pages with the target beside it, the queries per request, and with
--profile the functions where the time went (cProfile, cumulative and own time).
"""

import argparse
import cProfile
import io
import os
import pstats
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

# Production settings, as gunicorn would run them (before Django is set up).
os.environ["DJANGO_SETTINGS_MODULE"] = "warta.settings"
os.environ.setdefault("WARTA_DEBUG", "0")
os.environ.setdefault("WARTA_SECRET_KEY", "bench-secret-key-that-is-long-enough-0123456789abcdef")
os.environ.setdefault("WARTA_ALLOWED_HOSTS", "testserver,127.0.0.1")
os.environ.setdefault("WARTA_SECURE_COOKIES", "0")
os.environ.setdefault("WARTA_CREDENTIAL_KEYS", "dGVzdC1rZXktZm9yLXdhcnRhLXRlc3RzLW9ubHktMDA=")
os.environ.setdefault("WARTA_LOG_LEVEL", "WARNING")
os.environ.setdefault("WARTA_TASKS_BACKEND", "django_tasks_db.DatabaseBackend")

from _common import machine, setup_django

PAGES = ["analytics:dashboard", "content:calendar", "engagement:inbox", "home"]
TARGET_MS = 15.0  # issue 20: half of the ≈ 33 ms measured before


def _people(users: int) -> list:  # type: ignore[type-arg]
    """`users` people, a tenth of them coordinators, the rest officers (as the load bench)."""
    from warta.institutions.models import Officer

    officers = list(Officer.objects.select_related("user").order_by("-role", "id"))
    random.Random(1).shuffle(officers)
    coordinators = [o for o in officers if o.role == Officer.Role.COORDINATOR]
    chosen = (coordinators[: max(1, users // 10)] + officers)[:users]
    return [o.user for o in chosen]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--seed", default="", help='e.g. "seed_demo" (a fresh database)')
    parser.add_argument("--users", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--page", action="append", help="only these URL names (repeatable)")
    parser.add_argument("--profile", action="store_true", help="print cProfile's top functions")
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--cache", choices=["database", "local"], default=None)
    args = parser.parse_args()
    if args.cache:
        os.environ["WARTA_CACHE"] = args.cache

    vendor = setup_django(args.database_url, fresh=bool(args.seed))
    if args.seed:
        from django.core.management import call_command

        started = time.monotonic()
        call_command(*args.seed.split(), verbosity=0)
        print(f"seeded with `{args.seed}` in {time.monotonic() - started:.0f} s")
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from warta.core import twofactor
    from warta.institutions.models import Agency, Officer

    render_cpu = _time_template_render()
    pages = [(name, reverse(name)) for name in (args.page or PAGES)]
    clients = []
    for user in _people(args.users):
        client = Client()
        client.force_login(user)
        session = client.session  # past the second step, as a coordinator is after signing in
        session[twofactor.SESSION_KEY] = user.pk
        session.save()
        clients.append(client)

    def get(client: Client, url: str) -> None:
        # A redirect is followed and both requests count, as in a browser.
        response = client.get(url, follow=True)
        if response.status_code != 200:
            raise SystemExit(f"{url}: {response.status_code}")

    for _name, url in pages:  # warm-up: compile, import, fill the caches
        for client in clients:
            get(client, url)

    cpu: dict[str, list[float]] = {name: [] for name, _ in pages}
    rendering: dict[str, list[float]] = {name: [] for name, _ in pages}
    wall: dict[str, list[float]] = {name: [] for name, _ in pages}
    profiler = cProfile.Profile(time.process_time) if args.profile else None  # CPU, not waits
    for _ in range(args.rounds):
        for name, url in pages:
            for client in clients:
                render_cpu[0] = 0.0
                started_cpu, started = time.process_time(), time.perf_counter()
                if profiler:
                    profiler.enable()
                get(client, url)
                if profiler:
                    profiler.disable()
                cpu[name].append((time.process_time() - started_cpu) * 1000)
                wall[name].append((time.perf_counter() - started) * 1000)
                rendering[name].append(render_cpu[0] * 1000)
    queries = {}
    for name, url in pages:
        with CaptureQueriesContext(connection) as captured:
            get(clients[0], url)
        queries[name] = len(captured)

    print(f"machine: {machine()}; uptime: {_uptime()}")
    print(
        f"database: {vendor}; {Agency.objects.count()} agencies, "
        f"{Officer.objects.count()} officers; cache {settings.CACHES['default']['BACKEND']}; "
        f"DEBUG={settings.DEBUG}; {len(clients)} people x {args.rounds} rounds per page"
        + ("; under cProfile (slower)" if profiler else "")
    )
    print(
        f"  {'page':22} {'CPU ms/req':>10} {'(median)':>9} {'templates':>9} {'wall ms':>8} "
        f"{'queries':>8}"
    )
    for name, _url in pages:
        print(
            f"  {name:22} {statistics.mean(cpu[name]):10.1f} {statistics.median(cpu[name]):9.1f} "
            f"{statistics.mean(rendering[name]):9.1f} {statistics.mean(wall[name]):8.1f} "
            f"{queries[name]:8}"
        )
    mean = statistics.mean(statistics.mean(v) for v in cpu.values())
    print(
        f"  {'mean over the pages':22} {mean:10.1f} ms CPU per request   target ≤ {TARGET_MS:.0f} "
        f"ms (before: ≈ 33 ms, issue 20)  {'OK' if mean <= TARGET_MS else 'OVER'}"
    )
    if profiler:
        print("where the CPU went (own time by package, all pages measured):")
        for label, share in _by_package(pstats.Stats(profiler)):
            print(f"  {label:48} {share:6.1%}")
        for order in ("cumulative", "tottime"):
            out = io.StringIO()
            pstats.Stats(profiler, stream=out).strip_dirs().sort_stats(order).print_stats(args.top)
            print(f"--- by {order}\n" + out.getvalue().split("\n", 6)[-1])


PACKAGES = [  # first match wins: (label, path fragment)
    ("ORM: query building and compiling", "django/db/models/sql"),
    ("ORM: querysets, expressions, lookups", "django/db/models"),
    ("database driver (psycopg) and backend", "psycopg"),
    ("database driver (psycopg) and backend", "django/db/backends"),
    ("templates", "django/template"),
    ("i18n and formatting", "django/utils/translation"),
    ("i18n and formatting", "django/utils/formats"),
    ("i18n and formatting", "django/utils/dateformat"),
    ("i18n and formatting", "gettext"),
    ("sessions, auth, signing", "django/contrib/sessions"),
    ("sessions, auth, signing", "django/contrib/auth"),
    ("sessions, auth, signing", "django/core/signing"),
    ("middleware and request handling", "django/middleware"),
    ("middleware and request handling", "django/core/handlers"),
    ("middleware and request handling", "django/http"),
    ("middleware and request handling", "whitenoise"),
    ("middleware and request handling", "django_htmx"),
    ("URL reversing and resolving", "django/urls"),
    ("cache", "django/core/cache"),
    ("test client (not in production)", "django/test"),
    ("lazy strings, escaping (templates, i18n)", "django/utils/functional"),
    ("lazy strings, escaping (templates, i18n)", "django/utils/html"),
    ("lazy strings, escaping (templates, i18n)", "django/utils/safestring"),
    ("other Django", "django/"),
    ("warta's own code", "/warta/"),
]


def _by_package(stats: pstats.Stats) -> list[tuple[str, float]]:
    totals: dict[str, float] = {}
    for (path, _line, _name), row in stats.stats.items():  # type: ignore[attr-defined]
        if path == "~":  # getattr, isinstance, len…: spread over all of the above
            label = "built-in functions (called from all the above)"
        else:
            label = next((lab for lab, part in PACKAGES if part in path), "other Python")
        totals[label] = totals.get(label, 0.0) + row[2]  # own time
    whole = sum(totals.values()) or 1.0
    return sorted(((k, v / whole) for k, v in totals.items()), key=lambda kv: -kv[1])


def _time_template_render() -> list[float]:
    """Count the CPU seconds spent rendering templates (outermost render only) in a cell."""
    from django.template.backends.django import Template

    cell = [0.0]
    depth = [0]
    original = Template.render

    def render(self, context=None, request=None):  # type: ignore[no-untyped-def]
        depth[0] += 1
        started = time.process_time()
        try:
            return original(self, context, request)
        finally:
            depth[0] -= 1
            if depth[0] == 0:
                cell[0] += time.process_time() - started

    Template.render = render  # type: ignore[method-assign]
    return cell


def _uptime() -> str:
    return "load average " + ", ".join(f"{x:.2f}" for x in os.getloadavg())


if __name__ == "__main__":
    main()
