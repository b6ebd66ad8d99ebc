"""Sandbox/latihan channels: the real connectors against warta's own sandbox platforms."""

import httpx
import pytest
from django.test import override_settings

from warta.connectors.base import Account, PublishRequest, TransientError, connector_class
from warta.connectors.fakes.sandbox import Sandbox
from warta.connectors.sandbox import practice_credentials


@pytest.fixture
def sandbox():
    running = Sandbox(seed=1).start()
    with override_settings(WARTA_SANDBOX_URL=running.base_url):
        yield running
    running.stop()


def _connector(platform: str, external_id: str, **credentials: str):
    account = Account(
        platform=platform,
        external_id=external_id,
        handle="dinkes_bontang",
        # Whatever the credentials say, a sandbox channel goes to the sandbox only.
        credentials={**practice_credentials(platform), **credentials},
    )
    return connector_class(platform, mode="sandbox")(account)


@pytest.mark.parametrize("platform", ["facebook", "x", "telegram"])
def test_a_sandbox_post_opens_on_the_sandbox_with_its_comments_and_reply(sandbox, platform):
    connector = _connector(platform, "4242", base_url="https://graph.facebook.com")
    result = connector.publish(PublishRequest(idempotency_key="k1", caption="Vaksinasi gratis"))
    assert result.url.startswith(f"{sandbox.base_url}/{platform}/4242/_sandbox/posts/")

    assert sandbox.live_once()  # a resident comments
    comments = connector.fetch_comments(since=None).items
    assert len(comments) == 1
    connector.reply(
        platform_item_id=comments[0].platform_item_id,
        text="Pendaftaran dibuka sampai Jumat.",
        idempotency_key="r1",
    )
    page = httpx.get(result.url).text
    assert "SANDBOX / LATIHAN" in page
    assert "Vaksinasi gratis" in page
    assert comments[0].text.removeprefix("@pemkotbontang ") in page
    assert "Pendaftaran dibuka sampai Jumat." in page
    # Each channel is its own account: another channel sees none of this.
    assert _connector(platform, "5151").fetch_comments(since=None).items == []


def test_the_sandbox_escapes_what_it_shows(sandbox):
    connector = _connector("facebook", "4242")
    result = connector.publish(PublishRequest(idempotency_key="k", caption="<script>x()</script>"))
    page = httpx.get(result.url).text
    assert "<script>x()" not in page and "&lt;script&gt;" in page


def test_metrics_grow_in_the_sandbox(sandbox):
    connector = _connector("facebook", "4242")
    post = connector.publish(PublishRequest(idempotency_key="k", caption="Halo")).platform_post_id
    before = connector.fetch_metrics([post])[0]
    sandbox.live_once()
    after = connector.fetch_metrics([post])[0]
    assert after.impressions > (before.impressions or 0)
    assert after.comments == before.comments + 1


@override_settings(WARTA_SANDBOX_URL="")
def test_without_a_sandbox_a_sandbox_channel_reaches_no_platform(fake_platform):
    real = fake_platform("facebook")
    connector = _connector("facebook", real.external_id, base_url=real.base_url)
    with pytest.raises(TransientError) as caught:
        connector.publish(PublishRequest(idempotency_key="k", caption="Halo"))
    assert caught.value.message == "Facebook tidak dapat dihubungi"
    assert real.request_log == []
