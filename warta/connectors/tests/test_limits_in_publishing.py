"""A platform's documented limit refusal, as publishing meets it through the connector.

The fakes refuse as the platforms document (warta/connectors/fakes/); here another client
of the same Telegram bot has spent most of the channel's minute, so Telegram refuses
before warta's own count would: the refused post is retried after the wait Telegram
gave, the budget learns it, and the posts behind it wait without calling Telegram.
"""

from datetime import UTC, datetime, timedelta

import httpx
import pytest
import time_machine
from django.test import TestCase

from warta.channels.models import Channel, RateBudget
from warta.content import publishing
from warta.content.models import PostVariant
from warta.content.tests.conftest import make_variant
from warta.lib import crypto

S = PostVariant.Status
pytestmark = pytest.mark.django_db
EIGHT = datetime(2026, 12, 2, 0, 0, tzinfo=UTC)  # 08:00 WITA


def test_a_telegram_flood_refusal_is_retried_after_its_wait_and_holds_the_rest(
    world, fake_platform
):
    fake = fake_platform("telegram")
    channel = Channel.objects.create(
        agency=world.agency_a,
        platform="telegram",
        handle=fake.handle,
        external_id=fake.external_id,
        mode="api",
        credentials_encrypted=crypto.encrypt_json(fake.credentials()),
    )
    with time_machine.travel(EIGHT, tick=False):
        for n in range(15):  # the other client
            sent = httpx.post(
                f"{fake.base_url}/bot{fake.access_token}/sendMessage",
                json={"chat_id": fake.external_id, "text": f"Lain {n}"},
            )
            assert sent.status_code == 200
        variants = [make_variant(world, channel, at=EIGHT, caption=f"Info {i}") for i in range(8)]
        for variant in variants:
            with TestCase.captureOnCommitCallbacks(execute=True):
                publishing.publish_batch([variant.pk])

        refused = PostVariant.objects.get(pk=variants[5].pk)
        assert refused.status == S.SCHEDULED and refused.attempts == 1
        assert refused.next_attempt_at >= EIGHT + timedelta(seconds=60)
        assert "Telegram membatasi laju pengiriman" in refused.last_error
        budget = RateBudget.objects.get(platform="telegram", name="posts_1m")
        assert (budget.remaining, budget.source) == (0, RateBudget.Source.HEADERS)
        assert budget.resets_at == EIGHT + timedelta(seconds=60)
        held = PostVariant.objects.filter(pk__in=[v.pk for v in variants[6:]])
        assert {(v.status, v.attempts) for v in held} == {(S.SCHEDULED, 0)}
        assert fake.throttled == 1  # the posts behind it did not knock
        assert PostVariant.objects.filter(status=S.PUBLISHED).count() == 5

    with time_machine.travel(EIGHT + timedelta(minutes=5), tick=False):
        for variant in variants[5:]:
            with TestCase.captureOnCommitCallbacks(execute=True):
                publishing.publish_batch([variant.pk])
    assert PostVariant.objects.filter(status=S.PUBLISHED).count() == 8
    assert fake.throttled == 1 and not fake.duplicates()
