"""Writes of agencies and their leadership terms."""

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from warta.core.services import audit_record, snapshot, unique_conflicts_as_validation
from warta.institutions.models import Agency, LeadershipTerm, Region
from warta.institutions.validation import Actor, _add, _errors, _raise_if


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
