"""Publishing: nothing is public until a person has looked; the follow-up post."""

import hashlib
import json
from typing import TypedDict

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from warta.content.models import Post
from warta.content.services import post_create
from warta.core.services import audit_record
from warta.engagement import screening
from warta.engagement.consultations.inputs import official_contacts, screen_input
from warta.engagement.consultations.lifecycle import _check_agency
from warta.engagement.models import Consultation, ConsultationInput, ConsultationTheme
from warta.engagement.services import Actor
from warta.institutions.access import AnyUser
from warta.institutions.models import Agency
from warta.lib import clock


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
