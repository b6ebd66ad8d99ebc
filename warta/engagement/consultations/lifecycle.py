"""A consultation opened, changed and closed by its agency's officers."""

from collections.abc import Sequence
from datetime import datetime

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from warta.content.models import PostVariant
from warta.core.services import audit_record, snapshot
from warta.engagement.models import Consultation
from warta.engagement.services import Actor
from warta.institutions.access import editable_agencies
from warta.institutions.models import Agency
from warta.lib import clock


def _check_agency(agency_id: int, actor: Actor) -> None:
    if actor is None or not editable_agencies(actor).filter(pk=agency_id).exists():
        raise ValidationError(_("Anda tidak berwenang mengelola konsultasi perangkat daerah ini."))


def _validate(
    *,
    agency: Agency,
    title: str,
    question: str,
    opens_at: datetime | None,
    closes_at: datetime | None,
    variant_ids: Sequence[int],
) -> list[PostVariant]:
    errors: dict[str, str] = {}
    if not title.strip():
        errors["title"] = _("Judul wajib diisi.")
    if not question.strip():
        errors["question"] = _("Pertanyaan kepada publik wajib diisi.")
    if opens_at is None:
        errors["opens_at"] = _("Tanggal dibuka wajib diisi.")
    if closes_at is None:
        errors["closes_at"] = _("Tanggal ditutup wajib diisi.")
    elif opens_at is not None and closes_at <= opens_at:
        errors["closes_at"] = _("Tanggal ditutup harus sesudah tanggal dibuka.")
    variants = list(PostVariant.objects.filter(pk__in=list(variant_ids), post__agency=agency))
    if len(variants) != len(set(variant_ids)):
        errors["announcing_variants"] = _("Unggahan pengumuman harus milik perangkat daerah ini.")
    if errors:
        raise ValidationError(errors)
    return variants


def consultation_create(
    *,
    agency: Agency,
    actor: Actor,
    title: str,
    question: str,
    background: str = "",
    opens_at: datetime | None,
    closes_at: datetime | None,
    has_public_form: bool = True,
    variant_ids: Sequence[int] = (),
) -> Consultation:
    _check_agency(agency.pk, actor)
    variants = _validate(
        agency=agency,
        title=title,
        question=question,
        opens_at=opens_at,
        closes_at=closes_at,
        variant_ids=variant_ids,
    )
    assert opens_at is not None and closes_at is not None  # _validate refused otherwise
    with transaction.atomic():
        consultation = Consultation.objects.create(
            agency=agency,
            title=title.strip()[:200],
            question=question.strip(),
            background=background.strip(),
            opens_at=opens_at,
            closes_at=closes_at,
            has_public_form=has_public_form,
            created_by=actor if isinstance(actor, User) else None,
        )
        consultation.announcing_variants.set(variants)
    audit_record(
        actor=actor, action="consultation.create", obj=consultation, after=snapshot(consultation)
    )
    return consultation


def consultation_update(
    *,
    consultation: Consultation,
    actor: Actor,
    title: str,
    question: str,
    background: str,
    opens_at: datetime | None,
    closes_at: datetime | None,
    has_public_form: bool,
    variant_ids: Sequence[int],
) -> Consultation:
    _check_agency(consultation.agency_id, actor)
    variants = _validate(
        agency=consultation.agency,
        title=title,
        question=question,
        opens_at=opens_at,
        closes_at=closes_at,
        variant_ids=variant_ids,
    )
    before = snapshot(consultation)
    consultation.title = title.strip()[:200]
    consultation.question = question.strip()
    consultation.background = background.strip()
    assert opens_at is not None and closes_at is not None  # _validate refused otherwise
    consultation.opens_at = opens_at
    consultation.closes_at = closes_at
    consultation.has_public_form = has_public_form
    with transaction.atomic():
        consultation.save()
        consultation.announcing_variants.set(variants)
    audit_record(
        actor=actor,
        action="consultation.update",
        obj=consultation,
        before=before,
        after=snapshot(consultation),
    )
    return consultation


def consultation_close(*, consultation: Consultation, actor: Actor) -> Consultation:
    _check_agency(consultation.agency_id, actor)
    now = clock.now()
    if consultation.closes_at <= now:
        raise ValidationError(_("Konsultasi ini sudah ditutup."))
    if consultation.opens_at >= now:
        raise ValidationError(_("Konsultasi ini belum dibuka."))
    consultation.closes_at = now
    consultation.save(update_fields=["closes_at", "updated_at"])
    audit_record(actor=actor, action="consultation.close", obj=consultation)
    return consultation
