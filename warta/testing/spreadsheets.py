"""Spreadsheet files for import tests: good ones, truncated ones and zip bombs."""

import io
import zipfile
from collections.abc import Sequence

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
