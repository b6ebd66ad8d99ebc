"""Creativity support: days ahead, angles from an activity report, best times, hashtags, drafts."""

import json
import threading
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.test import Client
from django.urls import reverse

from warta.analytics.models import MetricSnapshot
from warta.content.models import Post, PostVariant
from warta.strategy import creativity, services
from warta.strategy.models import LocalDay
from warta.strategy.schema import empty_data
from warta.strategy.tests.helpers import strategy_doc
from warta.testing.fixtures import World


def test_upcoming_days_include_holidays_national_and_local_days(world: World) -> None:
    LocalDay.objects.create(region=world.region, name="Hari Jadi Kota Uji", month=10, day=12)
    days = creativity.upcoming_days(
        world.region, start=date(2026, 10, 1), days=50, agency=world.agency_a
    )
    names = {d.name: d for d in days}
    assert names["Hari Jadi Kota Uji"].kind == "local"
    assert names["Hari Jadi Kota Uji"].suggest_from == date(2026, 10, 5)
    assert names["Hari Kesehatan Nasional"].relevant  # Dinas Kesehatan
    assert not names["Hari Sumpah Pemuda"].relevant
    holidays = creativity.upcoming_days(world.region, start=date(2026, 8, 1), days=31)
    assert any(d.kind == "holiday" and "Kemerdekaan" in d.name for d in holidays)


def test_angles_go_beyond_the_activity_report(world: World) -> None:
    report = (
        "Sosialisasi pendaftaran layanan posyandu lansia di Kelurahan Api-Api. "
        "Kepala dinas membuka kegiatan."
    )
    data = strategy_doc(official_contacts=["0548-21234"])
    angles = creativity.suggest_angles(report, agency=world.agency_a, strategy=data)  # type: ignore[arg-type]
    assert angles[0].pillar in {"service", "participation"}
    service = next(a for a in angles if a.pillar == "service")
    assert "0548-21234" in service.skeleton and "#DinkesUji" in service.skeleton
    assert "[nama layanan]" in service.skeleton and "service" in service.open_slots


def test_the_agencys_own_template_is_used_for_the_skeleton(world: World) -> None:
    data = strategy_doc(
        templates=[
            {"pillar": "program", "name": "Program", "body": "Program {title} oleh {agency}."}
        ]
    )
    angles = creativity.suggest_angles(
        "Peluncuran program makan bergizi.",
        agency=world.agency_a,
        strategy=data,  # type: ignore[arg-type]
    )
    program = next(a for a in angles if a.pillar == "program")
    assert program.skeleton == "Program Peluncuran program makan bergizi oleh Dinas Kesehatan."


def _published(world: World, when: datetime, likes: int, caption: str = "Info") -> PostVariant:
    post = Post.objects.create(agency=world.agency_a, message=caption)
    variant = PostVariant.objects.create(
        post=post,
        channel=world.channel_a,
        caption=caption,
        status=PostVariant.Status.PUBLISHED,
        published_at=when,
    )
    MetricSnapshot.objects.create(
        variant=variant, captured_at=when + timedelta(days=1), likes=likes, source="seed"
    )
    return variant


def test_best_times_and_hashtags_come_from_the_agencys_history(world: World) -> None:
    now = datetime.now(UTC)
    monday = (now - timedelta(days=now.weekday() + 7)).replace(hour=1, minute=0)  # 09.00 WITA
    for week in range(3):
        _published(world, monday - timedelta(weeks=week), 200, "Jadwal #PosyanduUji")
        _published(
            world, monday - timedelta(weeks=week) + timedelta(days=2, hours=12), 10, "Info #InfoUji"
        )
    slots = creativity.best_times(world.agency_a, "instagram")
    assert (slots[0].weekday, slots[0].hour, slots[0].posts) == (0, 9, 3)
    tags = creativity.suggest_hashtags(world.agency_a, strategy_doc())  # type: ignore[arg-type]
    assert [t["tag"] for t in tags] == ["#DinkesUji", "#posyanduuji", "#infouji"]


def test_the_inspiration_page_and_angles_fragment(
    world: World, alice_client: Client, bob_client: Client
) -> None:
    url = reverse("strategy:inspiration", args=[world.agency_a.pk])
    assert alice_client.get(url).status_code == 200
    response = alice_client.post(
        reverse("strategy:angles", args=[world.agency_a.pk]),
        {"report": "Pelatihan kader posyandu."},
        HTTP_HX_REQUEST="true",
    )
    assert (
        response.status_code == 200
        and b"<html" not in response.content
        and b"Edukasi" in response.content
    )
    assert (
        bob_client.post(
            reverse("strategy:angles", args=[world.agency_a.pk]), {"report": "x"}
        ).status_code
        == 404
    )


class FakeModel(BaseHTTPRequestHandler):
    reply = "Sahabat, posyandu lansia buka Selasa! Hubungi 0812-3456-7890. #DinkesUji"

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        assert body["messages"][0]["role"] == "system"
        payload = json.dumps(
            {"choices": [{"message": {"role": "assistant", "content": self.reply}}]}
        ).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def fake_model() -> Iterator[str]:
    server = HTTPServer(("127.0.0.1", 0), FakeModel)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/v1"
    server.shutdown()


def test_caption_drafts_are_off_by_default(world: World, alice_client: Client) -> None:
    response = alice_client.get(reverse("strategy:inspiration", args=[world.agency_a.pk]))
    assert not response.context["drafts_enabled"]


def test_caption_drafts_from_a_local_model_still_pass_the_guardrails(
    world: World,
    alice_client: Client,
    hana_client: Client,
    fake_model: str,
    settings,  # type: ignore[no-untyped-def]
) -> None:
    settings.WARTA_LLM_BASE_URL = fake_model
    services.strategy_propose(
        actor=world.cora,
        region=world.region,
        agency=world.agency_a,
        data=strategy_doc(),
        reason="Versi awal strategi",
    )
    url = reverse("strategy:caption_draft", args=[world.agency_a.pk])
    response = alice_client.post(
        url, {"brief": "Posyandu lansia tiap Selasa", "platform": "instagram"}
    )
    body = response.content.decode()
    assert "Sahabat, posyandu lansia" in body and "nomor telepon seluler" in body
    assert hana_client.post(url, {"brief": "x"}).status_code == 403


def test_an_unreachable_model_degrades_gracefully(
    world: World, alice_client: Client, settings
) -> None:  # type: ignore[no-untyped-def]
    settings.WARTA_LLM_BASE_URL = "http://127.0.0.1:9/v1"
    response = alice_client.post(
        reverse("strategy:caption_draft", args=[world.agency_a.pk]), {"brief": "Info"}
    )
    assert response.status_code == 200 and "tidak tersedia" in response.content.decode()
    assert empty_data()["hashtags"] == []
