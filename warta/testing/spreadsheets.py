"""Spreadsheet files for import tests: good ones, truncated ones and zip bombs."""

import io
import zipfile
from collections.abc import Iterable, Sequence
from typing import IO

from openpyxl import Workbook

_SHEET = "xl/worksheets/sheet1.xml"
_SHEET_START = (
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
)


def xlsx(rows: Sequence[Sequence[object]]) -> bytes:
    """An XLSX workbook whose first sheet holds these rows."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _replace_sheet(
    rows: Sequence[Sequence[object]], sheet: bytes | None, *, deflate: bool
) -> bytes:
    good = zipfile.ZipFile(io.BytesIO(xlsx(rows)))
    out = io.BytesIO()
    compression = zipfile.ZIP_DEFLATED if deflate else zipfile.ZIP_STORED
    with zipfile.ZipFile(out, "w", compression) as changed:
        for item in good.infolist():
            data = good.read(item.filename)
            if item.filename == _SHEET:
                data = data[: len(data) // 2] if sheet is None else sheet
            changed.writestr(item.filename if deflate else item, data)
    return out.getvalue()


def truncated_xlsx(rows: Sequence[Sequence[object]]) -> bytes:
    """An XLSX whose sheet XML stops halfway, as an interrupted download leaves it."""
    return _replace_sheet(rows, None, deflate=False)


def zip_bomb_xlsx(
    rows: int, row: bytes = b'<row><c t="inlineStr"><is><t>x</t></is></c></row>'
) -> bytes:
    """A small XLSX whose sheet, without a declared size, unpacks to `rows` copies of `row`."""
    sheet = _SHEET_START + row * rows + b"</sheetData></worksheet>"
    return _replace_sheet([["nama", "singkatan"]], sheet, deflate=True)


_STRINGS = "xl/sharedStrings.xml"
_STRINGS_TYPE = (
    b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
    b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml" />'
)
_STRINGS_START = b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'


def _chunks(part: bytes | Iterable[bytes]) -> Iterable[bytes]:
    return [part] if isinstance(part, bytes) else part


def write_xlsx(target: IO[bytes], parts: dict[str, bytes | Iterable[bytes]]) -> None:
    """A workbook of one header row whose named parts are replaced, streamed into target.

    A part may be an iterable of chunks, so a bomb of hundreds of megabytes is written
    without holding it (bench/imports).
    """
    good = zipfile.ZipFile(io.BytesIO(xlsx([["nama", "singkatan"]])))
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as out:
        for name in good.namelist():
            if name in parts:
                continue
            data = good.read(name)
            if name == "[Content_Types].xml" and _STRINGS in parts:
                data = data.replace(b"</Types>", _STRINGS_TYPE + b"</Types>")
            out.writestr(name, data)
        for name, part in parts.items():
            with out.open(name, "w", force_zip64=True) as fh:
                for chunk in _chunks(part):
                    fh.write(chunk)


def shared_strings_bomb(count: int, text: bytes = b"x" * 100) -> Iterable[bytes]:
    """A shared-string table of `count` strings, as chunks (two of them name the columns)."""
    yield _STRINGS_START + b"<si><t>nama</t></si><si><t>singkatan</t></si>"
    item = b"<si><t>" + text + b"</t></si>"
    block = item * 1000
    for _ in range(count // 1000):
        yield block
    yield item * (count % 1000) + b"</sst>"


def shared_strings_bomb_xlsx(count: int, text: bytes = b"x" * 100) -> bytes:
    """A small XLSX whose shared-string table holds `count` copies of text."""
    header = b'<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>'
    out = io.BytesIO()
    sheet = _SHEET_START + header + b"</sheetData></worksheet>"
    write_xlsx(out, {_SHEET: sheet, _STRINGS: shared_strings_bomb(count, text)})
    return out.getvalue()


def wide_rows_bomb(rows: int) -> Iterable[bytes]:
    """A sheet declaring A1:XFD1048576 whose rows each hold one cell in the last column."""
    yield (
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b'<dimension ref="A1:XFD1048576"/><sheetData>'
        b'<row r="1"><c r="A1" t="inlineStr"><is><t>nama</t></is></c>'
        b'<c r="B1" t="inlineStr"><is><t>singkatan</t></is></c></row>'
    )
    for start in range(2, rows + 2, 1000):
        yield b"".join(
            b'<row r="%d"><c r="XFD%d"><v>1</v></c></row>' % (n, n)
            for n in range(start, min(start + 1000, rows + 2))
        )
    yield b"</sheetData></worksheet>"


def wide_rows_bomb_xlsx(rows: int) -> bytes:
    out = io.BytesIO()
    write_xlsx(out, {_SHEET: wide_rows_bomb(rows)})
    return out.getvalue()
