"""What every write of institutions shares: who acts, and the field errors it gathers.

Every function validates everything first and raises a ValidationError with field-level
Indonesian messages; only then does it save, inside one transaction, and audit the change.
"""

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import ValidationError

Actor = AbstractBaseUser | AnonymousUser | None


def _raise_if(errors: dict[str, list[str]]) -> None:
    if any(errors.values()):
        raise ValidationError({k: v for k, v in errors.items() if v})


def _errors() -> dict[str, list[str]]:
    return {}


def _add(errors: dict[str, list[str]], field: str, message: str) -> None:
    errors.setdefault(field, []).append(message)
