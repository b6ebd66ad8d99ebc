"""The channel page in Chromium: a token about to expire says when, and one click opens the form."""

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import time_machine

from warta.channels.models import Channel
from warta.testing.browser import browser, needs_chromium  # noqa: F401
from warta.testing.browser import screenshot_dir as _screenshot_dir
from warta.testing.fixtures import PASSWORD, World

pytestmark = [
    pytest.mark.browser,
    needs_chromium,
]
SIZES = {"360": {"width": 360, "height": 800}, "1366": {"width": 1366, "height": 900}}


def test_one_click_from_the_warning_reaches_the_reconnect_form(
    transactional_db: None,
    world: World,
    live_server: Any,
    browser: Any,  # noqa: F811
) -> None:
    now = datetime(2026, 12, 2, 4, 0, tzinfo=UTC)  # Wednesday 12:00 WITA
    channel = Channel.objects.create(
        agency=world.agency_a,
        platform="facebook",
        handle="dinkes.kota.uji",
        external_id="1000",
        mode="api",
        credentials_encrypted="",
        token_expires_at=now + timedelta(days=2, hours=3),
    )
    with time_machine.travel(now, tick=True):
        page = browser.new_page()
        page.goto(f"{live_server.url}/masuk/")
        page.fill("#id_username", "alice")
        page.fill("#id_password", PASSWORD)
        page.click("main button[type=submit]")
        page.wait_for_url(f"{live_server.url}/")
        for name, size in SIZES.items():
            page.set_viewport_size(size)  # type: ignore[arg-type]
            page.goto(f"{live_server.url}/kanal/{channel.pk}/")
            notice = page.get_by_test_id("reconnect-notice")
            assert "Jumat, 4 Des 2026 15:00 WITA" in notice.inner_text()
            page.screenshot(
                path=str(_screenshot_dir() / f"channel-reconnect-{name}.png"), full_page=True
            )
            notice.get_by_role("link", name="Sambungkan ulang sekarang").click()
            page.wait_for_url(f"**/kanal/{channel.pk}/#sambung-ulang")
            assert page.locator("#sambung-ulang h2").inner_text() == "Sambungkan ulang"
            assert page.locator("#sambung-ulang").is_visible()
