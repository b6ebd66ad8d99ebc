"""Pages and API: ownership per role, the region's time zone, bad input changes nothing."""

import json
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from warta.channels.models import Channel
from warta.content.models import Post, PostVariant
from warta.content.tests.conftest import make_variant
from warta.testing.fixtures import World

S = PostVariant.Status
WITA = ZoneInfo("Asia/Makassar")
pytestmark = pytest.mark.django_db


@pytest.fixture
def variant(world: World) -> PostVariant:
    """A draft for a Facebook Page (Instagram would also want media)."""
    channel = Channel.objects.create(
        agency=world.agency_a, platform="facebook", handle="Dinkes Uji"
    )
    return make_variant(world, channel, status=S.DRAFT, at=timezone.now() + timedelta(days=1))


def test_calendar_shows_each_role_its_agencies(
    world, variant, alice_client, cora_client, hana_client, bob_client
):
    day = timezone.localtime(variant.scheduled_at, WITA).date().isoformat()
    url = reverse("content:calendar") + f"?date={day}"
    assert variant.post.message[:20] in alice_client.get(url).text
    assert variant.post.message[:20] in hana_client.get(url).text
    assert "Dinkes" in cora_client.get(url).text
    assert variant.post.message[:20] not in bob_client.get(url).text
    assert bob_client.get(url + f"&agency={world.agency_a.pk}").status_code == 404


def test_a_region_wide_month_shows_a_few_per_day_and_links_to_the_full_week(
    world, cora_client, alice_client
):
    channel = Channel.objects.create(agency=world.agency_a, platform="facebook", handle="Dinkes")
    at = timezone.now() + timedelta(days=2)
    for n in range(9):
        make_variant(world, channel, at=at + timedelta(minutes=n), caption=f"Agenda nomor {n}")
    day = timezone.localtime(at, WITA).date().isoformat()
    url = reverse("content:calendar") + f"?date={day}"

    month = cora_client.get(url).text
    assert sum(f"Agenda nomor {n}" in month for n in range(9)) == 6
    assert "+3 lainnya" in month and f"?view=week&date={day}" in month
    week = cora_client.get(url + "&view=week").text
    assert all(f"Agenda nomor {n}" in week for n in range(9))
    # One agency's month (an officer's own calendar) keeps every entry.
    own = alice_client.get(url).text
    assert all(f"Agenda nomor {n}" in own for n in range(9)) and "lainnya" not in own


def test_week_view_and_gap_marks_without_strategy(world, variant, alice_client):
    day = timezone.localtime(variant.scheduled_at, WITA).date().isoformat()
    response = alice_client.get(reverse("content:calendar") + f"?view=week&date={day}")
    assert response.status_code == 200
    assert 'draggable="true"' not in response.text  # a draft has no time to drag


def test_post_detail_ownership(world, variant, alice_client, hana_client, bob_client):
    url = reverse("content:post_detail", args=[variant.post_id])
    assert alice_client.get(url).status_code == 200
    page = hana_client.get(url)
    assert page.status_code == 200 and "Periksa &amp; jadwalkan" not in page.text
    assert bob_client.get(url).status_code == 404


@pytest.fixture
def wednesday_evening():  # type: ignore[no-untyped-def]
    """A Wednesday evening in Bontang (20:00 WITA, 2 Dec 2026), before the people sign in."""
    with time_machine.travel(datetime(2026, 12, 2, 12, 0, tzinfo=UTC), tick=False):
        yield


def test_an_officer_schedules_in_local_time_and_utc_is_stored(
    wednesday_evening, world, variant, alice_client
):
    response = alice_client.post(
        reverse("content:variant_action", args=[variant.pk, "submit"]),
        {f"s{variant.pk}-scheduled_at": "2026-12-03T08:00"},
    )
    assert response.status_code == 302
    variant.refresh_from_db()
    assert variant.status == S.SCHEDULED
    # 08:00 WITA (UTC+8, no DST) on a server running in UTC is 00:00 UTC.
    assert variant.scheduled_at == datetime(2026, 12, 3, 0, 0, tzinfo=UTC)
    page = alice_client.get(reverse("content:post_detail", args=[variant.post_id]))
    # Shown in the region's zone with the Indonesian month name.
    assert "3 Des 2026 08:00" in page.text


def test_a_past_time_is_refused_with_a_message(world, variant, alice_client):
    past = timezone.localtime(timezone.now() - timedelta(hours=1), WITA).strftime("%Y-%m-%dT%H:%M")
    response = alice_client.post(
        reverse("content:variant_action", args=[variant.pk, "submit"]),
        {f"s{variant.pk}-scheduled_at": past},
        follow=True,
    )
    assert "masa depan" in response.text
    variant.refresh_from_db()
    assert variant.status == S.DRAFT


def test_read_only_and_outsiders_cannot_act(world, variant, hana_client, bob_client):
    url = reverse("content:variant_action", args=[variant.pk, "cancel"])
    assert hana_client.post(url).status_code == 403
    assert bob_client.post(url).status_code == 404
    variant.refresh_from_db()
    assert variant.status == S.DRAFT


def test_drag_to_another_day_keeps_the_time_of_day(world, alice_client):
    today = timezone.localtime(timezone.now(), WITA).date()
    at = datetime.combine(today + timedelta(days=2), time(9, 30), tzinfo=WITA)
    variant = make_variant(world, world.channel_a, at=at)
    target = today + timedelta(days=4)
    response = alice_client.post(
        reverse("content:variant_move", args=[variant.pk]), {"date": target.isoformat()}
    )
    assert response.status_code == 200
    variant.refresh_from_db()
    assert timezone.localtime(variant.scheduled_at, WITA) == datetime.combine(
        target, time(9, 30), tzinfo=WITA
    )
    bad = alice_client.post(
        reverse("content:variant_move", args=[variant.pk]),
        {"date": (today - timedelta(days=3)).isoformat()},
    )
    assert bad.status_code == 400 and "masa depan" in bad.text


def test_new_post_form_refuses_a_channel_of_another_agency(world, alice_client):
    response = alice_client.post(
        reverse("content:post_new"),
        {
            "agency": world.agency_a.pk,
            "message": "Halo",
            "category": "service",
            "channels": [world.channel_b.pk],
        },
    )
    assert response.status_code == 400
    assert not Post.objects.exists()
    ok = alice_client.post(
        reverse("content:post_new"),
        {
            "agency": world.agency_a.pk,
            "message": "Posyandu Senin pagi 🙂",
            "category": "service",
            "channels": [world.channel_a.pk],
        },
    )
    assert ok.status_code == 302 and Post.objects.count() == 1


def test_head_cannot_open_the_editor(world, hana_client):
    assert hana_client.get(reverse("content:post_new")).status_code == 403


def test_live_limit_feedback_fragment(world, variant, alice_client):
    url = reverse("content:variant_check", args=[variant.pk])
    response = alice_client.post(
        url, {f"v{variant.pk}-first_comment": "x" * 2300}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert "2200" in response.text and "<html" not in response.text


def test_api_lists_only_visible_variants(world, variant, alice_client, bob_client):
    url = "/api/v1/variants/"
    assert alice_client.get(url).json()["count"] == 1
    assert bob_client.get(url).json()["count"] == 0
    assert bob_client.get(f"{url}{variant.pk}/").status_code == 404


def test_api_create_and_schedule_with_an_offset(world, alice_client, hana_client, bob_client):
    body = {
        "agency": world.agency_a.pk,
        "message": "Info layanan KTP",
        "channels": [world.channel_a.pk],
        "category": "service",
    }
    assert (
        hana_client.post("/api/v1/posts/", body, content_type="application/json").status_code == 403
    )
    assert (
        bob_client.post("/api/v1/posts/", body, content_type="application/json").status_code == 404
    )
    created = alice_client.post("/api/v1/posts/", body, content_type="application/json")
    assert created.status_code == 201
    variant_id = created.json()["variants"][0]["id"]
    # Instagram wants media: refused with the rule, nothing changed.
    when = (timezone.now() + timedelta(days=1)).astimezone(WITA).isoformat()
    refused = alice_client.post(
        f"/api/v1/variants/{variant_id}/schedule/",
        {"scheduled_at": when},
        content_type="application/json",
    )
    assert refused.status_code == 400 and "media" in json.dumps(refused.json())
    assert PostVariant.objects.get(pk=variant_id).status == S.DRAFT
    cancel = alice_client.post(f"/api/v1/variants/{variant_id}/cancel/")
    assert cancel.json()["status"] == "cancelled"


def test_api_refuses_unknown_channel(world, alice_client):
    response = alice_client.post(
        "/api/v1/posts/",
        {"agency": world.agency_a.pk, "message": "Halo", "channels": [424242]},
        content_type="application/json",
    )
    assert response.status_code == 400 and "tidak dikenal" in json.dumps(response.json())


@time_machine.travel(datetime(2026, 10, 28, 1, 0, tzinfo=UTC), tick=False)  # a Wednesday
def test_weeks_below_the_cadence_target_are_marked(world, alice_client):
    from warta.strategy.models import StrategyVersion
    from warta.strategy.schema import empty_data

    # The calendar reads the strategy's targets through analytics.cadence, the one source.
    StrategyVersion.objects.create(
        region=world.region,
        agency=world.agency_a,
        number=1,
        data={**empty_data(), "cadence": {"instagram": 3}},
        reason="Uji",
        author=world.cora,
        status=StrategyVersion.Status.ACCEPTED,
        decided_by=world.cora,
        decided_at=timezone.now(),
    )
    today = timezone.localtime(timezone.now(), WITA).date()
    make_variant(
        world, world.channel_a, at=datetime.combine(today + timedelta(days=1), time(9), tzinfo=WITA)
    )
    page = alice_client.get(reverse("content:calendar") + f"?view=week&date={today}")
    assert "Di bawah target minggu ini, kurang: Instagram @dinkes.uji 2" in page.text
    # Filtered, the calendar does not show every post: no gap is claimed.
    filtered = alice_client.get(
        reverse("content:calendar") + f"?view=week&date={today}&status=draft"
    )
    assert "Di bawah target minggu ini" not in filtered.text


@pytest.mark.parametrize(
    "name, action",
    [
        ("content:post_edit", None),
        ("content:post_copy", None),
        ("content:variant_edit", None),
        ("content:variant_move", None),
        ("content:variant_action", "submit"),
        ("content:variant_action", "reschedule"),
        ("content:variant_action", "manual"),
    ],
)
def test_every_write_endpoint_keeps_the_agency_boundary(
    world, variant, name, action, hana_client, bob_client
):
    pk = variant.post_id if name.startswith("content:post") else variant.pk
    url = reverse(name, args=[pk, action] if action else [pk])
    assert bob_client.post(url, {"message": "x", "date": "2030-01-01"}).status_code == 404
    assert hana_client.post(url, {"message": "x", "date": "2030-01-01"}).status_code == 403
    variant.refresh_from_db()
    assert variant.status == S.DRAFT and variant.post.message != "x"


def test_the_editor_attaches_library_media_and_edits_the_message(world, alice_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from warta.content.models import MediaAsset
    from warta.content.tests.test_media import png

    alice_client.post(
        reverse("content:media_library"),
        {"agency": world.agency_a.pk, "file": SimpleUploadedFile("poster.png", png())},
    )
    media = MediaAsset.objects.get()
    assert "poster.png" in alice_client.get(reverse("content:post_new")).text
    response = alice_client.post(
        reverse("content:post_new"),
        {
            "agency": world.agency_a.pk,
            "message": "Poster vaksinasi",
            "category": "education",
            "channels": [world.channel_a.pk],
            "media_ids": [media.pk],
        },
    )
    post = Post.objects.get()
    assert response.status_code == 302 and post.ordered_media() == [media]
    edited = alice_client.post(
        reverse("content:post_edit", args=[post.pk]),
        {"message": "Poster vaksinasi, revisi", "category": "service", "title": ""},
    )
    assert edited.status_code == 302
    post.refresh_from_db()
    assert post.message == "Poster vaksinasi, revisi" and post.ordered_media() == []


def test_the_editor_shows_the_agencys_current_strategy_while_writing(world, variant, alice_client):
    body = alice_client.get(reverse("content:post_detail", args=[variant.post.pk])).content.decode()
    summary_url = reverse("strategy:current_summary") + f"?agency={world.agency_a.pk}"
    assert summary_url in body
    # The fragment it loads answers for the officer's agency.
    assert alice_client.get(summary_url).status_code == 200
    new = alice_client.get(reverse("content:post_new")).content.decode()
    assert reverse("strategy:current_summary") in new and 'hx-include="#id_agency"' in new


def _x_draft(world: World) -> PostVariant:
    channel = Channel.objects.create(agency=world.agency_a, platform="x", handle="dinkes")
    return make_variant(world, channel, status=S.DRAFT, caption="Jadwal vaksinasi. " * 23)


def test_text_edited_but_not_saved_is_what_gets_checked_and_scheduled(
    wednesday_evening, world, alice_client
):
    variant = _x_draft(world)
    assert len(variant.caption) > 280  # too long for X as stored
    short = "Vaksinasi gratis Sabtu 08.00 WITA di Puskesmas Bontang Utara."
    response = alice_client.post(
        reverse("content:variant_action", args=[variant.pk, "submit"]),
        {
            # The one form of the post page sends the text along with the schedule.
            f"v{variant.pk}-caption": short,
            f"v{variant.pk}-hashtags": "#BontangSehat",
            f"v{variant.pk}-first_comment": "",
            f"v{variant.pk}-title": "",
            f"s{variant.pk}-scheduled_at": "2026-12-03T08:00",
        },
        follow=True,
    )
    variant.refresh_from_db()
    assert variant.caption == short and variant.hashtags == "#BontangSehat"
    assert variant.status == S.SCHEDULED
    assert variant.scheduled_at == datetime(2026, 12, 3, 0, 0, tzinfo=UTC)
    assert "Teks varian" in response.text and "disimpan" in response.text


def test_a_refused_schedule_keeps_the_text_that_was_typed(wednesday_evening, world, alice_client):
    variant = _x_draft(world)
    longer = variant.caption + " Tambahan yang belum disimpan."
    response = alice_client.post(
        reverse("content:variant_action", args=[variant.pk, "submit"]),
        {f"v{variant.pk}-caption": longer, f"s{variant.pk}-scheduled_at": "2026-12-03T08:00"},
        follow=True,
    )
    variant.refresh_from_db()
    assert variant.status == S.DRAFT and variant.caption == longer
    # The page shows the refusal next to what was typed, not the old text.
    assert "Tambahan yang belum disimpan." in response.text
    assert "280" in response.text


def test_rescheduling_with_changed_text_checks_the_new_text(wednesday_evening, world, alice_client):
    channel = Channel.objects.create(agency=world.agency_a, platform="facebook", handle="Dinkes")
    variant = make_variant(world, channel, at=datetime(2026, 12, 4, 1, 0, tzinfo=UTC))
    response = alice_client.post(
        reverse("content:variant_action", args=[variant.pk, "reschedule"]),
        {f"v{variant.pk}-caption": "Teks baru.", f"s{variant.pk}-scheduled_at": "2026-12-05T09:00"},
    )
    assert response.status_code == 302
    variant.refresh_from_db()
    assert variant.caption == "Teks baru." and variant.status == S.SCHEDULED
    assert variant.scheduled_at == datetime(2026, 12, 5, 1, 0, tzinfo=UTC)


def test_the_month_is_also_an_agenda_by_day_for_a_phone(wednesday_evening, world, alice_client):
    channel = Channel.objects.create(agency=world.agency_a, platform="facebook", handle="Dinkes")
    make_variant(world, channel, at=datetime(2026, 12, 16, 1, 0, tzinfo=UTC), caption="Senam")
    page = alice_client.get(reverse("content:calendar") + "?date=2026-12-16").text
    agenda = page[page.index('data-testid="agenda"') :]
    # Today opens the agenda; the day with a post is named as a person would say it.
    assert agenda.index("Rabu, 2 Des 2026") < agenda.index("Rabu, 16 Des 2026")
    assert "<time>09:00</time> Senam" in agenda
