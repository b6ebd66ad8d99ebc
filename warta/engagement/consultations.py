"""Consultations: asking the public, collecting and grouping the input, answering back."""

from collections.abc import Sequence
from datetime import date, datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from warta.content.models import Post, PostVariant
from warta.content.services import post_create
from warta.core.services import audit_record, snapshot
from warta.engagement.annotation import group_themes, text_key
from warta.engagement.models import (
    ActionUpdate,
    Consultation,
    ConsultationInput,
    ConsultationTheme,
    FollowUpAction,
    InboxItem,
    PublicFormHit,
)
from warta.engagement.services import Actor
from warta.institutions.access import AnyUser, editable_agencies
from warta.institutions.models import Agency
from warta.lib import clock

MAX_INPUT_CHARS = 2000


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


# --- Input -------------------------------------------------------------------------------


def _add_input(
    *,
    consultation: Consultation,
    text: str,
    source: str,
    received_at: datetime,
    inbox_item: InboxItem | None = None,
) -> bool:
    """Store one piece of input; a repeat of earlier input is linked to it. True if new."""
    key = text_key(text)
    with transaction.atomic():
        first = (
            ConsultationInput.objects.filter(
                consultation=consultation, text_key=key, duplicate_of__isnull=True
            )
            .order_by("id")
            .first()
        )
        ConsultationInput.objects.create(
            consultation=consultation,
            source=source,
            text=text,
            text_key=key,
            inbox_item=inbox_item,
            received_at=received_at,
            duplicate_of=first,
            theme=first.theme if first else None,
        )
        if first is not None:
            ConsultationInput.objects.filter(pk=first.pk).update(duplicates=F("duplicates") + 1)
    return first is None


def consultation_collect_comments(*, consultation: Consultation) -> int:
    """Take comments on the announcing posts (received while open) as input, once each."""
    items = (
        InboxItem.objects.filter(
            variant__in=consultation.announcing_variants.all(),
            received_at__gte=consultation.opens_at,
            received_at__lt=consultation.closes_at,
            is_spam=False,
        )
        .exclude(
            pk__in=ConsultationInput.objects.filter(
                consultation=consultation, inbox_item__isnull=False
            ).values("inbox_item_id")
        )
        .order_by("received_at", "id")
    )
    count = 0
    for item in items.iterator(chunk_size=500):
        if not item.text.strip():
            continue
        try:
            _add_input(
                consultation=consultation,
                text=item.text,
                source="comment",
                received_at=item.received_at,
                inbox_item=item,
            )
        except IntegrityError:
            continue  # collected by a concurrent run
        count += 1
    return count


def public_form_allowed(*, ip_address: str | None, now: datetime | None = None) -> bool:
    """Per-address rate limit kept in the database, so every process sees the same count."""
    now = now or clock.now()
    window = timedelta(seconds=getattr(settings, "WARTA_PUBLIC_FORM_WINDOW_SECONDS", 600))
    limit = getattr(settings, "WARTA_PUBLIC_FORM_MAX_PER_WINDOW", 5)
    recent = PublicFormHit.objects.filter(ip_address=ip_address, at__gte=now - window).count()
    return recent < limit


def consultation_submit_public(
    *, consultation: Consultation, text: str, ip_address: str | None
) -> bool:
    """Take input from the public form; the text is stored exactly as given. True if new."""
    now = clock.now()
    if not consultation.has_public_form or not consultation.is_open_at(now):
        raise ValidationError(_("Konsultasi ini tidak sedang menerima masukan."))
    if not public_form_allowed(ip_address=ip_address, now=now):
        raise ValidationError(
            _(
                "Terlalu banyak kiriman dari alamat Anda. Masukan sebelumnya sudah tersimpan; "
                "silakan coba lagi nanti."
            ),
            code="throttled",
        )
    PublicFormHit.objects.create(ip_address=ip_address)
    PublicFormHit.objects.filter(at__lt=now - timedelta(days=1)).delete()
    if not text.strip():
        raise ValidationError({"text": _("Masukan tidak boleh kosong.")})
    if len(text) > MAX_INPUT_CHARS:
        raise ValidationError(
            {
                "text": _("Masukan terlalu panjang (maksimal %(n)d karakter).")
                % {"n": MAX_INPUT_CHARS}
            }
        )
    return _add_input(consultation=consultation, text=text, source="form", received_at=now)


# --- Themes ------------------------------------------------------------------------------


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
            theme = ConsultationTheme.objects.create(
                consultation=consultation,
                label=group.label or _("Tema"),
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


def follow_up_message(consultation: Consultation) -> str:
    """The "you said, we did" text for a post, from the answered themes."""
    lines = [
        _('Terima kasih atas masukan Anda untuk "%(t)s".') % {"t": consultation.title},
        _("Kamu bilang, kami lakukan:"),
    ]
    for theme in consultation.themes.exclude(answer="").prefetch_related("actions"):
        line = f"• {theme.label}: {theme.get_answer_display()}"
        actions = list(theme.actions.all())
        if actions:
            line += " — " + "; ".join(f"{a.title} ({a.progress}%)" for a in actions)
        elif theme.answer_reason:
            line += f" — {theme.answer_reason}"
        lines.append(line)
    return "\n".join(lines)


def consultation_follow_up_post(*, consultation: Consultation, actor: AnyUser) -> Post:
    """A draft post for the calendar telling the public what came of their input."""
    _check_agency(consultation.agency_id, actor)
    if not consultation.themes.exclude(answer="").exists():
        raise ValidationError(
            _("Jawab sedikitnya satu tema sebelum membuat unggahan tindak lanjut.")
        )
    message = follow_up_message(consultation)
    channel_ids = sorted(set(consultation.announcing_variants.values_list("channel_id", flat=True)))
    title = _("Tindak lanjut: %(t)s") % {"t": consultation.title[:150]}
    with transaction.atomic():
        post = post_create(
            actor=actor,
            agency=consultation.agency,
            message=message,
            title=title,
            channel_ids=channel_ids,
        )
        consultation.follow_up_post = post
        consultation.save(update_fields=["follow_up_post", "updated_at"])
    audit_record(
        actor=actor, action="consultation.follow_up_post", obj=consultation, after={"post": post.pk}
    )
    return post
