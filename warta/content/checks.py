"""What the pre-publish checks see of a variant, and the digest of what they judged."""

import hashlib
from collections.abc import Iterable
from datetime import datetime

from warta.content.media import crop_applies, cropped_size
from warta.content.models import MediaAsset, Post, PostVariant
from warta.content.workflow import VariantText
from warta.guardrails.registry import CheckSubject, MediaInfo, run_checks
from warta.lib.findings import Finding


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
