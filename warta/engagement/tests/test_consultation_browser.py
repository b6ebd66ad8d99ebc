"""Chromium reads a consultation of many themes, one theme's input, and a paginated list.

Screenshots at 360 px and 1366 px land in var/screenshots (WARTA_SCREENSHOT_DIR); no page
is wider than the phone's screen.
"""

from datetime import timedelta

import pytest
import time_machine

from warta.analytics.tests.test_briefing_browser import SIZES, browser  # noqa: F401  (fixture)
from warta.engagement.models import Consultation, ConsultationTheme
from warta.institutions.models import Agency
from warta.testing.browser import needs_chromium, screenshot_dir
from warta.testing.fixtures import PASSWORD

from .test_consultation_queries import NOW, add_themes

pytestmark = [pytest.mark.browser, needs_chromium]


def _login(page, base: str, username: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{base}/masuk/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{base}/")


def test_many_themes_and_long_lists_read_on_a_phone_and_a_laptop(
    transactional_db,  # type: ignore[no-untyped-def]
    world,  # type: ignore[no-untyped-def]
    live_server,  # type: ignore[no-untyped-def]
    browser,  # type: ignore[no-untyped-def]  # noqa: F811
) -> None:
    c = Consultation.objects.create(
        agency=world.agency_a,
        title="Taman kota untuk semua",
        question="Apa yang perlu diperbaiki di taman kota?",
        opens_at=NOW - timedelta(days=3),
        closes_at=NOW + timedelta(days=3),
    )
    add_themes(c, 25, inputs=8)
    add_themes(c, 1, inputs=70)
    theme = ConsultationTheme.objects.filter(consultation=c).order_by("id").last()
    assert theme is not None
    for i in range(60):
        Agency.objects.create(region=world.region, name=f"Kecamatan Uji {i}", short_name=f"K{i}")
    out = screenshot_dir()
    errors: list[str] = []
    with time_machine.travel(NOW, tick=True):
        page = browser.new_page()  # type: ignore[attr-defined]
        page.on("pageerror", lambda e: errors.append(str(e)))
        _login(page, live_server.url, "alice")
        shots = [
            ("consultation-detail", f"/interaksi/konsultasi/{c.pk}/"),
            ("consultation-theme-inputs", f"/interaksi/tema/{theme.pk}/masukan/?page=2"),
        ]
        for name, path in shots:
            page.goto(live_server.url + path)
            for size, viewport in SIZES.items():
                page.set_viewport_size(viewport)
                assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
                page.screenshot(path=str(out / f"{name}-{size}.png"), full_page=True)
            page.set_viewport_size(SIZES["1366"])
        assert "Halaman 2 dari 2" in page.content()
        page.context.clear_cookies()
        _login(page, live_server.url, "cora")
        page.goto(live_server.url + "/institusi/opd/?page=2")
        for size, viewport in SIZES.items():
            page.set_viewport_size(viewport)
            assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
            page.screenshot(path=str(out / f"agency-list-page-2-{size}.png"), full_page=True)
        assert "Halaman 2 dari 2" in page.content()
    assert errors == []
