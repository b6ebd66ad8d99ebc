"""Daftar Informasi Publik: what an agency holds, classed, with its documents (UU 14/2008).

An excepted entry (dikecualikan) must name its legal basis (Pasal 17) and the consequence
test (what harm disclosure would do); its document is never served to the public. Every
other entry's document can be downloaded from the public list.
"""

from pathlib import Path

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from warta.core.services import audit_record, snapshot
from warta.engagement.models import PublicInformation
from warta.engagement.ppid import document_problem
from warta.engagement.services import Actor
from warta.institutions.access import editable_agencies
from warta.institutions.models import Agency, Region


def dip_entry_save(
    *,
    actor: Actor,
    agency: Agency,
    entry: PublicInformation | None = None,
    title: str,
    summary: str,
    category: str,
    legal_basis: str = "",
    consequence: str = "",
    format: str = "",
    retention: str = "",
    responsible: User | None = None,
    document: UploadedFile | None = None,
) -> PublicInformation:
    if actor is None or not editable_agencies(actor).filter(pk=agency.pk).exists():
        raise ValidationError(_("Anda tidak berwenang mengelola DIP perangkat daerah ini."))
    errors: dict[str, str] = {}
    if not title.strip():
        errors["title"] = _("Judul informasi wajib diisi.")
    if category not in PublicInformation.Category.values:
        errors["category"] = _("Pilih klasifikasi informasi.")
    if category == PublicInformation.Category.EXCEPTED:
        if not legal_basis.strip():
            errors["legal_basis"] = _(
                "Informasi yang dikecualikan wajib menyebut dasar hukumnya (UU 14/2008 Pasal 17)."
            )
        if len(consequence.strip()) < 20:
            errors["consequence"] = _(
                "Tuliskan uji konsekuensi: akibat apa yang timbul bila informasi ini dibuka."
            )
    if document is not None and (problem := document_problem(document)):
        errors["document"] = problem
    if responsible is not None and not editable_agencies(responsible).filter(pk=agency.pk).exists():
        errors["responsible"] = _("Penanggung jawab harus petugas perangkat daerah ini.")
    if errors:
        raise ValidationError(errors)
    before = snapshot(entry) if entry else None
    entry = entry or PublicInformation(agency=agency)
    entry.title = title.strip()[:300]
    entry.summary = summary.strip()
    entry.category = category
    excepted = category == PublicInformation.Category.EXCEPTED
    entry.legal_basis = legal_basis.strip()[:300] if excepted else ""
    entry.consequence = consequence.strip() if excepted else ""
    entry.format = format.strip()[:100]
    entry.retention = retention.strip()[:100]
    entry.responsible = responsible or (actor if isinstance(actor, User) else None)
    if document is not None:
        entry.document_name = Path(document.name or "dokumen").name[:300]
        entry.document.save(entry.document_name, document, save=False)
    entry.save()
    audit_record(
        actor=actor,
        action="dip.save",
        obj=entry,
        agency_id=agency.pk,
        before=before,
        after=snapshot(entry),
    )
    return entry


def public_list(
    region: Region, *, query: str = "", category: str = "", agency_id: int | None = None
) -> QuerySet[PublicInformation]:
    entries = PublicInformation.objects.filter(agency__region=region).select_related(
        "agency", "responsible"
    )
    if category in PublicInformation.Category.values:
        entries = entries.filter(category=category)
    if agency_id:
        entries = entries.filter(agency_id=agency_id)
    for word in query.split()[:5]:
        entries = entries.filter(Q(title__icontains=word) | Q(summary__icontains=word))
    return entries.order_by("agency__name", "category", "title")
