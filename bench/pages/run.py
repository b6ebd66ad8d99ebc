"""Page weight and first render of the home, the calendar and the composer on a phone.

    .venv/bin/python bench/pages/run.py [--database-url URL] [--seed "seed_demo"] [--runs 3]

Starts gunicorn (one worker, production settings) on 127.0.0.1 against a fresh database
(seeded with the demo city by default), signs an officer in (a session made directly in
the database), then opens each page in headless Chromium at 360 x 780 px: first cold (a
new browser context, nothing cached), then warm (same context: the service worker and
the HTTP cache hold the static assets). Prints, per page, the bytes transferred (the
document plus every resource, as the Resource Timing API reports them), the HTML's own
size, DOMContentLoaded, load, and time to interactive (the later of DOMContentLoaded and
the end of the last long task, observed from the start of the navigation). The medians
of --runs runs are printed. Figures depend on the machine: say where they were taken.
"""

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from _common import ROOT, machine, setup_django

CHROMIUM = "/usr/bin/chromium"
VIEWPORT = {"width": 360, "height": 780}
PAGES = [("home", "Beranda"), ("content:calendar", "Kalender"), ("content:post_new", "Composer")]
LONGTASKS = """
window.__longtasks = [];
try {
  new PerformanceObserver((list) => { for (const e of list.getEntries())
    window.__longtasks.push(e.startTime + e.duration); }).observe({type: 'longtask', buffered: true});
} catch (e) {}
"""
MEASURE = """() => {
  const nav = performance.getEntriesByType('navigation')[0];
  const res = performance.getEntriesByType('resource');
  const bytes = nav.transferSize + res.reduce((s, r) => s + (r.transferSize || 0), 0);
  const last = Math.max(0, ...window.__longtasks);
  return {bytes, html: nav.encodedBodySize, requests: res.length + 1,
          dcl: nav.domContentLoadedEventEnd, load: nav.loadEventEnd,
          tti: Math.max(nav.domContentLoadedEventEnd, last)};
}"""


def _session() -> tuple[str, str]:
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from warta.institutions.models import Officer

    officer = (
        Officer.objects.filter(role=Officer.Role.OFFICER, agencies__isnull=False)
        .select_related("user")
        .order_by("id")
        .first()
    )
    if officer is None:
        raise SystemExit("no officer in the database: seed it (--seed seed_demo)")
    store = SessionStore()
    store[SESSION_KEY] = str(officer.user.pk)
    store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    store[HASH_SESSION_KEY] = officer.user.get_session_auth_hash()
    store.create()
    assert store.session_key is not None
    return store.session_key, officer.user.username


def _measure(page: Any, url: str) -> dict[str, float]:
    response = page.goto(url, wait_until="load")
    if response is None or response.status >= 400:
        raise SystemExit(f"{url}: {response.status if response else 'no answer'}")
    page.wait_for_timeout(300)  # long tasks right after load are counted too
    return dict(page.evaluate(MEASURE))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--seed", default="seed_demo", help='"" to use the database as it is')
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--port", type=int, default=8191)
    args = parser.parse_args()

    setup_django(args.database_url, fresh=bool(args.seed))
    if args.seed:
        from django.core.management import call_command

        started = time.monotonic()
        call_command(*args.seed.split(), verbosity=0)
        print(f"seeded with `{args.seed}` in {time.monotonic() - started:.0f} s")
    from django.conf import settings
    from django.urls import reverse

    key, username = _session()
    urls = [(label, reverse(name)) for name, label in PAGES]
    env = dict(
        os.environ,
        PYTHONPATH=str(ROOT),
        DJANGO_SETTINGS_MODULE="warta.settings",
        WARTA_DEBUG="0",
        WARTA_SECRET_KEY=settings.SECRET_KEY,  # the key that signed the session
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
            "1",
            "--bind",
            f"127.0.0.1:{args.port}",
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
    results: dict[tuple[str, str], list[dict[str, float]]] = {}
    try:
        import httpx
        from playwright.sync_api import sync_playwright

        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                httpx.get(f"{base}/healthz", timeout=2)
                break
            except httpx.TransportError:
                time.sleep(0.3)
        with sync_playwright() as pw:
            browser = pw.chromium.launch(
                executable_path=CHROMIUM,
                headless=True,
                args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
            )
            for _ in range(args.runs):
                for label, path in urls:
                    context = browser.new_context(viewport=VIEWPORT, locale="id-ID")  # type: ignore[arg-type]
                    context.add_cookies(
                        [
                            {
                                "name": settings.SESSION_COOKIE_NAME,
                                "value": key,
                                "domain": "127.0.0.1",
                                "path": "/",
                            }
                        ]
                    )
                    context.add_init_script(LONGTASKS)
                    page = context.new_page()
                    results.setdefault((label, "cold"), []).append(_measure(page, base + path))
                    results.setdefault((label, "warm"), []).append(_measure(page, base + path))
                    context.close()
            browser.close()
    finally:
        os.killpg(server.pid, 15)
        server.wait(timeout=10)

    print(f"machine: {machine()}")
    print(
        f"signed in as {username}; viewport {VIEWPORT['width']}x{VIEWPORT['height']}; "
        f"median of {args.runs} runs; gunicorn 1 worker on 127.0.0.1"
    )
    print(
        f"{'page':<10} {'visit':<5} {'bytes':>9} {'html':>8} {'req':>4} "
        f"{'DCL ms':>7} {'load ms':>8} {'TTI ms':>7}"
    )
    for (label, visit), runs in results.items():
        med = {k: statistics.median(r[k] for r in runs) for k in runs[0]}
        print(
            f"{label:<10} {visit:<5} {med['bytes']:>9.0f} {med['html']:>8.0f} "
            f"{med['requests']:>4.0f} {med['dcl']:>7.0f} {med['load']:>8.0f} {med['tti']:>7.0f}"
        )


if __name__ == "__main__":
    main()
