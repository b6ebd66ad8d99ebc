"""The demo, driven in Chromium: an officer publishes to a Sandbox/latihan channel and answers.

As under `make demo`, the sandbox platforms run beside warta and the publisher and the
comment sync run outside the web server (here a thread each, as the worker would).
The browser fixture and its caveats are those of test_browser.py.
"""

import threading
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.db import connection
from django.test import override_settings
from django.urls import reverse

from warta.channels.models import Channel
from warta.channels.services import channel_create
from warta.connectors.fakes.sandbox import Sandbox
from warta.testing.browser import browser, needs_chromium  # noqa: F401
from warta.testing.browser import screenshot_dir as _screenshot_dir
from warta.testing.fixtures import PASSWORD, World

NOW = datetime(2026, 12, 3, 1, 10, tzinfo=UTC)  # Thursday 09:10 WITA
CAPTION = "Vaksinasi gratis di Puskesmas Bontang Utara hari ini sampai pukul 12.00 WITA."
REPLY = "Bisa, Bu. Cukup bawa KTP dan kartu vaksin ke puskesmas terdekat."

pytestmark = [
    pytest.mark.browser,
    needs_chromium,
]


@pytest.fixture
def sandbox(transactional_db: None, world: World) -> Iterator[tuple[Sandbox, Channel]]:
    running = Sandbox(seed=3).start()
    channel = channel_create(
        actor=None,
        agency=world.agency_a,
        platform="facebook",
        handle="dinkes.bontang",
        mode="sandbox",
        external_id="4242",
    )
    with override_settings(WARTA_SANDBOX_URL=running.base_url):
        yield running, channel
    running.stop()


def as_worker(work: Callable[[], object]) -> None:
    """Run `work` in a thread of its own, with its own database connection, like the worker."""

    def run() -> None:
        try:
            work()
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(timeout=60)


def test_an_officer_publishes_on_the_sandbox_and_answers_a_comment_there(
    sandbox: tuple[Sandbox, Channel],
    live_server,  # type: ignore[no-untyped-def]
    browser,  # type: ignore[no-untyped-def]  # noqa: F811
) -> None:
    from warta.content.publishing import due_variants_enqueue
    from warta.engagement.ingest import channel_sync_comments

    platforms, channel = sandbox
    out = _screenshot_dir()
    page = browser.new_page()
    with time_machine.travel(NOW, tick=True):
        page.goto(f"{live_server.url}/masuk/")
        page.fill("#id_username", "alice")
        page.fill("#id_password", PASSWORD)
        page.click("main button[type=submit]")
        page.wait_for_url(f"{live_server.url}/")

        page.goto(live_server.url + reverse("content:post_new"))
        page.fill("#id_message", CAPTION)
        page.get_by_label("Halaman Facebook dinkes.bontang (latihan)").check()
        page.get_by_role("button", name="Buat draf").click()
        page.wait_for_url("**/konten/**")
        # Two minutes ahead, in the region's time.
        page.locator("input[name$='-scheduled_at']").first.fill("2026-12-03T09:12")
        page.get_by_role("button", name="Periksa & jadwalkan").click()
        page.wait_for_load_state()
        assert page.get_by_text("Terjadwal").first.is_visible()
        assert page.get_by_test_id("sandbox-badge").first.is_visible()
        post_url = page.url

    with time_machine.travel(NOW + timedelta(minutes=2, seconds=5), tick=True):
        as_worker(due_variants_enqueue)  # the scheduler's tick; the task publishes
        page.goto(post_url)
        link = page.locator("a[data-testid^='platform-link-']")
        assert link.inner_text() == "lihat di sandbox"
        for width in (360, 1366):
            page.set_viewport_size({"width": width, "height": 900})
            page.screenshot(path=str(out / f"sandbox-post-{width}.png"), full_page=True)
        link.click()
        page.wait_for_load_state()
        assert "SANDBOX / LATIHAN" in page.content()
        assert page.get_by_text(CAPTION).is_visible()

        # A resident comments on the sandbox; the sync brings it to the inbox.
        assert platforms.live_once()
        as_worker(lambda: channel_sync_comments(channel_id=channel.pk))
        page.goto(live_server.url + reverse("engagement:inbox"))
        assert page.get_by_test_id("sandbox-badge").first.is_visible()
        page.get_by_role("link", name="Buka").first.click()
        page.wait_for_load_state()
        page.locator("textarea[name$='text']").fill(REPLY)
        page.get_by_role("button", name="Kirim balasan lewat warta").click()
        page.wait_for_load_state()

        page.goto(post_url)
        page.locator("a[data-testid^='platform-link-']").click()
        page.wait_for_load_state()
        assert page.get_by_text(REPLY).is_visible()
        page.set_viewport_size({"width": 360, "height": 900})
        page.screenshot(path=str(out / "sandbox-platform-page-360.png"), full_page=True)
