"""Tokens warn before they expire: 7 and 2 days ahead, once each, with a one-click reconnect."""

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.test import TestCase

from warta.channels.models import Channel
from warta.channels.services import channel_set_credentials
from warta.content import notifications
from warta.lib import clock, crypto
from warta.testing.fixtures import World, client_for

pytestmark = pytest.mark.django_db
WITA = ZoneInfo("Asia/Makassar")


def noon_tomorrow() -> datetime:
    day = clock.now().astimezone(WITA).date() + timedelta(days=1)
    return datetime.combine(day, time(12), tzinfo=WITA).astimezone(UTC)


def meta_channel(world: World, expires: datetime) -> Channel:
    # A Meta long-lived token lasts about 60 days; this one has `expires` left.
    return Channel.objects.create(
        agency=world.agency_a,
        platform="facebook",
        handle="dinkes.uji",
        external_id="1000",
        mode="api",
        credentials_encrypted=crypto.encrypt_json({"access_token": "EAAG-page"}),
        token_expires_at=expires,
    )


def tick(at: datetime) -> int:
    with time_machine.travel(at, tick=False), TestCase.captureOnCommitCallbacks(execute=True):
        return notifications.token_expiry_notices_send()


def recipients() -> set[str]:
    return {address for message in mail.outbox for address in message.to}


def test_officers_and_the_coordinator_hear_seven_then_two_days_ahead_once_each(world):
    start = noon_tomorrow()
    channel = meta_channel(world, start + timedelta(days=10))
    assert tick(start) == 0 and not mail.outbox  # ten days left: nothing yet

    assert tick(start + timedelta(days=3, hours=1)) == 2  # 6 days 23 h left
    assert recipients() == {"alice@example.test", "cora@example.test"}  # not bob
    first = mail.outbox[0]
    assert "habis dalam 7 hari" in first.subject
    # The time in the region's zone, and the one-click reconnect link.
    expires_local = (start + timedelta(days=10)).astimezone(WITA).strftime("%d-%m-%Y %H:%M")
    assert f"{expires_local} WITA" in first.body
    assert f"/kanal/{channel.pk}/#sambung-ulang" in first.body

    # Every hourly tick in between: no second notice for the same threshold.
    for hours in (2, 3, 30, 100):
        assert tick(start + timedelta(days=3, hours=hours)) == 0
    assert tick(start + timedelta(days=8, hours=1)) == 2  # 1 day 23 h left
    assert "habis dalam 2 hari" in mail.outbox[-1].subject
    assert tick(start + timedelta(days=8, hours=5)) == 0
    assert len(mail.outbox) == 4


def test_reconnecting_starts_the_warnings_again_for_the_new_token(world):
    start = noon_tomorrow()
    channel = meta_channel(world, start + timedelta(days=1))
    assert tick(start) == 2
    with time_machine.travel(start + timedelta(hours=1), tick=False):
        channel_set_credentials(
            channel=channel,
            credentials={"access_token": "EAAG-new"},
            actor=world.alice,
            token_expires_at=start + timedelta(days=60),
        )
    assert tick(start + timedelta(hours=2)) == 0  # 60 days: quiet again
    assert tick(start + timedelta(days=53, hours=2)) == 2  # the new token's 7 days


def test_an_expired_token_marks_the_channel_for_reconnecting_and_says_so(world):
    start = noon_tomorrow()
    channel = meta_channel(world, start - timedelta(minutes=5))
    assert tick(start) >= 1
    channel.refresh_from_db()
    assert channel.status == Channel.Status.NEEDS_RECONNECT
    assert "Token akses kedaluwarsa" in channel.status_reason
    assert "perlu disambungkan ulang" in mail.outbox[0].subject
    assert tick(start + timedelta(hours=1)) == 0  # told once


def test_the_channel_page_says_when_and_links_to_the_reconnect_form(world):
    start = noon_tomorrow()
    channel = meta_channel(world, start + timedelta(days=2))
    with time_machine.travel(start, tick=False):
        response = client_for(world.alice).get(f"/kanal/{channel.pk}/")
    assert response.status_code == 200, response
    page = response.content.decode()
    assert 'data-testid="reconnect-notice"' in page
    assert 'href="#sambung-ulang"' in page and 'id="sambung-ulang"' in page
    assert "Sambungkan ulang" in page
