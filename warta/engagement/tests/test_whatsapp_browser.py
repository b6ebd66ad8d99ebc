"""Chromium on the WhatsApp pages: the connect page and a citizen's message in the inbox,
at 360 and 1366 px; no horizontal scroll, the number never shown in full."""

from collections.abc import Iterator
from datetime import timedelta

import pytest
from django.test import Client

from warta.channels.models import Channel, WhatsAppTemplate
from warta.channels.whatsapp import whatsapp_connect
from warta.content.models import Post, PostVariant
from warta.engagement.models import InboxItem
from warta.lib import clock
from warta.testing.browser import needs_chromium, persistent_context
from warta.testing.browser import screenshot_dir as _screenshot_dir
from warta.testing.fixtures import PASSWORD, World

pytestmark = [
    pytest.mark.browser,
    needs_chromium,
]
CITIZEN = "6281234567890"
SIZES = {"360": {"width": 360, "height": 800}, "1366": {"width": 1366, "height": 900}}


@pytest.fixture
def scene(
    transactional_db: None, world: World, fake_platform
) -> Iterator[tuple[Channel, int, int, dict[str, str]]]:  # type: ignore[no-untyped-def]
    fake = fake_platform("whatsapp")
    line = Channel.objects.create(
        agency=world.agency_a, platform="whatsapp", handle="Pengaduan Dinkes", mode="api"
    )
    whatsapp_connect(
        channel=line,
        actor=world.alice,
        phone_number_id=fake.external_id,
        waba_id=fake.waba_id,
        access_token=fake.access_token,
        app_secret=fake.app_secret,
        verify_token=fake.verify_token,
    )
    body, signature = fake.receive(
        CITIZEN,
        "Selamat siang, lampu jalan di Jl. Awang Long mati sejak tiga hari. Kapan diperbaiki?",
        name="Budi Santoso",
        at=clock.now() - timedelta(minutes=20),
    )
    response = Client().post(
        f"/interaksi/whatsapp/{line.pk}/webhook/",
        body,
        content_type="application/json",
        HTTP_X_HUB_SIGNATURE_256=signature,
    )
    assert response.status_code == 200
    new = Channel.objects.create(
        agency=world.agency_a, platform="whatsapp", handle="Layanan Dinkes", mode="api"
    )
    WhatsAppTemplate.objects.filter(channel=line, name="pemberitahuan_ppid").update(
        for_ppid_notices=True
    )
    saluran = Channel.objects.create(
        agency=world.agency_a, platform="whatsapp_channel", handle="Saluran Dinkes", mode="manual"
    )
    post = Post.objects.create(
        agency=world.agency_a,
        message="Posyandu balita Sabtu 08.00 WITA di Puskesmas Bontang Utara.",
        created_by=world.alice,
    )
    PostVariant.objects.create(
        post=post,
        channel=saluran,
        caption=post.message,
        status=PostVariant.Status.NEEDS_ATTENTION,
        scheduled_at=clock.now(),
        last_error="Kanal manual: terbitkan sendiri sekarang, lalu tempel tautannya untuk "
        "menandai terbit.",
    )
    extra = {
        "whatsapp-channel-post": f"/konten/unggahan/{post.pk}/",
        "whatsapp-composer": f"/konten/unggahan/baru/?agency={world.agency_a.pk}",
        "whatsapp-channel-form": "/kanal/baru/",
        "whatsapp-ppid-form": f"/interaksi/publik/{world.region.slug}/ppid/{world.agency_a.pk}/permohonan/",
    }
    yield line, InboxItem.objects.get(channel=line).pk, new.pk, extra


@pytest.fixture
def browser(monkeypatch: pytest.MonkeyPatch) -> Iterator[object]:
    with persistent_context(monkeypatch, viewport=SIZES["1366"]) as context:  # type: ignore[arg-type]
        yield context


def test_the_connect_page_and_a_whatsapp_message_in_the_inbox(
    scene: tuple[Channel, int, int, dict[str, str]],
    live_server,  # type: ignore[no-untyped-def]
    browser,  # type: ignore[no-untyped-def]
) -> None:
    line, item_pk, new_pk, extra = scene
    out = _screenshot_dir()
    page = browser.new_page()  # type: ignore[attr-defined]
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{live_server.url}/masuk/")
    page.fill("#id_username", "alice")
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    pages = {
        "whatsapp-connect": f"/kanal/{new_pk}/",
        "whatsapp-connected": f"/kanal/{line.pk}/",
        "whatsapp-inbox": "/interaksi/kotak-masuk/",
        "whatsapp-message": f"/interaksi/kotak-masuk/{item_pk}/",
        **extra,
    }
    for name, path in pages.items():
        for width, size in SIZES.items():
            page.set_viewport_size(size)
            page.goto(f"{live_server.url}{path}")
            text = page.content()
            assert CITIZEN not in text and "812345" not in text
            scroll = page.evaluate("document.documentElement.scrollWidth")
            assert scroll <= size["width"], (name, width, scroll)
            page.screenshot(path=str(out / f"{name}-{width}.png"), full_page=True)
            if name == "whatsapp-message":
                assert page.get_by_test_id("wa-window").is_visible()
            if name == "whatsapp-ppid-form":
                assert page.get_by_label("Kabari saya lewat WhatsApp ke nomor ini").is_visible()
    assert not errors, errors
