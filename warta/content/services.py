"""Writes of content: posts, variants and the people's side of the publishing state machine.

draft → (submit: checks) → ready | awaiting_approval → scheduled → publishing → published,
or failed / needs_attention; cancel and reschedule. The workers' side is in publishing/.
Every transition is a conditional update on the old status, so a person and a worker
racing on one variant never both win; each is audited.
"""

import hashlib
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from warta.channels.models import Channel
from warta.connectors.base import PermanentError
from warta.connectors.manual import parse_post_url
from warta.content.media import CROP_RATIOS, FOCUS, crop_applies, cropped_size
from warta.content.models import MediaAsset, Post, PostMedia, PostVariant
from warta.core.services import audit_record
from warta.guardrails.registry import CheckSubject, MediaInfo, run_checks
from warta.institutions.access import AnyUser, can_edit_agency, is_coordinator
from warta.institutions.models import Agency
from warta.lib import clock
from warta.lib.categories import PostCategory
from warta.lib.findings import Finding, Severity, worst
from warta.lib.links import web_url
from warta.lib.platforms import API_MODES, MESSAGING_PLATFORMS

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


def content_digest(
    *, variant: PostVariant, post: Post, media: Iterable[tuple[str, str, str]]
) -> str:
    """A hash of everything the checks judge: the variant's text, the post's message and
    category, and each medium (kind, sha256, alt text) in order."""
    parts = [
        variant.caption,
        variant.hashtags,
        variant.first_comment,
        variant.title,
        post.message,
        post.category,
        *("\x1f".join(m) for m in media),
    ]
    if variant.crop:  # only then: digests of variants without a crop stay as they were
        parts.append(f"crop:{variant.crop}@{variant.crop_focus}")
    return hashlib.sha256("\x1e".join(parts).encode()).hexdigest()


def _media_key(post: Post) -> list[tuple[str, str, str]]:
    return [(m.kind, m.sha256, m.alt_text) for m in post.ordered_media()] if post.pk else []


def variant_digest(variant: PostVariant) -> str:
    return content_digest(variant=variant, post=variant.post, media=_media_key(variant.post))


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


def _validate_channels(agency: Agency, channel_ids: list[int]) -> list[Channel]:
    if not channel_ids:
        raise ValidationError({"channels": _("Pilih paling sedikit satu kanal.")})
    channels = list(Channel.objects.filter(pk__in=channel_ids))
    found = {c.pk for c in channels}
    missing = [pk for pk in channel_ids if pk not in found]
    if missing:
        raise ValidationError(
            {"channels": _("Kanal tidak dikenal: %(ids)s.") % {"ids": ", ".join(map(str, missing))}}
        )
    foreign = [c for c in channels if c.agency_id != agency.pk]
    if foreign:
        raise ValidationError(
            {
                "channels": _("Kanal %(c)s bukan milik %(a)s.")
                % {"c": foreign[0], "a": agency.short_name}
            }
        )
    messaging = [c for c in channels if c.platform in MESSAGING_PLATFORMS]
    if messaging:
        raise ValidationError(
            {
                "channels": _(
                    "%(c)s adalah kanal pesan WhatsApp, bukan kanal terbit: unggahan tidak "
                    "dapat diterbitkan ke sana. Untuk Saluran WhatsApp, pakai kanal "
                    "“Saluran WhatsApp (manual)”."
                )
                % {"c": messaging[0]}
            }
        )
    disabled = [c for c in channels if c.status == Channel.Status.DISABLED]
    if disabled:
        raise ValidationError({"channels": _("Kanal %(c)s nonaktif.") % {"c": disabled[0]}})
    return channels


def _validate_media(agency: Agency, media_ids: list[int]) -> list[MediaAsset]:
    media = {m.pk: m for m in MediaAsset.objects.filter(pk__in=media_ids, agency=agency)}
    if len(media) != len(set(media_ids)):
        raise ValidationError(
            {"media": _("Media tidak ditemukan di pustaka %(a)s.") % {"a": agency.short_name}}
        )
    return [media[pk] for pk in dict.fromkeys(media_ids)]


def post_create(
    *,
    actor: AnyUser,
    agency: Agency,
    message: str,
    channel_ids: list[int],
    title: str = "",
    category: str = PostCategory.OTHER,
    media_ids: list[int] | None = None,
    texts: dict[int, VariantText] | None = None,
    crops: dict[int, tuple[str, str]] | None = None,
    copied_from: Post | None = None,
) -> Post:
    """A new post of `agency` with one draft variant per channel (text from the message).

    `crops`: per channel id, the image cut and its focus (media.CROP_RATIOS, media.FOCUS).
    """
    _require_editor(actor, agency.pk)
    if not message.strip():
        raise ValidationError({"message": _("Pesan tidak boleh kosong.")})
    if category not in PostCategory.values:
        raise ValidationError({"category": _("Kategori tidak dikenal.")})
    if not channel_ids:
        # Callers other than the editor (a consultation's follow-up draft, say) may leave
        # the choice to the officer: a draft for every channel the agency has.
        channel_ids = list(
            agency.channels.exclude(status=Channel.Status.DISABLED)
            .exclude(platform__in=MESSAGING_PLATFORMS)
            .values_list("pk", flat=True)
        )
    channels = _validate_channels(agency, channel_ids)
    media = _validate_media(agency, media_ids or [])
    texts = texts or {}
    crops = crops or {}
    for crop, focus in crops.values():
        if (crop and crop not in CROP_RATIOS) or (focus and focus not in FOCUS):
            raise ValidationError({"crop": _("Potongan gambar tidak dikenal.")})
    with transaction.atomic():
        post = Post.objects.create(
            agency=agency,
            message=message.strip(),
            title=title.strip()[:200],
            category=category,
            category_set_by_hand=category != PostCategory.OTHER,
            created_by=actor if actor.is_authenticated else None,  # type: ignore[misc]
            copied_from=copied_from,
        )
        _set_media(post, media)
        for channel in channels:
            text = texts.get(channel.pk, VariantText(caption=message.strip()))
            PostVariant.objects.create(
                post=post,
                channel=channel,
                caption=text.caption or message.strip(),
                hashtags=text.hashtags.strip(),
                first_comment=text.first_comment,
                title=text.title[:200],
                crop=crops.get(channel.pk, ("", ""))[0],
                crop_focus=crops.get(channel.pk, ("", ""))[1],
            )
        audit_record(
            actor=actor,
            action="content.post.create",
            obj=post,
            after={"channels": [c.pk for c in channels], "media": [m.pk for m in media]},
        )
    return post


def _set_media(post: Post, media: list[MediaAsset]) -> None:
    PostMedia.objects.filter(post=post).delete()
    PostMedia.objects.bulk_create(
        [PostMedia(post=post, media=m, position=i) for i, m in enumerate(media)]
    )


def post_update(
    *,
    actor: AnyUser,
    post: Post,
    message: str,
    title: str,
    category: str,
    media_ids: list[int],
    version: int | None = None,
) -> Post:
    """Save a post's edit; `version`, the one the editor started from, must still be current."""
    _require_editor(actor, post.agency_id)
    if not message.strip():
        raise ValidationError({"message": _("Pesan tidak boleh kosong.")})
    if category not in PostCategory.values:
        raise ValidationError({"category": _("Kategori tidak dikenal.")})
    media = _validate_media(post.agency, media_ids)
    locked = post.variants.exclude(status__in=EDITABLE | {S.CANCELLED})
    if media != post.ordered_media() and locked.exists():
        raise ValidationError(
            {"media": _("Media tidak dapat diubah: sebagian varian sudah atau sedang terbit.")}
        )
    judged_changed = (
        media != post.ordered_media()
        or message.strip() != post.message
        or category != post.category
    )
    with transaction.atomic():
        started = version if version is not None else post.version
        if not Post.objects.filter(pk=post.pk, version=started).update(version=F("version") + 1):
            post.refresh_from_db()
            raise _conflict(theirs=post.message, yours=message.strip())
        post.version = started + 1
        before = {"message": post.message, "category": post.category}
        post.message, post.title = message.strip(), title.strip()[:200]
        if category != post.category:
            post.category, post.category_set_by_hand = category, True
        post.save(
            update_fields=["message", "title", "category", "category_set_by_hand", "updated_at"]
        )
        _set_media(post, media)
        if judged_changed:
            _back_to_draft(actor=actor, post=post, reason=_("Unggahan diubah; periksa ulang."))
        audit_record(
            actor=actor,
            action="content.post.update",
            obj=post,
            before=before,
            after={"message": post.message, "category": post.category},
        )
    return post


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


def check_subject(
    variant: PostVariant,
    *,
    text: VariantText | None = None,
    scheduled_at: datetime | None = None,
) -> CheckSubject:
    """The detached view of a variant the checks look at (optionally with unsaved text)."""
    post = variant.post
    caption = variant.full_caption
    title, first_comment = variant.title, variant.first_comment
    if text is not None:
        probe = PostVariant(caption=text.caption, hashtags=text.hashtags)
        caption, title, first_comment = probe.full_caption, text.title, text.first_comment
    media = media_infos(
        post.ordered_media() if post.pk else [], crop=variant.crop, focus=variant.crop_focus
    )
    return CheckSubject(
        platform=variant.channel.platform,
        caption=caption,
        title=title,
        first_comment=first_comment,
        media=media,
        region_id=post.agency.region_id,
        agency_id=post.agency_id,
        channel_id=variant.channel_id,
        variant_id=variant.pk,
        extra={
            "category": post.category,
            "message": post.message,
            # The day it goes out matters to some checks (election quiet periods).
            "scheduled_at": scheduled_at or variant.scheduled_at,
        },
    )


def media_infos(
    media: Iterable[MediaAsset], *, crop: str = "", focus: str = ""
) -> tuple[MediaInfo, ...]:
    """The media as the checks see them: an image the channel crops is judged as cut
    (its size, and JPEG, which the publisher sends)."""
    out = []
    for m in media:
        width, height, mime = m.width, m.height, m.mime_type
        if crop_applies(m.kind, m.mime_type, crop):
            width, height = cropped_size(m.width, m.height, crop, focus or "center")
            mime = "image/jpeg"
        out.append(
            MediaInfo(
                kind=m.kind,
                mime_type=mime,
                size_bytes=m.size_bytes,
                width=width,
                height=height,
                duration_seconds=m.duration_seconds,
                alt_text=m.alt_text,
            )
        )
    return tuple(out)


def findings_for(
    variant: PostVariant,
    *,
    text: VariantText | None = None,
    scheduled_at: datetime | None = None,
) -> list[Finding]:
    return run_checks(check_subject(variant, text=text, scheduled_at=scheduled_at))


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


def _user(actor: AnyUser) -> object:
    return actor if actor.is_authenticated else None


def _validate_time(when: datetime) -> None:
    if timezone.is_naive(when):
        raise ValidationError({"scheduled_at": _("Waktu tanpa zona waktu tidak diterima.")})
    if when <= clock.now():
        raise ValidationError({"scheduled_at": _("Waktu terbit harus di masa depan.")})


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


def post_copy_to_agencies(*, actor: AnyUser, post: Post, agencies: list[Agency]) -> list[Post]:
    """Copy a city-wide campaign post as drafts to other agencies' matching channels."""
    if not is_coordinator(actor):
        raise ValidationError(
            _("Hanya koordinator yang dapat menyalin unggahan ke perangkat daerah lain.")
        )
    platforms = set(post.variants.values_list("channel__platform", flat=True))
    copies = []
    with transaction.atomic():
        for agency in agencies:
            if agency.pk == post.agency_id or agency.region_id != post.agency.region_id:
                continue
            _require_editor(actor, agency.pk)
            publishing = agency.channels.exclude(status=Channel.Status.DISABLED).exclude(
                platform__in=MESSAGING_PLATFORMS
            )
            channels = [c.pk for c in publishing if c.platform in platforms] or [
                c.pk for c in publishing[:1]
            ]
            if not channels:
                continue
            copies.append(
                post_create(
                    actor=actor,
                    agency=agency,
                    message=post.message,
                    title=post.title,
                    category=post.category,
                    channel_ids=channels,
                    copied_from=post,
                )
            )
    return copies


def is_manual(channel: Channel) -> bool:
    return channel.mode not in API_MODES
