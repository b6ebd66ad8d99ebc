"""What an officer reads is in the language they chose, even text stored by a task.

A connector's failure reason is stored on the variant (and the channel) by the
publishing task in Indonesian, whatever language was active, and translated when shown
(warta/core/reasons.py); the platform's own words stay as the platform wrote them.
"""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation

from warta.channels.models import Channel
from warta.connectors.fakes import Fault
from warta.content.models import PostVariant
from warta.content.tests.conftest import make_variant
from warta.content.tests.test_publishing_fakes import channel_on, publish
from warta.testing.fixtures import World

S = PostVariant.Status
pytestmark = pytest.mark.django_db

MASTODON_REASON_ID = "Mastodon menolak isi: Validation failed: File content type is invalid"
MASTODON_REASON_EN = "Mastodon refused the content: Validation failed: File content type is invalid"


def speaking(client: Client, language: str) -> Client:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def test_it_shows_a_connector_failure_in_each_readers_language(
    world: World, fake_platform, alice_client: Client
) -> None:
    fake = fake_platform("mastodon")
    variant = make_variant(world, channel_on(world, fake))
    fake.fail_next(Fault.INVALID_MEDIA)
    # Whoever triggered publishing spoke English: the stored reason is still the source.
    with translation.override("en"):
        publish([variant.pk])
    variant.refresh_from_db()
    assert variant.status == S.FAILED
    assert variant.last_error == MASTODON_REASON_ID
    url = reverse("content:post_detail", args=[variant.post_id])

    english = speaking(alice_client, "en").get(url).content.decode()
    assert MASTODON_REASON_EN in english
    assert "menolak isi" not in english

    indonesian = speaking(alice_client, "id").get(url).content.decode()
    assert MASTODON_REASON_ID in indonesian
    assert "refused the content" not in indonesian


def test_it_shows_why_a_channel_needs_reconnecting_in_english(
    world: World, fake_platform, alice_client: Client
) -> None:
    fake = fake_platform("telegram")
    channel = channel_on(world, fake)
    variant = make_variant(world, channel)
    fake.fail_next(Fault.EXPIRED_TOKEN)
    publish([variant.pk])
    channel.refresh_from_db()
    assert channel.status == Channel.Status.NEEDS_RECONNECT
    url = reverse("channels:channel_detail", args=[channel.pk])

    english = speaking(alice_client, "en").get(url).content.decode()
    assert "The Telegram bot can no longer post: Unauthorized" in english
    indonesian = speaking(alice_client, "id").get(url).content.decode()
    assert "Bot Telegram tidak lagi bisa memposting: Unauthorized" in indonesian


def test_it_reads_a_reason_wrapping_a_connector_reason_whole_in_english(
    world: World, fake_platform, alice_client: Client
) -> None:
    # After the last retry publishing wraps the connector's reason in its own.
    fake = fake_platform("x")
    variant = make_variant(world, channel_on(world, fake))
    variant.status = S.FAILED
    variant.last_error = (
        "Gagal 5 kali berturut-turut; terakhir: X membatasi laju permintaan: Too Many Requests"
    )
    variant.save(update_fields=["status", "last_error"])
    url = reverse("content:post_detail", args=[variant.post_id])
    body = speaking(alice_client, "en").get(url).content.decode()
    assert "X is rate-limiting requests: Too Many Requests" in body
    assert "berturut-turut" not in body and "membatasi" not in body


def test_it_calls_the_calendars_week_tab_week_and_sundays_column_sun(
    world: World, alice_client: Client
) -> None:
    body = speaking(alice_client, "en").get(reverse("content:calendar")).content.decode()
    assert ">Week</a>" in body
    assert '<th scope="col">Sun</th>' in body
    assert ">Minggu<" not in body and "Sunday" not in body

    body = speaking(alice_client, "id").get(reverse("content:calendar")).content.decode()
    assert ">Minggu</a>" in body
    assert '<th scope="col">Min</th>' in body


def test_it_counts_temporary_failures_in_good_english(
    world: World, fake_platform, alice_client: Client
) -> None:
    fake = fake_platform("x")
    variant = make_variant(world, channel_on(world, fake))
    url = reverse("content:post_detail", args=[variant.post_id])
    english = speaking(alice_client, "en")
    for attempts, text in ((1, "after 1 temporary failure."), (3, "after 3 temporary failures.")):
        PostVariant.objects.filter(pk=variant.pk).update(
            attempts=attempts, last_error="Telegram tidak mengembalikan pesan"
        )
        body = english.get(url).content.decode()
        assert text in body
        assert "Telegram did not return the message" in body
