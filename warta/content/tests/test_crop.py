"""Crop per network: the officer's cut is what the checks judge and what the platform gets."""

import io
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, TestCase
from django.urls import reverse
from PIL import Image

from warta.channels.models import Channel
from warta.connectors.base import PublishRequest, PublishResult
from warta.content import checks, publishing, services
from warta.content.media import crop_box, media_upload
from warta.content.models import MediaAsset, PostVariant
from warta.content.tests.conftest import FakeConnector, FakePlatform
from warta.testing.fixtures import World

S = PostVariant.Status
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def wednesday_evening():  # type: ignore[no-untyped-def]
    with time_machine.travel(datetime(2026, 12, 2, 12, 0, tzinfo=UTC), tick=False):
        yield


def photo(world: World, width: int, height: int) -> MediaAsset:
    """A phone photo (JPEG), left half red, right half blue."""
    image = Image.new("RGB", (width, height), (200, 20, 20))
    image.paste((20, 20, 200), (width // 2, 0, width, height))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=95)
    upload = SimpleUploadedFile("foto.jpg", out.getvalue(), content_type="image/jpeg")
    return media_upload(actor=world.alice, agency=world.agency_a, upload=upload, alt_text="Foto")


def test_the_box_is_the_largest_of_the_ratio_placed_by_the_focus() -> None:
    assert crop_box(1200, 1000, "1:1") == (100, 0, 1100, 1000)
    assert crop_box(1200, 1000, "1:1", "left") == (0, 0, 1000, 1000)
    assert crop_box(1000, 2000, "4:5", "top") == (0, 0, 1000, 1250)
    assert crop_box(1000, 2000, "4:5", "bottom") == (0, 750, 1000, 2000)
    assert crop_box(1910, 1000, "1.91:1") == (0, 0, 1910, 1000)
    assert crop_box(1200, 1000, "") == (0, 0, 1200, 1000)


def test_a_tall_phone_photo_is_refused_on_instagram_unless_cut_to_4_5(
    world: World, alice_client: Client
) -> None:
    tall = photo(world, 900, 1600)  # 9:16, narrower than Instagram's 4:5
    instagram = world.channel_a
    data = {
        "agency": world.agency_a.pk,
        "message": "Senam sehat Minggu pagi di Lapangan Kantor Wali Kota.",
        "category": "activity",
        "channels": [instagram.pk],
        "media_ids": [tall.pk],
        "scheduled_at": "2026-12-06T07:00",
        "action": "schedule",
    }
    refused = alice_client.post(reverse("content:post_new"), data)
    assert refused.status_code == 400 and "rasio 900x1600" in refused.content.decode()
    assert not PostVariant.objects.exists()
    cut = alice_client.post(
        reverse("content:post_new"),
        {**data, f"c{instagram.pk}_crop": "4:5", f"c{instagram.pk}_focus": "top"},
    )
    assert cut.status_code == 302
    variant = PostVariant.objects.get()
    assert (variant.status, variant.crop, variant.crop_focus) == (S.SCHEDULED, "4:5", "top")


def test_the_publisher_sends_the_cut_as_jpeg_and_the_original_stays(
    world: World, platform: FakePlatform, api_channel: Channel, monkeypatch: pytest.MonkeyPatch
) -> None:
    wide = photo(world, 1200, 600)
    sent: list[PublishRequest] = []
    original = FakeConnector.publish

    def recording(self: FakeConnector, request: PublishRequest) -> PublishResult:
        sent.append(request)
        return original(self, request)

    monkeypatch.setattr(FakeConnector, "publish", recording)
    post = services.post_create(
        actor=world.alice,
        agency=world.agency_a,
        message="Jadwal posyandu",
        channel_ids=[api_channel.pk],
        media_ids=[wide.pk],
        crops={api_channel.pk: ("1:1", "left")},
    )
    variant = post.variants.get()
    services.variant_submit(
        actor=world.alice, variant=variant, scheduled_at=datetime.now(UTC) + timedelta(minutes=5)
    )
    with TestCase.captureOnCommitCallbacks(execute=True):
        publishing.publish_batch([variant.pk], now=datetime.now(UTC) + timedelta(minutes=6))
    variant.refresh_from_db()
    assert variant.status == S.PUBLISHED
    (media,) = sent[0].media
    assert (media.width, media.height, media.mime_type) == (600, 600, "image/jpeg")
    with Image.open(media.path) as image:
        assert image.size == (600, 600)
        red, _green, blue = image.convert("RGB").getpixel((300, 300))  # type: ignore[misc]
        assert red > 150 > blue  # the left (red) half was kept
    assert media.sha256 != wide.sha256
    wide.refresh_from_db()
    assert (wide.width, wide.height) == (1200, 600)


def test_the_crop_is_part_of_what_was_checked(world: World, api_channel: Channel) -> None:
    image = photo(world, 1200, 600)
    post = services.post_create(
        actor=world.alice,
        agency=world.agency_a,
        message="Jadwal posyandu",
        channel_ids=[api_channel.pk],
        media_ids=[image.pk],
    )
    variant = post.variants.get()
    plain = checks.variant_digest(variant)
    variant.crop, variant.crop_focus = "1:1", "center"
    cut = checks.variant_digest(variant)
    variant.crop_focus = "left"
    assert len({plain, cut, checks.variant_digest(variant)}) == 3
