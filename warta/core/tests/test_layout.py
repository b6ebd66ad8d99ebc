"""The layout walk: every page of every role's menu, at 360 px and 1366 px, in Chromium.

Fails on what a person would call broken (warta.testing.layout): a page wider than the
screen, content to scroll sideways, form controls drawn over one another, tap targets
under 24 x 24 px (WCAG 2.2 2.5.8; inline links in a sentence are exempt), English or
framework leftovers; on any menu link answering 4xx/5xx; and on a serious or critical
axe-core violation (checked once per page, at the phone width). Screenshots of every
page go to var/screenshots/layout/ (WARTA_SCREENSHOT_DIR), to be looked at.

The pages carry some content (a post per state, inbox items, a request, a consultation)
so that tables, badges and lists are drawn, not only their empty states.
"""

import json
import re
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from warta.channels.models import Channel
from warta.content.models import Post, PostVariant
from warta.core.tests.test_accessibility import AXE, WCAG
from warta.engagement.models import Consultation, InboxItem, InformationRequest
from warta.institutions.models import Officer
from warta.testing.browser import launch, needs_chromium
from warta.testing.browser import screenshot_dir as _screenshot_dir
from warta.testing.fixtures import World, make_person
from warta.testing.layout import check_page

pytestmark = [
    pytest.mark.browser,
    needs_chromium,
]
WIDTHS = {"phone": {"width": 360, "height": 780}, "desktop": {"width": 1366, "height": 900}}
ROLES = ["cora", "alice", "hana", "vera"]
MENU_LINKS = (
    "() => [...document.querySelectorAll('header.site a[href]')].map(a => a.getAttribute('href'))"
)


def _content(world: World) -> None:
    now = timezone.now()
    fb = Channel.objects.create(
        agency=world.agency_a, platform="facebook", handle="Dinkes Kota Uji"
    )
    for n, status in enumerate(
        [PostVariant.Status.SCHEDULED, PostVariant.Status.FAILED, PostVariant.Status.DRAFT]
    ):
        post = Post.objects.create(
            agency=world.agency_a,
            title=f"Halaman Facebook: jadwal posyandu bulan Desember nomor {n}",
            message="Posyandu buka pukul 08.00 WITA di seluruh kelurahan.",
            created_by=world.alice,
        )
        PostVariant.objects.create(
            post=post,
            channel=fb,
            caption=post.message,
            status=status,
            scheduled_at=now + timedelta(days=n + 1) if status != "draft" else None,
            last_error="Token kedaluwarsa" if status == "failed" else "",
        )
    for n in range(3):
        InboxItem.objects.create(
            agency=world.agency_a,
            channel=world.channel_a,
            platform_item_id=f"layout-{n}",
            author_handle=f"@warga_dengan_nama_yang_sangat_panjang_{n}",
            text="Kapan jadwal vaksin anak di Puskesmas Bontang Utara? " * 2,
            received_at=now - timedelta(hours=n + 1),
            response_due_at=now + timedelta(hours=2 - n * 2),
        )
    InformationRequest.objects.create(
        agency=world.agency_a,
        year=now.year,
        sequence=1,
        register_number=f"001/PPID-Dinkes/{now.year}",
        origin=InformationRequest.Origin.WEBSITE,
        requester_name="Budi Santoso",
        requester_contact="b***@example.test",
        information_requested="Rincian anggaran posyandu",
        received_at=now - timedelta(days=3),
        due_at=now + timedelta(days=4),
        original_due_at=now + timedelta(days=4),
    )
    Consultation.objects.create(
        agency=world.agency_a,
        title="Taman kota baru",
        question="Apa yang Anda perlukan di taman kota?",
        opens_at=now - timedelta(days=2),
        closes_at=now + timedelta(days=5),
    )


@pytest.fixture
def sessions(transactional_db: None, world: World) -> dict[str, str]:
    """A signed-in session per role, made before the browser starts (see test_browser)."""
    make_person("vera", world.region, Officer.Role.VIEWER, [world.agency_a])
    _content(world)
    out = {}
    for username in ROLES:
        client = Client()
        client.force_login(getattr(world, username, None) or _user(username))
        out[username] = client.cookies[settings.SESSION_COOKIE_NAME].value
    return out


def _user(username: str) -> Any:
    from django.contrib.auth.models import User

    return User.objects.get(username=username)


@pytest.fixture
def chromium(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    with launch(monkeypatch) as browser:
        yield browser


def _slug(path: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-") or "home"


def _axe(page: Any) -> list[str]:
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text())
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG
    )
    return [
        f"axe {v['impact']}: {v['id']} {[n['target'] for n in v['nodes'][:3]]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def walk(
    browser: Any,
    base: str,
    session: str | None,
    out: Path,
    who: str,
    axed: set[str],
    shot: set[tuple[str, str]],
) -> dict[str, Any]:
    """Every menu page of one person at both widths: {url: [problems]} for the failures.

    axe-core runs once per page (the first person to reach it, at the phone width): it is
    most of the walk's time, and the roles see the same markup with other rows. So is the
    screenshot (one per page and width, named after the person who saw it).
    """
    context = browser.new_context(locale="id-ID", viewport=WIDTHS["phone"])
    if session:
        host = urlsplit(base).hostname
        context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": session, "domain": host, "path": "/"}]
        )
    page = context.new_page()
    failures: dict[str, Any] = {}
    try:
        page.goto(base + ("/" if session else "/masuk/"))
        links = sorted({h for h in page.evaluate(MENU_LINKS) if h.startswith("/")})
        if not session:
            links = sorted({*links, "/masuk/"})
        for path in links:
            found: list[str] = []
            for name, size in WIDTHS.items():
                page.set_viewport_size(size)
                response = page.goto(base + path)
                if response is None or response.status >= 400:
                    found.append(f"answers {response.status if response else 'nothing'}")
                    break
                found += [f"{name}: {p}" for p in check_page(page)]
                if name == "phone" and path not in axed:
                    axed.add(path)
                    found += _axe(page)
                # The home differs most by role: each person's is kept.
                key = (path if path != "/" else f"/{who}", name)
                if key not in shot:
                    shot.add(key)
                    shot_path = out / f"{_slug(path)}-{size['width']}-{who}.png"
                    page.screenshot(path=str(shot_path), full_page=True)
            if found:
                failures[path] = found
    finally:
        context.close()
    return failures


def test_every_menu_page_of_every_role_holds_together_at_360_and_1366_px(
    sessions: dict[str, str], live_server: Any, chromium: Any
) -> None:
    out = _screenshot_dir() / "layout"
    out.mkdir(exist_ok=True)
    failures: dict[str, Any] = {}
    axed: set[str] = set()
    shot: set[tuple[str, str]] = set()
    for who in [*ROLES, "anonymous"]:
        found = walk(chromium, live_server.url, sessions.get(who), out, who, axed, shot)
        failures.update({f"{who} {path}": problems for path, problems in found.items()})
    assert failures == {}, json.dumps(failures, indent=1, ensure_ascii=False)


def test_the_walk_sees_a_page_wider_than_the_phone(chromium: Any, tmp_path: Path) -> None:
    """The checks themselves: a broken page fails them (a test that cannot fail is none)."""
    page = chromium.new_page(viewport=WIDTHS["phone"])
    page.set_content(
        "<main><p>Teks</p><div style='width:900px'>lebar</div>"
        "<input style='position:absolute;top:0;left:0'><input style='position:absolute;top:0;left:0'>"
        "<p>Select an option</p><button style='width:10px;height:10px;padding:0'></button>"
        "<button style='width:10px;height:10px;padding:0'></button></main>"
    )
    problems = " | ".join(check_page(page))
    assert "px wide on a 360-px screen" in problems
    assert "controls overlap" in problems
    assert "tap target under 24 px" in problems
    assert "Select an option" in problems
