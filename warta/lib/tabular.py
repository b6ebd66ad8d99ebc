"""Read an uploaded CSV or XLSX file into a header and numbered rows; nothing more.

Every importer (agencies/officers/channels, inbox comment exports, platform metric
exports) reads its file here and keeps its own column mapping and validation.

CSV: UTF-8 with or without BOM, UTF-16 (Excel's "Unicode text"), Windows-1252 (Excel's
"CSV" on Windows), or lines of both UTF-8 and Windows-1252 pasted together; comma,
semicolon (Indonesian Excel's default), tab or pipe as delimiter. XLSX: the first sheet,
read with openpyxl in read-only mode. The header is the first row with two or more
filled cells (exports often start with a title line); blank rows are dropped; every row
keeps the line number a person sees in their editor or spreadsheet. A file that cannot
be read raises TableError with a message for that person, before anything is written.
"""

import csv
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime

from django.utils.translation import gettext as _

DELIMITERS = ",;\t|"
_ZIP = b"PK\x03\x04"
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the old binary Excel (.xls) container
# openpyxl reads a whole sheet once before giving its first row when the sheet does not
# declare its size (a zip bomb need not), so the row limit alone would not stop a small
# upload that unpacks to gigabytes. Far above what a real export unpacks to.
MAX_UNPACKED_BYTES = 512 * 1024 * 1024
HEADER_SEARCH_ROWS = 20  # title lines an export may put above its header
_NOT_TABULAR = (".pdf", ".png", ".jpg", ".jpeg", ".gif", ".doc", ".docx", ".zip")


class TableError(Exception):
    """The file as a whole cannot be read; the message is for the person who uploaded it."""


@dataclass
class Table:
    headers: list[str]  # as written in the file, trimmed
    # (line number, cells): strings from CSV, typed values (numbers, datetimes) from XLSX.
    rows: list[tuple[int, list[object]]]
    kind: str = "csv"
    encoding: str = ""
    delimiter: str = ""
    notes: list[str] = field(default_factory=list)  # worth telling, not worth refusing


def read_table(data: bytes, filename: str, *, max_rows: int) -> Table:
    """The header and data rows of a CSV or XLSX file, refusing more than max_rows rows."""
    name = filename.lower()
    if not data.strip():
        raise TableError(_("Berkas kosong."))
    if data.startswith(_OLE) or name.endswith(".xls"):
        raise TableError(_("Format .xls lama tidak didukung; simpan sebagai .xlsx atau .csv."))
    if data.startswith(_ZIP):
        if not name.endswith((".xlsx", ".xlsm")) and not _is_xlsx(data):
            raise TableError(_("Berkas ZIP bukan lembar kerja XLSX."))
        return _read_xlsx(data, max_rows)
    if name.endswith((".xlsx", ".xlsm")):
        raise TableError(_("Berkas ini tidak berformat XLSX."))
    if name.endswith(_NOT_TABULAR):
        raise TableError(
            _("Jenis berkas tidak sesuai (%(name)s): unggah CSV atau XLSX.")
            % {"name": filename[-80:]}
        )
    text, encoding, mixed = _decode(data)
    table = _read_csv(text, max_rows)
    table.encoding = encoding
    if mixed:
        table.notes.append(
            _(
                "Pengodean berkas bercampur: baris %(lines)s bukan UTF-8 dan dibaca sebagai "
                "Windows-1252; periksa huruf pada baris itu."
            )
            % {"lines": ", ".join(str(n) for n in mixed[:20])}
        )
    return table


def normalize_header(text: object) -> str:
    """A column name as compared: case, spacing and _-./: punctuation ignored."""
    value = unicodedata.normalize("NFKC", str(text or "")).replace("\ufeff", "")
    value = value.strip().strip('"').lower()
    return re.sub(r"[\s_\-./:]+", " ", value).strip()


def cell_text(value: object) -> str:
    """A cell as text: whole floats without ".0" (ids a spreadsheet made numeric), ISO dates."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        if value.time() == datetime.min.time():
            return value.date().isoformat()
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _no_header() -> TableError:
    return TableError(_("Baris judul kolom tidak ditemukan."))


def _too_many(max_rows: int) -> TableError:
    return TableError(_("Berkas berisi lebih dari %(n)d baris.") % {"n": max_rows})


class _Collector:
    """Finds the header, drops blank rows, and stops reading at the row limit.

    Every row read counts, blank or not: openpyxl fills in the rows a sheet skips, so one
    cell in row 1,000,000 is a million rows, and a zip bomb need not have a header.
    """

    def __init__(self, max_rows: int) -> None:
        self.max_rows = max_rows
        self.read = 0
        self.headers: list[str] | None = None
        self.rows: list[tuple[int, list[object]]] = []

    def add(self, line: int, cells: list[object]) -> None:
        self.read += 1
        if self.headers is None:
            if sum(1 for c in cells if not _blank(c)) >= 2:
                self.headers = [cell_text(c) for c in cells]
            elif self.read >= HEADER_SEARCH_ROWS:
                raise _no_header()
            return  # a title line above the header
        if self.read > 2 * self.max_rows + HEADER_SEARCH_ROWS:
            raise _too_many(self.max_rows)
        if all(_blank(c) for c in cells):
            return
        self.rows.append((line, cells))
        if len(self.rows) > self.max_rows:
            raise _too_many(self.max_rows)

    def table(self, kind: str, delimiter: str = "") -> Table:
        if self.headers is None:
            raise _no_header()
        return Table(self.headers, self.rows, kind=kind, delimiter=delimiter)


def _is_xlsx(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            return "xl/workbook.xml" in z.namelist()
    except zipfile.BadZipFile:
        return False


def _decode(data: bytes) -> tuple[str, str, list[int]]:
    """The text, its encoding, and the lines read as Windows-1252 in a mixed file."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16", []
        except UnicodeDecodeError:
            raise TableError(_("Berkas UTF-16 rusak.")) from None
    # UTF-16 without a BOM: every other byte of ASCII text is NUL.
    sample = data[:2000]
    if sample.count(b"\x00") > len(sample) // 4:
        encoding = "utf-16-le" if sample[1:2] == b"\x00" else "utf-16-be"
        try:
            return data.decode(encoding), encoding, []
        except UnicodeDecodeError:
            raise TableError(_("Berkas UTF-16 rusak.")) from None
    if b"\x00" in data[:4096]:
        raise TableError(_("Berkas ini bukan CSV atau XLSX: isinya bukan teks."))
    bom = data.startswith(b"\xef\xbb\xbf")
    body = data[3:] if bom else data
    try:
        return body.decode("utf-8"), "utf-8-sig" if bom else "utf-8", []
    except UnicodeDecodeError:
        pass
    # Not valid UTF-8 as a whole: Windows-1252, unless some lines are UTF-8 and others
    # not (rows pasted together from two sources): then each line is read in the
    # encoding that fits it, and the caller names those lines.
    lines, fallback, utf8_text = [], [], False
    for number, raw in enumerate(body.split(b"\n"), start=1):
        try:
            line = raw.decode("utf-8")
            utf8_text = utf8_text or not raw.isascii()
        except UnicodeDecodeError:
            # cp1252 leaves five bytes undefined; "replace" keeps the rest of the line.
            line = raw.decode("cp1252", errors="replace")
            fallback.append(number)
        lines.append(line)
    text = "\n".join(lines)
    if utf8_text:
        return text, "utf-8+cp1252", fallback
    return text, "cp1252", []


def _sniff_delimiter(text: str) -> str:
    sample = "\n".join(text.splitlines()[:20])
    try:
        return csv.Sniffer().sniff(sample, delimiters=DELIMITERS).delimiter
    except csv.Error:
        # The sniffer gives up on some files a person would call obvious (one data
        # row, a title line): take the delimiter that occurs most.
        counts = {d: sample.count(d) for d in DELIMITERS}
        delimiter = max(counts, key=lambda d: counts[d])
        if not counts[delimiter]:
            raise TableError(
                _("Berkas tidak berbentuk tabel CSV (tidak ada pemisah kolom).")
            ) from None
        return delimiter


def _read_csv(text: str, max_rows: int) -> Table:
    delimiter = _sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    collector = _Collector(max_rows)
    start = 1  # a quoted cell may span lines: a row is numbered by its first line
    try:
        for record in reader:
            collector.add(start, list(record))
            start = reader.line_num + 1
    except csv.Error as exc:  # e.g. a cell longer than csv's limit (128 kB)
        raise TableError(_("CSV rusak di baris %(line)d.") % {"line": reader.line_num}) from exc
    return collector.table("csv", delimiter)


def _read_xlsx(data: bytes, max_rows: int) -> Table:
    from openpyxl import load_workbook

    unreadable = _("Berkas XLSX rusak atau tidak bisa dibaca.")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            # The sizes the zip declares bound what it unpacks: zipfile stops there.
            unpacked = sum(item.file_size for item in archive.infolist())
    except Exception as exc:  # zipfile raises several kinds on a damaged directory
        raise TableError(unreadable) from exc
    if unpacked > MAX_UNPACKED_BYTES:
        raise TableError(_("Berkas terlalu besar."))
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on a damaged file
        raise TableError(unreadable) from exc
    collector = _Collector(max_rows)
    try:
        for line, record in enumerate(book.worksheets[0].iter_rows(values_only=True), start=1):
            collector.add(line, list(record))
    except TableError:
        raise
    except Exception as exc:  # a truncated or malformed sheet: broken XML inside the zip
        raise TableError(unreadable) from exc
    finally:
        book.close()
    return collector.table("xlsx")
