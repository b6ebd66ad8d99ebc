"""Stored Indonesian messages read in the reader's language (warta/core/reasons.py)."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from warta.channels.models import Channel
from warta.connectors import messages
from warta.connectors.base import PermanentError
from warta.connectors.manual import parse_post_url
from warta.content.publishing import GAVE_UP
from warta.content.services import variant_mark_published_manually
from warta.content.tests.conftest import make_variant
from warta.core.reasons import localize
from warta.testing.fixtures import World


def test_it_translates_a_filled_in_reason_but_not_the_platforms_words() -> None:
    stored = messages.CONTENT_REFUSED(platform="Mastodon", detail="Teks terlalu panjang")
    assert stored == "Mastodon menolak isi: Teks terlalu panjang"
    with translation.override("en"):
        assert localize(stored) == "Mastodon refused the content: Teks terlalu panjang"
    with translation.override("id"):
        assert localize(stored) == stored


def test_it_translates_a_reason_inside_a_reason() -> None:
    inner = messages.RATE_LIMITED(platform="YouTube", detail="quotaExceeded")
    stored = GAVE_UP(n=5, err=inner)
    with translation.override("en"):
        english = localize(stored)
    assert "YouTube is rate-limiting requests: quotaExceeded" in english
    assert "5" in english and "terakhir" not in english


def test_it_translates_an_exact_message_and_leaves_unknown_text_alone() -> None:
    with translation.override("en"):
        assert localize("YouTube butuh tepat satu video.") == "YouTube needs exactly one video."
        assert localize("Sesuatu yang tidak dikenal") == "Sesuatu yang tidak dikenal"
        assert localize("") == ""


def test_a_connector_error_raised_in_english_still_carries_the_source_text() -> None:
    with translation.override("en"):
        with pytest.raises(PermanentError) as caught:
            parse_post_url("instagram", "https://contoh.example/p/abc")
        assert caught.value.message.startswith("Alamat ini bukan alamat instagram")
        assert caught.value.localized == (
            "This address is not on instagram: the domain contoh.example is not known."
        )


def test_a_bad_pasted_url_is_refused_in_english(world: World) -> None:

    channel = Channel.objects.create(
        agency=world.agency_a, platform="instagram", handle="@a", mode="manual"
    )
    variant = make_variant(world, channel, status="needs_attention")
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        variant_mark_published_manually(actor=world.alice, variant=variant, url="tautan")
    assert caught.value.message_dict["url"] == [
        "The post's address must be a full URL (https://...)."
    ]


def test_warta_own_words_inside_a_reason_are_translated_too() -> None:
    stored = messages.REJECTED(platform="TikTok", detail=messages.TIKTOK_NOT_PUBLISHED(code="x1"))
    with translation.override("en"):
        assert localize(stored) == "TikTok refused: not published (x1)"
