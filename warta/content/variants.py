"""Writes of variants: edit the text, and the people's side of the publishing state machine.

Submit (the checks), approve or send back, schedule, reschedule, cancel, and mark as
published by hand; the workers' side is in publishing/, the moves in workflow.py.
"""

from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from warta.channels.models import Channel
from warta.connectors.base import PermanentError
from warta.connectors.manual import parse_post_url
from warta.content.checks import findings_for, variant_digest
from warta.content.models import PostVariant
from warta.content.workflow import (
    CANCELLABLE,
    EDITABLE,
    MANUAL_PUBLISHABLE,
    RESCHEDULABLE,
    S,
    VariantText,
    _conflict,
    _require_editor,
    _stale,
    _transition,
    _user,
    _validate_time,
)
from warta.core.services import audit_record
from warta.institutions.access import AnyUser
from warta.lib import clock
from warta.lib.findings import Severity, worst
from warta.lib.links import web_url
from warta.lib.platforms import API_MODES


def variant_update(
    *, actor: AnyUser, variant: PostVariant, text: VariantText, version: int | None = None
) -> PostVariant:
    """Change a variant's text; a checked or scheduled variant returns to draft for new checks.

    `version`: the one the editor started from; a save from an older one is a conflict.
    """
    _require_editor(actor, variant.post.agency_id)
    if variant.status not in EDITABLE:
        raise ValidationError(
            _("Varian yang sudah/sedang terbit atau dibatalkan tidak dapat diubah.")
        )
    with transaction.atomic():
        fields = {
            "caption": text.caption,
            "hashtags": text.hashtags.strip(),
            "first_comment": text.first_comment,
            "title": text.title[:200],
        }
        changed = {k: v for k, v in fields.items() if getattr(variant, k) != v}
        if not changed:  # the same text as stored: nothing to save, nothing to overwrite
            return variant
        started = version if version is not None else variant.version
        updated = PostVariant.objects.filter(
            pk=variant.pk, status__in=EDITABLE, version=started
        ).update(
            version=F("version") + 1,
            status=S.DRAFT,
            updated_at=clock.now(),
            approved_by=None,
            approved_at=None,
            checked_digest="",
            **fields,
        )
        if not updated:
            current = PostVariant.objects.filter(pk=variant.pk).values_list("version", flat=True)
            if current and current[0] != started:
                variant.refresh_from_db()
                raise _conflict(theirs=variant.caption, yours=text.caption)
            raise _stale(variant)
        variant.version = started + 1
        before = {"status": variant.status, **{k: getattr(variant, k) for k in changed}}
        for k, v in fields.items():
            setattr(variant, k, v)
        variant.status, variant.approved_by, variant.approved_at = S.DRAFT, None, None
        variant.checked_digest = ""
        audit_record(
            actor=actor,
            action="content.variant.update",
            obj=variant,
            agency_id=variant.post.agency_id,
            before=before,
            after={"status": S.DRAFT, **changed},
        )
    return variant


def variant_submit(
    *, actor: AnyUser, variant: PostVariant, scheduled_at: datetime | None = None
) -> PostVariant:
    """Run the checks: block refuses, approval waits for a reviewer, else ready (or scheduled)."""
    _require_editor(actor, variant.post.agency_id)
    if variant.status not in {S.DRAFT, S.FAILED, S.NEEDS_ATTENTION, S.READY}:
        raise ValidationError(_("Hanya draf yang dapat diajukan."))
    if scheduled_at is not None:
        _validate_time(scheduled_at)
    findings = findings_for(variant, scheduled_at=scheduled_at)
    stored = [f.to_json() for f in findings]
    PostVariant.objects.filter(pk=variant.pk).update(findings=stored)
    variant.findings = stored
    level = worst(findings)
    if level == Severity.BLOCK:
        blocking = [f.message for f in findings if f.severity == Severity.BLOCK]
        raise ValidationError(blocking)
    extra: dict[str, Any] = {
        "last_error": "",
        "attempts": 0,
        "next_attempt_at": None,
        "verify_before_send": False,
        "checked_digest": variant_digest(variant),
    }
    if scheduled_at is not None:
        extra["scheduled_at"] = scheduled_at
    if level == Severity.APPROVAL:
        extra["approval_requested_at"] = clock.now()
        ok = _transition(
            variant,
            old={S.DRAFT, S.FAILED, S.NEEDS_ATTENTION, S.READY},
            new=S.AWAITING_APPROVAL,
            actor=actor,
            action="submit_for_approval",
            scheduled_by=_user(actor),
            **extra,
        )
    else:
        target = S.SCHEDULED if scheduled_at is not None else S.READY
        ok = _transition(
            variant,
            old={S.DRAFT, S.FAILED, S.NEEDS_ATTENTION, S.READY},
            new=target,
            actor=actor,
            action="submit",
            scheduled_by=_user(actor),
            queued_at=None,
            **extra,
        )
    if not ok:
        raise _stale(variant)
    return variant


def variant_approve(*, actor: AnyUser, variant: PostVariant, note: str = "") -> PostVariant:
    """A reviewer lets an awaiting variant go: scheduled if its time is still ahead, else ready."""
    _require_editor(actor, variant.post.agency_id)
    when = variant.scheduled_at
    target = S.SCHEDULED if when is not None and when > clock.now() else S.READY
    ok = _transition(
        variant,
        old=S.AWAITING_APPROVAL,
        new=target,
        actor=actor,
        action="approve",
        note=note,
        approved_by=_user(actor),
        approved_at=clock.now(),
        queued_at=None,
    )
    if not ok:
        raise _stale(variant)
    return variant


def variant_send_back(*, actor: AnyUser, variant: PostVariant, note: str) -> PostVariant:
    """A reviewer returns an awaiting variant to its author as a draft, with the reason."""
    _require_editor(actor, variant.post.agency_id)
    if not note.strip():
        raise ValidationError({"note": _("Tuliskan alasan pengembalian.")})
    ok = _transition(
        variant,
        old=S.AWAITING_APPROVAL,
        new=S.DRAFT,
        actor=actor,
        action="send_back",
        note=note.strip(),
        last_error=note.strip(),
    )
    if not ok:
        raise _stale(variant)
    return variant


def variant_schedule(*, actor: AnyUser, variant: PostVariant, when: datetime) -> PostVariant:
    _require_editor(actor, variant.post.agency_id)
    _validate_time(when)
    if variant.status != S.READY:
        raise ValidationError(
            _("Hanya varian yang sudah lolos pemeriksaan yang dapat dijadwalkan.")
        )
    ok = _transition(
        variant,
        old=S.READY,
        new=S.SCHEDULED,
        actor=actor,
        action="schedule",
        scheduled_at=when,
        scheduled_by=_user(actor),
        queued_at=None,
    )
    if not ok:
        raise _stale(variant)
    return variant


def variant_reschedule(*, actor: AnyUser, variant: PostVariant, when: datetime) -> PostVariant:
    """Move to a new time; a failed or flagged variant a person has looked at is tried again."""
    _require_editor(actor, variant.post.agency_id)
    _validate_time(when)
    if variant.status not in RESCHEDULABLE:
        raise ValidationError(
            _("Varian berstatus “%(s)s” tidak dapat dijadwalkan ulang.")
            % {"s": variant.get_status_display()}
        )
    ok = _transition(
        variant,
        old=RESCHEDULABLE,
        new=S.SCHEDULED,
        actor=actor,
        action="reschedule",
        scheduled_at=when,
        scheduled_by=_user(actor),
        queued_at=None,
        next_attempt_at=None,
        attempts=0,
        last_error="",
        verify_before_send=False,
    )
    if not ok:
        raise _stale(variant)
    return variant


def variant_cancel(*, actor: AnyUser, variant: PostVariant) -> PostVariant:
    _require_editor(actor, variant.post.agency_id)
    if not _transition(variant, old=CANCELLABLE, new=S.CANCELLED, actor=actor, action="cancel"):
        error = _stale(variant)
        if variant.status == S.PUBLISHING:
            raise ValidationError(_("Varian sedang diterbitkan dan tidak dapat dibatalkan."))
        raise error
    return variant


def variant_mark_published_manually(
    *, actor: AnyUser, variant: PostVariant, url: str
) -> PostVariant:
    """An officer posted by hand (manual channel, or "verify on platform") and pastes the URL."""
    _require_editor(actor, variant.post.agency_id)
    try:
        # Checks the host belongs to the channel's platform and reads the post's id.
        found = parse_post_url(variant.channel.platform, url)
    except PermanentError as exc:
        raise ValidationError({"url": exc.localized}) from None
    ok = _transition(
        variant,
        old=MANUAL_PUBLISHABLE,
        new=S.PUBLISHED,
        actor=actor,
        action="mark_published_manually",
        platform_url=web_url(found.url),
        platform_post_id=found.platform_post_id[:200],
        published_at=clock.now(),
        last_error="",
        claimed_at=None,
    )
    if not ok:
        raise _stale(variant)
    return variant


def is_manual(channel: Channel) -> bool:
    return channel.mode not in API_MODES
