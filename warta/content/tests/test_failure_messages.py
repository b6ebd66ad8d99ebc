"""What an officer reads when a platform cannot be reached or the account must be reconnected."""

import socket
from datetime import UTC, datetime

import pytest
import time_machine
from django.test import TestCase, override_settings
from django.urls import reverse

from warta.channels.models import Channel
from warta.connectors.fakes import Fault
from warta.connectors.fakes.sandbox import Sandbox
from warta.connectors.sandbox import practice_credentials
from warta.content import publishing
from warta.content.tests.conftest import make_variant
from warta.lib import crypto

NOW = datetime(2026, 12, 3, 1, 10, tzinfo=UTC)  # 09:10 WITA


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def facebook(world):
    return Channel.objects.create(
        agency=world.agency_a,
        platform="facebook",
        handle="dinkes.bontang",
        external_id="4242",
        mode="sandbox",
        credentials_encrypted=crypto.encrypt_json(practice_credentials("facebook")),
    )


def _publish(pk: int) -> None:
    with TestCase.captureOnCommitCallbacks(execute=True):
        publishing.publish_batch([pk])


def test_an_unreachable_platform_says_what_happened_and_when_warta_tries_again(
    world, facebook, alice_client
):
    variant = make_variant(world, facebook, at=NOW)
    with (
        override_settings(WARTA_SANDBOX_URL=f"http://127.0.0.1:{_closed_port()}"),
        time_machine.travel(NOW, tick=False),
    ):
        _publish(variant.pk)
    variant.refresh_from_db()
    assert variant.status == "scheduled"
    page = alice_client.get(reverse("content:post_detail", args=[variant.post_id]))
    text = page.content.decode()
    assert "Facebook tidak dapat dihubungi; warta mencoba lagi pukul 09:10 WITA." in text
    assert "Error" not in text and "Exception" not in text


def test_a_refused_token_tells_the_officer_to_reconnect_the_account(world, facebook, alice_client):
    sandbox = Sandbox().start()
    try:
        sandbox.account("facebook", "4242").fail_next(Fault.EXPIRED_TOKEN)
        variant = make_variant(world, facebook, at=NOW)
        with (
            override_settings(WARTA_SANDBOX_URL=sandbox.base_url),
            time_machine.travel(NOW, tick=False),
        ):
            _publish(variant.pk)
    finally:
        sandbox.stop()
    facebook.refresh_from_db()
    assert facebook.status == Channel.Status.NEEDS_RECONNECT
    for url in (
        reverse("channels:channel_detail", args=[facebook.pk]),
        reverse("content:post_detail", args=[variant.post_id]),
    ):
        text = alice_client.get(url).content.decode()
        assert "Hubungkan ulang akun di halaman kanal." in text
        assert "Sandbox/latihan" in text
