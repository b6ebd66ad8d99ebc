"""Values in platform exports: counts and dates as the platforms and spreadsheets write them.

Reading the file itself is warta.lib.tabular; a value that cannot be read raises
ValueError with a message for the row's report line.
"""

import re
from collections.abc import Iterator
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _

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
