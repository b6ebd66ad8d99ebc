"""Consultations: asking the public, collecting and grouping the input, answering back."""

import hashlib
import json
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import TypedDict

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils.translation import gettext as _

from warta.content.models import Post, PostVariant
from warta.content.services import post_create
from warta.core.services import audit_record, snapshot
from warta.engagement import screening
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
from warta.engagement.theme_labels import theme_label
from warta.institutions.access import AnyUser, editable_agencies
from warta.institutions.models import Agency
from warta.lib import clock

MAX_INPUT_CHARS = 2000
# Sized for CGNAT: an Indonesian mobile network puts a whole neighbourhood behind one
# address, so the address limit is generous and each browser is limited on its own.
ADDRESS_LIMIT_PER_HOUR = 600
BROWSER_LIMIT_PER_HOUR = 20
# A browser that keeps no cookie is not told apart from its neighbours: a smaller share.
COOKIELESS_LIMIT_PER_HOUR = 60


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


def official_contacts(agency: Agency) -> list[str]:
    """The agency's published contacts (not personal data when a citizen repeats them)."""
    from warta.strategy.selectors import current_strategy

    return list(current_strategy(agency).data.get("official_contacts") or [])


def screen_input(
    consultation: Consultation, text: str, contacts: Sequence[str] | None = None
) -> list[screening.Span]:
    return screening.screen(
        text,
        region_id=consultation.agency.region_id,
        agency_id=consultation.agency_id,
        official_contacts=contacts
        if contacts is not None
        else official_contacts(consultation.agency),
    )


def _add_input(
    *,
    consultation: Consultation,
    text: str,
    source: str,
    received_at: datetime,
    inbox_item: InboxItem | None = None,
    contacts: Sequence[str] | None = None,
) -> bool:
    """Store one piece of input, screened; a repeat of earlier input is linked to it.

    True if new. The screening runs before the transaction: a slow classifier does not
    hold a write lock.
    """
    key = text_key(text)
    findings = screen_input(consultation, text, contacts)
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
            findings=findings,
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
    contacts = official_contacts(consultation.agency)
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
                contacts=contacts,
            )
        except IntegrityError:
            continue  # collected by a concurrent run
        count += 1
    return count


def browser_key(token: str) -> str:
    """What is stored of a browser's random token: its hash (the token stays a secret)."""
    return hashlib.sha256(token.encode()).hexdigest() if token else ""


def public_form_refusal(
    *, ip_address: str | None, browser: str, key: str = "", now: datetime | None = None
) -> tuple[str, str]:
    """(code, message) saying why a submission is refused now; ("", "") if it is not.

    Limits are kept in the database.

    Per browser (its token's hash), per address sized for CGNAT, and a repeat of the same
    text from the same browser. Every process sees the same counts.
    """
    now = now or clock.now()
    hour = now - timedelta(hours=1)
    recent = PublicFormHit.objects.filter(at__gte=hour)
    if browser:
        if key and recent.filter(browser=browser, text_key=key).exists():
            return "duplicate", _(
                "Masukan yang sama sudah Anda kirim dan sudah kami terima. "
                "Tidak perlu mengirim ulang."
            )
        limit = getattr(settings, "WARTA_PUBLIC_FORM_MAX_PER_BROWSER", BROWSER_LIMIT_PER_HOUR)
        if recent.filter(browser=browser).count() >= limit:
            return "throttled", _(
                "Anda sudah mengirim %(n)d masukan dalam satu jam terakhir; semuanya sudah "
                "tersimpan. Yang ini belum: silakan kirim lagi satu jam lagi."
            ) % {"n": limit}
    else:
        limit = getattr(settings, "WARTA_PUBLIC_FORM_MAX_COOKIELESS", COOKIELESS_LIMIT_PER_HOUR)
        if recent.filter(ip_address=ip_address, browser="").count() >= limit:
            return "throttled", _(
                "Peramban Anda tidak menyimpan cookie, sehingga kiriman dari jaringan Anda "
                "kami batasi. Aktifkan cookie untuk situs ini, muat ulang halaman, lalu "
                "kirim lagi."
            )
    limit = getattr(settings, "WARTA_PUBLIC_FORM_MAX_PER_ADDRESS", ADDRESS_LIMIT_PER_HOUR)
    if recent.filter(ip_address=ip_address).count() >= limit:
        return "throttled", _(
            "Saat ini sangat banyak kiriman dari jaringan Anda. Masukan sebelumnya sudah "
            "tersimpan; silakan coba lagi beberapa menit lagi."
        )
    return "", ""


def consultation_submit_public(
    *, consultation: Consultation, text: str, ip_address: str | None, browser: str = ""
) -> bool:
    """Take input from the public form; the text is stored exactly as given. True if new.

    `browser` is `browser_key()` of the browser's token ("" when it sent none).
    """
    now = clock.now()
    if not consultation.has_public_form or not consultation.is_open_at(now):
        raise ValidationError(_("Konsultasi ini tidak sedang menerima masukan."))
    if not text.strip():
        raise ValidationError({"text": _("Masukan tidak boleh kosong.")})
    if len(text) > MAX_INPUT_CHARS:
        raise ValidationError(
            {
                "text": _("Masukan terlalu panjang (maksimal %(n)d karakter).")
                % {"n": MAX_INPUT_CHARS}
            }
        )
    key = text_key(text)
    code, refusal = public_form_refusal(ip_address=ip_address, browser=browser, key=key, now=now)
    if refusal:
        raise ValidationError(refusal, code=code)
    PublicFormHit.objects.create(ip_address=ip_address, browser=browser, text_key=key)
    PublicFormHit.objects.filter(at__lt=now - timedelta(days=1)).delete()
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


# --- Publishing: nothing is public until a person has looked -------------------------


class PublicUpdate(TypedDict):
    date: str
    progress: int
    note: str


class PublicAction(TypedDict):
    title: str
    due_date: str
    progress: int
    updates: list[PublicUpdate]


class PublicTheme(TypedDict):
    """Exactly what the public page shows of a theme (kept as the published snapshot)."""

    label: str
    people: int
    answer: str
    answer_reason: str
    quotes: list[str]
    actions: list[PublicAction]


def _officer_text(consultation: Consultation, text: str) -> str:
    """An officer's text with any personal data masked (officers quote citizens, too)."""
    spans = screening.screen(
        text,
        region_id=consultation.agency.region_id,
        agency_id=consultation.agency_id,
        language=False,
        official_contacts=official_contacts(consultation.agency),
    )
    return screening.masked(text, spans)


def public_quote(item: ConsultationInput) -> str:
    """A citizen's input as the public may see it: screened, every finding masked."""
    spans = item.findings
    if spans is None:  # received before screening existed
        spans = screen_input(item.consultation, item.text)
        ConsultationInput.objects.filter(pk=item.pk).update(findings=spans)
        item.findings = spans
    text = screening.masked(item.text, spans)
    return text if len(text) <= 300 else text[:299] + "…"


def theme_public_view(theme: ConsultationTheme) -> tuple[PublicTheme, list[str]]:
    """What publishing the theme would show the public, and what stops it being published."""
    consultation = theme.consultation
    problems: list[str] = []
    kinds = screening.has_personal_data(
        theme.label, region_id=consultation.agency.region_id, agency_id=consultation.agency_id
    )
    if kinds:
        problems.append(
            _("Nama tema memuat data pribadi (%(kinds)s). Ganti nama tema sebelum menerbitkan.")
            % {"kinds": ", ".join(kinds)}
        )
    quotes = [
        public_quote(item)
        for item in theme.inputs.filter(is_representative=True, duplicate_of__isnull=True)
        .select_related("consultation__agency")
        .order_by("id")
    ]
    actions: list[PublicAction] = [
        {
            "title": _officer_text(consultation, a.title),
            "due_date": a.due_date.isoformat() if a.due_date else "",
            "progress": a.progress,
            "updates": [
                {
                    "date": u.date.isoformat(),
                    "progress": u.progress,
                    "note": _officer_text(consultation, u.note),
                }
                for u in a.updates.order_by("-date", "-id")
            ],
        }
        for a in theme.actions.order_by("id")
    ]
    view: PublicTheme = {
        "label": theme.label,
        "people": theme.inputs.count(),
        "answer": theme.answer,
        "answer_reason": _officer_text(consultation, theme.answer_reason)
        if theme.answer_reason
        else "",
        "quotes": quotes,
        "actions": actions,
    }
    return view, problems


def public_view_digest(view: PublicTheme) -> str:
    """A short fingerprint of a preview, so that what is published is what was seen."""
    data = json.dumps(view, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(data.encode()).hexdigest()[:16]


def theme_publish(*, theme: ConsultationTheme, actor: Actor, digest: str) -> ConsultationTheme:
    """Publish exactly the previewed view of the theme (`digest` from the preview)."""
    _check_agency(theme.consultation.agency_id, actor)
    view, problems = theme_public_view(theme)
    if problems:
        raise ValidationError(problems)
    if digest != public_view_digest(view):
        raise ValidationError(
            _(
                "Tema ini berubah sejak pratinjau dibuka. Periksa pratinjau yang baru, "
                "lalu terbitkan."
            ),
            code="stale",
        )
    theme.published = dict(view)
    theme.published_at = clock.now()
    theme.published_by = actor if isinstance(actor, User) else None
    theme.save(update_fields=["published", "published_at", "published_by"])
    audit_record(
        actor=actor,
        action="consultation.theme_publish",
        obj=theme,
        agency_id=theme.consultation.agency_id,
        after={"label": theme.label, "quotes": len(view["quotes"])},
    )
    return theme


def theme_unpublish(*, theme: ConsultationTheme, actor: Actor) -> ConsultationTheme:
    _check_agency(theme.consultation.agency_id, actor)
    theme.published = None
    theme.published_at = None
    theme.published_by = None
    theme.save(update_fields=["published", "published_at", "published_by"])
    audit_record(
        actor=actor,
        action="consultation.theme_unpublish",
        obj=theme,
        agency_id=theme.consultation.agency_id,
    )
    return theme


def public_url(consultation: Consultation) -> str:
    path = reverse(
        "engagement:public_consultation", args=[consultation.agency.region.slug, consultation.pk]
    )
    return settings.SITE_URL.rstrip("/") + path


def required_hashtags(agency: Agency) -> list[str]:
    from warta.strategy.selectors import current_strategy

    tags = current_strategy(agency).data.get("hashtags") or []
    return [t if t.startswith("#") else f"#{t}" for t in tags if t.strip()]


def follow_up_message(consultation: Consultation) -> str:
    """The "you said, we did" text for a post, from the published themes only."""
    lines = [
        _('Terima kasih atas masukan Anda untuk "%(t)s".') % {"t": consultation.title},
        _("Kamu bilang, kami lakukan:"),
    ]
    answers = dict(ConsultationTheme.Answer.choices)
    for theme in consultation.themes.filter(published__isnull=False).order_by("id"):
        view: PublicTheme = theme.published  # type: ignore[assignment]
        if not view.get("answer"):
            continue
        line = f"• {view['label']}: {answers.get(view['answer'], view['answer'])}"
        if view["actions"]:
            line += " — " + "; ".join(f"{a['title']} ({a['progress']}%)" for a in view["actions"])
        elif view["answer_reason"]:
            line += f" — {view['answer_reason']}"
        lines.append(line)
    lines.append(_("Selengkapnya: %(url)s") % {"url": public_url(consultation)})
    tags = required_hashtags(consultation.agency)
    if tags:
        lines.append(" ".join(tags))
    return "\n".join(lines)


def consultation_follow_up_post(*, consultation: Consultation, actor: AnyUser) -> Post:
    """A draft post for the calendar telling the public what came of their input."""
    _check_agency(consultation.agency_id, actor)
    published = consultation.themes.filter(published__isnull=False)
    if not any(t.published.get("answer") for t in published):  # type: ignore[union-attr]
        raise ValidationError(
            _(
                "Jawab dan terbitkan sedikitnya satu tema sebelum membuat unggahan tindak "
                "lanjut: unggahan hanya memuat apa yang sudah terbit di halaman publik."
            )
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
