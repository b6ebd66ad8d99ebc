"""The variant's workflow: its statuses, the one move between them, what every edit shares.

draft → (submit: checks) → ready | awaiting_approval → scheduled → publishing → published,
or failed / needs_attention; cancel and reschedule. The people's side of the moves is in
variants.py, the workers' side in publishing/. Every transition is a conditional update
on the old status, so a person and a worker racing on one variant never both win; each is
audited.
"""

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from warta.content.models import Post, PostVariant
from warta.core.services import audit_record
from warta.institutions.access import AnyUser, can_edit_agency
from warta.lib import clock

S = PostVariant.Status
EDITABLE = {S.DRAFT, S.READY, S.AWAITING_APPROVAL, S.SCHEDULED, S.FAILED, S.NEEDS_ATTENTION}
CANCELLABLE = {S.DRAFT, S.READY, S.AWAITING_APPROVAL, S.SCHEDULED, S.FAILED, S.NEEDS_ATTENTION}
RESCHEDULABLE = {S.READY, S.SCHEDULED, S.FAILED, S.NEEDS_ATTENTION}
MANUAL_PUBLISHABLE = {S.READY, S.SCHEDULED, S.FAILED, S.NEEDS_ATTENTION}


@dataclass(frozen=True)
class VariantText:
    caption: str = ""
    hashtags: str = ""
    first_comment: str = ""
    title: str = ""


def _require_editor(actor: AnyUser, agency_id: int) -> None:
    if not can_edit_agency(actor, agency_id):
        raise ValidationError(_("Anda tidak berhak mengubah konten perangkat daerah ini."))


def _transition(
    variant: PostVariant,
    *,
    old: Collection[str] | str,
    new: str,
    actor: AnyUser | None,
    action: str,
    note: str = "",
    **fields: Any,
) -> bool:
    """Move the variant from one of `old` to `new` atomically; False if someone else won."""
    olds = {old} if isinstance(old, str) else set(old)
    before = variant.status
    updated = PostVariant.objects.filter(pk=variant.pk, status__in=olds).update(
        status=new, updated_at=clock.now(), **fields
    )
    if not updated:
        return False
    for name, value in fields.items():
        setattr(variant, name, value)
    variant.status = new
    audit_record(
        actor=actor,
        action=f"content.variant.{action}",
        obj=variant,
        agency_id=variant.post.agency_id,
        region_id=variant.post.agency.region_id,
        before={"status": before},
        after={"status": new, **{k: str(v) for k, v in fields.items() if k in _AUDITED}},
        note=note,
    )
    return True


_AUDITED = {"scheduled_at", "platform_url", "last_error", "published_at", "next_attempt_at"}


def _stale(variant: PostVariant) -> ValidationError:
    variant.refresh_from_db()
    return ValidationError(
        _("Status varian sudah berubah menjadi “%(status)s”; muat ulang halaman.")
        % {"status": variant.get_status_display()}
    )


# Checked, approved or scheduled: an edit of what they judged sends these back to draft.
CHECKED = {S.READY, S.AWAITING_APPROVAL, S.SCHEDULED, S.FAILED, S.NEEDS_ATTENTION}


def _back_to_draft(*, actor: AnyUser, post: Post, reason: str) -> int:
    """Every checked variant of the post goes back to draft: its checks and approval were
    for content that is no longer there."""
    moved = 0
    for variant in post.variants.filter(status__in=CHECKED).select_related("post__agency"):
        moved += _transition(
            variant,
            old=CHECKED,
            new=S.DRAFT,
            actor=actor,
            action="back_to_draft",
            note=reason,
            approved_by=None,
            approved_at=None,
            checked_digest="",
            queued_at=None,
        )
    return moved


def _conflict(*, theirs: str, yours: str) -> ValidationError:
    """A save started from an older version: both texts, so nothing typed is lost."""
    return ValidationError(
        _(
            "Tidak disimpan: orang lain sudah mengubahnya sejak Anda membuka halaman ini. "
            "Teks tersimpan sekarang: “%(theirs)s”. Teks Anda: “%(yours)s”. "
            "Salin teks Anda, muat ulang halaman, lalu gabungkan dan simpan lagi."
        )
        % {"theirs": theirs, "yours": yours},
        code="conflict",
    )


def _user(actor: AnyUser) -> object:
    return actor if actor.is_authenticated else None


def _validate_time(when: datetime) -> None:
    if timezone.is_naive(when):
        raise ValidationError({"scheduled_at": _("Waktu tanpa zona waktu tidak diterima.")})
    if when <= clock.now():
        raise ValidationError({"scheduled_at": _("Waktu terbit harus di masa depan.")})
