"""In Chromium: warta installs a service worker, works offline with its offline page, and
keeps a draft typed on a bad connection on the device until it is sent."""

import contextlib
from typing import Any

import pytest

from warta.testing.browser import VIEWPORTS, browser, needs_chromium  # noqa: F401
from warta.testing.fixtures import PASSWORD, World

pytestmark = [
    pytest.mark.browser,
    needs_chromium,
]
TEXT = "Usulan taman baca di Kelurahan Api-Api, ditulis di lapangan tanpa sinyal."
DRAFT_KEYS = "() => Object.keys(localStorage).filter(k => k.startsWith('warta:draft:'))"


def _sign_in(page: Any, base: str) -> None:
    page.goto(f"{base}/masuk/")
    page.fill("#id_username", "alice")
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{base}/")


def test_the_worker_caches_assets_not_pages_and_a_draft_outlives_a_lost_connection(
    transactional_db: None,
    world: World,
    live_server: Any,
    browser: Any,  # noqa: F811
) -> None:
    base = live_server.url
    page = browser.new_page()
    page.set_viewport_size(VIEWPORTS["phone"])
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    _sign_in(page, base)
    assert page.evaluate(
        "async () => (await navigator.serviceWorker.ready).active.scriptURL"
    ).endswith("/sw.js")
    cached = page.evaluate(
        """async () => { const out = [];
        for (const name of await caches.keys()) {
          for (const r of await (await caches.open(name)).keys()) out.push(new URL(r.url).pathname);
        } return out; }"""
    )
    assert "/static/warta/warta.css" in cached and "/luring/" in cached
    assert [p for p in cached if not p.startswith("/static/")] == ["/luring/"]

    # Offline, a page opens as the offline page (no one's data in it).
    context = page.context
    context.set_offline(True)
    page.goto(f"{base}/konten/")
    assert "Tidak tersambung" in page.inner_text("main")
    context.set_offline(False)

    # A draft typed, then the connection drops as it is sent: the text stays on the phone.
    form_url = f"{base}/interaksi/konsultasi/baru/"
    page.goto(form_url)
    page.fill("#id_title", "Taman baca")
    page.fill("#id_question", TEXT)
    page.fill("#id_opens_at", "2030-01-06T08:00")
    page.fill("#id_closes_at", "2030-01-20T16:00")
    context.set_offline(True)
    # The browser shows its own error page (or the click times out): either way nothing
    # reached the server.
    with contextlib.suppress(Exception):
        page.click("main form button[type=submit]", timeout=3000)
        page.wait_for_load_state()
    context.set_offline(False)
    page.goto(form_url)
    offer = page.locator(".draft-offer")
    offer.wait_for()
    assert page.input_value("#id_question") == ""
    page.get_by_role("button", name="Pulihkan teks").click()
    assert page.input_value("#id_question") == TEXT

    # Sent for real: the server took it, the device forgets the draft.
    page.select_option("#id_agency", index=1)
    page.fill("#id_title", "Taman baca")
    page.fill("#id_opens_at", "2030-01-06T08:00")
    page.fill("#id_closes_at", "2030-01-20T16:00")
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    assert page.url != form_url, page.inner_text("main")[:500]
    assert page.evaluate(DRAFT_KEYS) == []

    # "Buang" drops a draft; signing out takes every draft of the person off the device.
    page.goto(form_url)
    page.fill("#id_question", "Teks lain")
    page.wait_for_timeout(500)  # the draft is written 300 ms after the last key
    assert len(page.evaluate(DRAFT_KEYS)) == 1
    page.goto(form_url)
    page.get_by_role("button", name="Buang").click()
    assert page.evaluate(DRAFT_KEYS) == []
    page.fill("#id_question", "Teks ketiga")
    page.wait_for_timeout(500)
    page.get_by_test_id("menu").click()
    page.get_by_test_id("logout").click()
    page.wait_for_url(f"{base}/masuk/")
    assert page.evaluate(DRAFT_KEYS) == []
    assert errors == []
