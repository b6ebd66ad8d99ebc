"""The post page in Chromium: what an officer typed is never lost by pressing another button."""

from datetime import UTC, datetime
from typing import Any

import pytest
import time_machine
from django.urls import reverse

from warta.channels.models import Channel
from warta.content.models import PostVariant
from warta.content.tests.conftest import make_variant
from warta.testing.browser import VIEWPORTS, browser, needs_chromium  # noqa: F401
from warta.testing.fixtures import PASSWORD, World

pytestmark = [
    pytest.mark.browser,
    needs_chromium,
]


@pytest.fixture
def x_draft(transactional_db: None, world: World) -> PostVariant:
    channel = Channel.objects.create(agency=world.agency_a, platform="x", handle="dinkes")
    return make_variant(
        world, channel, status=PostVariant.Status.DRAFT, caption="Jadwal vaksinasi. " * 23
    )


def test_an_edit_made_before_pressing_any_button_survives_scheduling(
    x_draft: PostVariant,
    live_server: Any,
    browser: Any,  # noqa: F811
) -> None:
    # Wednesday 2 Dec 2026, 20:00 WITA; the clock runs on so the browser's timers work.
    with time_machine.travel(datetime(2026, 12, 2, 12, 0, tzinfo=UTC), tick=True):
        page = browser.new_page()
        page.set_viewport_size(VIEWPORTS["phone"])
        page.goto(f"{live_server.url}/masuk/")
        page.fill("#id_username", "alice")
        page.fill("#id_password", PASSWORD)
        page.click("main button[type=submit]")
        page.wait_for_url(f"{live_server.url}/")
        page.goto(live_server.url + reverse("content:post_detail", args=[x_draft.post_id]))
        pk = x_draft.pk
        short = "Vaksinasi gratis Sabtu 08.00 WITA di Puskesmas Bontang Utara."
        # Shorten the X text and set a time, then go straight to scheduling: no "Simpan teks".
        page.fill(f"#id_v{pk}-caption", short)
        page.fill(f"#id_s{pk}-scheduled_at", "2026-12-03T08:00")
        page.get_by_role("button", name="Periksa & jadwalkan").click()
        page.wait_for_load_state()
        assert page.get_by_test_id(f"status-{pk}").inner_text() == "Terjadwal"
        assert page.input_value(f"#id_v{pk}-caption") == short
    x_draft.refresh_from_db()
    assert x_draft.caption == short
    assert x_draft.status == PostVariant.Status.SCHEDULED
