"""Figures as people read them: Indonesian separators, durations in days and hours.

Follows the active language (Indonesian first: 166.015; 15,9; 6,4 %), so an English
page reads 166,015 and 15.9. Used by the analytics pages, the report, its PDF and e-mail.
"""

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


def number(value: float | int | None, decimals: int = 0) -> str:
    """166015 -> '166.015'; 15.94 with decimals=1 -> '15,9'; a whole 14.0 -> '14'."""
    if value is None:
        return "–"  # noqa: RUF001  (typographic dash on purpose)
    rounded = round(float(value), decimals)
    if rounded.is_integer():
        return number_format(int(rounded), 0, force_grouping=True)
    return number_format(rounded, decimals, force_grouping=True)


def percent(value: float | None, decimals: int = 0) -> str:
    """6.42 -> '6 %' (or '6,4 %' with decimals=1)."""
    if value is None:
        return "–"  # noqa: RUF001  (typographic dash on purpose)
    return f"{number(value, decimals)} %"


def duration(minutes: float | None) -> str:
    """2809 -> '1 hari 23 jam'; 95 -> '1 jam 35 menit'; 12 -> '12 menit'.

    Beyond a day, minutes are noise: the hours are rounded instead.
    """
    if minutes is None:
        return "–"  # noqa: RUF001  (typographic dash on purpose)
    if minutes >= 24 * 60:
        days, hours = divmod(round(minutes / 60), 24)
        mins = 0
    else:
        days = 0
        hours, mins = divmod(round(minutes), 60)
    parts: list[str] = []
    if days:
        parts.append(ngettext("%(n)s hari", "%(n)s hari", days) % {"n": number(days)})
    if hours:
        parts.append(ngettext("%(n)s jam", "%(n)s jam", hours) % {"n": hours})
    if mins:
        parts.append(ngettext("%(n)s menit", "%(n)s menit", mins) % {"n": mins})
    return " ".join(parts) or _("kurang dari 1 menit")
