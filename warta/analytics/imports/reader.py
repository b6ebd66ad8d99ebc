"""Turn an uploaded export (CSV in any common encoding and delimiter, or XLSX) into rows.

File-level problems raise FileRefused before anything is written; value problems are
ValueError with a message for the row's report line.
"""

import csv
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _

DELIMITERS = ",;\t|"


class FileRefused(Exception):
    """The whole file is refused; nothing is imported."""


@dataclass
class Table:
    headers: list[str]
    rows: list[tuple[int, list[object]]]  # (line number in the file, cells)
    encoding: str = ""
    delimiter: str = ""
    kind: str = "csv"
    notes: list[str] = field(default_factory=list)  # shown with the import's report


def read_table(data: bytes, filename: str) -> Table:
    name = filename.lower()
    if not data.strip():
        raise FileRefused(_("Berkas kosong."))
    if data[:4] == b"PK\x03\x04":
        if not name.endswith((".xlsx", ".xlsm")) and not _is_xlsx(data):
            raise FileRefused(_("Berkas ZIP bukan lembar kerja XLSX."))
        return _read_xlsx(data)
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise FileRefused(
            _("Format Excel lama (.xls) tidak didukung: simpan ulang sebagai XLSX atau CSV.")
        )
    if name.endswith((".xlsx", ".xls", ".pdf", ".png", ".jpg", ".jpeg", ".zip")):
        raise FileRefused(
            _("Isi berkas tidak sesuai dengan namanya (%(name)s).") % {"name": filename}
        )
    text, encoding, mixed = _decode(data)
    table = _read_csv(text, encoding)
    if mixed:
        shown = ", ".join(str(n) for n in mixed[:20])
        table.notes.append(
            _(
                "Pengodean berkas bercampur: baris %(lines)s bukan UTF-8 dan dibaca sebagai "
                "Windows-1252; periksa huruf pada baris itu."
            )
            % {"lines": shown}
        )
    return table


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
            raise FileRefused(_("Berkas UTF-16 rusak.")) from None
    # UTF-16 without a BOM: every other byte of ASCII text is NUL.
    sample = data[:2000]
    if sample.count(b"\x00") > len(sample) // 4:
        encoding = "utf-16-le" if sample[1:2] == b"\x00" else "utf-16-be"
        try:
            return data.decode(encoding), encoding, []
        except UnicodeDecodeError:
            raise FileRefused(_("Berkas UTF-16 rusak.")) from None
    if b"\x00" in sample:
        raise FileRefused(_("Berkas ini bukan teks CSV maupun XLSX."))
    bom = data.startswith(b"\xef\xbb\xbf")
    body = data[3:] if bom else data
    try:
        return body.decode("utf-8"), "utf-8-sig" if bom else "utf-8", []
    except UnicodeDecodeError:
        pass
    # Not valid UTF-8 as a whole: Windows-1252 (Excel's "CSV" on Windows), unless some
    # lines are UTF-8 and others not (rows pasted together from two sources): then each
    # line is read in the encoding that fits it, and the report names those lines.
    lines, fallback, utf8_text = [], [], False
    for number, raw in enumerate(body.split(b"\n"), start=1):
        try:
            line = raw.decode("utf-8")
            utf8_text = utf8_text or not raw.isascii()
        except UnicodeDecodeError:
            line = raw.decode("cp1252", errors="replace")
            fallback.append(number)
        lines.append(line)
    text = "\n".join(lines)
    if utf8_text:
        return text, "utf-8+cp1252", fallback
    return text, "cp1252", []


def _read_csv(text: str, encoding: str) -> Table:
    lines = text.splitlines()
    sample = "\n".join(lines[:20])
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=DELIMITERS)
        delimiter = dialect.delimiter
    except csv.Error:
        counts = {d: sample.count(d) for d in DELIMITERS}
        delimiter = max(counts, key=lambda d: counts[d])
        if not counts[delimiter]:
            raise FileRefused(
                _("Berkas tidak berbentuk tabel CSV (tidak ada pemisah kolom).")
            ) from None
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[tuple[int, list[object]]] = []
    headers: list[str] | None = None
    for record in reader:
        line = reader.line_num
        if headers is None:
            if sum(1 for c in record if c.strip()) >= 2:
                headers = [c.strip() for c in record]
            continue  # Meta exports sometimes start with a title line
        if not any(c.strip() for c in record):
            continue
        rows.append((line, list(record)))
    if headers is None:
        raise FileRefused(_("Baris judul kolom tidak ditemukan."))
    return Table(headers, rows, encoding, delimiter, "csv")


def _read_xlsx(data: bytes) -> Table:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for broken files
        raise FileRefused(_("Lembar kerja XLSX tidak dapat dibaca: %(e)s") % {"e": exc}) from exc
    sheet = book.worksheets[0]
    headers: list[str] | None = None
    rows: list[tuple[int, list[object]]] = []
    for line, record in enumerate(sheet.iter_rows(values_only=True), start=1):
        cells = list(record)
        if headers is None:
            if sum(1 for c in cells if c not in (None, "")) >= 2:
                headers = [str(c or "").strip() for c in cells]
            continue
        if all(c in (None, "") for c in cells):
            continue
        rows.append((line, cells))
    book.close()
    if headers is None:
        raise FileRefused(_("Baris judul kolom tidak ditemukan."))
    return Table(headers, rows, "", "", "xlsx")


# -- values ----------------------------------------------------------------------------

_THOUSANDS = re.compile(r"^\d{1,3}([.,\s]\d{3})+$")


def parse_count(value: object) -> int | None:
    """A non-negative whole count; None when the cell is empty or a dash."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueError(_("bukan angka"))
    if isinstance(value, int | float):
        number = float(value)
    else:
        text = str(value).strip().replace("\u00a0", " ")
        if text in {"", "-", "–", "—", "N/A", "n/a"}:  # noqa: RUF001  (typographic dash/sign on purpose)
            return None
        negative = text.startswith("-")
        digits = text.lstrip("-").strip()
        if _THOUSANDS.match(digits):
            digits = re.sub(r"[.,\s]", "", digits)
        elif re.fullmatch(r"\d+([.,]0+)?", digits):
            digits = re.split(r"[.,]", digits)[0]
        else:
            raise ValueError(_("“%(v)s” bukan angka") % {"v": text[:30]})
        number = -float(digits) if negative else float(digits)
    if number < 0:
        raise ValueError(_("nilai negatif (%(v)s) tidak mungkin") % {"v": int(number)})
    if number != int(number):
        raise ValueError(_("“%(v)s” bukan bilangan bulat") % {"v": value})
    return int(number)


MONTHS = {
    "jan": 1,
    "januari": 1,
    "january": 1,
    "feb": 2,
    "februari": 2,
    "february": 2,
    "mar": 3,
    "maret": 3,
    "march": 3,
    "apr": 4,
    "april": 4,
    "mei": 5,
    "may": 5,
    "jun": 6,
    "juni": 6,
    "june": 6,
    "jul": 7,
    "juli": 7,
    "july": 7,
    "agu": 8,
    "agt": 8,
    "agustus": 8,
    "aug": 8,
    "august": 8,
    "sep": 9,
    "sept": 9,
    "september": 9,
    "okt": 10,
    "oktober": 10,
    "oct": 10,
    "october": 10,
    "nov": 11,
    "november": 11,
    "nop": 11,
    "des": 12,
    "desember": 12,
    "dec": 12,
    "december": 12,
}
_NUMERIC = re.compile(
    r"^(\d{1,4})[/.\-](\d{1,2})[/.\-](\d{1,4})(?:[ T,]+(\d{1,2})[:.](\d{2})(?:[:.](\d{2}))?"
    r"(?:\.\d+)?)?\s*(Z|[+-]\d{2}:?\d{2})?$"
)
_WORDY = re.compile(
    r"^(?:(\d{1,2})\s+([A-Za-z]+)\.?,?\s+(\d{4})|([A-Za-z]+)\.?\s+(\d{1,2}),?\s+(\d{4}))"
    r"(?:[ ,]+(\d{1,2})[:.](\d{2})(?:[:.](\d{2}))?)?$"
)


def day_first_hint(values: list[object]) -> bool | None:
    """True/False when some date in the column settles DD/MM vs MM/DD; None otherwise."""
    for v in values:
        if isinstance(v, datetime | date):
            continue
        m = _NUMERIC.match(str(v or "").strip())
        if not m or len(m.group(1)) == 4:
            continue
        a, b = int(m.group(1)), int(m.group(2))
        if a > 12 >= b:
            return True
        if b > 12 >= a:
            return False
    return None


def parse_datetime(value: object, *, zone: ZoneInfo, day_first: bool) -> datetime:
    """An aware datetime; naive values are in the export's zone."""
    if isinstance(value, datetime):
        dt = value
    elif isinstance(value, date):
        dt = datetime.combine(value, time(12, 0))
    else:
        text = str(value or "").strip()
        if not text:
            raise ValueError(_("tanggal kosong"))
        dt = _parse_text_datetime(text, day_first)
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=zone)
    return dt


def _parse_text_datetime(text: str, day_first: bool) -> datetime:
    from datetime import timedelta
    from datetime import timezone as dt_timezone

    m = _NUMERIC.match(text)
    if m:
        a, b, c = m.group(1), int(m.group(2)), m.group(3)
        if len(a) == 4:
            year, month, day = int(a), b, int(c)
        else:
            year = int(c) + (2000 if len(c) == 2 else 0)
            day, month = (int(a), b) if day_first else (b, int(a))
        hour, minute, second = (int(m.group(i) or 0) for i in (4, 5, 6))
        try:
            dt = datetime(year, month, day, hour, minute, second)
        except ValueError:
            raise ValueError(_("tanggal “%(v)s” tidak valid") % {"v": text[:40]}) from None
        zone = m.group(7)
        if zone:
            if zone == "Z":
                return dt.replace(tzinfo=UTC)
            sign = 1 if zone[0] == "+" else -1
            hh, mm = int(zone[1:3]), int(zone[-2:])
            return dt.replace(tzinfo=dt_timezone(sign * timedelta(hours=hh, minutes=mm)))
        return dt
    w = _WORDY.match(text)
    if w:
        if w.group(1):
            day, month_name, year = int(w.group(1)), w.group(2), int(w.group(3))
        else:
            month_name, day, year = w.group(4), int(w.group(5)), int(w.group(6))
        found = MONTHS.get(month_name.lower())
        if found:
            month = found
            hour, minute, second = (int(w.group(i) or 0) for i in (7, 8, 9))
            # A date without a time (YouTube) is taken as midday: its local day is then
            # the same in every Indonesian zone.
            if w.group(7) is None:
                hour = 12
            try:
                return datetime(year, month, day, hour, minute, second)
            except ValueError:
                pass
    raise ValueError(_("format tanggal “%(v)s” tidak dikenali") % {"v": text[:40]})


def cell(cells: list[object], index: int | None) -> object:
    if index is None or index >= len(cells):
        return None
    return cells[index]


def iter_chunks[T](items: list[T], size: int) -> Iterator[list[T]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]
