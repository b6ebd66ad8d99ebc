"""Debian's headless Chromium for the browser tests, set up in one place.

    from warta.testing.browser import VIEWPORTS, browser, needs_chromium  # noqa: F401
    pytestmark = [pytest.mark.browser, needs_chromium]

    def test_it(live_server, browser): page = browser.new_page() ...

`browser` is a fixture: a persistent context (a fresh profile, desktop viewport,
Indonesian locale). For another viewport use `persistent_context(monkeypatch,
viewport=...)` in a module's own fixture; for contexts made per test, `launch(monkeypatch)`
gives the browser itself. Screenshots go to `screenshot_dir()`.

Playwright's sync API runs an asyncio loop in the test's thread, which makes Django refuse
ORM calls there; the helpers set DJANGO_ALLOW_ASYNC_UNSAFE for the test only (the live
server runs its own thread, without a loop), and fixtures create their rows before the
browser starts.
"""

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import ViewportSize

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORTS: dict[str, "ViewportSize"] = {
    "desktop": {"width": 1280, "height": 860},
    "phone": {"width": 390, "height": 844},
}
needs_chromium = pytest.mark.skipif(
    not CHROMIUM.exists(), reason="/usr/bin/chromium is not installed"
)


def screenshot_dir() -> Path:
    """Where screenshots go: WARTA_SCREENSHOT_DIR, else var/screenshots, else a temp dir."""
    default = Path(os.environ.get("WARTA_VAR_DIR", "var")) / "screenshots"
    path = Path(os.environ.get("WARTA_SCREENSHOT_DIR", str(default)))
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError:
        path = Path(tempfile.mkdtemp(prefix="warta-screenshots-"))
    return path.resolve()


@contextmanager
def persistent_context(
    monkeypatch: pytest.MonkeyPatch, *, viewport: "ViewportSize | None" = None
) -> Iterator[Any]:
    """A Chromium context on a fresh profile (service workers, storage), closed after."""
    from playwright.sync_api import sync_playwright

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with tempfile.TemporaryDirectory(prefix="warta-chromium-") as profile, sync_playwright() as pw:
        context = pw.chromium.launch_persistent_context(
            profile,
            executable_path=str(CHROMIUM),
            args=ARGS,
            headless=True,
            viewport=viewport or VIEWPORTS["desktop"],
            locale="id-ID",
        )
        try:
            yield context
        finally:
            context.close()


@contextmanager
def launch(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """Chromium itself, for tests that open a new context (or page) per case."""
    from playwright.sync_api import sync_playwright

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def browser(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """A Chromium context at the desktop viewport (see `persistent_context`)."""
    with persistent_context(monkeypatch) as context:
        yield context
