"""One figure everywhere: the dashboard, its warnings, the PDF report and its e-mail agree.

Known data for November 2026: Dinkes posts 56 times on Instagram (2 a day, 1 to 28 Nov),
has a YouTube channel it never used and an X account its strategy sets no cadence for;
the strategy asks for TikTok, where Dinkes has no account. Six public questions, two
answered after 47 hours. Posts just outside the month must count nowhere.
"""

import io
import re
import subprocess
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from warta.analytics.reports import monthly_reports_send_due
from warta.analytics.rollups import rollups_refresh
from warta.channels.models import Channel
from warta.engagement.models import (
    Consultation,
    ConsultationInput,
    ConsultationTheme,
    FollowUpAction,
    InboxItem,
)
from warta.institutions.services import region_letterhead_update
from warta.strategy.models import StrategyVersion
from warta.strategy.schema import empty_data

from .helpers import publish

NOW = datetime(2026, 12, 2, 1, 0, tzinfo=UTC)  # Wednesday 09:00 WITA
NOVEMBER = {"start": "2026-11-01", "end": "2026-11-30"}
SCREENSHOTS = Path(__file__).resolve().parents[3] / "var" / "screenshots"


def squash(text: str) -> str:
    return " ".join(text.split())


def loose(text: str) -> str:
    # pdftotext joins a word hyphenated at a line end ("rata-" + "rata" -> "ratarata"), so
    # hyphens are compared nowhere; a line broken after "/" leaves a space.
    return text.replace("- ", "").replace("-", "").replace("/ ", "/")


def html_text(html: str) -> str:
    return squash(re.sub(r"<[^>]+>", " ", html).replace("&nbsp;", " "))


def red_logo() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (120, 120), (200, 16, 16)).save(out, format="PNG")
    return out.getvalue()


@pytest.fixture
def november(world):
    with time_machine.travel(NOW, tick=False):
        world.cora.email = "cora@kota-uji.go.id"
        world.cora.save()
        region_letterhead_update(
            actor=world.cora,
            region=world.region,
            office="Dinas Komunikasi dan Informatika",
            logo=red_logo(),
        )
        youtube = Channel.objects.create(
            agency=world.agency_a, platform="youtube", handle="@dinkes.yt", mode="api"
        )
        x = Channel.objects.create(
            agency=world.agency_a, platform="x", handle="@dinkes_x", mode="api"
        )
        StrategyVersion.objects.create(
            region=world.region,
            agency=world.agency_a,
            number=1,
            data={**empty_data(), "cadence": {"instagram": 14, "tiktok": 2}},
            reason="Uji",
            author=world.cora,
            status=StrategyVersion.Status.ACCEPTED,
            decided_by=world.cora,
            decided_at=timezone.now(),
        )
        for day in range(1, 29):
            for hour in (1, 6):  # 09:00 and 14:00 WITA
                publish(world.channel_a, datetime(2026, 11, day, hour, tzinfo=UTC), likes=100)
        for day in range(1, 21):  # October: 20 posts
            publish(world.channel_a, datetime(2026, 10, day, 1, tzinfo=UTC), likes=50)
        # Just outside November: same weeks, other months.
        publish(world.channel_a, datetime(2026, 10, 31, 1, tzinfo=UTC), likes=7)
        publish(world.channel_a, datetime(2026, 12, 1, 1, tzinfo=UTC), likes=7)
        asked = datetime(2026, 11, 10, 2, tzinfo=UTC)
        for n in range(6):
            InboxItem.objects.create(
                agency=world.agency_a,
                channel=world.channel_a,
                platform_item_id=f"q{n}",
                text="Kapan vaksin tersedia?",
                intent="question",
                received_at=asked + timedelta(hours=n),
                first_response_at=asked + timedelta(hours=n, minutes=2820) if n < 2 else None,
            )
        consultation = Consultation.objects.create(
            agency=world.agency_a,
            title="Layanan imunisasi",
            question="Apa yang perlu diperbaiki?",
            opens_at=datetime(2026, 11, 1, tzinfo=UTC),
            closes_at=datetime(2026, 11, 30, tzinfo=UTC),
        )
        theme = ConsultationTheme.objects.create(
            consultation=consultation, label="Jadwal imunisasi", answer="accepted"
        )
        for n in range(3):
            ConsultationInput.objects.create(
                consultation=consultation,
                source="form",
                text=f"Jadwal imunisasi sore hari {n}",
                text_key=f"k{n}",
                theme=theme,
                received_at=datetime(2026, 11, 5 + n, 2, tzinfo=UTC),
            )
        FollowUpAction.objects.create(theme=theme, title="Posyandu sore", progress=60)
        rollups_refresh()
        world.youtube, world.x = youtube, x
        yield world


def pdf_text(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "laporan.pdf"
    path.write_bytes(pdf)
    return subprocess.run(
        ["pdftotext", "-raw", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout


def test_the_dashboard_the_warnings_the_pdf_and_the_mail_state_the_same_figures(
    november, cora_client, tmp_path
) -> None:
    with time_machine.travel(NOW, tick=False):
        page = cora_client.get(reverse("analytics:dashboard"), NOVEMBER)
        [dinkes] = [f for f in page.context["ranking"]["figures"] if f.agency == november.agency_a]
        report = cora_client.get(reverse("analytics:report"), {"month": "2026-11", "format": "pdf"})
        assert monthly_reports_send_due(today=date(2026, 12, 2)) >= 1
    # The platform filter lists every platform; the figures must not.
    dashboard = html_text(re.sub(r"(?s)<select.*?</select>", "", page.content.decode()))
    pdf = loose(squash(pdf_text(report.content, tmp_path)))
    [message] = [m for m in mail.outbox if "Kota Uji" in m.subject]
    assert isinstance(message, mail.EmailMultiAlternatives)
    body = squash(str(message.body))
    html = html_text(str(message.alternatives[0][0]))

    # Exactly November's days: not the 2 posts of 31 Oct and 1 Dec that share its weeks.
    assert dinkes.posts == 56
    assert dinkes.engagement == 5600
    texts = {a.text for a in dinkes.warnings}
    gap = next(t for t in texts if t.startswith("YouTube @dinkes.yt"))
    assert "tidak ada unggahan selama 30 hari" in gap
    answered = "Hanya 33 % pertanyaan publik dijawab (2 dari 6)."
    assert answered in texts
    # Instagram's own 56 posts raise no gap warning; the agency is not called silent.
    assert not any(t.startswith("Instagram") for t in texts)
    rate = "rata-rata {} unggahan/minggu, target {}".format(
        f"{dinkes.consistency.achieved_per_week:.1f}".replace(".", ",").removesuffix(",0"),
        f"{dinkes.consistency.target_per_week:g}".replace(".", ","),
    )
    # Instagram 14 + X 3 (the default) + YouTube 3 (the default); never TikTok.
    assert dinkes.consistency.target_per_week == 20
    for where in (loose(dashboard), pdf, loose(body), loose(html)):
        assert "5.600 interaksi" in where
        assert loose(gap) in where
        assert answered in where
        assert loose(rate) in where
        assert loose("rata-rata dalam 1 hari 23 jam") in where
        assert "TikTok" not in where
    assert "56 unggahan, 5.600 interaksi" in dashboard
    assert "56 unggahan dengan 5.600 interaksi" in pdf
    # The summary on the first page, in sentences, and the letterhead.
    first_page = loose(squash(pdf_text_first_page(report.content, tmp_path)))
    assert "PEMERINTAH KOTA UJI" in first_page
    assert "Dinas Komunikasi dan Informatika" in first_page
    assert "Ringkasan" in first_page
    # October: 20 posts and the one of 31 Oct.
    assert "(167 % lebih banyak dari bulan sebelumnya)" in first_page
    assert "Perlu dibantu: Dinkes" in first_page
    assert (
        loose("Publik mengajukan 6 pertanyaan; 2 (33 %) dijawab, rata-rata dalam 1 hari 23 jam.")
        in first_page
    )
    assert (
        loose("“Jadwal imunisasi” (3 masukan, Dinkes) — 1 tindak lanjut, rata-rata 60 % selesai")
        in first_page
    )
    for where in (body, html):
        assert "PEMERINTAH KOTA UJI" in where
        assert "“Jadwal imunisasi” (3 masukan, Dinkes)" in where


def pdf_text_first_page(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "laporan-1.pdf"
    path.write_bytes(pdf)
    return subprocess.run(
        ["pdftotext", "-raw", "-f", "1", "-l", "1", str(path), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def test_the_pdf_renders_with_the_logo_on_its_letterhead(november, cora_client, tmp_path) -> None:
    from PIL import Image

    with time_machine.travel(NOW, tick=False):
        report = cora_client.get(reverse("analytics:report"), {"month": "2026-11", "format": "pdf"})
    path = tmp_path / "laporan.pdf"
    path.write_bytes(report.content)
    subprocess.run(["pdftoppm", "-r", "90", "-png", str(path), str(tmp_path / "page")], check=True)
    pages = sorted(tmp_path.glob("page-*.png"))
    assert len(pages) >= 2
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for p in pages:  # kept for a person to look at
        (SCREENSHOTS / f"report-pdf-{p.name}").write_bytes(p.read_bytes())
    with Image.open(pages[0]) as first:
        rgb = first.convert("RGB")
        width, height = rgb.size
        # The red emblem sits in the letterhead: the top eighth of the first page.
        top = rgb.crop((0, 0, width, height // 8))
        reds = sum(
            1
            for x in range(0, width, 2)
            for y in range(0, height // 8, 2)
            if _is_red(top.getpixel((x, y)))
        )
        assert reds > 25


def _is_red(pixel: Any) -> bool:
    r, g, b = pixel[:3]
    return bool(r > 150 and g < 80 and b < 80)
