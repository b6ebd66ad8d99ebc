"""Writes of a region: its first-run set-up with the first coordinator, its letterhead."""

import hashlib
import io
import zoneinfo
from functools import cache

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from warta.core.services import audit_record, snapshot, unique_conflicts_as_validation
from warta.institutions.models import Officer, Region
from warta.institutions.officers import _validate_new_user, officer_snapshot
from warta.institutions.validation import Actor, _add, _errors, _raise_if


@cache
def _zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


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
