"""Working days and hours of the region: weekends, national holidays and cuti bersama skipped."""

from datetime import UTC, date, datetime

from warta.lib.workdays import (
    add_workdays,
    add_working_hours,
    is_workday,
    workday_deadline,
    workdays_between,
    working_hours_between,
)

WITA = "Asia/Makassar"


def test_it_skips_weekends() -> None:
    # Friday 6 Nov 2026 + 1 working day = Monday 9 Nov.
    assert add_workdays(date(2026, 11, 6), 1) == date(2026, 11, 9)
    assert add_workdays(date(2026, 11, 2), 10) == date(2026, 11, 16)


def test_it_skips_idul_fitri_and_its_cuti_bersama() -> None:
    # 2026: cuti bersama 20, 23, 24 March; Idul Fitri 21-22 March (weekend); Nyepi 19 March,
    # cuti bersama 18 March. From Tuesday 17 March the next working day is Wednesday 25 March.
    for day in [
        date(2026, 3, 18),
        date(2026, 3, 19),
        date(2026, 3, 20),
        date(2026, 3, 23),
        date(2026, 3, 24),
    ]:
        assert not is_workday(day)
    assert add_workdays(date(2026, 3, 17), 1) == date(2026, 3, 25)


def test_it_counts_ten_working_days_across_christmas_and_new_year() -> None:
    # Received Mon 21 Dec 2026: 24 Dec (cuti bersama), 25 Dec, 1 Jan, 5 Jan 2027 (Isra
    # Mikraj) and the weekends are skipped.
    deadline = workday_deadline(datetime(2026, 12, 21, 2, 0, tzinfo=UTC), 10, WITA)
    assert deadline.date() == date(2027, 1, 8)
    assert (deadline.hour, deadline.minute) == (23, 59)


def test_it_counts_the_local_day_not_the_utc_day() -> None:
    # 17:30 UTC Friday is 01:30 Saturday in WITA: the count starts from Saturday.
    received = datetime(2026, 11, 6, 17, 30, tzinfo=UTC)
    assert workday_deadline(received, 1, WITA).date() == date(2026, 11, 9)
    assert workday_deadline(received, 1, "UTC").date() == date(2026, 11, 9)
    assert workday_deadline(datetime(2026, 11, 5, 17, 30, tzinfo=UTC), 1, WITA).date() == date(
        2026, 11, 9
    )


def test_it_honours_holidays_the_region_adds() -> None:
    assert add_workdays(date(2026, 11, 2), 1, extra_holidays={date(2026, 11, 3)}) == date(
        2026, 11, 4
    )
    assert workdays_between(date(2026, 11, 2), date(2026, 11, 9)) == 5


def test_it_adds_office_hours_over_a_weekend() -> None:
    # Friday 15:00 WITA (07:00 UTC) + 8 office hours = Monday 15:00 WITA.
    start = datetime(2026, 11, 6, 7, 0, tzinfo=UTC)
    due = add_working_hours(start, 8, WITA)
    assert due == datetime(2026, 11, 9, 7, 0, tzinfo=UTC)
    assert working_hours_between(start, due, WITA) == 8


def test_it_starts_the_clock_at_opening_for_messages_at_night() -> None:
    # Sunday 22:00 WITA: the clock starts Monday 08:00; 2 hours later is 10:00 WITA.
    start = datetime(2026, 11, 8, 14, 0, tzinfo=UTC)
    assert add_working_hours(start, 2, WITA) == datetime(2026, 11, 9, 2, 0, tzinfo=UTC)
