import io
import zipfile
from datetime import date, datetime
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from warta.lib import tabular
from warta.lib.tabular import Table, TableError, cell_text, normalize_header, read_table
from warta.testing.spreadsheets import (
    shared_strings_bomb_xlsx,
    truncated_xlsx,
    wide_rows_bomb_xlsx,
    write_xlsx,
    xlsx,
    zip_bomb_xlsx,
)

ROWS = [["Nama", "Singkatan", "Catatan"], ["Dinas Kesehatan", "Dinkes", "Café – ok"]]  # noqa: RUF001


def _csv(rows: list[list[str]], delimiter: str = ",") -> str:
    return "\r\n".join(delimiter.join(row) for row in rows) + "\r\n"


def _read(data: bytes, name: str = "f.csv", max_rows: int = 1000) -> Table:
    return read_table(data, name, max_rows=max_rows)


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (_csv(ROWS).encode(), "utf-8"),
        (b"\xef\xbb\xbf" + _csv(ROWS).encode(), "utf-8-sig"),
        (_csv(ROWS, "\t").encode("utf-16"), "utf-16"),  # Excel's "Unicode text", with BOM
        (_csv(ROWS).encode("utf-16-le"), "utf-16-le"),
        (_csv(ROWS).encode("utf-16-be"), "utf-16-be"),
        (_csv(ROWS).encode("cp1252"), "cp1252"),
    ],
)
def test_it_reads_each_encoding_spreadsheets_write(data: bytes, encoding: str) -> None:
    table = _read(data)
    assert table.encoding == encoding
    assert table.headers == ROWS[0]
    assert table.rows == [(2, ROWS[1])]
    assert table.notes == []


def test_it_reads_a_file_of_mixed_encodings_and_names_the_lines() -> None:
    data = "a,b\n1,Café\n".encode() + "2,Café\n".encode("cp1252") + "3,Café\n".encode("cp1252")
    table = _read(data)
    assert [r[1][1] for r in table.rows] == ["Café", "Café", "Café"]
    assert table.encoding == "utf-8+cp1252"
    assert "baris 3, 4" in table.notes[0]


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_it_finds_the_delimiter(delimiter: str) -> None:
    table = _read(_csv([["a", "b", "c"], ["1", "2,5", "3"]], delimiter).encode())
    assert table.delimiter == delimiter
    if delimiter == ",":
        assert table.rows[0][1] == ["1", "2", "5", "3"]
    else:
        assert table.rows[0][1] == ["1", "2,5", "3"]


def test_it_numbers_rows_by_the_line_a_person_sees() -> None:
    data = (
        b"Laporan kanal Oktober 2026\n"  # a title line above the header
        b"\n"
        b"id,teks\n"
        b'1,"dua\nbaris"\n'  # one row over lines 4 and 5
        b" , \n"  # blank rows are dropped
        b"2,ok\n"
    )
    table = _read(data)
    assert table.headers == ["id", "teks"]
    assert table.rows == [(4, ["1", "dua\nbaris"]), (7, ["2", "ok"])]


def test_it_reads_the_first_sheet_of_an_xlsx_with_typed_cells() -> None:
    data = xlsx(
        [
            ["Ekspor TikTok"],
            ["Video ID", "Waktu", "Tayangan", None],
            [None, None, None, None],
            ["7420000000000000001", datetime(2026, 10, 9, 7, 30), 12400, None],
        ]
    )
    table = _read(data, "Konten.XLSX")
    assert table.kind == "xlsx"
    # Trailing empty cells are dropped (a sheet may declare 16,384 columns).
    assert table.headers == ["Video ID", "Waktu", "Tayangan"]
    assert table.rows == [(4, ["7420000000000000001", datetime(2026, 10, 9, 7, 30), 12400])]


def test_it_knows_an_xlsx_by_its_content_whatever_its_name() -> None:
    assert _read(xlsx(ROWS), "unduhan").rows == [(2, ROWS[1])]


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"", "a.csv", "Berkas kosong"),
        (b" \r\n\t", "a.csv", "Berkas kosong"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "a.csv", "bukan teks"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "a.bin", ".xls lama"),
        (b"a,b\n1,2\n", "lama.xls", ".xls lama"),
        (b"not a zip", "a.xlsx", "tidak berformat XLSX"),
        (b"PK\x03\x04garbage", "a.xlsx", "XLSX rusak"),
        (b"%PDF-1.7", "laporan.pdf", "unggah CSV atau XLSX"),
        (b"hanya satu kolom\nbaris\n", "a.csv", "tidak ada pemisah kolom"),
        (b"a,\n1,\n", "a.csv", "judul kolom tidak ditemukan"),
        (b"\xff\xfe\x00", "a.csv", "UTF-16 rusak"),
        (b'a,b\n1,"' + b"x" * 200_000 + b'"\n', "a.csv", "CSV rusak di baris 2"),
    ],
)
def test_it_refuses_an_unreadable_file_with_a_clear_message(
    data: bytes, name: str, message: str
) -> None:
    with pytest.raises(TableError, match=message):
        _read(data, name)


def test_it_refuses_a_zip_that_is_not_a_workbook() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("foto.jpg", b"x")
    with pytest.raises(TableError, match="bukan lembar kerja XLSX"):
        _read(out.getvalue(), "arsip.zip")


def test_it_refuses_a_truncated_sheet() -> None:
    with pytest.raises(TableError, match="XLSX rusak"):
        _read(truncated_xlsx(ROWS), "f.xlsx")


@pytest.mark.parametrize("as_xlsx", [False, True])
def test_it_stops_reading_past_the_row_limit(as_xlsx: bool) -> None:
    rows = [["a", "b"]] + [[str(n), "x"] for n in range(6)]
    data = xlsx(rows) if as_xlsx else _csv(rows).encode()
    assert len(_read(data, "f.xlsx" if as_xlsx else "f.csv", max_rows=6).rows) == 6
    with pytest.raises(TableError, match="lebih dari 5 baris"):
        _read(data, "f.xlsx" if as_xlsx else "f.csv", max_rows=5)


TWO_CELLS = b'<row><c t="inlineStr"><is><t>x</t></is></c><c><v>1</v></c></row>'


def test_a_zip_bomb_costs_no_more_than_the_row_limit() -> None:
    with pytest.raises(TableError, match="lebih dari 1000 baris"):
        _read(zip_bomb_xlsx(20_000, TWO_CELLS), "bom.xlsx")


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (b'<row><c t="inlineStr"><is><t>x</t></is></c></row>', "judul kolom tidak ditemukan"),
        (b"<row/>", "judul kolom tidak ditemukan"),
    ],
)
def test_a_zip_bomb_without_a_header_stops_at_the_header_search(row: bytes, message: str) -> None:
    with pytest.raises(TableError, match=message):
        _read(zip_bomb_xlsx(20_000, row), "bom.xlsx")


def test_blank_rows_count_towards_the_limit() -> None:
    rows = [["a", "b"]] + [["", ""]] * 30 + [["1", "2"]]
    assert _read(_csv(rows).encode(), max_rows=20).rows == [(32, ["1", "2"])]
    with pytest.raises(TableError, match="lebih dari 5 baris"):
        _read(_csv(rows).encode(), max_rows=5)
    far = (
        b'<row r="1"><c t="inlineStr"><is><t>a</t></is></c><c t="inlineStr"><is><t>b</t></is>'
        b'</c></row><row r="900000"><c><v>1</v></c><c><v>2</v></c></row>'
    )
    with pytest.raises(TableError, match="lebih dari 1000 baris"):
        _read(zip_bomb_xlsx(1, far), "jauh.xlsx")


def test_a_zip_bomb_is_refused_by_its_unpacked_size_before_any_xml_is_read(
    settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = zip_bomb_xlsx(300_000, TWO_CELLS)  # about 20 MB unpacked from 60 kB
    assert len(data) < 100_000
    settings.WARTA_IMPORT_MAX_UNPACKED_BYTES = 10_000_000
    parsed = []
    monkeypatch.setattr(tabular, "_open_workbook", lambda *a: parsed.append(a))
    with pytest.raises(TableError, match=r"XLSX terlalu besar setelah dibuka \(lebih dari 9 MB\)"):
        _read(data, "bom.xlsx")
    assert not parsed  # refused from the zip's directory, before openpyxl saw a byte


def test_the_unpacked_cap_defaults_to_four_times_the_upload_cap() -> None:
    from django.conf import settings as django_settings

    assert (
        django_settings.WARTA_IMPORT_MAX_UNPACKED_BYTES
        == 4 * django_settings.WARTA_MAX_IMPORT_BYTES
    )


def test_a_shared_strings_bomb_is_refused_while_its_strings_are_read(
    settings: Any,
) -> None:
    settings.WARTA_IMPORT_MAX_SHARED_STRINGS = 50_000
    assert _read(shared_strings_bomb_xlsx(40_000), "ok.xlsx").headers == ["nama", "singkatan"]
    data = shared_strings_bomb_xlsx(200_000)  # 24 MB of strings, 80 kB on the wire
    assert len(data) < 200_000
    with pytest.raises(TableError, match=r"lebih dari 50\.000 teks berbeda"):
        _read(data, "bom.xlsx")


def test_a_cell_longer_than_an_excel_cell_is_refused() -> None:
    with pytest.raises(TableError, match="lebih panjang dari 32767 karakter"):
        _read(shared_strings_bomb_xlsx(1, b"x" * 40_000), "bom.xlsx")
    with pytest.raises(TableError, match="Sel di baris 2 lebih panjang dari 32767 karakter"):
        _read(_csv([["a", "b"], ["1", "x" * 40_000]]).encode())


def test_an_entity_bomb_in_the_shared_strings_is_refused() -> None:
    # "Billion laughs": eight levels of ten, 10 GB from a few hundred bytes.
    entities = b"".join(b'<!ENTITY %c "%s">' % (98 + i, b"&%c;" % (97 + i) * 10) for i in range(8))
    strings = (
        b'<?xml version="1.0"?><!DOCTYPE sst [<!ENTITY a "'
        + b"x" * 100
        + b'">'
        + entities
        + b']><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b"<si><t>nama</t></si><si><t>&i;</t></si></sst>"
    )
    out = io.BytesIO()
    write_xlsx(out, {"xl/sharedStrings.xml": strings})
    with pytest.raises(TableError, match="rusak atau tidak bisa dibaca"):
        _read(out.getvalue(), "bom.xlsx")


def test_a_huge_workbook_part_is_refused_before_it_is_parsed_whole() -> None:
    out = io.BytesIO()
    styles = b'<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    write_xlsx(out, {"xl/styles.xml": [styles, b" " * (9 * 1024 * 1024), b"</styleSheet>"]})
    with pytest.raises(TableError, match="Bagian berkas XLSX terlalu besar"):
        _read(out.getvalue(), "bom.xlsx")


def test_a_rows_bomb_declaring_every_column_is_refused_at_the_row_limit() -> None:
    # Each row one cell in column XFD under a declared A1:XFD1048576: 16,384 cells a row
    # before the column cap, 1.2 MB on the wire.
    data = wide_rows_bomb_xlsx(300_000)
    with pytest.raises(TableError, match="lebih dari 1000 baris"):
        _read(data, "bom.xlsx")


def test_a_file_past_the_cell_cap_is_refused(settings: Any) -> None:
    settings.WARTA_IMPORT_MAX_CELLS = 1000
    rows = [["a", "b", "c", "d"]] + [["1", "2", "3", "4"]] * 300
    with pytest.raises(TableError, match=r"lebih dari 1\.000 sel"):
        _read(_csv(rows).encode())
    assert len(_read(xlsx(rows[:200])).rows) == 199


@pytest.mark.parametrize("as_xlsx", [False, True])
def test_reading_stops_at_the_time_budget(as_xlsx: bool) -> None:
    rows = [["a", "b"]] + [["1", "2"]] * 50
    data = xlsx(rows) if as_xlsx else _csv(rows).encode()
    with pytest.raises(TableError, match="terlalu lama dibaca"):
        read_table(data, "f.xlsx" if as_xlsx else "f.csv", max_rows=1000, max_seconds=0)
    assert len(read_table(data, "f.csv", max_rows=1000, max_seconds=60).rows) == 50


@pytest.mark.parametrize(
    ("header", "normalized"),
    [
        ("Post ID", "post id"),
        ("\ufeffpost_id", "post id"),
        ("  E-mail ", "e mail"),
        ("No. HP", "no hp"),
        ('"Waktu publikasi"', "waktu publikasi"),
        ("ＩＤ", "id"),  # noqa: RUF001  (full-width letters, as some exports write them)
    ],
)
def test_it_normalizes_headers(header: str, normalized: str) -> None:
    assert normalize_header(header) == normalized


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, ""),
        (1029384756.0, "1029384756"),
        (2.5, "2.5"),
        (datetime(2026, 10, 9), "2026-10-09"),
        (datetime(2026, 10, 9, 7, 30), "2026-10-09T07:30:00"),
        (date(2026, 10, 9), "2026-10-09"),
        ("  Dinkes ", "Dinkes"),
    ],
)
def test_it_gives_cells_as_text(value: object, text: str) -> None:
    assert cell_text(value) == text


NAMES = st.sampled_from(["data.csv", "data.xlsx", "data.xls", "a.txt", "", "x.pdf", "ñ.CSV"])


@settings(max_examples=150, deadline=None, derandomize=True)
@given(data=st.binary(max_size=3000), name=NAMES)
def test_any_bytes_give_a_table_or_a_message(data: bytes, name: str) -> None:
    try:
        table = _read(data, name)
    except TableError as exc:
        assert str(exc)
    else:
        assert table.headers and all(line >= 1 for line, _ in table.rows)


@settings(max_examples=100, deadline=None, derandomize=True)
@given(
    cells=st.lists(
        st.lists(st.text(alphabet=st.characters(blacklist_categories=["Cs"])), max_size=5),
        max_size=8,
    ),
    delimiter=st.sampled_from([",", ";", "\t"]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16"]),
)
def test_any_quoted_table_gives_a_table_or_a_message(
    cells: list[list[str]], delimiter: str, encoding: str
) -> None:
    rows = [["kolom a", "kolom b"], *cells]
    text = "\n".join(delimiter.join('"' + v.replace('"', '""') + '"' for v in row) for row in rows)
    try:
        table = _read(text.encode(encoding), "f.csv")
    except TableError as exc:
        assert str(exc)
    else:
        assert table.headers
