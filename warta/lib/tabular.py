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

Hostile files (docs/deployment.md, "Import limits"): what a file may unpack to, its shared
strings, its columns, the length of a cell, its rows and cells in all, and the seconds
spent reading are capped (settings.WARTA_IMPORT_*); each cap is checked while streaming,
before the next row is read, so memory stays bounded by the caps, not by the file.
"""

import codecs
import csv
import io
import re
import time
import unicodedata
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import IO, Any
from xml.etree.ElementTree import iterparse

from django.conf import settings
from django.utils.translation import gettext as _

DELIMITERS = ",;\t|"
_ZIP = b"PK\x03\x04"
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the old binary Excel (.xls) container
HEADER_SEARCH_ROWS = 20  # title lines an export may put above its header
# Blank rows tolerated besides max_rows (as many as max_rows, at most this): openpyxl
# fills in the rows a sheet skips, so one cell in row 1,000,000 is a million rows to walk.
BLANK_ROWS_ALLOWED = 10_000
# Excel's own limits: a cell holds at most 32,767 characters; columns read per row.
MAX_CELL_CHARS = 32_767
MAX_COLUMNS = 128
# Parts openpyxl reads whole and parses as one tree (workbook, styles, relations).
MAX_WHOLE_PART_BYTES = 8 * 1024 * 1024
_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_SI, _T, _RUN_T = f"{_MAIN}si", f"{_MAIN}t", f"{_MAIN}r/{_MAIN}t"
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


@dataclass(frozen=True)
class Limits:
    """What one read may take; the defaults come from settings (WARTA_IMPORT_*)."""

    max_rows: int
    max_cells: int
    max_seconds: float
    max_unpacked_bytes: int
    max_shared_strings: int

    @classmethod
    def from_settings(cls, max_rows: int, max_seconds: float | None = None) -> "Limits":
        return cls(
            max_rows=max_rows,
            max_cells=settings.WARTA_IMPORT_MAX_CELLS,
            max_seconds=settings.WARTA_IMPORT_MAX_SECONDS if max_seconds is None else max_seconds,
            max_unpacked_bytes=settings.WARTA_IMPORT_MAX_UNPACKED_BYTES,
            max_shared_strings=settings.WARTA_IMPORT_MAX_SHARED_STRINGS,
        )

    def deadline(self) -> float:
        return time.monotonic() + self.max_seconds


def read_table(
    data: bytes, filename: str, *, max_rows: int, max_seconds: float | None = None
) -> Table:
    """The header and data rows of a CSV or XLSX file, refusing more than max_rows rows.

    Reading stops with TableError after max_seconds (default WARTA_IMPORT_MAX_SECONDS).
    """
    return _read(data, filename, Limits.from_settings(max_rows, max_seconds))


def _read(data: bytes, filename: str, limits: Limits) -> Table:
    name = filename.lower()
    if not data.strip():
        raise TableError(_("Berkas kosong."))
    if data.startswith(_OLE) or name.endswith(".xls"):
        raise TableError(_("Format .xls lama tidak didukung; simpan sebagai .xlsx atau .csv."))
    if data.startswith(_ZIP):
        if not name.endswith((".xlsx", ".xlsm")) and not _is_xlsx(data):
            raise TableError(_("Berkas ZIP bukan lembar kerja XLSX."))
        return _read_xlsx(data, limits)
    if name.endswith((".xlsx", ".xlsm")):
        raise TableError(_("Berkas ini tidak berformat XLSX."))
    if name.endswith(_NOT_TABULAR):
        raise TableError(
            _("Jenis berkas tidak sesuai (%(name)s): unggah CSV atau XLSX.")
            % {"name": filename[-80:]}
        )
    lines, encoding, mixed = _decode(data)
    table = _read_csv(data, lines, limits)
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


def _too_slow(limits: Limits) -> TableError:
    return TableError(
        _(
            "Berkas terlalu lama dibaca (lebih dari %(s)d detik); tidak ada yang diimpor. "
            "Bagi berkas menjadi beberapa bagian."
        )
        % {"s": limits.max_seconds}
    )


def _too_many(max_rows: int) -> TableError:
    return TableError(_("Berkas berisi lebih dari %(n)d baris.") % {"n": max_rows})


class _Collector:
    """Finds the header, drops blank rows, and stops reading at the first cap it passes.

    Every row read counts, blank or not: openpyxl fills in the rows a sheet skips, so one
    cell in row 1,000,000 is a million rows, and a zip bomb need not have a header.
    """

    def __init__(self, limits: Limits, deadline: float | None = None) -> None:
        self.limits = limits
        self.max_rows = limits.max_rows
        self.read = 0
        self.cells = 0
        self.deadline = deadline or limits.deadline()
        self.headers: list[str] | None = None
        self.rows: list[tuple[int, list[object]]] = []

    def add(self, line: int, cells: list[object]) -> None:
        self.read += 1
        if time.monotonic() > self.deadline:
            raise _too_slow(self.limits)
        # Trailing empty cells are dropped: a sheet's declared width pads every row.
        filled = len(cells)
        if cells.count(None) + cells.count("") == filled:
            filled = 0  # a blank row, found at C speed: a bomb is mostly blank rows
        while filled and _blank(cells[filled - 1]):
            filled -= 1
        for value in cells[:filled]:
            if isinstance(value, str) and len(value) > MAX_CELL_CHARS:
                raise TableError(
                    _("Sel di baris %(line)d lebih panjang dari %(n)d karakter.")
                    % {"line": line, "n": MAX_CELL_CHARS}
                )
        self.cells += filled
        if self.cells > self.limits.max_cells:
            raise TableError(
                _("Berkas berisi lebih dari %(n)s sel; bagi berkas menjadi beberapa bagian.")
                % {"n": f"{self.limits.max_cells:,}".replace(",", ".")}
            )
        if self.headers is None:
            if sum(1 for c in cells[:filled] if not _blank(c)) >= 2:
                self.headers = [cell_text(c) for c in cells[:filled]]
            elif self.read >= HEADER_SEARCH_ROWS:
                raise _no_header()
            return  # a title line above the header
        blanks = min(self.max_rows, BLANK_ROWS_ALLOWED)
        if self.read > self.max_rows + blanks + HEADER_SEARCH_ROWS:
            raise _too_many(self.max_rows)
        if not filled:
            return
        self.rows.append((line, cells[:filled]))
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


def _valid(data: bytes, encoding: str) -> bool:
    """Whether data decodes, checked piece by piece: a whole-file decode would copy it."""
    decoder = codecs.getincrementaldecoder(encoding)()
    step = 1 << 20
    try:
        for start in range(0, len(data), step):
            decoder.decode(data[start : start + step])
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _text_lines(data: bytes, encoding: str) -> Iterator[str]:
    # "replace": cp1252 leaves five bytes undefined; the other encodings were checked.
    yield from io.TextIOWrapper(io.BytesIO(data), encoding=encoding, errors="replace", newline="")


def _mixed_lines(body: bytes, fallback: list[int]) -> Iterator[str]:
    legacy = set(fallback)
    for number, raw in enumerate(io.BytesIO(body), start=1):
        if number in legacy:
            # cp1252 leaves five bytes undefined; "replace" keeps the rest of the line.
            yield raw.decode("cp1252", errors="replace")
        else:
            yield raw.decode("utf-8")


def _decode(data: bytes) -> tuple[Iterator[str], str, list[int]]:
    """The text as lines, read lazily, its encoding, and the Windows-1252 lines of a mixed file."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        if not _valid(data, "utf-16"):
            raise TableError(_("Berkas UTF-16 rusak."))
        return _text_lines(data, "utf-16"), "utf-16", []
    # UTF-16 without a BOM: every other byte of ASCII text is NUL.
    sample = data[:2000]
    if sample.count(b"\x00") > len(sample) // 4:
        encoding = "utf-16-le" if sample[1:2] == b"\x00" else "utf-16-be"
        if not _valid(data, encoding):
            raise TableError(_("Berkas UTF-16 rusak."))
        return _text_lines(data, encoding), encoding, []
    if b"\x00" in data[:4096]:
        raise TableError(_("Berkas ini bukan CSV atau XLSX: isinya bukan teks."))
    bom = data.startswith(b"\xef\xbb\xbf")
    if _valid(data, "utf-8"):
        encoding = "utf-8-sig" if bom else "utf-8"
        return _text_lines(data, encoding), encoding, []
    body = data[3:] if bom else data
    # Not valid UTF-8 as a whole: Windows-1252, unless some lines are UTF-8 and others
    # not (rows pasted together from two sources): then each line is read in the
    # encoding that fits it, and the caller names those lines.
    fallback, utf8_text = [], False
    for number, raw in enumerate(io.BytesIO(body), start=1):
        try:
            raw.decode("utf-8")
            utf8_text = utf8_text or not raw.isascii()
        except UnicodeDecodeError:
            fallback.append(number)
    if utf8_text:
        return _mixed_lines(body, fallback), "utf-8+cp1252", fallback
    return _text_lines(body, "cp1252"), "cp1252", []


def _sniff_delimiter(head: list[str]) -> str:
    sample = "\n".join(line.rstrip("\r\n") for line in head)
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


def _read_csv(data: bytes, lines: Iterator[str], limits: Limits) -> Table:
    head: list[str] = []
    for line in lines:
        head.append(line)
        if len(head) >= 20:
            break
    delimiter = _sniff_delimiter(head)

    def all_lines() -> Iterator[str]:
        yield from head
        yield from lines

    reader = csv.reader(all_lines(), delimiter=delimiter)
    collector = _Collector(limits)
    start = 1  # a quoted cell may span lines: a row is numbered by its first line
    try:
        for record in reader:
            collector.add(start, list(record))
            start = reader.line_num + 1
    except csv.Error as exc:  # e.g. a cell longer than csv's limit (128 kB)
        raise TableError(_("CSV rusak di baris %(line)d.") % {"line": reader.line_num}) from exc
    return collector.table("csv", delimiter)


def _too_big_unpacked(limits: Limits) -> TableError:
    return TableError(
        _(
            "Isi berkas XLSX terlalu besar setelah dibuka (lebih dari %(mb)d MB); "
            "tidak ada yang diimpor. Simpan ulang sebagai CSV atau bagi menjadi beberapa berkas."
        )
        % {"mb": limits.max_unpacked_bytes // (1024 * 1024)}
    )


def _shared_strings(source: IO[bytes], limits: Limits, deadline: float) -> list[str]:
    """The shared-string table, refused past its cap while it is read.

    openpyxl reads the whole table when the workbook opens, before the first row, and
    keeps every parsed element under the root; this keeps the strings only.
    """
    strings: list[str] = []
    # As openpyxl parses (without defusedxml): expat >= 2.4 refuses entity amplification
    # and ElementTree resolves no external entity.
    events = iterparse(source, events=("start", "end"))  # noqa: S314
    _event, root = next(events)
    for event, element in events:
        if event != "end" or element.tag != _SI:
            continue
        # As openpyxl's Text.content, faster: the plain text, then the formatted runs'.
        plain = element.findtext(_T)
        runs = "".join(run.text or "" for run in element.iterfind(_RUN_T))
        text = ((plain or "") + runs).replace("x005F_", "")
        root.clear()
        if len(text) > MAX_CELL_CHARS:
            raise TableError(
                _("Berkas XLSX berisi teks lebih panjang dari %(n)d karakter.")
                % {"n": MAX_CELL_CHARS}
            )
        strings.append(text)
        if len(strings) % 1000 == 0 and time.monotonic() > deadline:
            raise _too_slow(limits)
        if len(strings) > limits.max_shared_strings:
            raise TableError(
                _("Berkas XLSX berisi lebih dari %(n)s teks berbeda; bagi menjadi beberapa berkas.")
                % {"n": f"{limits.max_shared_strings:,}".replace(",", ".")}
            )
    return strings


class _GuardedZip(zipfile.ZipFile):
    """openpyxl reads the workbook's small parts whole (read) and streams sheets (open)."""

    def read(self, name: str | zipfile.ZipInfo, pwd: bytes | None = None) -> bytes:
        info = name if isinstance(name, zipfile.ZipInfo) else self.getinfo(name)
        if info.file_size > MAX_WHOLE_PART_BYTES:
            raise TableError(
                _("Bagian berkas XLSX terlalu besar (%(part)s).") % {"part": info.filename[-60:]}
            )
        return super().read(name, pwd)


def _open_workbook(data: bytes, limits: Limits, deadline: float) -> Any:
    from openpyxl.reader.excel import SHARED_STRINGS, ExcelReader

    class Reader(ExcelReader):  # type: ignore[misc]
        def __init__(self) -> None:
            super().__init__(io.BytesIO(data), read_only=True, data_only=True)
            self.archive.close()
            self.archive: zipfile.ZipFile = _GuardedZip(io.BytesIO(data))

        def read_strings(self) -> None:
            part = self.package.find(SHARED_STRINGS)
            if part is not None:
                with self.archive.open(part.PartName[1:]) as source:
                    self.shared_strings = _shared_strings(source, limits, deadline)

    reader = Reader()
    reader.read()
    return reader.wb


def _read_xlsx(data: bytes, limits: Limits) -> Table:
    unreadable = _("Berkas XLSX rusak atau tidak bisa dibaca.")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            # The sizes the zip declares bound what it unpacks: zipfile stops there (and
            # fails the CRC check), so a lie about them only makes the file unreadable.
            unpacked = sum(item.file_size for item in archive.infolist())
    except Exception as exc:  # zipfile raises several kinds on a damaged directory
        raise TableError(unreadable) from exc
    if unpacked > limits.max_unpacked_bytes:
        raise _too_big_unpacked(limits)
    deadline = limits.deadline()
    try:
        book = _open_workbook(data, limits, deadline)
    except TableError:
        raise
    except Exception as exc:  # openpyxl raises many kinds on a damaged file
        raise TableError(unreadable) from exc
    collector = _Collector(limits, deadline)
    try:
        sheet = book.worksheets[0]
        # Rows are as wide as the sheet declares, or as their last cell: either may be
        # column XFD, 16,384 cells for every row; no export has more than MAX_COLUMNS.
        declared = sheet.max_column
        width = min(declared, MAX_COLUMNS) if declared else MAX_COLUMNS
        rows = sheet.iter_rows(max_col=width, values_only=True)
        for line, record in enumerate(rows, start=1):
            cells = list(record)
            while not declared and cells and cells[-1] is None:
                cells.pop()  # an undeclared width: each row as wide as its last cell
            collector.add(line, cells)
    except TableError:
        raise
    except Exception as exc:  # a truncated or malformed sheet (ParseError, BadZipFile, ...)
        raise TableError(unreadable) from exc
    finally:
        book.close()
    return collector.table("xlsx")
