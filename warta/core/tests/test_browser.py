"""Drive Debian's Chromium against the live server: each role signs in and sees its menu.

Playwright's sync API runs an asyncio loop in this thread, which makes Django refuse ORM
calls here; the fixtures create their rows before the browser starts, and
DJANGO_ALLOW_ASYNC_UNSAFE is set for this module's tests only (the server runs its own
thread, without a loop).
"""

import pytest

from warta.institutions.models import Officer
from warta.testing.browser import VIEWPORTS, browser, needs_chromium  # noqa: F401
from warta.testing.browser import screenshot_dir as _screenshot_dir
from warta.testing.fixtures import PASSWORD, World, make_person

# What each role must (and must not) find in the main navigation.
EXPECTED = {
    "cora": ({"Beranda", "Perangkat daerah", "Petugas", "Kanal", "Log audit"}, set()),
    "alice": ({"Beranda", "Perangkat daerah", "Kanal"}, {"Petugas", "Log audit"}),
    "hana": ({"Beranda", "Perangkat daerah", "Kanal"}, {"Petugas", "Log audit"}),
    "vera": ({"Beranda", "Perangkat daerah", "Kanal"}, {"Petugas", "Log audit"}),
}
pytestmark = [
    pytest.mark.browser,
    needs_chromium,
]


@pytest.fixture
def people(transactional_db: None, world: World) -> World:
    # Made before the browser starts: under Playwright's greenlets the ORM would open a
    # connection in another context, which pytest-django never closes (PostgreSQL then
    # refuses to drop the test database).
    make_person("vera", world.region, Officer.Role.VIEWER, [world.agency_a])
    return world


def test_each_role_signs_in_and_sees_its_navigation(
    people: World,
    live_server,  # type: ignore[no-untyped-def]
    browser,  # type: ignore[no-untyped-def]  # noqa: F811
    capsys: pytest.CaptureFixture[str],
) -> None:
    out = _screenshot_dir()
    errors: list[str] = []
    page = browser.new_page()  # type: ignore[attr-defined]
    # A CSP violation or a script error shows up on the console; there must be none.
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    for username, (must, must_not) in EXPECTED.items():
        page.set_viewport_size(VIEWPORTS["desktop"])
        page.goto(f"{live_server.url}/masuk/")
        page.fill("#id_username", username)
        page.fill("#id_password", PASSWORD)
        page.click("main button[type=submit]")
        page.wait_for_url(f"{live_server.url}/")
        # The secondary menu ("Pengaturan") is folded: its links count by their text.
        labels = {t.strip() for t in page.locator("header nav a").all_text_contents()}
        assert must <= labels, (username, labels)
        assert not (must_not & labels), (username, labels)
        assert page.get_by_test_id("role").is_visible()
        for name, size in VIEWPORTS.items():
            page.set_viewport_size(size)
            menu, logout = page.get_by_test_id("menu"), page.get_by_test_id("logout")
            if name == "phone":
                # The menu folds behind one button; opening it shows every link.
                assert menu.is_visible() and not logout.is_visible()
                menu.click()
                assert logout.is_visible() and menu.get_attribute("aria-expanded") == "true"
            else:
                assert not menu.is_visible() and logout.is_visible()
            path = out / f"home-{username}-{name}.png"
            page.screenshot(path=str(path), full_page=True)
        page.get_by_test_id("logout").click()
        page.wait_for_url(f"{live_server.url}/masuk/")
    assert not errors, errors
    with capsys.disabled():
        print(f"\nscreenshots: {out}")
