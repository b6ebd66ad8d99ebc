"""The calendar, the composer, the home page and the agency dashboard state the same
cadence gaps (issue 19).

Known data, like Dishub: the strategy asks for 3 Instagram posts a week and for TikTok,
where the agency has no account; it sets nothing for its X account, held to the default.
Its WhatsApp line takes messages: nothing is published there, so it has no cadence.
This week: 1 Instagram post published, 1 scheduled, 1 failed (does not count); nothing on X.
"""

import re
from datetime import UTC, datetime, timedelta

import time_machine
from django.urls import reverse
from django.utils import timezone

from warta.channels.models import Channel
from warta.content.models import Post, PostVariant
from warta.strategy.models import StrategyVersion
from warta.strategy.schema import empty_data

from .helpers import publish

NOW = datetime(2026, 10, 28, 1, 0, tzinfo=UTC)  # Wednesday 09:00 WITA


def html_text(html: str) -> str:
    # The platform filter lists every platform; the figures must not.
    html = re.sub(r"(?s)<select.*?</select>", "", html)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


@time_machine.travel(NOW, tick=False)
def test_the_calendar_hint_and_the_dashboard_name_the_same_channels_and_gaps(
    world, alice_client
) -> None:
    x = Channel.objects.create(agency=world.agency_a, platform="x", handle="@dinkes_x")
    Channel.objects.create(agency=world.agency_a, platform="whatsapp", handle="Pengaduan")
    StrategyVersion.objects.create(
        region=world.region,
        agency=world.agency_a,
        number=1,
        data={**empty_data(), "cadence": {"instagram": 3, "tiktok": 2}},
        reason="Uji",
        author=world.cora,
        status=StrategyVersion.Status.ACCEPTED,
        decided_by=world.cora,
        decided_at=timezone.now(),
    )
    publish(world.channel_a, NOW - timedelta(hours=12))  # Tuesday: this week
    publish(world.channel_a, NOW - timedelta(days=4))  # last week's Saturday: not counted
    for status in (PostVariant.Status.SCHEDULED, PostVariant.Status.FAILED):
        PostVariant.objects.create(
            post=Post.objects.create(agency=world.agency_a, message="Jadwal vaksin"),
            channel=world.channel_a,
            caption="Jadwal vaksin",
            status=status,
            scheduled_at=NOW + timedelta(days=2),
        )

    dashboard = alice_client.get(reverse("analytics:agency", args=[world.agency_a.pk]))
    gaps = {g.target.label: g.missing for g in dashboard.context["week_gaps"]}
    assert gaps == {"Instagram @dinkes.uji": 1, "X @dinkes_x": 3}
    text = html_text(dashboard.content.decode())
    assert "Instagram @dinkes.uji: 1 unggahan lagi minggu ini" in text
    assert "X @dinkes_x: 3 unggahan lagi minggu ini" in text

    calendar = alice_client.get(reverse("content:calendar"), {"view": "week", "date": "2026-10-28"})
    [week] = calendar.context["weeks"]
    assert dict(week["gaps"]) == gaps
    page = html_text(calendar.content.decode())
    assert "kurang: Instagram @dinkes.uji 1, X @dinkes_x 3" in page
    # Each channel against its own target: the strategy's 3, the default 3 for X.
    assert calendar.context["targets"] == [
        ("Instagram @dinkes.uji", 3, False),
        ("X @dinkes_x", 3, True),
    ]
    composer = alice_client.get(reverse("content:post_new"))
    assert dict(composer.context["gaps"]) == gaps
    home = alice_client.get("/").content.decode()
    section = html_text(home.split('data-section="cadence"')[1].split("</article>")[0])
    assert "Instagram @dinkes.uji" in section and "2 dari target 3" in section
    assert "X @dinkes_x" in section and "0 dari target 3" in section
    for where in (text, page, section):
        assert "TikTok" not in where and "WhatsApp" not in where
    # Last week, in the month view: the same count as the dashboard's source for that week.
    month = alice_client.get(reverse("content:calendar"), {"date": "2026-10-28"})
    by_monday = {w["days"][0]["date"]: dict(w["gaps"]) for w in month.context["weeks"]}
    assert by_monday[NOW.date() - timedelta(days=9)] == {
        "Instagram @dinkes.uji": 2,
        "X @dinkes_x": 3,
    }
    assert x.pk  # the X account exists and is counted: never forgotten
