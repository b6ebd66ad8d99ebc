"""Rate-limit budgets: many agencies posting at once never trip a platform's limit.

Against the strict fakes (local HTTP), which refuse exactly as the platforms document
(X: 429 over the 24-hour caps; Graph: 80001 over the Page's allowance). Each test fixes
its own moment, so it passes whatever the wall clock says.
"""

import re
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext

from warta.channels import budgets
from warta.channels.models import Channel, RateBudget
from warta.connectors.fakes import FakePlatform
from warta.content import publishing
from warta.content.models import PostVariant
from warta.content.tests.conftest import make_variant
from warta.institutions.models import Agency
from warta.lib import clock, crypto
from warta.testing.fixtures import World

S = PostVariant.Status
WITA = ZoneInfo("Asia/Makassar")
pytestmark = pytest.mark.django_db


def eight_tomorrow() -> datetime:
    """08:00 WITA on the day after today (whatever today is)."""
    day = clock.now().astimezone(WITA).date() + timedelta(days=1)
    return datetime.combine(day, time(8), tzinfo=WITA).astimezone(UTC)


def agencies(world: World, n: int) -> list[Agency]:
    extra = [
        Agency.objects.create(region=world.region, name=f"Dinas Uji {i}", short_name=f"DU{i}")
        for i in range(n - 2)
    ]
    return [world.agency_a, world.agency_b, *extra]


def x_channel(agency: Agency, fake: FakePlatform, n: int) -> Channel:
    """Each agency its own X user: its own token at the fake, its own account id."""
    token, _refresh = fake.issue_token()
    return Channel.objects.create(
        agency=agency,
        platform="x",
        handle=f"agency{n}",
        external_id=f"15000000000000{n:05d}",
        mode="api",
        credentials_encrypted=crypto.encrypt_json({**fake.credentials(), "access_token": token}),
    )


def publish_due(ids: list[int], batch: int = 25) -> dict[str, int]:
    """What the workers do at the due time: batches of due variants, in turn."""
    totals: dict[str, int] = {}
    for start in range(0, len(ids), batch):
        with TestCase.captureOnCommitCallbacks(execute=True):
            counts = publishing.publish_batch(ids[start : start + batch])
        for state, n in counts.items():
            totals[state] = totals.get(state, 0) + n
    return totals


def test_twenty_agencies_at_eight_never_trip_xs_caps_and_lose_nothing(
    world, fake_platform, settings
):
    # An operator on a small X tier: 3 posts per user and 40 per app in 24 hours, set
    # in WARTA_RATE_BUDGETS as the fake enforces them.
    fake = fake_platform("x")
    fake.user_daily_limit, fake.app_daily_limit = 3, 40
    settings.WARTA_RATE_BUDGETS = {"x": {"posts_24h:account": 3, "posts_24h:app": 40}}
    eight = eight_tomorrow()
    with time_machine.travel(eight, tick=False):
        variants = []
        for n, agency in enumerate(agencies(world, 20)):
            channel = x_channel(agency, fake, n)
            # Agency A has five posts at 08:00, two more than its user may make in 24 h.
            for i in range(5 if n == 0 else 3):
                variants.append(make_variant(world, channel, at=eight, caption=f"Info {n}-{i}"))
        ids = [v.pk for v in variants]
        counts = publish_due(ids)

        assert fake.throttled == 0  # not one 429 at the platform
        assert counts == {"published": 40, "deferred": 22}
        held = PostVariant.objects.filter(pk__in=ids, status=S.SCHEDULED)
        assert held.count() == 22
        reset = eight + timedelta(hours=24, seconds=1)
        for variant in held:
            assert variant.attempts == 0  # a wait, not a failed attempt
            assert variant.next_attempt_at == reset
            # Resets tomorrow: held with the day and time in the region's zone.
            assert "Batas X tercapai" in variant.last_error
            assert "pukul 08:00 WITA" in variant.last_error
            assert "Tidak ada yang dibuang" in variant.last_error
        agency_a_held = held.filter(channel__agency=world.agency_a)
        assert "per akun" in agency_a_held.first().last_error
        # Asking again before the reset still calls nobody.
        assert publish_due(list(held.values_list("pk", flat=True))) == {}

    with time_machine.travel(reset + timedelta(seconds=1), tick=False):
        publish_due(ids)
    assert fake.throttled == 0
    assert PostVariant.objects.filter(pk__in=ids, status=S.PUBLISHED).count() == 62
    assert not fake.duplicates() and sum(fake.publish_counts.values()) == 62


def test_the_platforms_headers_correct_a_documented_figure(world, fake_platform):
    # warta believes the Basic tier's 1,667 posts per app; the app may really make 30. The
    # first answers say so (x-app-limit-24hour-*), and no post after them is refused.
    fake = fake_platform("x")
    fake.app_daily_limit = 30
    eight = eight_tomorrow()
    with time_machine.travel(eight, tick=False):
        channels = [x_channel(agency, fake, n) for n, agency in enumerate(agencies(world, 20))]
        variants = [
            make_variant(world, channel, at=eight, caption=f"Kabar {n}-{i}")
            for n, channel in enumerate(channels)
            for i in range(2)
        ]
        counts = publish_due([v.pk for v in variants], batch=10)
    assert fake.throttled == 0
    assert counts == {"published": 30, "deferred": 10}
    app = RateBudget.objects.get(platform="x", scope="app", name="posts_24h")
    assert (app.limit, app.remaining, app.source) == (30, 0, RateBudget.Source.HEADERS)
    assert app.resets_at == eight + timedelta(hours=24)


def test_a_page_near_its_allowance_waits_instead_of_being_throttled(world, fake_platform):
    # Graph tells a Page's use only in percent (X-Business-Use-Case-Usage); at 90 % warta
    # stops posting until the window passes rather than meet error 80001.
    fake = fake_platform("facebook")
    fake.calls_per_hour = 10
    channel = Channel.objects.create(
        agency=world.agency_a,
        platform="facebook",
        handle=fake.handle,
        external_id=fake.external_id,
        mode="api",
        credentials_encrypted=crypto.encrypt_json(fake.credentials()),
    )
    eight = eight_tomorrow()
    with time_machine.travel(eight, tick=False):
        variants = [
            make_variant(world, channel, at=eight, caption=f"Halaman {i}") for i in range(12)
        ]
        counts = publish_due([v.pk for v in variants], batch=1)
    assert fake.throttled == 0
    assert counts == {"published": 9, "deferred": 3}
    waiting = PostVariant.objects.filter(status=S.SCHEDULED, channel=channel).first()
    assert waiting.last_error.startswith("Jatah Halaman Facebook habis")
    assert "pukul 09:00 WITA" in waiting.last_error  # the same day: just the time
    assert not fake.duplicates()


def test_only_one_of_two_takers_gets_the_last_unit(world, settings):
    settings.WARTA_RATE_BUDGETS = {"telegram": {"posts_1m:account": 1}}
    keys = budgets.Keys(platform="telegram", account="-100123", app="warta")
    now = eight_tomorrow()
    assert budgets.budget_take(keys=keys, now=now) is None
    spent = budgets.budget_take(keys=keys, now=now)
    assert spent is not None and spent.resets_at == now + timedelta(minutes=1)
    # Another account of the same bot has its own budget; the window's end opens it again.
    other = budgets.Keys(platform="telegram", account="-100999", app="warta")
    assert budgets.budget_take(keys=other, now=now) is None
    assert budgets.budget_take(keys=keys, now=now + timedelta(minutes=1)) is None


def test_youtube_quota_resets_at_midnight_pacific(world):
    # videos.insert has its own 100 calls per project and day: 100 uploads, then tomorrow.
    keys = budgets.Keys(platform="youtube", account="UC1", app="warta")
    now = datetime(2026, 12, 3, 0, 0, tzinfo=WITA)  # 2 Dec 08:00 Pacific
    taken = [budgets.budget_take(keys=keys, now=now) for _ in range(101)]
    assert taken[:100] == [None] * 100
    assert taken[100] is not None and taken[100].budget.name == "uploads_day"
    assert taken[100].resets_at == datetime(2026, 12, 3, 8, 0, tzinfo=UTC)  # 00:00 PST


def test_a_burst_takes_each_budget_row_once_per_claim(world, fake_platform, settings):
    # Ten agencies post three times each at 08:00: the app's row is every channel's, and
    # taking it per post made the workers queue on one row. One claim of 30 posts now
    # writes each budget row once (the app's, and each account's), and counts them all.
    fake = fake_platform("x")
    settings.WARTA_RATE_BUDGETS = {"x": {"posts_24h:account": 10, "posts_24h:app": 500}}
    eight = eight_tomorrow()
    with time_machine.travel(eight, tick=False):
        channels = [x_channel(agency, fake, n) for n, agency in enumerate(agencies(world, 10))]
        ids = [
            make_variant(world, channel, at=eight, caption=f"Kabar {n}-{i}").pk
            for n, channel in enumerate(channels)
            for i in range(3)
        ]
        with CaptureQueriesContext(connection) as queries:
            counts = publish_due(ids, batch=30)
    assert counts == {"published": 30}
    written = [
        re.search(r'"id" = (\d+)', q["sql"]).group(1)  # type: ignore[union-attr]
        for q in queries.captured_queries
        if q["sql"].startswith('UPDATE "channels_ratebudget" SET "remaining" = (')
    ]
    # Each budget row (the app's, and every account budget X documents) taken from once.
    assert sorted(written) == sorted({*written}) and len(written) == RateBudget.objects.count()
    app = RateBudget.objects.get(platform="x", scope="app", name="posts_24h")
    assert app.remaining <= 500 - 30  # every post counted (the fake's headers may lower it)
    accounts = RateBudget.objects.filter(platform="x", scope="account", name="posts_24h")
    assert sorted(a.remaining for a in accounts) == [7] * 10
    assert fake.throttled == 0 and not fake.duplicates()
