import pytest

from warta.connectors.base import (
    Account,
    ManualPublishRequired,
    NotSupported,
    PermanentError,
    PublishRequest,
    connector_class,
)
from warta.connectors.manual import parse_post_url


def manual_connector(platform="instagram"):
    account = Account(platform=platform, external_id="", handle="dinkes", credentials={})
    return connector_class(platform, mode="manual")(account)


def test_it_asks_a_person_to_publish():
    connector = manual_connector()
    with pytest.raises(ManualPublishRequired) as caught:
        connector.publish(PublishRequest(idempotency_key="k", caption="x"))
    assert isinstance(caught.value, NotSupported)  # code that only knows NotSupported still copes


def test_platforms_without_api_get_the_manual_connector():
    assert connector_class("website") is not None
    with pytest.raises(ManualPublishRequired):
        manual_connector("website").publish(PublishRequest(idempotency_key="k", caption="x"))


@pytest.mark.parametrize(
    ("platform", "url", "post_id"),
    [
        ("instagram", "https://www.instagram.com/p/C1a2B3c4D5e/", "C1a2B3c4D5e"),
        ("instagram", "https://www.instagram.com/reel/C9xYz/?igsh=abc", "C9xYz"),
        ("x", "https://x.com/pemkotbontang/status/1861234567890", "1861234567890"),
        ("x", "https://twitter.com/pemkot/status/186123", "186123"),
        ("tiktok", "https://www.tiktok.com/@pemkot/video/7301234567890", "7301234567890"),
        ("youtube", "https://www.youtube.com/watch?v=dQw4w9WgXcQ", "dQw4w9WgXcQ"),
        ("youtube", "https://youtu.be/dQw4w9WgXcQ", "dQw4w9WgXcQ"),
        ("youtube", "https://www.youtube.com/shorts/abcDEF12345", "abcDEF12345"),
        ("telegram", "https://t.me/pemkotbontang/123", "123"),
        ("facebook", "https://www.facebook.com/pemkot/posts/pfbid02abc", "pfbid02abc"),
        ("website", "https://bontangkota.go.id/berita/1", "https://bontangkota.go.id/berita/1"),
    ],
)
def test_it_reads_the_post_id_from_a_pasted_url(platform, url, post_id):
    assert parse_post_url(platform, url).platform_post_id == post_id


@pytest.mark.parametrize(
    ("platform", "url", "message"),
    [
        ("instagram", "instagram.com/p/abc", "URL lengkap"),
        ("instagram", "https://evil.example/p/abc", "bukan alamat instagram"),
        ("x", "https://x.com/pemkotbontang", "bukan alamat sebuah postingan"),
        ("telegram", "javascript:alert(1)", "URL lengkap"),
    ],
)
def test_it_refuses_urls_that_are_not_posts_of_the_platform(platform, url, message):
    with pytest.raises(PermanentError, match=message):
        parse_post_url(platform, url)
