from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from warta.analytics.models import MetricImport
from warta.analytics.rollups import rollups_refresh
from warta.channels.models import Channel
from warta.engagement.models import InboxItem
from warta.institutions.models import Agency, LeadershipTerm
from warta.lib.categories import PostCategory

from .helpers import publish

NOW = datetime(2026, 10, 30, 4, 0, tzinfo=UTC)
pytestmark = pytest.mark.usefixtures("history")


@pytest.fixture
def history(world):
    with time_machine.travel(NOW, tick=False):
        for week in range(20):
            at = NOW - timedelta(weeks=week, hours=3)
            publish(world.channel_a, at, likes=40, reach=400, caption='=HYPERLINK("x")')
            publish(
                world.channel_a, at - timedelta(days=2), likes=30, category=PostCategory.ACTIVITY
            )
            publish(world.channel_b, at, likes=10, category=PostCategory.EDUCATION)
        InboxItem.objects.create(
            agency=world.agency_a,
            channel=world.channel_a,
            platform_item_id="c1",
            text="<script>alert(1)</script> kapan buka?",
            received_at=NOW - timedelta(days=3),
            intent="question",
            sentiment="neutral",
            first_response_at=NOW - timedelta(days=3) + timedelta(minutes=45),
        )
        LeadershipTerm.objects.create(
            agency=world.agency_a,
            head_name="Dr. Lama",
            start=datetime(2024, 1, 1).date(),
            end=datetime(2026, 8, 31).date(),
        )
        LeadershipTerm.objects.create(
            agency=world.agency_a, head_name="Dr. Baru", start=datetime(2026, 9, 1).date()
        )
        rollups_refresh()


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def test_the_coordinator_sees_the_ranking_with_components(world, cora_client) -> None:
    response = cora_client.get(reverse("analytics:dashboard"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Dinkes" in body and "Disdik" in body
    assert "jeda terpanjang" in body
    assert '<svg class="sparkline"' in body


def test_an_officer_or_head_gets_their_own_agency_dashboard(
    world, alice_client, hana_client, bob_client
) -> None:
    url = reverse("analytics:dashboard")
    for client, agency in (
        (alice_client, world.agency_a),
        (hana_client, world.agency_a),
        (bob_client, world.agency_b),
    ):
        response = client.get(url)
        assert response.status_code == 200
        assert response.context["agency"] == agency


def test_the_agency_dashboard_shows_indices_and_escapes_public_text(world, alice_client) -> None:
    response = alice_client.get(reverse("analytics:agency", args=[world.agency_a.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    for text in (
        "Indeks konsistensi",
        "Porsi konten",
        "Tanggapan publik",
        "Dr. Lama → Dr. Baru",
        "weekly-data",
        "interaksi ÷ jangkauan",
    ):
        assert text in body
    assert "<script>alert" not in body


@pytest.mark.parametrize(
    ("who", "agency", "status"),
    [
        ("alice", "a", 200),
        ("hana", "a", 200),
        ("cora", "a", 200),
        ("cora", "b", 200),
        ("bob", "a", 404),
        ("alice", "b", 404),
    ],
)
def test_agency_and_channel_pages_keep_the_agency_boundary(
    world, client, who, agency, status
) -> None:
    client.force_login(getattr(world, who))
    target = getattr(world, f"agency_{agency}")
    ch = getattr(world, f"channel_{agency}")
    assert client.get(reverse("analytics:agency", args=[target.pk])).status_code == status
    assert client.get(reverse("analytics:channel", args=[ch.pk])).status_code == status
    export = client.get(
        reverse("analytics:agency", args=[target.pk]), {"export": "top", "format": "csv"}
    )
    assert export.status_code == status


def test_the_ranking_export_is_the_coordinators_and_neutralises_formulas(
    world, cora_client, alice_client
) -> None:
    url = reverse("analytics:dashboard")
    csv = cora_client.get(url, {"export": "ranking", "format": "csv"})
    assert csv.status_code == 200
    assert csv["Content-Type"].startswith("text/csv")
    assert "Dinkes" in csv.content.decode("utf-8-sig")
    xlsx = cora_client.get(url, {"export": "ranking", "format": "xlsx"})
    assert xlsx.content[:2] == b"PK"
    # An officer asking for the ranking export is sent to their own agency instead.
    assert alice_client.get(url, {"export": "ranking"}).status_code == 302
    top = alice_client.get(
        reverse("analytics:agency", args=[world.agency_a.pk]), {"export": "top", "format": "csv"}
    ).content.decode("utf-8-sig")
    assert "'=HYPERLINK" in top
    assert "\n=HYPERLINK" not in top and ",=HYPERLINK" not in top


def test_an_unknown_export_is_not_found(world, cora_client) -> None:
    url = reverse("analytics:dashboard")
    assert cora_client.get(url, {"export": "secrets"}).status_code == 404


def test_the_ranking_does_not_query_per_agency(world, cora_client) -> None:
    url = reverse("analytics:dashboard")
    with CaptureQueriesContext(connection) as few:
        cora_client.get(url)
    for n in range(6):
        agency = Agency.objects.create(region=world.region, name=f"Badan {n}", short_name=f"B{n}")
        ch = Channel.objects.create(agency=agency, platform="facebook", handle=f"b{n}")
        publish(ch, NOW - timedelta(days=3))
    rollups_refresh()
    with CaptureQueriesContext(connection) as many:
        response = cora_client.get(url)
    assert response.status_code == 200

    # Strategies included: every agency's is read in the same three queries.
    assert len(many.captured_queries) == len(few.captured_queries)


def test_filters_by_platform_and_date_range(world, cora_client) -> None:
    response = cora_client.get(
        reverse("analytics:dashboard"),
        {"platform": "facebook", "start": "2026-09-01", "end": "2026-10-25"},
    )
    assert response.status_code == 200
    assert response.context["filters"].platform == "facebook"
    assert response.context["ranking"]["figures"][0].posts == 0
    bad = cora_client.get(reverse("analytics:dashboard"), {"start": "kemarin"})
    assert bad.status_code == 200
    assert "Tanggal tidak valid" in bad.content.decode()


def test_an_officer_uploads_an_export_and_follows_its_progress(
    world, alice_client, django_capture_on_commit_callbacks
) -> None:
    data = (
        b"Post ID,Publish time,Description,Reach,Impressions,Likes,Comments,Shares,Saves\n"
        b"99,10/01/2026 08:00,Info,100,120,5,1,0,2\n"
    )
    from django.core.files.uploadedfile import SimpleUploadedFile

    with django_capture_on_commit_callbacks(execute=True):
        response = alice_client.post(
            reverse("analytics:import_new"),
            {"channel": world.channel_a.pk, "file": SimpleUploadedFile("ig.csv", data)},
        )
    job = MetricImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("analytics:import_detail", args=[job.pk])
    # The immediate task backend ran it at commit.
    page = alice_client.get(response["Location"], headers={"HX-Request": "true"})
    body = page.content.decode()
    assert "import-progress" in body and "<html" not in body
    assert "Selesai" in body


def test_import_endpoints_keep_the_agency_boundary(
    world, hana_client, bob_client, alice_client
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    url = reverse("analytics:import_new")
    upload = {"channel": world.channel_a.pk, "file": SimpleUploadedFile("a.csv", b"a,b\n1,2\n")}
    assert hana_client.post(url, upload).status_code == 403
    assert hana_client.get(url).status_code == 403
    upload["file"] = SimpleUploadedFile("a.csv", b"a,b\n1,2\n")
    assert bob_client.post(url, upload).status_code == 404
    assert MetricImport.objects.count() == 0
    job = MetricImport.objects.create(channel=world.channel_a, original_name="a.csv", sha256="x")
    detail = reverse("analytics:import_detail", args=[job.pk])
    assert bob_client.get(detail).status_code == 404
    assert hana_client.get(detail).status_code == 200
    assert alice_client.get(detail).status_code == 200


def test_monthly_report_page_and_pdf(world, cora_client, alice_client, bob_client) -> None:
    url = reverse("analytics:report")
    page = cora_client.get(url, {"month": "2026-10"})
    assert page.status_code == 200
    assert "Oktober 2026" in page.content.decode()
    pdf = cora_client.get(url, {"month": "2026-10", "format": "pdf"})
    assert pdf.content[:5] == b"%PDF-"
    own = alice_client.get(url, {"month": "2026-10", "agency": world.agency_a.pk})
    assert own.status_code == 200
    assert alice_client.get(url, {"month": "2026-10"}).status_code == 403
    assert bob_client.get(url, {"agency": world.agency_a.pk}).status_code == 404


def test_the_cached_ranking_follows_new_rollups(world, cora_client) -> None:
    url = reverse("analytics:dashboard")
    before = {f.agency.pk: f.posts for f in cora_client.get(url).context["ranking"]["figures"]}
    publish(world.channel_b, NOW - timedelta(days=8))
    assert {
        f.agency.pk: f.posts for f in cora_client.get(url).context["ranking"]["figures"]
    } == before
    rollups_refresh()
    after = {f.agency.pk: f.posts for f in cora_client.get(url).context["ranking"]["figures"]}
    assert after[world.agency_b.pk] == before[world.agency_b.pk] + 1


def test_the_agency_page_says_what_each_channel_needs_this_week(world, alice_client) -> None:
    # Two posts on Instagram this week (Wed and Fri); an X account with none; no TikTok.
    Channel.objects.create(agency=world.agency_a, platform="x", handle="@dinkes_x")
    page = alice_client.get(reverse("analytics:agency", args=[world.agency_a.pk])).content.decode()
    week = page[page.index('id="week-h"') :][:1200]
    assert "Instagram @dinkes.uji: 1 unggahan lagi minggu ini" in week
    assert "X @dinkes_x: 3 unggahan lagi minggu ini" in week
    assert "TikTok" not in week


def _main(html: str) -> str:
    """The page's own content, without what changes per request (tokens, nonces)."""
    import re

    main = html[html.index("<main") : html.index("</main>")]
    return re.sub(r'(value|nonce)="[^"]*"', "", main)


def _ranking_text(client) -> str:
    # The cached fragment as the page shows it (context is empty when the fragment is read).
    return _main(client.get(reverse("analytics:dashboard")).content.decode())


def test_the_cached_ranking_follows_a_new_target_a_channel_and_a_rename(world, cora_client) -> None:
    from django.utils import timezone

    from warta.strategy.models import StrategyVersion
    from warta.strategy.schema import empty_data

    first = _ranking_text(cora_client)
    assert "target 3" in first and _ranking_text(cora_client) == first  # served from the cache
    StrategyVersion.objects.create(
        region=world.region,
        agency=world.agency_a,
        number=1,
        data={**empty_data(), "cadence": {"instagram": 5}},
        reason="Uji",
        author=world.cora,
        status=StrategyVersion.Status.ACCEPTED,
        decided_by=world.cora,
        decided_at=timezone.now(),
    )
    assert "target 5" in _ranking_text(cora_client)
    Channel.objects.create(agency=world.agency_a, platform="x", handle="@dinkes_x")
    assert "target 8" in _ranking_text(cora_client)  # Instagram 5 + X's default 3
    Channel.objects.filter(handle="@dinkes_x").update(status=Channel.Status.DISABLED)
    assert "target 8" not in _ranking_text(cora_client)
    Agency.objects.filter(pk=world.agency_b.pk).update(short_name="Disdikbud")
    assert "Disdikbud" in _ranking_text(cora_client)


def test_the_cached_report_follows_rollups_and_consultations(world, cora_client) -> None:
    from warta.engagement import consultations
    from warta.engagement.models import Consultation, ConsultationTheme

    url = reverse("analytics:report")
    month = {"month": "2026-10"}
    first = _main(cora_client.get(url, month).content.decode())
    assert _main(cora_client.get(url, month).content.decode()) == first  # from the cache
    publish(world.channel_b, datetime(2026, 10, 20, 2, tzinfo=UTC))
    assert _main(cora_client.get(url, month).content.decode()) == first  # not yet rolled up
    rollups_refresh()
    second = _main(cora_client.get(url, month).content.decode())
    assert second != first
    c = Consultation.objects.create(
        agency=world.agency_a,
        title="Taman kota",
        question="?",
        opens_at=datetime(2026, 10, 1, tzinfo=UTC),
        closes_at=datetime(2026, 10, 29, tzinfo=UTC),
    )
    theme = ConsultationTheme.objects.create(consultation=c, label="Lampu taman")
    c.inputs.create(
        source="form",
        text="Lampu taman mati",
        text_key="k1",
        theme=theme,
        received_at=datetime(2026, 10, 10, 2, tzinfo=UTC),
    )
    consultations.theme_answer(
        theme=theme, answer="accepted", reason="Diperbaiki", actor=world.cora
    )
    third = _main(cora_client.get(url, month).content.decode())
    assert "Lampu taman" in third and third != second
