import io
import json
import tempfile
import zipfile
from pathlib import Path

import pytest
from django.test import Client

from warta.archive.models import ArchiveRecord
from warta.content.models import PostVariant
from warta.institutions.models import Agency
from warta.testing.fixtures import World


def _variant_subject(caption_start: str) -> str:
    return f"variant:{PostVariant.objects.get(caption__startswith=caption_start).pk}"


def test_an_officer_finds_only_their_agency_records(archived: World, alice_client: Client) -> None:
    body = alice_client.get("/arsip/").content.decode()
    assert "Vaksinasi" in body and "PPDB" not in body


def test_search_by_text(archived: World, cora_client: Client) -> None:
    body = cora_client.get("/arsip/", {"q": "PPDB"}).content.decode()
    assert "PPDB" in body and "Vaksinasi" not in body


def test_public_text_is_shown_inertly(archived: World, alice_client: Client) -> None:
    body = alice_client.get(f"/arsip/riwayat/{_variant_subject('Vaksinasi')}/").content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body
    assert "<script>alert(1)" not in body


def test_an_outsider_cannot_read_another_agency_history(
    archived: World, bob_client: Client
) -> None:
    response = bob_client.get(f"/arsip/riwayat/{_variant_subject('Vaksinasi')}/")
    assert response.status_code == 404


def test_the_conversation_as_it_was_before_it_was_recorded_is_empty(
    archived: World, alice_client: Client
) -> None:
    subject = _variant_subject("Vaksinasi")
    body = alice_client.get(f"/arsip/riwayat/{subject}/", {"pada": "2026-09-01"}).content.decode()
    assert "Jam berapa buka" not in body


def test_an_officer_downloads_a_verifiable_export(archived: World, alice_client: Client) -> None:
    response = alice_client.post(
        "/arsip/ekspor/",
        {
            "agency": archived.agency_a.pk,
            "start": "2026-09-30",
            "end": "2026-10-02",
            "redact_public": "on",
        },
    )
    assert response.status_code == 200
    data = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        assert "manifest.json" in zf.namelist()
        assert "Warga Bontang" not in zf.read("records.jsonl").decode()


@pytest.mark.parametrize(
    ("short_name", "file_part"),
    [("../../tmp/x", "tmpx"), ('Din"kes; a=b', "dinkes-ab"), ("..", None)],
)
def test_an_agency_whose_short_name_is_a_path_still_exports_into_its_own_folder(
    archived: World, alice_client: Client, short_name: str, file_part: str | None
) -> None:
    # Saved before short names were checked (the form now refuses them).
    Agency.objects.filter(pk=archived.agency_a.pk).update(short_name=short_name)
    response = alice_client.post(
        "/arsip/ekspor/",
        {"agency": archived.agency_a.pk, "start": "2026-09-30", "end": "2026-10-02"},
    )
    assert response.status_code == 200
    expected = file_part or f"opd-{archived.agency_a.pk}"
    assert response["Content-Disposition"] == (
        f'attachment; filename="arsip-{expected}-20260930-20261003.zip"'
    )
    data = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        assert json.loads(zf.read("manifest.json"))["agency"] == short_name
        assert zf.read("records.jsonl")


def test_an_outsider_cannot_export_another_agency(archived: World, bob_client: Client) -> None:
    response = bob_client.post(
        "/arsip/ekspor/",
        {"agency": archived.agency_a.pk, "start": "2026-09-30", "end": "2026-10-02"},
    )
    assert response.status_code == 404


def test_an_export_with_dates_reversed_is_refused(archived: World, alice_client: Client) -> None:
    response = alice_client.post(
        "/arsip/ekspor/",
        {"agency": archived.agency_a.pk, "start": "2026-10-02", "end": "2026-09-30"},
    )
    assert response.status_code == 400
    assert "tidak boleh sebelum" in response.content.decode()
    assert ArchiveRecord.objects.count() == 4


def test_exports_leave_no_file_behind(
    archived: World, alice_client: Client, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Issue 17: ten exports by a reader left ten zips under /tmp/warta-export-*.
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    for _ in range(10):
        response = alice_client.post(
            "/arsip/ekspor/",
            {"agency": archived.agency_a.pk, "start": "2026-09-30", "end": "2026-10-02"},
        )
        assert response.status_code == 200
        data = b"".join(response.streaming_content)  # type: ignore[attr-defined]
        assert zipfile.ZipFile(io.BytesIO(data)).testzip() is None
        assert int(response["Content-Length"]) == len(data)
    assert list(tmp_path.iterdir()) == []


def test_a_failed_export_leaves_no_folder_behind(
    archived: World, alice_client: Client, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from warta.archive import views

    def fail(**kwargs: object) -> Path:
        (Path(str(kwargs["dest_dir"])) / "arsip.zip.part").write_bytes(b"half")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    monkeypatch.setattr(views, "export_write", fail)
    response = alice_client.post(
        "/arsip/ekspor/",
        {"agency": archived.agency_a.pk, "start": "2026-09-30", "end": "2026-10-02"},
    )
    assert response.status_code == 507
    assert list(tmp_path.iterdir()) == []
