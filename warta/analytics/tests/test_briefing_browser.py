"""Chromium reads the coordinator's dashboard, the monthly report and the letterhead page.

Screenshots at 360 px and 1366 px land in var/screenshots (WARTA_SCREENSHOT_DIR). The
data is the November of test_one_figure; no chart label may overlap another.
"""

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest
import time_machine

from warta.testing.browser import needs_chromium, persistent_context
from warta.testing.browser import screenshot_dir as _screenshot_dir
from warta.testing.fixtures import PASSWORD

from .test_one_figure import NOW, november  # noqa: F401  (the fixture)

if TYPE_CHECKING:
    from playwright.sync_api import ViewportSize

pytestmark = [
    pytest.mark.browser,
    needs_chromium,
]
SIZES: dict[str, "ViewportSize"] = {
    "360": {"width": 360, "height": 780},
    "1366": {"width": 1366, "height": 900},
}
# Bounding boxes of every text of every chart: no two may intersect.
OVERLAPS = """() => {
  const bad = [];
  for (const svg of document.querySelectorAll("svg.chart")) {
    const boxes = [...svg.querySelectorAll("text")].map(t => t.getBoundingClientRect());
    for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
      const a = boxes[i], b = boxes[j];
      if (a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom) bad.push([i, j]);
    }
  }
  return bad;
}"""


@pytest.fixture
def browser(monkeypatch: pytest.MonkeyPatch) -> Iterator[object]:
    with persistent_context(monkeypatch, viewport=SIZES["1366"]) as context:
        yield context


def test_the_coordinator_reads_warnings_report_and_letterhead(
    transactional_db,  # type: ignore[no-untyped-def]
    november,  # type: ignore[no-untyped-def]  # noqa: F811
    live_server,  # type: ignore[no-untyped-def]
    browser,  # type: ignore[no-untyped-def]
) -> None:
    out = _screenshot_dir()
    errors: list[str] = []
    with time_machine.travel(NOW, tick=True):
        page = browser.new_page()  # type: ignore[attr-defined]
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(f"{live_server.url}/masuk/")
        page.fill("#id_username", "cora")
        page.fill("#id_password", PASSWORD)
        page.click("main button[type=submit]")
        page.wait_for_url(f"{live_server.url}/")
        for name, path in (
            ("analytics-dashboard", "/analitik/?start=2026-11-01&end=2026-11-30"),
            ("analytics-report", "/analitik/laporan/?month=2026-11"),
            ("region-letterhead", "/institusi/daerah/"),
        ):
            page.goto(live_server.url + path)
            for size, viewport in SIZES.items():
                page.set_viewport_size(viewport)
                assert page.evaluate(OVERLAPS) == [], (name, size)
                # Nothing wider than the phone's screen.
                assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
                page.screenshot(path=str(out / f"{name}-{size}.png"), full_page=True)
            page.set_viewport_size(SIZES["1366"])
        page.goto(live_server.url + "/analitik/?start=2026-11-01&end=2026-11-30")
        warnings = page.locator("section.warnings").inner_text()
        # Grouped per agency, the most severe first, each with what to do.
        assert warnings.index("Dinkes") < warnings.index("Yang perlu dilakukan")
        assert "Mendesak" in warnings
    assert errors == []
