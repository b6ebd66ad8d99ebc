"""Daftar Informasi Publik: officers keep it per agency; the public searches it and downloads
documents, never those of excepted information."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings

from warta.engagement import dip
from warta.engagement.models import PublicInformation
from warta.testing.fixtures import World


@pytest.fixture(autouse=True)
def media(tmp_path):  # type: ignore[no-untyped-def]
    with override_settings(MEDIA_ROOT=str(tmp_path / "media")):
        yield


def test_officers_keep_the_list_and_the_public_searches_and_downloads_it(
    world: World, alice_client: Client, bob_client: Client, hana_client: Client
) -> None:
    response = alice_client.post(
        "/interaksi/dip/",
        {
            "agency": world.agency_a.pk,
            "title": "Laporan keuangan 2025",
            "summary": "Neraca dan realisasi anggaran",
            "category": "periodic",
            "format": "PDF",
            "retention": "10 tahun",
            "document": SimpleUploadedFile("lk-2025.pdf", b"%PDF-1.4 laporan", "application/pdf"),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    entry = PublicInformation.objects.get()
    assert entry.responsible == world.alice and entry.document_name == "lk-2025.pdf"
    dip.dip_entry_save(
        actor=world.alice,
        agency=world.agency_a,
        title="Rekam medis pasien",
        summary="",
        category="excepted",
        legal_basis="UU 14/2008 Pasal 17 huruf h",
        consequence="Membuka rahasia pribadi pasien dan melanggar UU Kesehatan.",
        document=SimpleUploadedFile("rm.pdf", b"%PDF rahasia", "application/pdf"),
    )
    page = Client().get(f"/interaksi/publik/{world.region.slug}/dip/").content.decode()
    assert "Laporan keuangan 2025" in page and "Berkala" in page and "Alice" in page
    assert "Rekam medis pasien" in page and "Pasal 17 huruf h" in page
    assert "Membuka rahasia pribadi pasien" in page
    found = Client().get(f"/interaksi/publik/{world.region.slug}/dip/?q=keuangan&kategori=periodic")
    assert "Laporan keuangan" in found.content.decode()
    assert "Rekam medis" not in found.content.decode()
    download = Client().get(f"/interaksi/publik/{world.region.slug}/dip/{entry.pk}/dokumen/")
    assert download.status_code == 200
    assert download.getvalue() == b"%PDF-1.4 laporan"
    excepted = PublicInformation.objects.get(category="excepted")
    url = f"/interaksi/publik/{world.region.slug}/dip/{excepted.pk}/dokumen/"
    assert Client().get(url).status_code == 404
    assert Client().get(f"/interaksi/publik/lain/dip/{entry.pk}/dokumen/").status_code == 404
    # The outsider and the read-only head cannot change it.
    assert bob_client.get(f"/interaksi/dip/?ubah={entry.pk}").status_code == 404
    assert hana_client.get(f"/interaksi/dip/?ubah={entry.pk}").status_code == 403
    hana_client.post(
        "/interaksi/dip/", {"agency": world.agency_a.pk, "title": "x", "category": "periodic"}
    )
    assert PublicInformation.objects.count() == 2


def test_an_exception_needs_its_legal_basis_and_consequence_test(world: World) -> None:
    with pytest.raises(ValidationError) as error:
        dip.dip_entry_save(
            actor=world.alice,
            agency=world.agency_a,
            title="Rahasia",
            summary="",
            category="excepted",
        )
    assert {"legal_basis", "consequence"} <= set(error.value.message_dict)
    with pytest.raises(ValidationError):
        dip.dip_entry_save(
            actor=world.bob, agency=world.agency_a, title="x", summary="", category="periodic"
        )
    with pytest.raises(ValidationError) as error:
        dip.dip_entry_save(
            actor=world.alice,
            agency=world.agency_a,
            title="x",
            summary="",
            category="periodic",
            document=SimpleUploadedFile("x.exe", b"MZ", "application/octet-stream"),
        )
    assert "document" in error.value.message_dict
    assert not PublicInformation.objects.exists()


def test_the_monev_evidence_pack_maps_indicators_to_what_warta_holds(
    world: World, alice_client: Client, bob_client: Client
) -> None:
    dip.dip_entry_save(
        actor=world.alice,
        agency=world.agency_a,
        title="Rekam medis",
        summary="",
        category="excepted",
        legal_basis="Pasal 17 huruf h",
        consequence="Membuka rahasia pribadi pasien kepada siapa saja.",
    )
    page = alice_client.get(f"/interaksi/monev/?opd={world.agency_a.pk}").content.decode()
    assert "Daftar informasi dikecualikan dengan uji konsekuensi" in page
    assert "1 dikecualikan, 1 dengan uji konsekuensi" in page
    assert f"/interaksi/publik/{world.region.slug}/ppid/{world.agency_a.pk}/permohonan/" in page
    csv_file = alice_client.get(f"/interaksi/monev/?opd={world.agency_a.pk}&format=csv")
    assert csv_file["Content-Type"] == "text/csv"
    assert "Register permohonan informasi" in csv_file.content.decode("utf-8-sig")
    # Another agency's pack is not reachable by its id; the outsider sees their own.
    assert bob_client.get(f"/interaksi/monev/?opd={world.agency_a.pk}").status_code == 404
    own = bob_client.get("/interaksi/monev/").content.decode()
    assert "Dinas Pendidikan" in own and "1 dikecualikan" not in own
