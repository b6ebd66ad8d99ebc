"""Renstra programme codes: imported from a SIPD export, named by pillars, counted in reports."""

from datetime import UTC, date, datetime, timedelta
from io import StringIO
from pathlib import Path

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.template.loader import render_to_string

from warta.analytics.reports import report_context, report_data
from warta.analytics.rollups import rollups_refresh
from warta.analytics.tests.helpers import publish
from warta.lib.categories import PostCategory
from warta.strategy import selectors, services
from warta.strategy.models import Programme
from warta.strategy.programmes import programmes_import
from warta.strategy.tests.helpers import strategy_doc
from warta.testing.fixtures import World

NOW = datetime(2026, 12, 3, 2, 0, tzinfo=UTC)

# The shape of a SIPD Renstra export: a title line, then programme, activity and
# sub-activity rows under "Kode" / "Program/Kegiatan/Sub Kegiatan"-style headers.
SIPD = (
    "RENCANA STRATEGIS DINAS KESEHATAN 2025-2029;;\n"
    "Kode Program;Nama Program;Pagu Indikatif\n"
    "1.02.01;PROGRAM PENUNJANG URUSAN PEMERINTAHAN DAERAH KABUPATEN/KOTA;1000\n"
    "1.02.02;PROGRAM PEMENUHAN UPAYA KESEHATAN PERORANGAN DAN UPAYA KESEHATAN MASYARAKAT;5000\n"
    "1.02.02.2.01;Penyediaan Fasilitas Pelayanan Kesehatan;3000\n"
    "1.02.03;PROGRAM PENINGKATAN KAPASITAS SUMBER DAYA MANUSIA KESEHATAN;700\n"
)


def _import(world: World, text: str, *, commit: bool = True):  # type: ignore[no-untyped-def]
    return programmes_import(
        agency=world.agency_a,
        data=text.encode(),
        filename="renstra.csv",
        actor=world.cora,
        commit=commit,
    )


def test_it_imports_programmes_and_skips_activities(world: World) -> None:
    result = _import(world, SIPD)
    assert (result.created, result.skipped) == (3, 1)
    assert list(Programme.objects.filter(agency=world.agency_a).values_list("code", flat=True)) == [
        "1.02.01",
        "1.02.02",
        "1.02.03",
    ]
    renamed = SIPD.replace("SUMBER DAYA MANUSIA KESEHATAN", "SDM KESEHATAN")
    again = _import(world, renamed)
    assert (again.created, again.updated) == (0, 1)
    assert Programme.objects.get(code="1.02.03").name.endswith("SDM KESEHATAN")
    assert not Programme.objects.filter(agency=world.agency_b).exists()


def test_one_bad_row_imports_nothing_and_says_which_line(world: World) -> None:
    result = _import(world, SIPD + "1-02-04;PROGRAM SALAH KETIK;1\n")
    assert [line for line, _ in result.errors] == [7]
    assert "1-02-04" in result.errors[0][1]
    assert not Programme.objects.exists()


def test_a_file_without_the_columns_is_refused(world: World) -> None:
    with pytest.raises(ValidationError, match="Kode Program"):
        _import(world, "nama;alamat\nBudi;Jalan\n")


def test_the_command_checks_first_and_imports_with_commit(world: World, tmp_path: Path) -> None:
    path = tmp_path / "renstra.csv"
    path.write_text(SIPD, encoding="utf-8")
    out = StringIO()
    call_command("import_programmes", str(path), agency=world.agency_a.short_name, stdout=out)
    assert "--commit" in out.getvalue() and not Programme.objects.exists()
    call_command(
        "import_programmes", str(path), agency=world.agency_a.short_name, commit=True, stdout=out
    )
    assert Programme.objects.count() == 3
    with pytest.raises(CommandError):
        call_command("import_programmes", str(path), agency="Tidak-ada")


def _adopt(world: World, pillars: list[dict]) -> None:  # type: ignore[type-arg]
    services.strategy_propose(
        actor=world.cora,
        region=world.region,
        agency=world.agency_a,
        data=strategy_doc(pillars=pillars),
        reason="Menautkan pilar ke program Renstra 2025-2029.",
    )


def test_pillars_carry_programme_codes_and_refuse_malformed_ones(world: World) -> None:
    _adopt(
        world,
        [
            {
                "category": "service",
                "label": "Layanan",
                "description": "",
                "programmes": "1.02.02, 1.02.02 ,x.xx.01",
            }
        ],
    )
    pillar = selectors.current_strategy(world.agency_a).data["pillars"][0]
    assert pillar["programmes"] == ["1.02.02", "X.XX.01"]
    with pytest.raises(ValidationError, match="1-02"):
        _adopt(
            world,
            [{"category": "service", "label": "L", "description": "", "programmes": ["1-02"]}],
        )


def test_the_monthly_report_says_which_programmes_the_posts_served(world: World) -> None:
    _import(world, SIPD)
    _adopt(
        world,
        [
            {
                "category": "service",
                "label": "Layanan",
                "description": "",
                "programmes": ["1.02.02"],
            },
            {
                "category": "program",
                "label": "Program",
                "description": "",
                "programmes": ["1.02.02", "1.02.03"],
            },
        ],
    )
    nov = datetime(2026, 11, 10, 2, 0, tzinfo=UTC)
    with time_machine.travel(NOW, tick=False):
        for i, category in enumerate(
            [
                PostCategory.SERVICE,
                PostCategory.SERVICE,
                PostCategory.PROGRAM,
                PostCategory.ACTIVITY,
            ]
        ):
            publish(world.channel_a, nov + timedelta(hours=i), category=category, by_hand=True)
        rollups_refresh()
        data = report_data(region=world.region, agency=world.agency_a, month=date(2026, 11, 1))
    shares = {p.code: (p.posts, p.share) for p in data.programmes}
    # 3 of 4 posts served 1.02.02 (two services, one programme post); 1 of 4 served 1.02.03.
    assert shares == {"1.02.02": (3, 75.0), "1.02.03": (1, 25.0)}
    assert data.programmes[0].name.startswith("PROGRAM PEMENUHAN UPAYA KESEHATAN")
    html = render_to_string("analytics/_report_body.html", report_context(data))
    assert "1.02.02" in html and "PROGRAM PEMENUHAN UPAYA KESEHATAN" in html
