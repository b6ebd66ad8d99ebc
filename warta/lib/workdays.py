"""Working days and working hours of Indonesian government offices, offline.

A working day is Monday to Friday that is neither a national public holiday nor a
collective leave day (cuti bersama), both from the `holidays` package ("public" and
"government" categories), nor a day the region adds itself (`extra_holidays`, e.g. a
regional anniversary). Working hours are the office hours of such a day in the region's
time zone. Legal deadlines (UU 14/2008: 10 working days) count whole working days after
the day of receipt; service targets (first response in N working hours) count hours.

Pure functions over dates and aware datetimes, and the weekday names; no models, so
analytics and strategy reuse them.
"""

import zoneinfo
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from functools import lru_cache

import holidays
from django.utils.translation import pgettext_lazy

# Monday first, as date.weekday() counts. "Minggu" is Sunday here, not "week": hence the
# context, which gives English the right word.
WEEKDAY_NAMES = (
    pgettext_lazy("weekday", "Senin"),
    pgettext_lazy("weekday", "Selasa"),
    pgettext_lazy("weekday", "Rabu"),
    pgettext_lazy("weekday", "Kamis"),
    pgettext_lazy("weekday", "Jumat"),
    pgettext_lazy("weekday", "Sabtu"),
    pgettext_lazy("weekday", "Minggu"),
)

OFFICE_START = time(8, 0)
OFFICE_END = time(16, 0)
_CATEGORIES = ("public", "government")


@lru_cache(maxsize=64)
def national_holidays(year: int) -> frozenset[date]:
    """Public holidays and cuti bersama in Indonesia for one year."""
    days = holidays.country_holidays("ID", years=year, categories=_CATEGORIES)
    return frozenset(days.keys())


def holiday_name(day: date) -> str:
    days = holidays.country_holidays("ID", years=day.year, categories=_CATEGORIES)
    return str(days.get(day, ""))


def is_workday(day: date, *, extra_holidays: Iterable[date] = ()) -> bool:
    if day.weekday() >= 5:
        return False
    if day in national_holidays(day.year):
        return False
    if not isinstance(extra_holidays, (set, frozenset)):
        extra_holidays = set(extra_holidays)
    return day not in extra_holidays


def add_workdays(start: date, count: int, *, extra_holidays: Iterable[date] = ()) -> date:
    """The `count`-th working day after `start` (start itself is never counted)."""
    if count < 0:
        raise ValueError("count must not be negative")
    extra = frozenset(extra_holidays)
    day = start
    remaining = count
    while remaining > 0:
        day += timedelta(days=1)
        if is_workday(day, extra_holidays=extra):
            remaining -= 1
    return day


def workdays_between(start: date, end: date, *, extra_holidays: Iterable[date] = ()) -> int:
    """Working days in (start, end]; negative when end is before start."""
    if end < start:
        return -workdays_between(end, start, extra_holidays=extra_holidays)
    extra = frozenset(extra_holidays)
    count = 0
    day = start
    while day < end:
        day += timedelta(days=1)
        if is_workday(day, extra_holidays=extra):
            count += 1
    return count


def end_of_day(day: date, tz_name: str) -> datetime:
    """The last moment of a local day, as an aware datetime: when a day-counted deadline ends."""
    tz = zoneinfo.ZoneInfo(tz_name)
    return datetime.combine(day, time(23, 59, 59), tzinfo=tz)


def local_date(moment: datetime, tz_name: str) -> date:
    return moment.astimezone(zoneinfo.ZoneInfo(tz_name)).date()


def workday_deadline(
    received: datetime, count: int, tz_name: str, *, extra_holidays: Iterable[date] = ()
) -> datetime:
    """End of the `count`-th working day after the local day `received` falls on."""
    day = add_workdays(local_date(received, tz_name), count, extra_holidays=extra_holidays)
    return end_of_day(day, tz_name)


@lru_cache(maxsize=1024)
def _office_hours(
    day: date, tz_name: str, extra_holidays: frozenset[date]
) -> tuple[datetime, datetime] | None:
    """Opening and closing time of a working day in the zone; None on a day off.

    Cached: every comment that asks for an answer gets a first-response target, and the
    day's check and times cost more than the rest of the count.
    """
    if not is_workday(day, extra_holidays=extra_holidays):
        return None
    tz = zoneinfo.ZoneInfo(tz_name)
    return datetime.combine(day, OFFICE_START, tzinfo=tz), datetime.combine(
        day, OFFICE_END, tzinfo=tz
    )


def add_working_hours(
    start: datetime, hours: float, tz_name: str, *, extra_holidays: Iterable[date] = ()
) -> datetime:
    """The moment `hours` office hours after `start` (time outside office hours does not count)."""
    tz = zoneinfo.ZoneInfo(tz_name)
    extra = frozenset(extra_holidays)
    remaining = timedelta(hours=hours)
    current = start.astimezone(tz)
    while True:
        day = current.date()
        office = _office_hours(day, tz_name, extra)
        if office is not None:
            opens, closes = office
            begin = max(current, opens)
            if begin < closes:
                available = closes - begin
                if remaining <= available:
                    return begin + remaining
                remaining -= available
        current = datetime.combine(day + timedelta(days=1), time(0, 0), tzinfo=tz)


def working_hours_between(
    start: datetime, end: datetime, tz_name: str, *, extra_holidays: Iterable[date] = ()
) -> float:
    """Office hours elapsed from start to end (0 when end is not after start)."""
    if end <= start:
        return 0.0
    tz = zoneinfo.ZoneInfo(tz_name)
    extra = frozenset(extra_holidays)
    total = timedelta()
    current = start.astimezone(tz)
    end = end.astimezone(tz)
    while current < end:
        day = current.date()
        if is_workday(day, extra_holidays=extra):
            opens = datetime.combine(day, OFFICE_START, tzinfo=tz)
            closes = datetime.combine(day, OFFICE_END, tzinfo=tz)
            begin, finish = max(current, opens), min(end, closes)
            if finish > begin:
                total += finish - begin
        current = datetime.combine(day + timedelta(days=1), time(0, 0), tzinfo=tz)
    return total.total_seconds() / 3600
