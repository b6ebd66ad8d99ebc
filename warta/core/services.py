"""Writes that belong to no one domain: the audit log."""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models
from django.forms.models import model_to_dict
from django.utils.translation import gettext as _

from warta.core import people
from warta.core.models import AuditEvent

# Never copied into the audit log, whatever model they are on.
_SECRET_FIELDS = {"password", "credentials_encrypted", "key", "token"}


def snapshot(instance: models.Model, *, fields: list[str] | None = None) -> dict[str, Any]:
    """A JSON-safe dict of a model's own fields, without secrets, for before/after records."""
    data = model_to_dict(instance, fields=fields)
    out: dict[str, Any] = {}
    for name, value in data.items():
        if name in _SECRET_FIELDS:
            continue
        if isinstance(value, list):
            value = [getattr(v, "pk", v) for v in value]
        elif isinstance(value, models.Model):
            value = value.pk
        elif value is not None and not isinstance(value, (str, int, float, bool)):
            value = str(value)
        out[name] = value
    return out


def audit_record(
    *,
    actor: AbstractBaseUser | AnonymousUser | None,
    action: str,
    obj: models.Model | None = None,
    region_id: int | None = None,
    agency_id: int | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    note: str = "",
    object_type: str = "",
) -> AuditEvent:
    """Record one change; region and agency are taken from the object when it has them."""
    event = audit_event(
        actor=actor,
        action=action,
        obj=obj,
        region_id=region_id,
        agency_id=agency_id,
        before=before,
        after=after,
        note=note,
        object_type=object_type,
    )
    event.save(force_insert=True)
    return event


def audit_event(
    *,
    actor: AbstractBaseUser | AnonymousUser | None,
    action: str,
    obj: models.Model | None = None,
    region_id: int | None = None,
    agency_id: int | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    note: str = "",
    object_type: str = "",
) -> AuditEvent:
    """The record of one change, unsaved: for writers that store many in one
    `AuditEvent.objects.bulk_create` (the publisher in a burst)."""
    if obj is not None:
        agency_id = agency_id or getattr(obj, "agency_id", None)
        if agency_id is None and obj._meta.label_lower == "institutions.agency":
            agency_id = obj.pk  # an agency's own changes belong to its trail too
        region_id = region_id or getattr(obj, "region_id", None)
        if region_id is None and agency_id is not None:
            region_id = people.agency_region_id(agency_id)
    return AuditEvent(
        actor=actor if actor is not None and actor.is_authenticated else None,  # type: ignore[misc]
        action=action,
        object_type=object_type or (obj._meta.label_lower if obj is not None else ""),
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:300] if obj is not None else "",
        region_id=region_id,
        agency_id=agency_id,
        before=before,
        after=after,
        note=note,
    )


@contextmanager
def unique_conflicts_as_validation() -> Iterator[None]:
    """A race lost against a unique constraint gets a clear message, never a 500.

    Services validate uniqueness first; this covers two people saving the same name at
    the same moment. Put it outside the transaction so that it has rolled back.
    """
    try:
        yield
    except IntegrityError as exc:
        raise ValidationError(
            _("Data ini bentrok dengan perubahan lain yang baru saja disimpan; coba lagi.")
        ) from exc
