"""Writes of posts: create and edit one, copy a city-wide campaign to other agencies."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from warta.channels.models import Channel
from warta.content.media import CROP_RATIOS, FOCUS
from warta.content.models import MediaAsset, Post, PostMedia, PostVariant
from warta.content.workflow import (
    EDITABLE,
    S,
    VariantText,
    _back_to_draft,
    _conflict,
    _require_editor,
)
from warta.core.services import audit_record
from warta.institutions.access import AnyUser, is_coordinator
from warta.institutions.models import Agency
from warta.lib.categories import PostCategory
from warta.lib.platforms import MESSAGING_PLATFORMS


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
