"""No page's query count grows with the number of agencies: 20 against 200 (issue 20)."""

from datetime import UTC, datetime, timedelta

import time_machine
from django.contrib.auth.models import User
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from warta.analytics.rollups import rollups_refresh
from warta.channels.models import Channel
from warta.engagement.models import (
    Consultation,
    ConsultationInput,
    ConsultationTheme,
    FollowUpAction,
    InboxItem,
    PublicInformation,
)
from warta.institutions.models import Agency, Officer
from warta.strategy.models import StrategyVersion
from warta.strategy.schema import empty_data

from .helpers import publish

NOW = datetime(2026, 12, 2, 1, 0, tzinfo=UTC)


def add_agencies(world, n: int, start: int) -> None:
    """Agencies like the ones already there: two channels, posts, a strategy, questions,
    input, an information entry and an officer."""
    for i in range(start, start + n):
        agency = Agency.objects.create(region=world.region, name=f"Badan {i}", short_name=f"B{i}")
        officer = Officer.objects.create(
            user=User.objects.create(username=f"petugas{i}"),
            region=world.region,
            role=Officer.Role.OFFICER,
        )
        officer.agencies.set([agency])
        PublicInformation.objects.create(
            agency=agency, title=f"Anggaran {i}", category=PublicInformation.Category.PERIODIC
        )
        ig = Channel.objects.create(agency=agency, platform="instagram", handle=f"@b{i}")
        Channel.objects.create(agency=agency, platform="x", handle=f"@b{i}_x")
        StrategyVersion.objects.create(
            region=world.region,
            agency=agency,
            number=1,
            data={**empty_data(), "cadence": {"instagram": 4}, "target_mix": {"service": 100}},
            reason="Uji",
            author=world.cora,
            status=StrategyVersion.Status.ACCEPTED,
            decided_by=world.cora,
            decided_at=timezone.now(),
        )
        for d in (3, 10, 40):
            publish(ig, NOW - timedelta(days=d))
        InboxItem.objects.create(
            agency=agency,
            channel=ig,
            platform_item_id=f"q{i}",
            text="Kapan buka?",
            intent="question",
            received_at=NOW - timedelta(days=5),
            first_response_at=NOW - timedelta(days=4),
        )
        c = Consultation.objects.create(
            agency=agency,
            title=f"Konsultasi {i}",
            question="?",
            opens_at=NOW - timedelta(days=20),
            closes_at=NOW - timedelta(days=1),
        )
        theme = ConsultationTheme.objects.create(consultation=c, label=f"Tema {i}")
        FollowUpAction.objects.create(theme=theme, title="Tindak", progress=50)
        ConsultationInput.objects.create(
            consultation=c,
            source="form",
            text="Masukan",
            text_key=f"k{i}",
            theme=theme,
            received_at=NOW - timedelta(days=10),
        )


def count(client, url: str, params: dict[str, str]) -> int:
    cache.clear()  # cold: the figures are computed, not read from the cache
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


PAGES = [
    ("analytics:dashboard", {}),  # the ranking
    ("analytics:dashboard", {"start": "2026-11-01", "end": "2026-11-30"}),
    ("analytics:report", {"month": "2026-11"}),
    ("institutions:agency_list", {}),
    ("channels:channel_list", {}),
    ("engagement:consultation_list", {}),
    ("engagement:inbox", {}),
    ("institutions:officer_list", {}),
    ("engagement:request_list", {}),
    ("engagement:dip_list", {}),
    ("guardrails:review_queue", {}),
    ("content:calendar", {}),
    ("strategy:strategy_home", {}),
]


@time_machine.travel(NOW, tick=False)
def test_every_page_costs_the_same_queries_for_20_and_for_200_agencies(world, cora_client) -> None:
    add_agencies(world, 18, 0)  # 20 with the world's two
    rollups_refresh()
    urls = [(name, params, reverse(name)) for name, params in PAGES]
    for _name, params, url in urls:
        count(cora_client, url, params)  # the session, the first hit of a cache table
    few = {f"{name}{params}": count(cora_client, url, params) for name, params, url in urls}
    add_agencies(world, 180, 18)  # 200
    rollups_refresh()
    many = {f"{name}{params}": count(cora_client, url, params) for name, params, url in urls}
    assert many == few
