"""Writes of officers: accounts with a role and agencies, activation, passwords."""

import logging
import smtplib
from collections.abc import Iterable
from typing import Any

from django.contrib.auth.models import User
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from warta.core.services import audit_record, unique_conflicts_as_validation
from warta.institutions.models import Agency, Officer, Region
from warta.institutions.validation import Actor, _add, _errors, _raise_if

logger = logging.getLogger(__name__)

_USERNAME_FIELD = User._meta.get_field("username")


def _validate_new_user(
    *,
    username: str,
    email: str,
    password: str | None,
    errors: dict[str, list[str]],
    prefix: str = "",
) -> None:
    if not username:
        _add(errors, f"{prefix}username", _("Nama pengguna wajib diisi."))
    else:
        try:
            for validator in _USERNAME_FIELD.validators:
                validator(username)
        except ValidationError:
            _add(
                errors,
                f"{prefix}username",
                _("Nama pengguna hanya boleh berisi huruf, angka dan @/./+/-/_ (maks. 150)."),
            )
        if User.objects.filter(username__iexact=username).exists():
            _add(errors, f"{prefix}username", _("Nama pengguna ini sudah dipakai."))
    if email:
        try:
            validate_email(email)
        except ValidationError:
            _add(errors, f"{prefix}email", _("Alamat surel tidak sah."))
    if password is not None:
        try:
            validate_password(password, User(username=username, email=email))
        except ValidationError as exc:
            for message in exc.messages:
                _add(errors, f"{prefix}password", message)


def officer_snapshot(officer: Officer) -> dict[str, Any]:
    user = officer.user
    return {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "is_active": user.is_active,
        "role": officer.role,
        "agencies": sorted(officer.agencies.values_list("short_name", flat=True)),
        "phone": officer.phone,
    }


def _validate_role_agencies(
    *, region: Region, role: str, agencies: Iterable[Agency], errors: dict[str, list[str]]
) -> list[Agency]:
    agencies = list(agencies)
    if role not in Officer.Role.values:
        _add(errors, "role", _("Peran tidak dikenal."))
    if any(a.region_id != region.pk for a in agencies):
        _add(errors, "agencies", _("Perangkat daerah harus berada di wilayah yang sama."))
    if role != Officer.Role.COORDINATOR and not agencies:
        _add(errors, "agencies", _("Petugas, pimpinan dan pembaca harus punya perangkat daerah."))
    if role == Officer.Role.COORDINATOR:
        agencies = []  # a coordinator sees the whole region; agencies would only mislead
    return agencies


def officer_create(
    *,
    actor: Actor,
    region: Region,
    username: str,
    role: str,
    agencies: Iterable[Agency],
    email: str = "",
    first_name: str = "",
    last_name: str = "",
    phone: str = "",
    password: str | None = None,
) -> Officer:
    """Create a user with a role; without a password the user must set one through a link."""
    username, email = username.strip(), email.strip()
    errors = _errors()
    _validate_new_user(username=username, email=email, password=password, errors=errors)
    agency_list = _validate_role_agencies(
        region=region, role=role, agencies=agencies, errors=errors
    )
    if len(first_name) > 150:
        _add(errors, "first_name", _("Nama depan paling panjang 150 karakter."))
    if len(last_name) > 150:
        _add(errors, "last_name", _("Nama belakang paling panjang 150 karakter."))
    if len(phone) > 32:
        _add(errors, "phone", _("Nomor telepon paling panjang 32 karakter."))
    _raise_if(errors)
    with unique_conflicts_as_validation(), transaction.atomic():
        user = User.objects.create_user(
            username=username,
            email=email,
            password=password,
            first_name=first_name.strip(),
            last_name=last_name.strip(),
        )
        officer = Officer.objects.create(user=user, region=region, role=role, phone=phone.strip())
        officer.agencies.set(agency_list)
        audit_record(
            actor=actor,
            action="officer.create",
            obj=officer,
            region_id=region.pk,
            after=officer_snapshot(officer),
        )
    return officer


def officer_update(
    *,
    actor: Actor,
    officer: Officer,
    email: str,
    role: str,
    agencies: Iterable[Agency],
    first_name: str = "",
    last_name: str = "",
    phone: str = "",
) -> Officer:
    email = email.strip()
    errors = _errors()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            _add(errors, "email", _("Alamat surel tidak sah."))
    agency_list = _validate_role_agencies(
        region=officer.region, role=role, agencies=agencies, errors=errors
    )
    if (
        officer.role == Officer.Role.COORDINATOR
        and role != Officer.Role.COORDINATOR
        and _is_last_active_coordinator(officer)
    ):
        _add(errors, "role", _("Ini koordinator aktif terakhir di wilayah ini."))
    if len(first_name) > 150 or len(last_name) > 150:
        _add(errors, "first_name", _("Nama paling panjang 150 karakter."))
    if len(phone) > 32:
        _add(errors, "phone", _("Nomor telepon paling panjang 32 karakter."))
    _raise_if(errors)
    before = officer_snapshot(officer)
    with unique_conflicts_as_validation(), transaction.atomic():
        user = officer.user
        user.email, user.first_name, user.last_name = email, first_name.strip(), last_name.strip()
        user.save(update_fields=["email", "first_name", "last_name"])
        officer.role, officer.phone = role, phone.strip()
        officer.save(update_fields=["role", "phone"])
        officer.agencies.set(agency_list)
        after = officer_snapshot(officer)
        if after != before:
            audit_record(
                actor=actor,
                action="officer.update",
                obj=officer,
                region_id=officer.region_id,
                before=before,
                after=after,
            )
    return officer


def _is_last_active_coordinator(officer: Officer) -> bool:
    return (
        not Officer.objects.filter(
            region_id=officer.region_id, role=Officer.Role.COORDINATOR, user__is_active=True
        )
        .exclude(pk=officer.pk)
        .exists()
    )


def officer_set_active(*, actor: Actor, officer: Officer, active: bool) -> Officer:
    """Deactivate a person (they can no longer sign in) or let them back in."""
    if (
        not active
        and officer.role == Officer.Role.COORDINATOR
        and _is_last_active_coordinator(officer)
    ):
        raise ValidationError({"role": [_("Koordinator aktif terakhir tidak bisa dinonaktifkan.")]})
    if actor is not None and getattr(actor, "pk", None) == officer.user_id and not active:
        raise ValidationError({"user": [_("Anda tidak bisa menonaktifkan akun sendiri.")]})
    if officer.user.is_active == active:
        return officer
    before = officer_snapshot(officer)
    with unique_conflicts_as_validation(), transaction.atomic():
        User.objects.filter(pk=officer.user_id).update(is_active=active)
        officer.user.is_active = active
        audit_record(
            actor=actor,
            action="officer.activate" if active else "officer.deactivate",
            obj=officer,
            region_id=officer.region_id,
            before=before,
            after=officer_snapshot(officer),
        )
    return officer


def officer_set_password(*, actor: Actor, officer: Officer, password: str) -> None:
    try:
        validate_password(password, officer.user)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from exc
    with unique_conflicts_as_validation(), transaction.atomic():
        officer.user.set_password(password)
        officer.user.save(update_fields=["password"])
        audit_record(
            actor=actor, action="officer.password_set", obj=officer, region_id=officer.region_id
        )


def officer_reset_password(*, actor: Actor, officer: Officer) -> None:
    """Make the old password useless; the person sets a new one through a link."""
    with unique_conflicts_as_validation(), transaction.atomic():
        officer.user.set_unusable_password()
        officer.user.save(update_fields=["password"])
        audit_record(
            actor=actor, action="officer.password_reset", obj=officer, region_id=officer.region_id
        )


def officer_email_password_link(*, officer: Officer, link: str) -> bool:
    """Mail the set-password link when the person has an address; False if not sent."""
    email = officer.user.email
    if not email:
        return False
    body = render_to_string(
        "registration/password_set_email.txt",
        {"officer": officer, "link": link, "region": officer.region},
    )
    try:
        send_mail(_("Tetapkan kata sandi warta Anda"), body, None, [email])
    except (OSError, smtplib.SMTPException):
        logger.warning("could not mail the set-password link to user %s", officer.user_id)
        return False
    return True
