import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client
from openpyxl import Workbook

from warta.channels.models import Channel
from warta.core.models import AuditEvent
from warta.institutions.imports import import_file
from warta.institutions.models import Agency, Officer
from warta.testing.fixtures import World, client_for

SAMPLES = Path(__file__).resolve().parents[3] / "docs" / "samples"


def _run(world: World, kind: str, content: bytes, *, commit: bool, name: str = "f.csv"):  # type: ignore[no-untyped-def]
    return import_file(
        kind=kind,
        region=world.region,
        actor=world.cora,
        content=content,
        filename=name,
        commit=commit,
    )


def test_a_preview_imports_nothing_and_a_commit_everything(world: World) -> None:
    content = (SAMPLES / "agencies.csv").read_bytes()
    preview = _run(world, "agencies", content, commit=False)
    assert preview.ok and not preview.committed
    assert (preview.count("create"), preview.count("unchanged")) == (5, 1)  # Dinkes exists
    assert Agency.objects.count() == 2 and not AuditEvent.objects.exists()
    result = _run(world, "agencies", content, commit=True)
    assert result.committed and Agency.objects.count() == 7
    assert AuditEvent.objects.filter(action="agency.create", actor=world.cora).count() == 5


def test_reimporting_creates_nothing_twice_and_updates_what_changed(world: World) -> None:
    _run(world, "agencies", b"short_name,name,kind\nBappeda,Badan Perencanaan,badan\n", commit=True)
    again = _run(
        world,
        "agencies",
        b"short_name,name,kind\nbappeda,Badan Perencanaan Pembangunan Daerah,badan\n"
        b"Dinkes,Dinas Kesehatan,dinas\n",
        commit=True,
    )
    assert again.committed and (again.count("update"), again.count("unchanged")) == (1, 1)
    assert (
        Agency.objects.get(short_name__iexact="Bappeda").name
        == "Badan Perencanaan Pembangunan Daerah"
    )
    assert Agency.objects.count() == 3


def test_one_bad_row_reports_its_line_and_nothing_is_imported(world: World) -> None:
    content = (
        b"singkatan;nama;jenis\n"
        b"Bappeda;Badan Perencanaan;badan\n"
        b";Tanpa Singkatan;dinas\n"
        b"Disdik2;Dinas Pendidikan;dinas\n"  # name taken by agency B
        b"Dispar;Dinas Pariwisata;kerajaan\n"
    )
    result = _run(world, "agencies", content, commit=True)
    assert not result.committed
    assert [(r.line, bool(r.errors)) for r in result.rows] == [
        (2, False),
        (3, True),
        (4, True),
        (5, True),
    ]
    assert "name: Sudah ada perangkat daerah dengan nama ini." in result.rows[2].errors
    assert Agency.objects.count() == 2 and not AuditEvent.objects.exists()


def test_conflicts_between_rows_of_one_file_are_found(world: World) -> None:
    result = _run(world, "agencies", b"short_name,name\nA1,Satu\nA2,Satu\n", commit=False)
    assert not result.ok and result.rows[1].errors and not result.rows[0].errors


def test_it_reads_windows_1252_with_semicolons_and_a_bom(world: World) -> None:
    content = "\ufeffsingkatan;nama\nDisbudpar;Dinas Kebudayaan dan Pariwisata \u2013 Seni\n"
    assert _run(world, "agencies", content.encode("utf-8"), commit=True).committed
    latin = "singkatan;nama\nKec. Bontang Selatan;Kecamatan Bontang Selatan (Tanjung Laut) é\n"
    assert _run(world, "agencies", latin.encode("cp1252"), commit=True).committed
    assert Agency.objects.filter(name__endswith="é").exists()


def test_it_imports_officers_from_xlsx_with_indonesian_headers(world: World) -> None:
    _run(world, "agencies", b"short_name,name\nBappeda,Badan Perencanaan\n", commit=True)
    result = _run(
        world,
        "officers",
        (SAMPLES / "officers.xlsx").read_bytes(),
        commit=True,
        name="petugas.xlsx",
    )
    assert result.committed, [r.errors for r in result.rows]
    andi = Officer.objects.get(user__username="andi.bappeda")
    assert andi.role == "head" and [a.short_name for a in andi.agencies.all()] == ["Bappeda"]
    assert not andi.user.has_usable_password()


def test_officer_rows_with_unknown_agencies_or_roles_are_refused(world: World) -> None:
    wb = Workbook()
    ws = wb.active
    ws.append(["username", "role", "agencies"])
    ws.append(["ok.user", "officer", "Dinkes"])
    ws.append(["x.user", "officer", "Dishub"])
    ws.append(["y.user", "sultan", "Dinkes"])
    buffer = io.BytesIO()
    wb.save(buffer)
    result = _run(world, "officers", buffer.getvalue(), commit=True, name="p.xlsx")
    assert not result.committed
    assert "Dishub" in result.rows[1].errors[0] and result.rows[2].errors
    assert result.rows[1].line == 3
    assert not Officer.objects.filter(user__username="ok.user").exists()


def test_it_imports_channels_idempotently(world: World) -> None:
    _run(world, "agencies", (SAMPLES / "agencies.csv").read_bytes(), commit=True)
    content = (SAMPLES / "channels.csv").read_bytes()
    assert _run(world, "channels", content, commit=True).count("create") == 4
    assert _run(world, "channels", content, commit=True).count("unchanged") == 4
    assert Channel.objects.count() == 6


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"", "a.csv", "kosong"),
        (b"foo,bar\n1,2\n", "a.csv", "Kolom wajib tidak ada"),
        (b"short_name,name\n", "a.csv", "tidak berisi baris"),
        (b"PK\x03\x04garbage", "a.xlsx", "XLSX rusak"),
        (b"not a zip", "a.xlsx", "tidak berformat XLSX"),
        (b"\x00\x01\x02binary", "a.csv", "bukan CSV"),
        (b"x", "a.xls", ".xls lama"),
    ],
)
def test_unreadable_files_get_a_clear_message(
    world: World, content: bytes, name: str, message: str
) -> None:
    result = _run(world, "agencies", content, commit=True, name=name)
    assert not result.committed and message in " ".join(result.file_errors)


def test_it_reads_an_excel_unicode_text_file_with_a_title_line(world: World) -> None:
    # Excel's "Unicode text" export: UTF-16 with tabs; a title line above the header.
    text = "Daftar OPD Kota Bontang\r\nNama\tSingkatan\r\nBadan Perencanaan\tBappeda\r\n"
    result = _run(world, "agencies", text.encode("utf-16"), commit=True, name="opd.txt")
    assert result.committed, result.file_errors
    assert result.rows[0].line == 3
    assert Agency.objects.filter(short_name="Bappeda").exists()


def test_it_refuses_files_over_the_size_limit(world: World, settings) -> None:  # type: ignore[no-untyped-def]
    settings.WARTA_MAX_IMPORT_BYTES = 10
    result = _run(world, "agencies", b"short_name,name\nA,B\n", commit=True)
    assert "terlalu besar" in result.file_errors[0]


# --- web ----------------------------------------------------------------------------


def _upload(client: Client, kind: str, content: bytes, name: str = "f.csv"):  # type: ignore[no-untyped-def]
    return client.post(
        "/institusi/impor/",
        {
            "kind": kind,
            "file": SimpleUploadedFile(name, content, content_type="text/csv"),
        },
    )


def test_the_coordinator_previews_then_confirms(world: World, cora_client: Client) -> None:
    response = _upload(cora_client, "agencies", b"short_name,name\nBappeda,Badan Perencanaan\n")
    assert "import-confirm" in response.content.decode()
    assert Agency.objects.count() == 2
    response = cora_client.post("/institusi/impor/konfirmasi/", follow=True)
    assert "1 baru" in response.content.decode()
    assert Agency.objects.count() == 3
    # The session's rows are used once.
    response = cora_client.post("/institusi/impor/konfirmasi/", follow=True)
    assert "Tidak ada impor yang menunggu" in response.content.decode()


def test_the_web_preview_shows_row_errors_and_offers_no_confirm(
    world: World, cora_client: Client
) -> None:
    response = _upload(cora_client, "agencies", b"short_name,name\n,Tanpa\n")
    body = response.content.decode()
    assert "Kolom wajib kosong" in body and "import-confirm" not in body
    assert cora_client.post("/institusi/impor/konfirmasi/").status_code == 302
    assert Agency.objects.count() == 2


def test_hostile_cells_are_escaped_in_the_preview(world: World, cora_client: Client) -> None:
    body = _upload(
        cora_client, "agencies", b"short_name,name\nX,<script>alert(1)</script>\n"
    ).content.decode()
    assert "<script>alert(1)</script>" not in body and "&lt;script&gt;" in body


@pytest.mark.parametrize("who", ["alice", "hana", "bob"])
def test_only_the_coordinator_imports(world: World, who: str) -> None:
    client = client_for(getattr(world, who))
    assert client.get("/institusi/impor/").status_code == 403
    assert _upload(client, "agencies", b"short_name,name\nX,Y\n").status_code == 403
    assert client.post("/institusi/impor/konfirmasi/").status_code == 403
    assert Agency.objects.count() == 2


# --- commands -----------------------------------------------------------------------


def test_the_import_command_previews_by_default(world: World, capsys) -> None:  # type: ignore[no-untyped-def]
    call_command("import_agencies", str(SAMPLES / "agencies.csv"))
    assert "dry run" in capsys.readouterr().out and Agency.objects.count() == 2
    call_command("import_agencies", str(SAMPLES / "agencies.csv"), "--commit")
    assert Agency.objects.count() == 7


def test_the_import_command_prints_line_numbers_and_fails(
    world: World, tmp_path: Path, capsys
) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "bad.csv"
    bad.write_text("username,role,agencies\nzz,officer,Nope\n")
    with pytest.raises(CommandError, match="nothing imported"):
        call_command("import_officers", str(bad), "--commit")
    assert "bad.csv:2:" in capsys.readouterr().err
