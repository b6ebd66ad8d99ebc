"""The post's media as a platform is sent it: the stored files, cut to the channel's crop."""

import hashlib
import io
from dataclasses import replace
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image

from warta.connectors.base import MediaFile
from warta.content.media import crop_applies, crop_image_bytes
from warta.content.models import PostMedia, PostVariant


def _media_by_post(post_ids: list[int]) -> dict[int, tuple[MediaFile, ...]]:
    out: dict[int, list[MediaFile]] = {}
    for link in (
        PostMedia.objects.filter(post_id__in=post_ids)
        .select_related("media")
        .order_by("post_id", "position", "id")
    ):
        m = link.media
        out.setdefault(link.post_id, []).append(
            MediaFile(
                path=Path(m.file.path),
                mime_type=m.mime_type,
                kind=m.kind,
                size_bytes=m.size_bytes,
                alt_text=m.alt_text,
                sha256=m.sha256,
                url=_public_url(str(m.file.name)),
                width=m.width,
                height=m.height,
                duration_seconds=m.duration_seconds,
            )
        )
    return {k: tuple(v) for k, v in out.items()}


def _cropped(media: tuple[MediaFile, ...], variant: PostVariant) -> tuple[MediaFile, ...]:
    """The channel's cut of each image (the composer's crop per network), made once and
    kept beside the original; videos, GIFs and uncropped variants go as they are."""
    if not variant.crop:
        return media
    out = []
    for item in media:
        if not crop_applies(item.kind, item.mime_type, variant.crop):
            out.append(item)
            continue
        focus = variant.crop_focus or "center"
        name = (
            f"content/{variant.post.agency_id}/crops/"
            f"{item.sha256}-{variant.crop.replace(':', 'x')}-{focus}.jpg"
        )
        if not default_storage.exists(name):
            data, _w, _h = crop_image_bytes(item.path.read_bytes(), variant.crop, focus)
            name = default_storage.save(name, ContentFile(data))
        data = default_storage.open(name).read()
        with Image.open(io.BytesIO(data)) as image:
            width, height = image.size
        out.append(
            replace(
                item,
                path=Path(default_storage.path(name)),
                mime_type="image/jpeg",
                size_bytes=len(data),
                sha256=hashlib.sha256(data).hexdigest(),
                url=_public_url(name),
                width=width,
                height=height,
            )
        )
    return tuple(out)


def _public_url(name: str) -> str:
    """Where platforms that fetch media themselves (Instagram, TikTok photos) find it."""
    base = settings.WARTA_PUBLIC_MEDIA_URL
    return f"{base.rstrip('/')}/{name}" if base else ""
