from datetime import UTC, date, datetime, timedelta
from io import StringIO
from pathlib import Path

import pytest
import time_machine
from django.core import mail
from django.core.management import CommandError, call_command

from warta.analytics.models import ChannelSnapshot, MetricSnapshot, MonthlyReport
from warta.analytics.reports import monthly_reports_send_due
from warta.analytics.services import metrics_sync_all
from warta.channels.models import Channel
from warta.channels.services import channel_set_credentials
from warta.connectors import base
from warta.content.models import Post, PostVariant

from .helpers import publish

NOW = datetime(2026, 11, 2, 4, 0, tzinfo=UTC)
SAMPLES = Path(__file__).parent / "samples"


class FakeConnector(base.Connector):
    """Answers like a platform's insights endpoint, without a network."""

    fail_with: Exception | None = None

    def fetch_metrics(self, platform_post_ids: list[str]) -> list[base.PostMetrics]:
        if FakeConnector.fail_with:
            raise FakeConnector.fail_with
        return [
            base.PostMetrics(platform_post_id=pid, captured_at=NOW, reach=100, likes=7, comments=2)
            for pid in platform_post_ids
        ]

    def fetch_followers(self) -> int:
        return 1234


@pytest.fixture
def fake_connector(monkeypatch):
    monkeypatch.setitem(base._REGISTRY, "mastodon", FakeConnector)
    FakeConnector.fail_with = None
    yield FakeConnector
    FakeConnector.fail_with = None


@time_machine.travel(NOW, tick=False)
def test_sync_appends_metrics_and_followers_for_api_channels(world, fake_connector) -> None:
    ch = Channel.objects.create(agency=world.agency_a, platform="mastodon", handle="@d", mode="api")
    channel_set_credentials(channel=ch, credentials={"access_token": "t"}, actor=None)
    post = Post.objects.create(agency=world.agency_a, message="x")
    PostVariant.objects.create(
        post=post,
        channel=ch,
        status="published",
        published_at=NOW - timedelta(days=2),
        platform_post_id="m1",
    )
    result = metrics_sync_all()
    assert (result.snapshots, result.followers, result.errors) == (1, 1, [])
    assert MetricSnapshot.objects.get().likes == 7
    assert ChannelSnapshot.objects.get().followers == 1234
    # Append-only and idempotent: the same answer again adds nothing.
    metrics_sync_all()
    assert MetricSnapshot.objects.count() == 1


@time_machine.travel(NOW, tick=False)
def test_sync_marks_a_channel_whose_token_was_revoked(world, fake_connector) -> None:
    ch = Channel.objects.create(agency=world.agency_a, platform="mastodon", handle="@d", mode="api")
    channel_set_credentials(channel=ch, credentials={"access_token": "t"}, actor=None)
    post = Post.objects.create(agency=world.agency_a, message="x")
    PostVariant.objects.create(
        post=post,
        channel=ch,
        status="published",
        published_at=NOW - timedelta(days=2),
        platform_post_id="m1",
    )
    fake_connector.fail_with = base.AuthError("token dicabut")
    result = metrics_sync_all()
    ch.refresh_from_db()
    assert ch.status == Channel.Status.NEEDS_RECONNECT
    assert result.errors
    assert MetricSnapshot.objects.count() == 0


def test_sync_reads_a_real_connector_against_its_fake_platform(world, fake_platform) -> None:
    from warta.connectors.base import PublishRequest

    fake = fake_platform("mastodon")
    result = fake.connector().publish(PublishRequest(idempotency_key="k1", caption="Halo warga"))
    fake.posts[result.platform_post_id]["favourites_count"] = 12
    fake.posts[result.platform_post_id]["reblogs_count"] = 3
    ch = Channel.objects.create(
        agency=world.agency_a,
        platform="mastodon",
        handle=fake.handle,
        external_id=fake.external_id,
        mode="api",
    )
    channel_set_credentials(channel=ch, credentials=fake.credentials(), actor=None)
    post = Post.objects.create(agency=world.agency_a, message="Halo warga")
    PostVariant.objects.create(
        post=post,
        channel=ch,
        status="published",
        published_at=datetime.now(UTC),
        platform_post_id=result.platform_post_id,
    )
    summary = metrics_sync_all()
    assert summary.errors == []
    snap = MetricSnapshot.objects.get()
    assert (snap.likes, snap.shares) == (12, 3)
    assert ChannelSnapshot.objects.get().followers == fake.followers


@time_machine.travel(NOW, tick=False)
def test_monthly_reports_are_generated_and_sent_once(world, settings) -> None:
    settings.WARTA_MONTHLY_REPORT_RECIPIENTS = ["walikota@example.test"]
    publish(world.channel_a, datetime(2026, 10, 10, 2, 0, tzinfo=UTC))
    call_command("rollups", stdout=StringIO())
    assert monthly_reports_send_due() == 3  # city-wide and two agencies
    city = MonthlyReport.objects.get(scope=f"region:{world.region.pk}")
    assert city.month == date(2026, 10, 1)
    sent_to = {tuple(sorted(m.to)) for m in mail.outbox}
    assert ("cora@example.test", "walikota@example.test") in sent_to
    assert ("alice@example.test", "hana@example.test") in sent_to
    assert all(m.attachments[0][2] == "application/pdf" for m in mail.outbox)
    assert monthly_reports_send_due() == 0


def test_the_monthly_report_command_renders_any_month(world) -> None:
    out = StringIO()
    call_command(
        "monthly_report", "--month", "2026-10", "--agency", str(world.agency_a.pk), stdout=out
    )
    assert Path(out.getvalue().strip()).read_bytes()[:5] == b"%PDF-"
    with pytest.raises(CommandError):
        call_command("monthly_report", "--month", "oktober")


@time_machine.travel(NOW, tick=False)
def test_the_import_command_prints_progress_and_a_summary(world) -> None:
    out, err = StringIO(), StringIO()
    call_command(
        "import_metrics",
        str(SAMPLES / "meta_instagram_id.csv"),
        "--channel",
        str(world.channel_a.pk),
        stdout=out,
        stderr=err,
    )
    text = out.getvalue()
    assert "3/3 baris (100%)" in text
    assert "3 baru" in text
    with pytest.raises(CommandError, match="ekspor YouTube"):
        call_command(
            "import_metrics",
            str(SAMPLES / "youtube_en.csv"),
            "--channel",
            str(world.channel_a.pk),
            stdout=StringIO(),
        )
