"""Media library: type by content, size limit, thumbnails, video facts, ownership."""

import io
import struct

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from warta.content.media import mp4_facts
from warta.content.models import MediaAsset

pytestmark = pytest.mark.django_db


def png(width: int = 1200, height: int = 900) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (200, 30, 30)).save(out, "PNG")
    return out.getvalue()


def box(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I4s", 8 + len(body), kind) + body


def tiny_mp4(seconds: int = 42, width: int = 1080, height: int = 1920) -> bytes:
    mvhd = box(b"mvhd", bytes(4) + bytes(8) + struct.pack(">II", 1000, seconds * 1000) + bytes(80))
    tkhd = box(b"tkhd", bytes(4) + bytes(72) + struct.pack(">II", width << 16, height << 16))
    moov = box(b"moov", mvhd + box(b"trak", tkhd))
    return box(b"ftyp", b"isom" + bytes(4) + b"isomiso2mp41") + moov


def test_it_reads_duration_and_size_from_an_mp4():
    upload = SimpleUploadedFile("v.mp4", tiny_mp4())
    facts = mp4_facts(upload)
    assert facts.duration_seconds == 42 and (facts.width, facts.height) == (1080, 1920)


def test_an_image_upload_is_checked_and_gets_a_thumbnail(world, alice_client, settings):
    response = alice_client.post(
        reverse("content:media_library"),
        {
            "agency": world.agency_a.pk,
            "alt_text": "Poster vaksinasi",
            "file": SimpleUploadedFile("poster.JPG", png(), content_type="image/jpeg"),
        },
    )
    assert response.status_code == 302
    asset = MediaAsset.objects.get()
    assert asset.mime_type == "image/png"  # by content, not by the name or header
    assert (asset.width, asset.height) == (1200, 900)
    assert asset.thumbnail and asset.file.name.endswith(".png")
    assert str(settings.MEDIA_ROOT) in asset.file.path
    page = alice_client.get(reverse("content:media_library"))
    assert asset.thumbnail.url in page.text


def test_a_video_upload_records_its_duration(world, alice_client):
    alice_client.post(
        reverse("content:media_library"),
        {"agency": world.agency_a.pk, "file": SimpleUploadedFile("klip.mp4", tiny_mp4(7))},
    )
    asset = MediaAsset.objects.get()
    assert asset.kind == "video" and asset.duration_seconds == 7


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("foto.jpg", b"<?php echo 'bukan gambar'; ?>", "Jenis berkas tidak diterima"),
        ("kosong.png", b"", "kosong"),
        ("rusak.png", png()[:60], "rusak"),
    ],
)
def test_bad_files_are_refused_and_nothing_is_stored(
    world, alice_client, name, content, message, settings
):
    response = alice_client.post(
        reverse("content:media_library"),
        {"agency": world.agency_a.pk, "file": SimpleUploadedFile(name, content)},
    )
    assert response.status_code == 400
    assert message.lower() in response.text.lower()
    assert not MediaAsset.objects.exists()


def test_an_oversize_file_is_refused_naming_the_limit(world, alice_client, settings):
    settings.WARTA_MAX_UPLOAD_BYTES = 1000
    response = alice_client.post(
        reverse("content:media_library"),
        {"agency": world.agency_a.pk, "file": SimpleUploadedFile("besar.png", png())},
    )
    assert response.status_code == 400 and "batasnya" in response.text
    assert not MediaAsset.objects.exists()


def test_uploading_to_another_agency_is_refused(world, alice_client, hana_client):
    response = alice_client.post(
        reverse("content:media_library"),
        {"agency": world.agency_b.pk, "file": SimpleUploadedFile("a.png", png())},
    )
    assert response.status_code == 400  # not among her choices
    assert (
        hana_client.post(
            reverse("content:media_library"),
            {"agency": world.agency_a.pk, "file": SimpleUploadedFile("a.png", png())},
        ).status_code
        == 403
    )
    assert not MediaAsset.objects.exists()


def test_the_library_shows_only_visible_agencies(world, alice_client, bob_client):
    alice_client.post(
        reverse("content:media_library"),
        {"agency": world.agency_a.pk, "file": SimpleUploadedFile("a.png", png())},
    )
    asset = MediaAsset.objects.get()
    assert asset.thumbnail.url not in bob_client.get(reverse("content:media_library")).text


def test_media_of_another_agency_cannot_be_attached(world, alice_client, bob_client):
    bob_client.post(
        reverse("content:media_library"),
        {"agency": world.agency_b.pk, "file": SimpleUploadedFile("b.png", png())},
    )
    foreign = MediaAsset.objects.get()
    from django.core.exceptions import ValidationError

    from warta.content import services

    with pytest.raises(ValidationError, match="Media tidak ditemukan"):
        services.post_create(
            actor=world.alice,
            agency=world.agency_a,
            message="Halo",
            channel_ids=[world.channel_a.pk],
            media_ids=[foreign.pk],
        )


def large_dimension_png(width: int, height: int) -> bytes:
    """A valid, small PNG of a huge picture: one bit a pixel, all zero (compresses ~1000:1)."""
    import zlib

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body)
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)

    row = b"\x00" * (1 + (width + 7) // 8)  # filter byte, then the packed bits
    packer = zlib.compressobj(9)
    data = b"".join(packer.compress(row) for _ in range(height)) + packer.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b"")
    )


def test_a_144_megapixel_png_is_refused_from_its_header_and_nothing_is_stored(
    world, alice_client, settings, monkeypatch
):
    bomb = large_dimension_png(12_000, 12_000)  # 144 megapixels
    assert len(bomb) < 1_000_000
    decoded = []
    monkeypatch.setattr(Image.Image, "load", lambda self: decoded.append(self))
    response = alice_client.post(
        reverse("content:media_library"),
        {"agency": world.agency_a.pk, "file": SimpleUploadedFile("poster.png", bomb)},
    )
    assert response.status_code == 400
    assert "Gambar terlalu besar" in response.text and "batasnya 50 megapiksel" in response.text
    assert not decoded  # refused before a single pixel was decoded
    assert not MediaAsset.objects.exists()
    assert not any(p.is_file() for p in settings.MEDIA_ROOT.rglob("*"))


def test_pillows_bomb_warning_is_a_refusal(world, alice_client, monkeypatch):
    # Pillow only warns between MAX_IMAGE_PIXELS and twice that; warta refuses there too.
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 1_000_000)
    response = alice_client.post(
        reverse("content:media_library"),
        {"agency": world.agency_a.pk, "file": SimpleUploadedFile("a.png", png(1200, 1000))},
    )
    assert response.status_code == 400 and "Gambar terlalu besar" in response.text
    assert not MediaAsset.objects.exists()
