"""The composer: one message, a preview and counter per network, one schedule for all."""

import io
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from warta.channels.models import Channel
from warta.content.models import MediaAsset, Post, PostVariant
from warta.content.tests.test_media import png
from warta.guardrails import registry
from warta.lib.findings import Finding, Severity
from warta.testing.fixtures import World

S = PostVariant.Status


def jpeg(width: int, height: int) -> bytes:
    """A photo as a phone's camera roll holds it."""
    out = io.BytesIO()
    Image.new("RGB", (width, height), (30, 120, 200)).save(out, "JPEG")
    return out.getvalue()


WITA = ZoneInfo("Asia/Makassar")
URL = "content:post_new"


@pytest.fixture(autouse=True)
def wednesday_evening():  # type: ignore[no-untyped-def]
    """Wednesday 2 Dec 2026, 20:00 WITA."""
    with time_machine.travel(datetime(2026, 12, 2, 12, 0, tzinfo=UTC), tick=False):
        yield


@pytest.fixture
def three(world: World) -> dict[str, Channel]:
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
def photo(world: World, alice_client: Client) -> MediaAsset:
    response = alice_client.post(
        reverse("content:compose_upload"),
        {
            "agency": world.agency_a.pk,
            "upload": SimpleUploadedFile("posyandu.jpg", jpeg(1200, 1000), "image/jpeg"),
        },
    )
    assert response.status_code == 200 and response["HX-Trigger"] == "media-added"
    return MediaAsset.objects.get()


def _post(client: Client, world: World, channels: list[Channel], **extra: object):  # type: ignore[no-untyped-def]
    data: dict[str, object] = {
        "agency": world.agency_a.pk,
        "message": "Posyandu balita Sabtu 08.00 WITA di Puskesmas Bontang Utara.",
        "category": "service",
        "channels": [c.pk for c in channels],
        "scheduled_at": "2026-12-05T08:00",
        "action": "schedule",
        "repeat_weeks": "1",
    }
    data.update(extra)
    return client.post(reverse(URL), data)


def _summary(response) -> str:  # type: ignore[no-untyped-def]
    body = response.content.decode()
    start = body.find('class="error-summary"')
    return body[start : start + 1500] if start >= 0 else body[:500]


def test_the_composer_offers_an_upload_from_the_camera_roll_and_the_agencys_channels(
    world: World, three: dict[str, Channel], alice_client: Client
) -> None:
    body = alice_client.get(reverse(URL)).content.decode()
    assert 'accept="image/*,video/*"' in body and 'name="upload"' in body
    for channel in three.values():
        assert f'value="{channel.pk}"' in body
    assert f'value="{world.channel_b.pk}"' not in body  # another agency's channel
    assert 'hx-trigger="input changed delay:400ms' in body


def test_one_time_schedules_every_ticked_channel_with_its_image(
    world: World, three: dict[str, Channel], photo: MediaAsset, alice_client: Client
) -> None:
    x = three["x"]
    response = _post(
        alice_client,
        world,
        list(three.values()),
        media_ids=[photo.pk],
        **{f"c{x.pk}_scheduled_at": "2026-12-05T09:30", f"c{x.pk}_caption": "Posyandu Sabtu!"},
    )
    assert response.status_code == 302, _summary(response)
    post = Post.objects.get()
    assert post.ordered_media() == [photo]
    variants = {v.channel.platform: v for v in post.variants.select_related("channel")}
    assert {v.status for v in variants.values()} == {S.SCHEDULED}
    at_eight = datetime(2026, 12, 5, 8, 0, tzinfo=WITA)
    assert variants["instagram"].scheduled_at == at_eight
    assert variants["facebook"].scheduled_at == at_eight
    assert variants["x"].scheduled_at == datetime(2026, 12, 5, 9, 30, tzinfo=WITA)
    assert variants["x"].caption == "Posyandu Sabtu!"
    assert variants["facebook"].caption == post.message


def test_a_refusal_keeps_everything_typed_next_to_the_reason_and_creates_nothing(
    world: World, three: dict[str, Channel], alice_client: Client
) -> None:
    x = three["x"]
    long_text = "Jadwal vaksinasi lengkap di semua puskesmas. " * 8
    response = _post(
        alice_client,
        world,
        [three["facebook"], x],
        **{f"c{x.pk}_caption": long_text, "hashtags": "#BontangSehat"},
    )
    assert response.status_code == 400
    assert not Post.objects.exists() and not PostVariant.objects.exists()
    body = response.content.decode()
    assert long_text.strip() in body  # the X text as typed
    assert "Posyandu balita Sabtu" in body and "#BontangSehat" in body
    assert "karakter, batasnya 280" in body  # the reason, with the X channel
    assert 'value="2026-12-05T08:00"' in body


def test_a_variant_needing_approval_waits_for_the_reviewer_as_it_would_alone(
    world: World, three: dict[str, Channel], alice_client: Client
) -> None:
    @registry.register("uji_komposer")
    def check(subject):  # type: ignore[no-untyped-def]
        if subject.platform == "facebook":
            return [Finding(check="uji", code="t", severity=Severity.APPROVAL, message="Tinjau.")]
        return []

    try:
        response = _post(alice_client, world, [three["facebook"], three["x"]])
    finally:
        registry._CHECKS.pop("uji_komposer")
    assert response.status_code == 302
    statuses = {v.channel.platform: v.status for v in PostVariant.objects.select_related("channel")}
    assert statuses == {"facebook": S.AWAITING_APPROVAL, "x": S.SCHEDULED}


def test_a_time_in_the_past_or_no_time_is_refused_with_the_text_kept(
    world: World, three: dict[str, Channel], alice_client: Client
) -> None:
    past = _post(alice_client, world, [three["x"]], scheduled_at="2026-12-01T08:00")
    assert past.status_code == 400 and "masa depan" in past.content.decode()
    none = _post(alice_client, world, [three["x"]], scheduled_at="")
    assert none.status_code == 400 and "Posyandu balita Sabtu" in none.content.decode()
    assert not Post.objects.exists()


def test_draft_button_keeps_the_old_flow(
    world: World, three: dict[str, Channel], alice_client: Client
) -> None:
    response = _post(alice_client, world, [three["x"]], action="draft", scheduled_at="")
    assert response.status_code == 302
    assert PostVariant.objects.get().status == S.DRAFT


def test_repeat_weekly_makes_one_post_a_week_at_the_same_hour(
    world: World, three: dict[str, Channel], alice_client: Client
) -> None:
    response = _post(alice_client, world, [three["x"]], repeat_weeks="3")
    assert response.status_code == 302
    times = sorted(t for t in PostVariant.objects.values_list("scheduled_at", flat=True) if t)
    first = datetime(2026, 12, 5, 8, 0, tzinfo=WITA)
    assert times == [first, first + timedelta(weeks=1), first + timedelta(weeks=2)]
    assert Post.objects.count() == 3


def test_duplicate_fills_the_composer_from_a_post_of_ones_own_agency_only(
    world: World, three: dict[str, Channel], alice_client: Client, bob_client: Client
) -> None:
    _post(alice_client, world, [three["x"]], **{f"c{three['x'].pk}_caption": "Teks X khusus"})
    post = Post.objects.get()
    body = alice_client.get(reverse(URL) + f"?dari={post.pk}").content.decode()
    assert "Teks X khusus" in body and "Posyandu balita Sabtu" in body
    assert bob_client.get(reverse(URL) + f"?dari={post.pk}").status_code == 404


def test_previews_count_as_each_network_counts(
    world: World, three: dict[str, Channel], photo: MediaAsset, alice_client: Client
) -> None:
    telegram = Channel.objects.create(
        agency=world.agency_a, platform="telegram", handle="dinkesuji", mode="api"
    )
    message = "Info https://dinkes.bontangkota.go.id/jadwal/posyandu-balita-desember " + "#a " * 31
    response = alice_client.post(
        reverse("content:compose_preview"),
        {
            "agency": world.agency_a.pk,
            "message": message,
            "channels": [three["x"].pk, three["instagram"].pk, telegram.pk],
            "media_ids": [photo.pk],
        },
        headers={"HX-Request": "true"},
    )
    body = response.content.decode()
    assert response.status_code == 200
    # X: "Info " 5 + the link 23 + " " + 31 times "#a " (93, the last space stripped)
    assert f"{5 + 23 + 1 + 31 * 3 - 1} / 280 karakter berbobot" in body
    assert "31 / 30 tagar" in body and "lebih 1" in body
    assert "/ 1024 karakter keterangan media" in body
    assert reverse("content:media_thumbnail", args=[photo.pk]) in body


def test_uploads_are_checked_by_content_and_walled_per_agency(
    world: World, alice_client: Client, bob_client: Client
) -> None:
    bad = alice_client.post(
        reverse("content:compose_upload"),
        {"agency": world.agency_a.pk, "upload": SimpleUploadedFile("x.jpg", b"not an image")},
    )
    assert "Jenis berkas tidak diterima" in bad.content.decode()
    assert not MediaAsset.objects.exists()
    foreign = bob_client.post(
        reverse("content:compose_upload"),
        {"agency": world.agency_a.pk, "upload": SimpleUploadedFile("p.png", png(), "image/png")},
    )
    assert foreign.status_code in (403, 404) and not MediaAsset.objects.exists()


def test_the_head_cannot_open_the_composer(world: World, hana_client: Client) -> None:
    assert hana_client.get(reverse(URL)).status_code == 403
    assert hana_client.post(reverse("content:compose_preview"), {}).status_code == 403


def test_the_chosen_time_is_echoed_in_words_with_the_zone(
    world: World, three: dict[str, Channel], alice_client: Client
) -> None:
    response = alice_client.post(
        reverse("content:compose_preview"),
        {
            "agency": world.agency_a.pk,
            "message": "Halo",
            "channels": [three["x"].pk],
            "scheduled_at": "2026-12-05T08:00",
        },
    )
    body = response.content.decode()
    assert 'id="when-words"' in body and 'hx-swap-oob="true"' in body
    assert "Sabtu, 5 Des 2026, 08:00 WITA" in body


def test_repeat_weekly_from_the_post_page_starts_a_week_later(
    world: World, three: dict[str, Channel], alice_client: Client
) -> None:
    _post(alice_client, world, [three["x"]])
    post = Post.objects.get()
    page = alice_client.get(reverse("content:post_detail", args=[post.pk])).content.decode()
    assert f"?dari={post.pk}&amp;ulangi=4" in page
    body = alice_client.get(reverse(URL) + f"?dari={post.pk}&ulangi=4").content.decode()
    assert 'value="2026-12-12T08:00"' in body and 'name="repeat_weeks" value="4"' in body
