"""The home page's to-do list: what needs doing today, gathered from the apps.

institutions owns the home page but sits below the apps whose work it lists (replies,
information requests, held posts, channels, cadence); each app registers its sections
here in its AppConfig.ready, as core.people is answered by institutions, so the imports
keep pointing down. A section runs a fixed number of queries, whatever the number of
agencies or items: everyone opens the home page every morning.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db.models import QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext, ngettext

from warta.institutions.models import Officer
from warta.lib import clock

# Items shown per section; the rest is behind the section's "Lihat semua" link.
LIMIT = 8


@dataclass(frozen=True)
class Todo:
    """One thing to do, linking to the page where it is done."""

    text: str  # what it is (may be public text: the template escapes it)
    url: str
    detail: str = ""  # why it is here: the reason, the finding, the error
    when: str = ""  # the deadline in words: "lewat 2 hari", "sisa 3 hari kerja"
    urgent: bool = False  # overdue or due today
    agency: str = ""


@dataclass(frozen=True)
class Ask:
    """What a section is asked: who is looking, at which agencies, at what moment."""

    user: object
    officer: Officer
    agency_ids: list[int]
    now: datetime
    today: date
    # The agencies' short names when the caller has them already (the home page lists them).
    short_names: dict[int, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Found:
    items: list[Todo]
    total: int  # all of them, of which items are the first LIMIT


def total_of(qs: "QuerySet[Any]", items: list[Todo]) -> int:
    """How many rows `qs` has, given `items`, one per row of its first LIMIT.

    Fewer than LIMIT items are all there is: no COUNT query (most people's sections).
    """
    return len(items) if len(items) < LIMIT else qs.count()


@dataclass(frozen=True)
class Section:
    key: str
    title: str | Promise
    # Position on each role's home (lower first); a role not named does not see it.
    order: dict[str, int]
    find: Callable[[Ask], Found]
    all_url: Callable[[Ask], str] | None = None
    empty_hidden: bool = True


@dataclass
class Shown:
    section: Section
    found: Found
    all_url: str = ""
    more: int = field(init=False)

    def __post_init__(self) -> None:
        self.more = max(self.found.total - len(self.found.items), 0)


_SECTIONS: dict[str, Section] = {}


def register(section: Section) -> None:
    _SECTIONS[section.key] = section


def registered() -> list[Section]:
    return list(_SECTIONS.values())


def todo_for(
    user: object,
    officer: Officer,
    agency_ids: list[int],
    short_names: dict[int, str] | None = None,
) -> list[Shown]:
    """The sections the officer's role sees, in that role's order, each with its items."""
    ask = Ask(
        user=user,
        officer=officer,
        agency_ids=agency_ids,
        now=clock.now(),
        today=clock.localdate(),
        short_names=short_names or {},
    )
    sections = sorted(
        (s for s in _SECTIONS.values() if officer.role in s.order),
        key=lambda s: s.order[officer.role],
    )
    shown = []
    for section in sections:
        found = section.find(ask) if agency_ids else Found([], 0)
        if found.total or not section.empty_hidden:
            shown.append(Shown(section, found, section.all_url(ask) if section.all_url else ""))
    return shown


def days_word(days: int) -> str:
    """A deadline `days` calendar days away, in words ("lewat 2 hari", "hari ini", "sisa 3 hari")."""
    if days < 0:
        return ngettext("lewat %(n)d hari", "lewat %(n)d hari", -days) % {"n": -days}
    if days == 0:
        return gettext("batas hari ini")
    return ngettext("sisa %(n)d hari", "sisa %(n)d hari", days) % {"n": days}
