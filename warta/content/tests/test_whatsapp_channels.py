"""WhatsApp in publishing: Channels are assisted (prepared, reminded, link pasted); the
Business number is for messages and never a publishing target."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client, TestCase

from warta.channels.models import Channel
from warta.channels.services import channel_create
from warta.content import publishing, services
from warta.content.models import PostVariant
from warta.content.tests.conftest import make_variant
from warta.testing.fixtures import World

S = PostVariant.Status
pytestmark = pytest.mark.django_db

UPDATE_URL = "https://whatsapp.com/channel/0029VaB3k9Q5Ejy2Ka1Xyz0a/214"


@pytest.fixture
def saluran(world: World) -> Channel:
    return channel_create(
        actor=world.alice,
        agency=world.agency_a,
        platform="whatsapp_channel",
        handle="Saluran Dinkes Bontang",
        mode="manual",
    )


def test_a_whatsapp_channel_has_no_api_mode(world: World) -> None:
    with pytest.raises(ValidationError) as caught:
        channel_create(
            actor=world.alice,
            agency=world.agency_a,
            platform="whatsapp_channel",
            handle="Saluran Dinkes",
            mode="api",
        )
    assert "tidak punya API resmi" in str(caught.value)
    assert not Channel.objects.filter(platform="whatsapp_channel").exists()


def test_a_whatsapp_channel_post_is_prepared_reminded_and_counts_once_linked(
    world: World, saluran: Channel, alice_client: Client
) -> None:
    variant = make_variant(world, saluran)
    with TestCase.captureOnCommitCallbacks(execute=True):
        publishing.publish_batch([variant.pk])
    variant.refresh_from_db()
    assert variant.status == S.NEEDS_ATTENTION
    assert "Saluran WhatsApp" in mail.outbox[0].subject
    page = alice_client.get(f"/konten/unggahan/{variant.post_id}/").content.decode()
    assert "Siap disalin ke Saluran WhatsApp" in page and variant.caption in page

    with pytest.raises(ValidationError):
        services.variant_mark_published_manually(
            actor=world.alice, variant=variant, url="https://wa.me/6281100001111"
        )
    services.variant_mark_published_manually(actor=world.alice, variant=variant, url=UPDATE_URL)
    variant.refresh_from_db()
    assert variant.status == S.PUBLISHED and variant.platform_url == UPDATE_URL
    assert variant.platform_post_id == "0029VaB3k9Q5Ejy2Ka1Xyz0a/214"


def test_the_business_number_is_never_a_publishing_target(
    world: World, alice_client: Client
) -> None:
    line = Channel.objects.create(
        agency=world.agency_a, platform="whatsapp", handle="Pengaduan Dinkes", mode="api"
    )
    with pytest.raises(ValidationError, match="kanal pesan WhatsApp"):
        services.post_create(
            actor=world.alice,
            agency=world.agency_a,
            message="Posyandu Senin.",
            channel_ids=[line.pk],
        )
    post = services.post_create(
        actor=world.alice, agency=world.agency_a, message="Posyandu Senin.", channel_ids=[]
    )
    assert line.pk not in set(post.variants.values_list("channel_id", flat=True))
    page = alice_client.get("/konten/unggahan/baru/").content.decode()
    assert "Pengaduan Dinkes" not in page and "untuk pesan warga" in page
