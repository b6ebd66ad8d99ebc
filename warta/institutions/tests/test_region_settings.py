"""The coordinator sets the report's letterhead: office line and region emblem."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from warta.core.models import AuditEvent
from warta.institutions.models import Region

URL = reverse("institutions:region_settings")


def png(size: tuple[int, int] = (80, 80), fmt: str = "PNG") -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", size, (0, 90, 200)).save(out, format=fmt)
    return out.getvalue()


def test_the_coordinator_uploads_the_emblem_and_it_is_stored_as_png(world, cora_client) -> None:
    response = cora_client.post(
        URL,
        {
            "letterhead_office": "Dinas Komunikasi dan Informatika",
            "logo": SimpleUploadedFile("lambang.jpg", png(fmt="JPEG"), "image/jpeg"),
        },
    )
    assert response.status_code == 302
    region = Region.objects.get(pk=world.region.pk)
    assert region.letterhead_office == "Dinas Komunikasi dan Informatika"
    assert str(region.logo.name).endswith(".png")
    with region.logo.open("rb") as fh:
        assert fh.read(8) == b"\x89PNG\r\n\x1a\n"
    page = cora_client.get(URL).content.decode()
    assert "PEMERINTAH KOTA UJI" in page
    assert 'src="data:image/png;base64,' in page
    assert AuditEvent.objects.filter(action="region.letterhead_update").count() == 1


def test_it_refuses_what_is_not_an_image_and_changes_nothing(world, cora_client) -> None:
    for name, data in (
        ("lambang.png", b"<svg onload=alert(1)></svg>"),
        ("lambang.gif", b"GIF89a" + b"\x00" * 40),
        ("lambang.png", png()[:40]),  # cut short
    ):
        response = cora_client.post(
            URL,
            {"letterhead_office": "Diskominfo", "logo": SimpleUploadedFile(name, data)},
        )
        assert response.status_code == 400
        assert "PNG atau JPEG" in response.content.decode()
    region = Region.objects.get(pk=world.region.pk)
    assert not region.logo
    assert region.letterhead_office == ""


def test_it_refuses_a_huge_picture(world, cora_client) -> None:
    response = cora_client.post(
        URL, {"logo": SimpleUploadedFile("lambang.png", png(size=(4100, 10)))}
    )
    assert response.status_code == 400
    assert "terlalu besar" in response.content.decode()


def test_only_the_coordinator_sets_the_letterhead(world, alice_client) -> None:
    assert alice_client.get(URL).status_code == 403
    assert alice_client.post(URL, {"letterhead_office": "X"}).status_code == 403
    assert Region.objects.get(pk=world.region.pk).letterhead_office == ""
