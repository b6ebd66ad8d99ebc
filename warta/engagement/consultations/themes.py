"""Input grouped into themes, and the agency's answers and follow-up actions."""

from collections.abc import Sequence
from datetime import date

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from warta.core.services import audit_record, snapshot
from warta.engagement.annotation import group_themes
from warta.engagement.consultations.lifecycle import _check_agency
from warta.engagement.models import (
    ActionUpdate,
    Consultation,
    ConsultationInput,
    ConsultationTheme,
    FollowUpAction,
)
from warta.engagement.services import Actor
from warta.engagement.theme_labels import theme_label
from warta.lib import clock


def consultation_group(*, consultation: Consultation, actor: Actor, max_themes: int = 12) -> int:
    """Group the input not yet in a theme into new themes; returns how many themes."""
    _check_agency(consultation.agency_id, actor)
    inputs = list(
        consultation.inputs.filter(theme__isnull=True, duplicate_of__isnull=True).order_by("id")
    )
    if not inputs:
        return 0
    groups = group_themes([i.text for i in inputs], max_themes=max_themes)
    with transaction.atomic():
        for group in groups:
            if not group.member_indexes:
                continue
            order = list(dict.fromkeys(group.representative_indexes + group.member_indexes))
            theme = ConsultationTheme.objects.create(
                consultation=consultation,
                label=theme_label(
                    group.keywords or group.label.split(", "),
                    [inputs[i].text for i in order[:50]],
                    [inputs[i].findings or [] for i in order[:50]],
                )[:200],
                keywords=group.keywords,
            )
            members = [inputs[i] for i in group.member_indexes]
            member_ids = [m.pk for m in members]
            ConsultationInput.objects.filter(pk__in=member_ids).update(theme=theme)
            ConsultationInput.objects.filter(duplicate_of__in=member_ids).update(theme=theme)
            reps = [inputs[i].pk for i in group.representative_indexes]
            ConsultationInput.objects.filter(pk__in=reps).update(is_representative=True)
    audit_record(
        actor=actor, action="consultation.group", obj=consultation, note=f"{len(groups)} tema"
    )
    return len(groups)


def theme_rename(*, theme: ConsultationTheme, label: str, actor: Actor) -> ConsultationTheme:
    _check_agency(theme.consultation.agency_id, actor)
    if not label.strip():
        raise ValidationError({"label": _("Nama tema wajib diisi.")})
    before = snapshot(theme, fields=["label"])
    theme.label = label.strip()[:200]
    theme.save(update_fields=["label"])
    audit_record(
        actor=actor,
        action="consultation.theme_rename",
        obj=theme,
        agency_id=theme.consultation.agency_id,
        before=before,
        after={"label": theme.label},
    )
    return theme


def theme_merge(
    *, source: ConsultationTheme, target: ConsultationTheme, actor: Actor
) -> ConsultationTheme:
    """Move all of source's input (and actions) into target, then remove source."""
    _check_agency(target.consultation.agency_id, actor)
    if source.pk == target.pk or source.consultation_id != target.consultation_id:
        raise ValidationError(_("Pilih tema lain dari konsultasi yang sama untuk digabung."))
    with transaction.atomic():
        source.inputs.update(theme=target)
        source.actions.update(theme=target)
        label = source.label
        source.delete()
    audit_record(
        actor=actor,
        action="consultation.theme_merge",
        obj=target,
        agency_id=target.consultation.agency_id,
        note=f"{label} → {target.label}",
    )
    return target


def theme_split(
    *, theme: ConsultationTheme, input_ids: Sequence[int], label: str, actor: Actor
) -> ConsultationTheme:
    """Move the chosen input of a theme into a new theme."""
    _check_agency(theme.consultation.agency_id, actor)
    originals = theme.inputs.filter(duplicate_of__isnull=True)
    chosen = originals.filter(pk__in=list(input_ids))
    if not label.strip():
        raise ValidationError({"label": _("Nama tema baru wajib diisi.")})
    if not chosen.exists():
        raise ValidationError(_("Pilih masukan yang dipindah ke tema baru."))
    if chosen.count() == originals.count():
        raise ValidationError(
            _("Sisakan sedikitnya satu masukan di tema asal, atau ganti namanya.")
        )
    with transaction.atomic():
        new = ConsultationTheme.objects.create(
            consultation=theme.consultation, label=label.strip()[:200]
        )
        chosen_ids = list(chosen.values_list("pk", flat=True))
        ConsultationInput.objects.filter(pk__in=chosen_ids).update(theme=new)
        ConsultationInput.objects.filter(duplicate_of__in=chosen_ids).update(theme=new)
    audit_record(
        actor=actor,
        action="consultation.theme_split",
        obj=new,
        agency_id=theme.consultation.agency_id,
        note=f"{theme.label} → {new.label}",
    )
    return new


def input_set_quote(*, item: ConsultationInput, quote: bool, actor: Actor) -> ConsultationInput:
    """Choose which input the public page quotes (officers keep out what should not be shown)."""
    _check_agency(item.consultation.agency_id, actor)
    if quote and (item.theme_id is None or item.duplicate_of_id is not None):
        raise ValidationError(_("Hanya masukan yang sudah bertema dapat dijadikan kutipan."))
    item.is_representative = quote
    item.save(update_fields=["is_representative"])
    audit_record(
        actor=actor,
        action="consultation.quote",
        obj=item,
        agency_id=item.consultation.agency_id,
        after={"quote": quote},
    )
    return item


def theme_answer(
    *, theme: ConsultationTheme, answer: str, reason: str, actor: Actor
) -> ConsultationTheme:
    _check_agency(theme.consultation.agency_id, actor)
    if answer not in ConsultationTheme.Answer.values:
        raise ValidationError({"answer": _("Pilih jawaban untuk tema ini.")})
    if answer == ConsultationTheme.Answer.NOT_TAKEN and not reason.strip():
        raise ValidationError(
            {"answer_reason": _("Jelaskan mengapa masukan ini tidak ditindaklanjuti.")}
        )
    before = snapshot(theme, fields=["answer", "answer_reason"])
    theme.answer = answer
    theme.answer_reason = reason.strip()
    theme.answered_at = clock.now()
    theme.save(update_fields=["answer", "answer_reason", "answered_at"])
    audit_record(
        actor=actor,
        action="consultation.theme_answer",
        obj=theme,
        agency_id=theme.consultation.agency_id,
        before=before,
        after=snapshot(theme, fields=["answer", "answer_reason"]),
    )
    return theme


def action_create(
    *, theme: ConsultationTheme, title: str, due_date: date | None, actor: Actor
) -> FollowUpAction:
    _check_agency(theme.consultation.agency_id, actor)
    if not title.strip():
        raise ValidationError({"title": _("Tindak lanjut wajib diisi.")})
    action = FollowUpAction.objects.create(
        theme=theme, title=title.strip()[:200], due_date=due_date
    )
    audit_record(
        actor=actor,
        action="consultation.action_create",
        obj=action,
        agency_id=theme.consultation.agency_id,
    )
    return action


def action_add_update(
    *, action: FollowUpAction, day: date | None, progress: int | None, note: str, actor: Actor
) -> ActionUpdate:
    _check_agency(action.theme.consultation.agency_id, actor)
    errors: dict[str, str] = {}
    if day is None:
        errors["date"] = _("Tanggal wajib diisi.")
    elif day > clock.localdate():
        errors["date"] = _("Tanggal tidak boleh di masa depan.")
    if progress is None or not 0 <= progress <= 100:
        errors["progress"] = _("Kemajuan antara 0 dan 100 persen.")
    if not note.strip():
        errors["note"] = _("Tuliskan apa yang sudah dikerjakan.")
    if errors:
        raise ValidationError(errors)
    assert day is not None and progress is not None
    with transaction.atomic():
        update = ActionUpdate.objects.create(
            action=action,
            date=day,
            progress=progress,
            note=note.strip(),
            created_by=actor if isinstance(actor, User) else None,
        )
        latest = action.updates.order_by("-date", "-id").first()
        action.progress = latest.progress if latest else progress
        action.save(update_fields=["progress"])
    audit_record(
        actor=actor,
        action="consultation.action_update",
        obj=action,
        agency_id=action.theme.consultation.agency_id,
        after={"progress": progress, "note": note.strip()},
    )
    return update
