"""Approval bypass (issue 17, finding 3): what goes out is what was checked and approved.

The attack: after the coordinator approved a variant, the officer changed the post's
image; the variant stayed approved and scheduled and went out. Now any change of text or
media sends a checked variant back to draft, and the worker checks again at claim time.
"""

import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.utils import timezone
from PIL import Image

from warta.content import publishing, services
from warta.content.media import media_upload
from warta.content.models import MediaAsset, PostMedia, PostVariant
from warta.content.tests.conftest import FakePlatform
from warta.guardrails import registry
from warta.lib.findings import Finding, Severity
from warta.testing.fixtures import World

S = PostVariant.Status
pytestmark = pytest.mark.django_db


@pytest.fixture
def image_review():
    """The region asks a reviewer for every post with an image, and blocks any caption that
    says "hoaks"."""

    @registry.register("uji_gambar")
    def check(subject):
        found = []
        if subject.media:
            found.append(
                Finding(check="uji", code="image", severity=Severity.APPROVAL, message="Gambar.")
            )
        if "hoaks" in subject.caption:
            found.append(
                Finding(check="uji", code="hoax", severity=Severity.BLOCK, message="Hoaks.")
            )
        return found

    yield
    registry._CHECKS.pop("uji_gambar")


def image(world: World, alt: str, colour: str) -> MediaAsset:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), colour).save(buffer, "PNG")
    upload = SimpleUploadedFile("foto.png", buffer.getvalue(), content_type="image/png")
    return media_upload(actor=world.alice, agency=world.agency_a, upload=upload, alt_text=alt)


def approved_and_scheduled(world: World, channel, media: MediaAsset) -> PostVariant:
    post = services.post_create(
        actor=world.alice,
        agency=world.agency_a,
        message="Jadwal vaksinasi Sabtu.",
        channel_ids=[channel.pk],
        media_ids=[media.pk],
    )
    variant = post.variants.get()
    services.variant_submit(
        actor=world.alice, variant=variant, scheduled_at=timezone.now() + timedelta(hours=1)
    )
    assert variant.status == S.AWAITING_APPROVAL
    services.variant_approve(actor=world.cora, variant=variant)
    assert variant.status == S.SCHEDULED
    return variant


def publish_when_due(variant: PostVariant) -> None:
    variant.refresh_from_db()
    with TestCase.captureOnCommitCallbacks(execute=True):
        due = variant.scheduled_at or timezone.now()
        publishing.publish_batch([variant.pk], now=due + timedelta(seconds=1))
    variant.refresh_from_db()


def test_changing_the_image_after_approval_sends_the_variant_back(
    world: World, platform: FakePlatform, api_channel, image_review
) -> None:
    variant = approved_and_scheduled(world, api_channel, image(world, "poster", "white"))
    other = image(world, "poster lain", "red")
    services.post_update(
        actor=world.alice,
        post=variant.post,
        message=variant.post.message,
        title="",
        category=variant.post.category,
        media_ids=[other.pk],
    )
    variant.refresh_from_db()
    assert variant.status == S.DRAFT and variant.approved_at is None
    publish_when_due(variant)
    assert platform.accepted() == 0
    # Nothing is lost: the new image is on the post, ready for new checks.
    assert variant.post.ordered_media() == [other]


def test_changing_the_caption_of_a_scheduled_variant_sends_it_back(
    world: World, platform: FakePlatform, api_channel, image_review
) -> None:
    variant = approved_and_scheduled(world, api_channel, image(world, "poster", "white"))
    services.variant_update(
        actor=world.alice, variant=variant, text=services.VariantText(caption="Teks baru")
    )
    variant.refresh_from_db()
    assert (variant.status, variant.approved_by, variant.caption) == (S.DRAFT, None, "Teks baru")
    publish_when_due(variant)
    assert platform.accepted() == 0


def test_the_worker_asks_for_approval_again_when_media_changed_behind_the_checks(
    world: World, platform: FakePlatform, api_channel, image_review
) -> None:
    """Whatever path changed the media (the database, a future screen), the worker sees it."""
    variant = approved_and_scheduled(world, api_channel, image(world, "poster", "white"))
    banner = image(world, "spanduk kampanye", "blue")
    PostMedia.objects.filter(post=variant.post).update(media=banner)
    publish_when_due(variant)
    assert platform.accepted() == 0
    assert variant.status == S.AWAITING_APPROVAL and variant.approved_at is None
    # A reviewer approving what is there now lets it go.
    variant.scheduled_at = timezone.now() + timedelta(minutes=5)
    variant.save(update_fields=["scheduled_at"])
    services.variant_approve(actor=world.cora, variant=variant)
    publish_when_due(variant)
    assert variant.status == S.PUBLISHED and platform.accepted() == 1


def test_the_worker_refuses_text_changed_behind_the_checks_into_something_blocked(
    world: World, platform: FakePlatform, api_channel, image_review
) -> None:
    variant = approved_and_scheduled(world, api_channel, image(world, "poster", "white"))
    PostVariant.objects.filter(pk=variant.pk).update(caption="Ini hoaks")
    publish_when_due(variant)
    assert platform.accepted() == 0
    assert variant.status == S.NEEDS_ATTENTION and "Hoaks" in variant.last_error
    assert variant.caption == "Ini hoaks"  # kept for the officer to fix


def test_an_unchanged_approved_variant_goes_out_once(
    world: World, platform: FakePlatform, api_channel, image_review
) -> None:
    variant = approved_and_scheduled(world, api_channel, image(world, "spanduk", "white"))
    publish_when_due(variant)
    assert variant.status == S.PUBLISHED and platform.accepted() == 1
