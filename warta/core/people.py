"""What core needs to know about the person behind an account, told by the app that owns people.

core is the ground floor and imports no app above it. The audit log, API tokens and
two-factor still need to know a few things about a person: their region (to file an audit
event), whether they hold a role at all (a token of someone without one signs nobody in),
whether they coordinate (two-factor may be mandatory for them; the audit page is theirs),
whether their role may write (the API's methods), and which agencies' records they may
read. `warta.institutions` answers through `register()` in its AppConfig.ready(); until
something registers, nobody holds a role.
"""

from dataclasses import dataclass
from typing import Any, Protocol

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import QuerySet

AnyUser = AbstractBaseUser | AnonymousUser


@dataclass(frozen=True)
class Standing:
    """A person's place in the organisation."""

    region_id: int
    is_coordinator: bool
    can_write: bool  # officers and coordinators; heads and viewers only read


class Directory(Protocol):
    def standing(self, user: AnyUser) -> Standing | None:
        """The person's place, or None when they hold no role (or are not signed in)."""
        ...

    def readable_agencies(self, user: AnyUser) -> QuerySet[Any]:
        """The agencies whose records the person may read."""
        ...

    def agency_region_id(self, agency_id: int) -> int | None: ...


class _Nobody:
    def standing(self, user: AnyUser) -> Standing | None:
        return None

    def readable_agencies(self, user: AnyUser) -> QuerySet[Any]:
        raise LookupError("no directory of people is registered (warta.core.people.register)")

    def agency_region_id(self, agency_id: int) -> int | None:
        return None


_directory: Directory = _Nobody()


def register(directory: Directory) -> None:
    global _directory
    _directory = directory


def standing(user: AnyUser) -> Standing | None:
    return _directory.standing(user)


def readable_agencies(user: AnyUser) -> QuerySet[Any]:
    return _directory.readable_agencies(user)


def agency_region_id(agency_id: int) -> int | None:
    return _directory.agency_region_id(agency_id)
