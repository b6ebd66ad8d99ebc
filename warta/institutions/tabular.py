"""Read a CSV or XLSX table into rows of strings, tolerant of what spreadsheets produce.

CSV: UTF-8 (with or without BOM) or Windows-1252; comma, semicolon (Indonesian Excel's
default), tab or pipe as delimiter. XLSX: the first sheet. The first non-empty row is the
header. Line numbers are those a person sees in their editor or spreadsheet.
"""

import csv
import io
import zipfile
from dataclasses import dataclass
from datetime import date, datetime

from django.utils.translation import gettext as _

MAX_ROWS = 20_000


class TableError(Exception):
    """The file as a whole cannot be read (wrong type, broken, empty, too many rows)."""


@dataclass
class Row:
    line: int
    values: dict[str, str]


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return (
            value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
        )
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def _header(cells: list[str], aliases: dict[str, str]) -> list[str]:
    names = []
    for cell in cells:
        key = cell.strip().lower().replace(" ", "_").replace("-", "_")
        names.append(aliases.get(key, key))
    return names


def _rows(raw: list[tuple[int, list[str]]], aliases: dict[str, str]) -> tuple[list[str], list[Row]]:
    raw = [(line, cells) for line, cells in raw if any(c.strip() for c in cells)]
    if not raw:
        raise TableError(_("Berkas kosong: tidak ada baris judul kolom."))
    header = _header(raw[0][1], aliases)
    rows = []
    for line, cells in raw[1:]:
        values = {
            name: (cells[i].strip() if i < len(cells) else "")
            for i, name in enumerate(header)
            if name
        }
        rows.append(Row(line=line, values=values))
    if len(rows) > MAX_ROWS:
        raise TableError(_("Berkas berisi lebih dari %(n)d baris.") % {"n": MAX_ROWS})
    return header, rows


def _decode(content: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    return content.decode("latin-1")


def _read_csv(content: bytes) -> list[tuple[int, list[str]]]:
    if b"\x00" in content[:4096]:
        raise TableError(_("Berkas ini bukan CSV atau XLSX yang bisa dibaca."))
    text = _decode(content)
    sample = text[:8192]
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(sample, delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    out = []
    start = 1
    try:
        for cells in reader:
            out.append((start, cells))
            start = reader.line_num + 1
            if len(out) > MAX_ROWS + 1:
                raise TableError(_("Berkas berisi lebih dari %(n)d baris.") % {"n": MAX_ROWS})
    except csv.Error as exc:
        raise TableError(_("CSV rusak di baris %(line)d.") % {"line": reader.line_num}) from exc
    return out


def _read_xlsx(content: bytes) -> list[tuple[int, list[str]]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise TableError(_("Berkas XLSX rusak atau tidak bisa dibaca.")) from exc
    try:
        sheet = workbook.worksheets[0]
        out = []
        try:
            for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
                out.append((number, [_cell(v) for v in values]))
                if len(out) > MAX_ROWS + 1:
                    raise TableError(_("Berkas berisi lebih dari %(n)d baris.") % {"n": MAX_ROWS})
        except (SyntaxError, ValueError, KeyError, zipfile.BadZipFile) as exc:
            # SyntaxError covers ElementTree's ParseError: a truncated sheet inside the zip.
            raise TableError(_("Berkas XLSX rusak atau tidak bisa dibaca.")) from exc
        return out
    finally:
        workbook.close()


def read_table(
    content: bytes, filename: str, aliases: dict[str, str]
) -> tuple[list[str], list[Row]]:
    """Header (canonical names) and data rows of a CSV or XLSX file."""
    is_zip = content[:4] == b"PK\x03\x04"
    if filename.lower().endswith((".xlsx", ".xlsm")) or is_zip:
        if not is_zip:
            raise TableError(_("Berkas ini tidak berformat XLSX."))
        return _rows(_read_xlsx(content), aliases)
    if filename.lower().endswith(".xls"):
        raise TableError(_("Format .xls lama tidak didukung; simpan sebagai .xlsx atau .csv."))
    return _rows(_read_csv(content), aliases)
