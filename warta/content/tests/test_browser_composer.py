"""The composer in Chromium on a phone: message + photo to three networks in ≤ 8 actions.

Times are computed from warta.lib.clock (two days from today, 09:00 in the region's
zone), so the test holds on any date, also under --clock=+400d. The browser keeps its own
clock; nothing in the composer reads it.
"""

import io
from datetime import datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import dateformat, translation
from PIL import Image

from warta.channels.models import Channel
from warta.content.models import MediaAsset, Post, PostVariant
from warta.lib import clock
from warta.testing.browser import browser, needs_chromium  # noqa: F401
from warta.testing.browser import screenshot_dir as _screenshot_dir
from warta.testing.fixtures import PASSWORD, World

pytestmark = [
    pytest.mark.browser,
    needs_chromium,
]
WITA = ZoneInfo("Asia/Makassar")
PHONE = {"width": 360, "height": 780}
DESKTOP = {"width": 1366, "height": 900}
MESSAGE = "Posyandu balita Sabtu pukul 08.00 WITA di Puskesmas Bontang Utara. Gratis!"


class Officer:
    """The person at the phone: every click, fill, check and upload is one action."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.actions: list[str] = []

    def open(self, url: str) -> None:
        self.actions.append(f"open {url}")
        self.page.goto(url)

    def fill(self, locator: Any, value: str) -> None:
        self.actions.append("fill")
        locator.fill(value)

    def check(self, locator: Any) -> None:
        self.actions.append("check")
        locator.check()

    def click(self, locator: Any) -> None:
        self.actions.append("click")
        locator.click()

    def upload(self, locator: Any, path: Path) -> None:
        self.actions.append("upload")
        locator.set_input_files(str(path))


@pytest.fixture
def channels(transactional_db: None, world: World) -> dict[str, Channel]:
    return {
        "instagram": world.channel_a,
        "facebook": Channel.objects.create(
            agency=world.agency_a, platform="facebook", handle="dinkes.uji", mode="api"
        ),
        "x": Channel.objects.create(
            agency=world.agency_a, platform="x", handle="dinkesuji", mode="api"
        ),
    }


@pytest.fixture
def photo(tmp_path: Path) -> Path:
    path = tmp_path / "posyandu.jpg"
    image = Image.new("RGB", (1200, 1000), (30, 120, 200))
    for x in range(0, 1200, 100):  # stripes, to see the crop in a screenshot
        image.paste((240, 200, 40), (x, 0, x + 50, 1000))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG")
    path.write_bytes(buffer.getvalue())
    return path


def _target() -> datetime:
    """Two days from the region's today, 09:00 WITA."""
    return datetime.combine(clock.localdate(WITA) + timedelta(days=2), time(9, 0), tzinfo=WITA)


def _sign_in(page: Any, base: str) -> None:
    page.goto(f"{base}/masuk/")
    page.fill("#id_username", "alice")
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{base}/")


def _shoot(page: Any, out: Path, name: str) -> None:
    """Full-page screenshots at 360 and 1366 px, from the top (the previews are sticky)."""
    for size in (PHONE, DESKTOP):
        page.set_viewport_size(size)
        page.evaluate("window.scrollTo(0, 0)")
        page.screenshot(path=str(out / f"composer-{name}-{size['width']}.png"), full_page=True)
    page.set_viewport_size(PHONE)


def _no_sideways_scroll(page: Any) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]


def test_message_and_photo_to_three_networks_scheduled_in_at_most_8_actions(
    channels: dict[str, Channel],
    photo: Path,
    live_server: Any,
    browser: Any,  # noqa: F811
) -> None:
    out = _screenshot_dir()
    page = browser.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("requestfailed", lambda r: errors.append(f"failed {r.url} {r.failure}"))
    page.on("response", lambda r: errors.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    page.set_viewport_size(PHONE)
    _sign_in(page, live_server.url)
    when = _target()

    officer = Officer(page)
    officer.open(live_server.url + reverse("content:post_new"))
    _shoot(page, out, "empty")
    officer.fill(page.get_by_label("Pesan", exact=True), MESSAGE)
    officer.upload(page.get_by_label("Tambah dari galeri atau kamera"), photo)
    page.locator("#picked-media input[name=media_ids]").wait_for()
    for platform in ("instagram", "facebook", "x"):
        officer.check(page.locator(f"#ch-{channels[platform].pk}"))
    officer.fill(page.get_by_label("Satu waktu untuk semua kanal"), when.strftime("%Y-%m-%dT%H:%M"))
    # The previews followed the typing: one card per network, with the photo, the time
    # chosen (in words, with the zone) and the network's counter.
    with translation.override("id"):
        shown = dateformat.format(when, "j M Y, H:i") + " WITA"
    for platform in ("instagram", "facebook", "x"):
        card = page.get_by_test_id(f"preview-{platform}")
        card.locator("img").wait_for()
        card.get_by_text(shown).wait_for()
    x_counter = page.get_by_test_id("counter-x").inner_text()
    assert x_counter.startswith(f"{len(MESSAGE)} / 280")
    assert "0 / 30 tagar" in page.get_by_test_id("counter-instagram").inner_text()
    _no_sideways_scroll(page)
    _shoot(page, out, "previews")
    officer.click(page.get_by_role("button", name="Periksa & jadwalkan"))
    page.wait_for_url("**/konten/unggahan/*/")

    assert len(officer.actions) <= 8, officer.actions
    print(f"composer: {len(officer.actions)} actions: {officer.actions}")
    assert "3 varian dijadwalkan" in page.locator(".messages").inner_text()
    post = Post.objects.get()
    assert [m.original_name for m in post.ordered_media()] == ["posyandu.jpg"]
    variants = list(post.variants.select_related("channel"))
    assert {v.channel.platform for v in variants} == {"instagram", "facebook", "x"}
    for variant in variants:
        assert variant.status == PostVariant.Status.SCHEDULED
        assert variant.scheduled_at == when
    assert MediaAsset.objects.count() == 1  # the upload was not sent a second time
    assert errors == [], errors


def test_an_edit_typed_before_pressing_any_button_survives_scheduling(
    channels: dict[str, Channel],
    live_server: Any,
    browser: Any,  # noqa: F811
) -> None:
    out = _screenshot_dir()
    page = browser.new_page()
    page.set_viewport_size(PHONE)
    _sign_in(page, live_server.url)
    x = channels["x"]
    when = _target()
    page.goto(live_server.url + reverse("content:post_new"))
    page.get_by_label("Pesan", exact=True).fill(MESSAGE)
    page.locator(f"#ch-{x.pk}").check()
    page.locator(f"#ch-{channels['facebook'].pk}").check()
    page.get_by_label("Satu waktu untuk semua kanal").fill(when.strftime("%Y-%m-%dT%H:%M"))
    # First an X text too long for X: refused, and everything typed is still there.
    long_text = "Jadwal vaksinasi lengkap di semua puskesmas kota. " * 7
    page.locator("li.platform-x details.channel-panel > summary").click()
    page.locator(f"#id_c{x.pk}_caption").fill(long_text)
    page.get_by_test_id("counter-x").get_by_text("lebih").wait_for()
    page.get_by_role("button", name="Periksa & jadwalkan").click()
    page.wait_for_load_state()
    summary = page.get_by_test_id("error-summary")
    assert "batasnya 280" in summary.inner_text()
    assert page.locator(f"#id_c{x.pk}_caption").input_value() == long_text
    assert page.get_by_label("Pesan", exact=True).input_value() == MESSAGE
    assert not Post.objects.exists()
    _shoot(page, out, "refusal")
    _no_sideways_scroll(page)
    # Shorten it, and press "schedule" straight away: no save button in between.
    short = "Vaksinasi gratis Sabtu 08.00 WITA di Puskesmas Bontang Utara."
    page.locator(f"#id_c{x.pk}_caption").fill(short)
    page.get_by_role("button", name="Periksa & jadwalkan").click()
    page.wait_for_url("**/konten/unggahan/*/")
    variant = PostVariant.objects.get(channel=x)
    assert variant.caption == short
    assert variant.status == PostVariant.Status.SCHEDULED and variant.scheduled_at == when
    assert PostVariant.objects.get(channel=channels["facebook"]).caption == MESSAGE
