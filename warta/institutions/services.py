"""Writes for regions, agencies, officers and leadership terms.

Every function validates everything first and raises a ValidationError with field-level
Indonesian messages; only then does it save, inside one transaction, and audit the change.
"""

import hashlib
import io
import logging
import smtplib
import zoneinfo
from collections.abc import Iterable
from datetime import date
from functools import cache
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, User
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.template.loader import render_to_string
from django.utils.text import slugify
from django.utils.translation import gettext as _

from warta.core.services import audit_record, snapshot, unique_conflicts_as_validation
from warta.institutions.models import Agency, LeadershipTerm, Officer, Region

logger = logging.getLogger(__name__)

Actor = AbstractBaseUser | AnonymousUser | None

_USERNAME_FIELD = User._meta.get_field("username")


@cache
def _zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def _raise_if(errors: dict[str, list[str]]) -> None:
    if any(errors.values()):
        raise ValidationError({k: v for k, v in errors.items() if v})


def _errors() -> dict[str, list[str]]:
    return {}


def _add(errors: dict[str, list[str]], field: str, message: str) -> None:
    errors.setdefault(field, []).append(message)


# --- region -------------------------------------------------------------------------


def _validate_region(*, name: str, kind: str, timezone: str, slug: str) -> dict[str, list[str]]:
    errors = _errors()
    if not name.strip():
        _add(errors, "name", _("Nama pemerintah daerah wajib diisi."))
    if kind not in Region.Kind.values:
        _add(errors, "kind", _("Jenis harus salah satu dari: kota, kabupaten, provinsi."))
    if timezone not in _zones():
        _add(errors, "timezone", _("Zona waktu tidak dikenal, misalnya Asia/Makassar."))
    if not slug:
        _add(errors, "name", _("Nama ini tidak menghasilkan pengenal (slug) yang sah."))
    elif Region.objects.filter(slug=slug).exists():
        _add(errors, "name", _("Pemerintah daerah dengan nama ini sudah ada."))
    return errors


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


def region_setup(
    *,
    name: str,
    kind: str,
    timezone: str,
    coordinator_username: str,
    coordinator_email: str,
    coordinator_password: str,
    coordinator_name: str = "",
    kemendagri_code: str = "",
) -> tuple[Region, User]:
    """Create a region and its first coordinator (first run)."""
    name = name.strip()
    slug = slugify(name)[:80]
    kemendagri_code = kemendagri_code.strip()
    errors = _validate_region(name=name, kind=kind, timezone=timezone, slug=slug)
    try:
        Region._meta.get_field("kemendagri_code").clean(kemendagri_code, None)
    except ValidationError as exc:
        for message in exc.messages:
            _add(errors, "kemendagri_code", message)
    _validate_new_user(
        username=coordinator_username.strip(),
        email=coordinator_email.strip(),
        password=coordinator_password,
        errors=errors,
        prefix="coordinator_",
    )
    if not coordinator_email.strip():
        _add(errors, "coordinator_email", _("Surel koordinator wajib diisi."))
    _raise_if(errors)
    with unique_conflicts_as_validation(), transaction.atomic():
        region = Region.objects.create(
            name=name, slug=slug, kind=kind, timezone=timezone, kemendagri_code=kemendagri_code
        )
        first, _sep, last = coordinator_name.strip().partition(" ")
        user = User.objects.create_user(
            username=coordinator_username.strip(),
            email=coordinator_email.strip(),
            password=coordinator_password,
            first_name=first[:150],
            last_name=last[:150],
        )
        officer = Officer.objects.create(user=user, region=region, role=Officer.Role.COORDINATOR)
        audit_record(
            actor=None, action="region.create", obj=region, after=snapshot(region), note="first run"
        )
        audit_record(
            actor=None,
            action="officer.create",
            obj=officer,
            region_id=region.pk,
            after=officer_snapshot(officer),
        )
    return region, user


# The emblem on the report's letterhead: a raster image the PDF renderer and the mail
# client both show; re-encoded as PNG so nothing but pixels is ever stored.
LOGO_MAX_BYTES = 2 * 1024 * 1024
LOGO_MAX_SIDE = 4000
LOGO_STORED_SIDE = 600
LOGO_FORMATS = {"PNG", "JPEG"}


def _logo_png(data: bytes) -> bytes:
    """The upload as a PNG of at most LOGO_STORED_SIDE pixels; ValidationError if unusable."""
    from PIL import Image, UnidentifiedImageError

    bad = ValidationError({"logo": [_("Lambang harus berupa gambar PNG atau JPEG yang utuh.")]})
    if len(data) > LOGO_MAX_BYTES:
        raise ValidationError(
            {"logo": [_("Berkas lambang terlalu besar; batasnya %(mb)s MB.") % {"mb": 2}]}
        )
    try:
        with Image.open(io.BytesIO(data)) as probe:
            if probe.format not in LOGO_FORMATS:
                raise bad
            if max(probe.size) > LOGO_MAX_SIDE:
                raise ValidationError(
                    {
                        "logo": [
                            _("Gambar lambang terlalu besar; paling besar %(px)s piksel per sisi.")
                            % {"px": LOGO_MAX_SIDE}
                        ]
                    }
                )
            probe.verify()
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            pixels = image.convert("RGBA")
            pixels.thumbnail((LOGO_STORED_SIDE, LOGO_STORED_SIDE))
            out = io.BytesIO()
            pixels.save(out, format="PNG", optimize=True)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise bad from None
    return out.getvalue()


def region_letterhead_update(
    *,
    actor: Actor,
    region: Region,
    office: str,
    logo: bytes | None = None,
    remove_logo: bool = False,
) -> Region:
    """Set the report letterhead: the issuing office and, optionally, a new emblem."""
    office = office.strip()
    errors = _errors()
    if len(office) > 200:
        _add(errors, "letterhead_office", _("Nama instansi paling panjang 200 karakter."))
    _raise_if(errors)
    png = _logo_png(logo) if logo else None
    before = snapshot(region, fields=["letterhead_office", "logo"])
    with transaction.atomic():
        region.letterhead_office = office
        old = region.logo.name if region.logo else ""
        if png is not None:
            digest = hashlib.sha256(png).hexdigest()[:12]
            region.logo.save(f"{region.slug}-{digest}.png", ContentFile(png), save=False)
        elif remove_logo:
            region.logo = None  # type: ignore[assignment]
        region.save(update_fields=["letterhead_office", "logo"])
        after = snapshot(region, fields=["letterhead_office", "logo"])
        if after != before:
            audit_record(
                actor=actor,
                action="region.letterhead_update",
                obj=region,
                before=before,
                after=after,
            )
    if old and old != (region.logo.name if region.logo else ""):
        transaction.on_commit(lambda: region.logo.storage.delete(old))
    return region


# --- agencies -----------------------------------------------------------------------


def _validate_agency(
    *, region: Region, name: str, short_name: str, kind: str, exclude_pk: int | None
) -> dict[str, list[str]]:
    errors = _errors()
    if not name:
        _add(errors, "name", _("Nama perangkat daerah wajib diisi."))
    elif len(name) > 200:
        _add(errors, "name", _("Nama paling panjang 200 karakter."))
    if not short_name:
        _add(errors, "short_name", _("Singkatan wajib diisi."))
    elif len(short_name) > 40:
        _add(errors, "short_name", _("Singkatan paling panjang 40 karakter."))
    elif any(ch in "/\\" or ord(ch) < 32 for ch in short_name) or ".." in short_name:
        # It names files (exports, reports) and folders: no path pieces.
        _add(
            errors,
            "short_name",
            _("Singkatan tidak boleh memuat garis miring (/ atau \\), '..' atau karakter kendali."),
        )
    if kind not in Agency.Kind.values:
        _add(errors, "kind", _("Jenis perangkat daerah tidak dikenal."))
    others = Agency.objects.filter(region=region).exclude(pk=exclude_pk or 0)
    if name and others.filter(name__iexact=name).exists():
        _add(errors, "name", _("Sudah ada perangkat daerah dengan nama ini."))
    if short_name and others.filter(short_name__iexact=short_name).exists():
        _add(errors, "short_name", _("Sudah ada perangkat daerah dengan singkatan ini."))
    return errors


def agency_create(
    *, actor: Actor, region: Region, name: str, short_name: str, kind: str = Agency.Kind.DINAS
) -> Agency:
    name, short_name = name.strip(), short_name.strip()
    _raise_if(
        _validate_agency(
            region=region, name=name, short_name=short_name, kind=kind, exclude_pk=None
        )
    )
    with unique_conflicts_as_validation(), transaction.atomic():
        agency = Agency.objects.create(region=region, name=name, short_name=short_name, kind=kind)
        audit_record(actor=actor, action="agency.create", obj=agency, after=snapshot(agency))
    return agency


def agency_update(
    *,
    actor: Actor,
    agency: Agency,
    name: str,
    short_name: str,
    kind: str,
    is_active: bool | None = None,
) -> Agency:
    name, short_name = name.strip(), short_name.strip()
    _raise_if(
        _validate_agency(
            region=agency.region, name=name, short_name=short_name, kind=kind, exclude_pk=agency.pk
        )
    )
    before = snapshot(agency)
    agency.name, agency.short_name, agency.kind = name, short_name, kind
    if is_active is not None:
        agency.is_active = is_active
    if snapshot(agency) == before:
        return agency
    with unique_conflicts_as_validation(), transaction.atomic():
        agency.save(update_fields=["name", "short_name", "kind", "is_active"])
        audit_record(
            actor=actor, action="agency.update", obj=agency, before=before, after=snapshot(agency)
        )
    return agency


def agency_set_active(*, actor: Actor, agency: Agency, active: bool) -> Agency:
    """Deactivate (or reactivate) an agency; its history stays, it just leaves the menus."""
    if agency.is_active == active:
        return agency
    before = snapshot(agency)
    with unique_conflicts_as_validation(), transaction.atomic():
        Agency.objects.filter(pk=agency.pk).update(is_active=active)
        agency.is_active = active
        audit_record(
            actor=actor,
            action="agency.activate" if active else "agency.deactivate",
            obj=agency,
            before=before,
            after=snapshot(agency),
        )
    return agency


# --- officers -----------------------------------------------------------------------


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


# --- leadership terms ---------------------------------------------------------------


def _overlaps(agency: Agency, start: date, end: date | None, exclude_pk: int | None) -> bool:
    for term in agency.leadership_terms.exclude(pk=exclude_pk or 0):
        term_end = term.end or date.max
        new_end = end or date.max
        if start <= term_end and term.start <= new_end:
            return True
    return False


def term_add(
    *,
    actor: Actor,
    agency: Agency,
    head_name: str,
    title: str,
    start: date | None,
    end: date | None = None,
) -> LeadershipTerm:
    head_name, title = head_name.strip(), title.strip()
    errors = _errors()
    if not head_name:
        _add(errors, "head_name", _("Nama pimpinan wajib diisi."))
    if start is None:
        _add(errors, "start", _("Tanggal mulai wajib diisi."))
    elif end is not None and end < start:
        _add(errors, "end", _("Tanggal selesai tidak boleh sebelum tanggal mulai."))
    elif _overlaps(agency, start, end, None):
        _add(
            errors,
            "start",
            _(
                "Masa jabatan ini bertumpang tindih dengan masa jabatan lain. "
                "Tutup dulu masa jabatan yang masih berjalan."
            ),
        )
    _raise_if(errors)
    assert start is not None
    with unique_conflicts_as_validation(), transaction.atomic():
        term = LeadershipTerm.objects.create(
            agency=agency, head_name=head_name[:200], title=title[:200], start=start, end=end
        )
        audit_record(actor=actor, action="leadership_term.create", obj=term, after=snapshot(term))
    return term


def term_close(*, actor: Actor, term: LeadershipTerm, end: date | None) -> LeadershipTerm:
    errors = _errors()
    if end is None:
        _add(errors, "end", _("Tanggal selesai wajib diisi."))
    elif end < term.start:
        _add(errors, "end", _("Tanggal selesai tidak boleh sebelum tanggal mulai."))
    elif _overlaps(term.agency, term.start, end, term.pk):
        _add(errors, "end", _("Masa jabatan ini bertumpang tindih dengan masa jabatan lain."))
    _raise_if(errors)
    before = snapshot(term)
    with unique_conflicts_as_validation(), transaction.atomic():
        term.end = end
        term.save(update_fields=["end"])
        audit_record(
            actor=actor,
            action="leadership_term.close",
            obj=term,
            before=before,
            after=snapshot(term),
        )
    return term
