"""WCAG 2.1 AA on the main pages (axe-core in Chromium), and the main actions by keyboard.

axe-core is a test-only asset (tests/assets/axe-core, MPL-2.0), evaluated in the page
through the DevTools protocol, so the site's strict CSP stays on while it runs. Pages
are found by URL name; pages of apps not yet merged are skipped by name, so the check
covers each page the day it lands. Serious and critical violations fail the test.
"""

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.urls import NoReverseMatch, reverse

from warta.testing.browser import VIEWPORTS, launch, needs_chromium
from warta.testing.fixtures import PASSWORD, World

AXE = Path(__file__).parent / "assets" / "axe-core" / "axe.min.js"
# The main pages of the issue: (URL name, needs a sign-in).
MAIN_PAGES = [
    ("login", False),
    ("home", True),
    ("content:calendar", True),
    ("content:post_new", True),
    ("engagement:inbox", True),
    ("analytics:dashboard", True),
    ("engagement:public_region", False),
    ("core:twofactor_setup", True),
]
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

pytestmark = [
    pytest.mark.browser,
    needs_chromium,
]


def _urls(world: World) -> list[tuple[str, str, bool]]:
    out = []
    for name, signed_in in MAIN_PAGES:
        try:
            url = reverse(name)
        except NoReverseMatch:
            try:  # the public pages are per region
                url = reverse(name, kwargs={"region": world.region.slug})
            except NoReverseMatch:
                continue  # not merged yet
        out.append((name, url, signed_in))
    return out


@pytest.fixture
def page(transactional_db: None, world: World, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    with launch(monkeypatch) as browser:
        context = browser.new_context(viewport=VIEWPORTS["desktop"], locale="id-ID")
        try:
            yield context.new_page()
        finally:
            context.close()


def _sign_in(page: Any, base: str, username: str) -> None:
    page.goto(f"{base}/masuk/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]:has-text('Masuk')")
    page.wait_for_load_state()


def _serious(page: Any) -> list[dict[str, Any]]:
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text())
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG
    )
    return [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "targets": [n["target"] for n in v["nodes"][:5]],
        }
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def test_the_main_pages_have_no_serious_accessibility_violations(
    page: Any, live_server: Any, world: World
) -> None:
    urls = _urls(world)
    failures: dict[str, list[dict[str, Any]]] = {}
    for name, url, signed_in in urls:
        if not signed_in:
            response = page.goto(live_server.url + url)
            assert response.status < 400, f"{name}: {response.status}"
            failures[name] = _serious(page)
    _sign_in(page, live_server.url, "cora")
    for name, url, signed_in in urls:
        if signed_in:
            response = page.goto(live_server.url + url)
            assert response.status < 400, f"{name}: {response.status}"
            failures[name] = _serious(page)
    failures = {name: found for name, found in failures.items() if found}
    assert failures == {}, json.dumps(failures, indent=1)


def test_signing_in_and_moving_around_works_by_keyboard_alone(page: Any, live_server: Any) -> None:
    page.goto(live_server.url + "/masuk/")
    # The name field has the focus already (autofocus), or is reached by Tab.
    for _ in range(12):
        if page.evaluate("document.activeElement.id") == "id_username":
            break
        page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "id_username"
    page.keyboard.type("alice")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "id_password"
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(live_server.url + "/")
    # The first Tab offers to skip the menu; Enter on it jumps to the content.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    page.keyboard.press("Enter")
    # The jump is a same-document navigation that the browser reports a moment later.
    page.wait_for_url(live_server.url + "/#main", timeout=5000)
    page.goto(live_server.url + "/")

    # Every link and button of the page is reachable by Tab and shows where focus is.
    seen: list[dict[str, Any]] = []
    unmarked = []
    for _ in range(60):
        page.keyboard.press("Tab")
        info = page.evaluate(
            """() => { const e = document.activeElement; const s = getComputedStyle(e);
            return {tag: e.tagName, text: (e.innerText || e.value || '').trim().slice(0, 40),
                    href: e.getAttribute('href'),
                    marked: s.outlineStyle !== 'none' || s.boxShadow !== 'none'}; }"""
        )
        if info["tag"] == "BODY" or (seen and info == seen[0]):
            break
        seen.append(info)
        if not info["marked"]:
            unmarked.append(info)
    texts = {item["text"] for item in seen}
    assert "Keluar" in texts
    assert unmarked == []
    # Enter on a menu entry follows it.
    target = next(i for i in seen if i["tag"] == "A" and i["href"] not in (None, "/", "#main"))
    page.goto(live_server.url + "/")
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.getAttribute('href')") == target["href"]:
            break
    with page.expect_navigation():
        page.keyboard.press("Enter")
    # The entry may lead on (analytics sends an officer to the own agency's dashboard).
    assert urlsplit(page.url).path.startswith(target["href"])
    # And signing out is a button reached the same way.
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.dataset.testid") == "logout":
            break
    page.keyboard.press("Enter")
    page.wait_for_url(live_server.url + "/masuk/")
