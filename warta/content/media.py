"""The media library: uploads checked by content (not by name), thumbnails, video facts."""

import hashlib
import io
import struct
import warnings
from dataclasses import dataclass

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from warta.content.models import MediaAsset
from warta.core.services import audit_record
from warta.institutions.access import AnyUser, can_edit_agency
from warta.institutions.models import Agency

# What the library accepts, by the type the file's bytes reveal.
ACCEPTED: dict[str, tuple[str, str]] = {
    "image/jpeg": ("image", "jpg"),
    "image/png": ("image", "png"),
    "image/gif": ("image", "gif"),
    "image/webp": ("image", "webp"),
    "video/mp4": ("video", "mp4"),
    "video/quicktime": ("video", "mov"),
    "application/pdf": ("document", "pdf"),
}
THUMB_SIZE = (320, 320)
# Decompression bombs: Pillow only warns between MAX_IMAGE_PIXELS and twice that (a
# 144-megapixel PNG of 410 kB decoded to 1.2 GB); media_upload turns the warning into a
# refusal and checks the header's width x height itself. The setting is the cap.
Image.MAX_IMAGE_PIXELS = settings.WARTA_MAX_IMAGE_PIXELS


@dataclass(frozen=True)
class VideoFacts:
    duration_seconds: float | None = None
    width: int | None = None
    height: int | None = None


def media_upload(
    *, actor: AnyUser, agency: Agency, upload: UploadedFile, alt_text: str = ""
) -> MediaAsset:
    if not can_edit_agency(actor, agency.pk):
        raise ValidationError(_("Anda tidak berhak mengunggah ke pustaka perangkat daerah ini."))
    limit = settings.WARTA_MAX_UPLOAD_BYTES
    if upload.size is None or upload.size == 0:
        raise ValidationError({"file": _("Berkas kosong.")})
    if upload.size > limit:
        raise ValidationError(
            {
                "file": _("Berkas %(size).1f MB, batasnya %(max).1f MB.")
                % {"size": upload.size / 2**20, "max": limit / 2**20}
            }
        )
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    mime = kind.mime if kind else ""
    if mime not in ACCEPTED:
        raise ValidationError(
            {
                "file": _(
                    "Jenis berkas tidak diterima (isi berkas: %(t)s). "
                    "Terima: JPEG, PNG, GIF, WebP, MP4, MOV, PDF."
                )
                % {"t": mime or _("tidak dikenal")}
            }
        )
    media_kind, extension = ACCEPTED[mime]
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    asset = MediaAsset(
        agency=agency,
        kind=media_kind,
        mime_type=mime,
        extension=extension,
        size_bytes=upload.size,
        sha256=digest.hexdigest(),
        original_name=(upload.name or "")[:255],
        alt_text=alt_text.strip(),
        uploaded_by=actor if actor.is_authenticated else None,  # type: ignore[misc]
    )
    thumb: bytes | None = None
    if media_kind == "image":
        asset.width, asset.height, thumb = _checked_image(upload)
        upload.seek(0)
    elif media_kind == "video":
        facts = mp4_facts(upload)
        asset.duration_seconds, asset.width, asset.height = (
            facts.duration_seconds,
            facts.width,
            facts.height,
        )
        upload.seek(0)
    try:
        with transaction.atomic():
            asset.file.save(f"upload.{extension}", upload, save=False)
            if thumb:
                asset.thumbnail.save("thumb.jpg", ContentFile(thumb), save=False)
            asset.save()
            audit_record(
                actor=actor,
                action="content.media.upload",
                obj=asset,
                after={"kind": media_kind, "mime": mime, "size": upload.size},
            )
    except BaseException:
        # The row rolled back; the files written before the failure (the disk filled up
        # at the thumbnail) go with it.
        for stored in (asset.file, asset.thumbnail):
            if stored.name:
                stored.storage.delete(stored.name)
        raise
    return asset


def _too_many_pixels(width: int = 0, height: int = 0) -> ValidationError:
    cap = settings.WARTA_MAX_IMAGE_PIXELS // 10**6
    if not width:  # Pillow refused it while reading the header
        message = _(
            "Gambar terlalu besar: batasnya %(max)s megapiksel (lebar × tinggi). Perkecil "  # noqa: RUF001
            "gambar lalu unggah lagi."
        ) % {"max": cap}
    else:
        message = _(
            "Gambar terlalu besar: %(w)d × %(h)d piksel (%(mp)s megapiksel); batasnya "  # noqa: RUF001
            "%(max)s megapiksel. Perkecil gambar lalu unggah lagi."
        ) % {"w": width, "h": height, "mp": round(width * height / 1e6), "max": cap}
    return ValidationError({"file": message})


def _checked_image(upload: UploadedFile) -> tuple[int, int, bytes]:
    """Width, height and thumbnail of an image whose header promises a sane pixel count."""
    unreadable = ValidationError({"file": _("Gambar rusak atau tidak dapat dibaca.")})
    width = height = 0
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            # Image.open reads the header only: the size is known before any decoding.
            with Image.open(upload) as image:
                width, height = image.size
                if width * height > settings.WARTA_MAX_IMAGE_PIXELS:
                    raise _too_many_pixels(width, height)
                image.verify()
            upload.seek(0)
            with Image.open(upload) as image:
                return width, height, _thumbnail(image)
    except (Image.DecompressionBombWarning, Image.DecompressionBombError):
        raise _too_many_pixels(width, height) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise unreadable from None


def _thumbnail(image: Image.Image) -> bytes:
    image = image.convert("RGB")
    image.thumbnail(THUMB_SIZE)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80)
    return out.getvalue()


def mp4_facts(fileobj: UploadedFile, *, max_boxes: int = 10_000) -> VideoFacts:
    """Duration and picture size from an MP4/MOV's moov box, without a video library."""
    duration: float | None = None
    width = height = None
    stack = [(0, fileobj.size or 0)]
    containers = {b"moov", b"trak", b"mdia", b"minf", b"stbl"}
    seen = 0
    while stack and seen < max_boxes:
        pos, end = stack.pop()
        while pos + 8 <= end and seen < max_boxes:
            seen += 1
            fileobj.seek(pos)
            header = fileobj.read(16)
            if len(header) < 8:
                break
            size, box = struct.unpack(">I4s", header[:8])
            offset = 8
            if size == 1 and len(header) >= 16:
                size, offset = struct.unpack(">Q", header[8:16])[0], 16
            elif size == 0:
                size = end - pos
            if size < offset:
                break
            if box in containers:
                stack.append((pos + size, end))
                end, pos = pos + size, pos + offset
                continue
            if box in {b"mvhd", b"tkhd"}:
                fileobj.seek(pos + offset)
                body = fileobj.read(min(size - offset, 120))
                version = body[0] if body else 0
                if box == b"mvhd" and duration is None and len(body) >= 32:
                    if version == 1:
                        scale, length = struct.unpack(">IQ", body[20:32])
                    else:
                        scale, length = struct.unpack(">II", body[12:20])
                    duration = length / scale if scale else None
                elif box == b"tkhd":
                    at = 76 if version == 0 else 88
                    w, h = (
                        struct.unpack(">II", body[at : at + 8]) if len(body) >= at + 8 else (0, 0)
                    )
                    if w and h and width is None:
                        width, height = w >> 16, h >> 16
            pos += size
    return VideoFacts(duration_seconds=duration, width=width, height=height)


# -- crops per network ------------------------------------------------------------------
# The cut an officer picks per channel in the composer (width / height), and which part
# of the picture it keeps. "" is the image as uploaded.
CROP_RATIOS: dict[str, float] = {
    "1:1": 1.0,
    "4:5": 4 / 5,
    "1.91:1": 1.91,
    "16:9": 16 / 9,
    "9:16": 9 / 16,
}
FOCUS = ("center", "top", "bottom", "left", "right")
# Animated GIFs would lose their animation: they are sent as they are.
CROPPABLE_MIMES = frozenset({"image/jpeg", "image/png", "image/webp"})


def crop_box(
    width: int, height: int, crop: str, focus: str = "center"
) -> tuple[int, int, int, int]:
    """The largest box of the crop's ratio inside width by height, placed by `focus`
    (left, upper, right, lower); the whole picture when `crop` is "" or unknown."""
    ratio = CROP_RATIOS.get(crop)
    if ratio is None or width <= 0 or height <= 0:
        return (0, 0, width, height)
    if width / height > ratio:  # too wide: keep the full height
        w, h = max(1, round(height * ratio)), height
    else:
        w, h = width, max(1, round(width / ratio))
    spare_x, spare_y = width - w, height - h
    left = {"left": 0, "right": spare_x}.get(focus, spare_x // 2)
    top = {"top": 0, "bottom": spare_y}.get(focus, spare_y // 2)
    return (left, top, left + w, top + h)


def cropped_size(
    width: int | None, height: int | None, crop: str, focus: str = "center"
) -> tuple[int | None, int | None]:
    if not (width and height) or crop not in CROP_RATIOS:
        return width, height
    left, top, right, lower = crop_box(width, height, crop, focus)
    return right - left, lower - top


def crop_applies(kind: str, mime_type: str, crop: str) -> bool:
    return kind == "image" and mime_type in CROPPABLE_MIMES and crop in CROP_RATIOS


def crop_image_bytes(data: bytes, crop: str, focus: str = "center") -> tuple[bytes, int, int]:
    """The image cut to the crop, as JPEG (what every platform accepts), and its size."""
    with Image.open(io.BytesIO(data)) as image:
        image.load()
        box = crop_box(image.width, image.height, crop, focus)
        out_image = image.crop(box).convert("RGB")
    out = io.BytesIO()
    out_image.save(out, "JPEG", quality=90)
    return out.getvalue(), out_image.width, out_image.height
