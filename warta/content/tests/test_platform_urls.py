"""A post's link as a platform returns it reaches a page only if it is an http(s) address."""

import re

import pytest
from django.test import Client, TestCase

from warta.connectors.base import PublishRequest, PublishResult
from warta.content import publishing
from warta.content.models import PostVariant
from warta.content.tests.conftest import FakeConnector, FakePlatform, make_variant
from warta.lib.links import web_url
from warta.testing.fixtures import World

pytestmark = pytest.mark.django_db
HOSTILE = [
    "javascript:alert(document.cookie)",
    "JaVaScRiPt:alert(1)",
    "  javascript:alert(1)",
    "java\tscript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    "//evil.example/post",
    "https:///no-host",
    "https://uji.example/" + "a" * 600,
]


def _hrefs(page: str) -> list[str]:
    return re.findall(r'href="([^"]*)"', page)


@pytest.mark.parametrize("url", HOSTILE)
def test_a_hostile_link_from_the_platform_is_not_stored_and_the_post_stays_published(
    world: World,
    platform: FakePlatform,
    api_channel,
    alice_client: Client,
    monkeypatch: pytest.MonkeyPatch,
    url: str,
) -> None:
    def publish(self: FakeConnector, request: PublishRequest) -> PublishResult:
        return PublishResult(platform_post_id="p1", url=url)

    monkeypatch.setattr(FakeConnector, "publish", publish)
    variant = make_variant(world, api_channel)
    with TestCase.captureOnCommitCallbacks(execute=True):
        publishing.publish_batch([variant.pk])
    variant.refresh_from_db()
    assert variant.status == PostVariant.Status.PUBLISHED
    assert variant.platform_post_id == "p1"
    assert variant.platform_url == ""
    page = alice_client.get(f"/konten/unggahan/{variant.post_id}/").content.decode()
    assert f'data-testid="platform-link-{variant.pk}"' not in page
    assert not [h for h in _hrefs(page) if "script" in h.lower() or h.startswith("data:")]


def test_a_link_stored_before_the_check_is_not_rendered_as_a_link(
    world: World, platform: FakePlatform, api_channel, alice_client: Client
) -> None:
    variant = make_variant(world, api_channel, status=PostVariant.Status.PUBLISHED)
    PostVariant.objects.filter(pk=variant.pk).update(platform_url="javascript:alert(1)")
    page = alice_client.get(f"/konten/unggahan/{variant.post_id}/").content.decode()
    assert "javascript:" not in page


def test_a_real_link_from_the_platform_is_kept_and_shown(
    world: World, platform: FakePlatform, api_channel, alice_client: Client
) -> None:
    variant = make_variant(world, api_channel)
    with TestCase.captureOnCommitCallbacks(execute=True):
        publishing.publish_batch([variant.pk])
    variant.refresh_from_db()
    assert variant.platform_url == "https://uji.example/p1"
    page = alice_client.get(f"/konten/unggahan/{variant.post_id}/").content.decode()
    assert 'href="https://uji.example/p1"' in page


@pytest.mark.parametrize("url", HOSTILE)
def test_web_url_refuses_what_is_not_http(url: str) -> None:
    assert web_url(url) == ""


def test_web_url_keeps_http_and_https() -> None:
    assert web_url(" https://www.instagram.com/p/Cx1/ ") == "https://www.instagram.com/p/Cx1/"
    assert web_url("http://bontangkota.go.id/berita/1") == "http://bontangkota.go.id/berita/1"
