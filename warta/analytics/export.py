"""CSV and XLSX downloads of dashboard tables, safe to open in a spreadsheet."""

import csv
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass

from django.http import HttpResponse

from warta.lib.spreadsheet import csv_safe

_SAFE_NAME = re.compile(r"[^A-Za-z0-9_.-]+")


@dataclass
class Table:
    name: str
    title: str
    headers: list[str]
    rows: list[list[object]]


def neutralise(value: object) -> object:
    """Numbers stay numbers; text that a spreadsheet would run as a formula gets a quote."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int | float):
        return value
    return csv_safe(str(value))


def csv_response(table: Table, filename: str) -> HttpResponse:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([neutralise(h) for h in table.headers])
    for row in table.rows:
        writer.writerow([neutralise(v) for v in row])
    # BOM: Excel opens UTF-8 CSV with Indonesian names correctly only with it.
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_safe(filename)}.csv"'
    return response


def xlsx_response(table: Table, filename: str) -> HttpResponse:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=_safe(table.title or table.name)[:31] or "data")
    sheet.append([neutralise(h) for h in table.headers])
    for row in table.rows:
        sheet.append([neutralise(v) for v in row])
    out = io.BytesIO()
    book.save(out)
    response = HttpResponse(
        out.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{_safe(filename)}.xlsx"'
    return response


def _safe(name: str) -> str:
    return _SAFE_NAME.sub("-", name).strip("-") or "warta"


def table_response(
    tables: Sequence[Table], name: str, fmt: str, filename: str
) -> HttpResponse | None:
    for table in tables:
        if table.name == name:
            if fmt == "xlsx":
                return xlsx_response(table, filename)
            if fmt == "csv":
                return csv_response(table, filename)
    return None
