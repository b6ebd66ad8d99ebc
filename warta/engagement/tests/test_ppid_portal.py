"""The public PPID portal: file a request without an account, follow it through a private
link (status, legal deadline), read the answer, object; officers work it in the register.
"""

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core import mail
from django.test import Client

from warta.engagement import ppid
from warta.engagement.models import InformationRequest, Objection
from warta.engagement.tests.test_consultations import stamp_of
from warta.testing.fixtures import World

# Monday 23 November 2026, 10:00 WITA.
NOW = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)
FORM = {
    "name": "Siti Aminah",
    "id_number": "6474014101900003",
    "address": "Jl. Mawar No. 3 RT 01/RW 02, Bontang Baru",
    "email": "siti.aminah@example.id",
    "phone": "0812-7777-1234",
    "information": "Daftar penerima bantuan sosial Kelurahan Bontang Baru tahun 2026",
    "purpose": "Memastikan keluarga kami terdaftar",
    "access_method": "soft_copy",
    "delivery": "email",
    "website": "",
}


@pytest.fixture
def frozen() -> Iterator[time_machine.Traveller]:
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def form_url(world: World) -> str:
    return f"/interaksi/publik/{world.region.slug}/ppid/{world.agency_a.pk}/permohonan/"


def file_request(
    client: Client, world: World, frozen: time_machine.Traveller, **changes: str
) -> tuple[object, str]:
    page = client.get(form_url(world))
    frozen.shift(timedelta(seconds=60))
    response = client.post(form_url(world), {**FORM, **changes, "started": stamp_of(page)})
    return response, response.get("Location", "")


def test_a_citizen_files_a_request_and_gets_a_receipt_with_a_private_link(
    world: World, frozen: time_machine.Traveller, alice_client: Client, commit
) -> None:
    client = Client()
    with commit(execute=True):
        response, location = file_request(client, world, frozen)
    assert response.status_code == 302  # type: ignore[attr-defined]
    token = re.fullmatch(r"/interaksi/publik/lacak/([\w-]{40,})/\?baru=1", location)
    assert token, location
    request = InformationRequest.objects.get()
    assert request.register_number == "0001/PPID-DINKES/2026"
    assert request.origin == "website" and request.access_method == "soft_copy"
    # Identity is kept encrypted; the register row holds only the name and a masked contact.
    assert "6474014101900003" not in request.identity_encrypted
    assert "Jl. Mawar" not in request.identity_encrypted
    assert request.requester_contact == "s••••••••••@example.id · 081••••••234"
    assert token.group(1) not in (request.tracking_hash, request.identity_encrypted)

    receipt = client.get(location)
    body = receipt.content.decode()
    assert receipt["Cache-Control"] == "no-store" and receipt["Referrer-Policy"] == "same-origin"
    assert "0001/PPID-DINKES/2026" in body and f"http://127.0.0.1:8000{location[:-7]}" in body
    assert "Senin, 07 Des 2026" in body  # 10 working days, WITA
    for secret in ["6474014101900003", "Jl. Mawar", "0812-7777-1234", "siti.aminah@"]:
        assert secret not in body, secret
    assert mail.outbox and mail.outbox[0].to == ["siti.aminah@example.id"]
    assert location[:-7] in mail.outbox[0].body

    # The officers find it in their register, with the identity (number masked).
    detail = alice_client.get(f"/interaksi/permohonan/{request.pk}/").content.decode()
    assert "Jl. Mawar No. 3" in detail and "siti.aminah@example.id" in detail
    assert "6474••••••••0003" in detail and "6474014101900003" not in detail
    export = alice_client.get("/interaksi/permohonan/register.csv").content.decode("utf-8-sig")
    assert "Siti Aminah" in export and "6474014101900003" not in export
    assert "Jl. Mawar" not in export


def test_the_tracking_page_follows_the_request_to_its_answer_and_an_objection(
    world: World, frozen: time_machine.Traveller, commit
) -> None:
    client = Client()
    _response, location = file_request(client, world, frozen)
    url = location.split("?")[0]
    request = InformationRequest.objects.get()
    assert "Diterima, sedang diproses" in client.get(url).content.decode()
    assert "Ajukan keberatan" not in client.get(url).content.decode()

    with commit(execute=True):
        ppid.info_request_extend(
            request=request, reason="Data masih dihimpun dari kelurahan.", actor=world.alice
        )
    page = client.get(url).content.decode()
    assert "Diperpanjang" in page and "Rabu, 16 Des 2026" in page
    assert "Data masih dihimpun dari kelurahan." in page

    with commit(execute=True):
        ppid.info_request_respond(
            request=request,
            status="partly",
            response="Daftar terlampir tanpa NIK penerima.",
            exemption_reason="Pasal 17 huruf h: data pribadi penerima.",
            actor=world.alice,
        )
    page = client.get(url).content.decode()
    assert "Dijawab" in page and "Daftar terlampir tanpa NIK penerima." in page
    assert "Pasal 17 huruf h" in page and "Ajukan keberatan" in page

    frozen.shift(timedelta(days=2))
    response = client.post(url, {"reason": "not_fulfilled", "statement": "Nama saya tidak ada."})
    assert response.status_code == 302
    objection = Objection.objects.get()
    assert objection.request == request and objection.reason == "not_fulfilled"
    page = client.get(url).content.decode()
    assert "Keberatan Anda sudah kami terima." not in page  # only right after filing
    assert "Ditanggapi paling lambat" in page
    again = client.post(url, {"reason": "late"})
    assert again.status_code == 400 and Objection.objects.count() == 1
    subjects = [m.subject for m in mail.outbox]
    assert any("diperpanjang" in s for s in subjects) and any("dijawab" in s for s in subjects)


def test_a_tracking_link_reaches_one_request_and_nothing_else(
    world: World, frozen: time_machine.Traveller
) -> None:
    _r, location = file_request(Client(), world, frozen)
    url = location.split("?")[0]
    token = url.rstrip("/").rsplit("/", 1)[1]
    assert Client().get(url).status_code == 200
    for guess in [token[:-1] + ("A" if token[-1] != "A" else "B"), "1", "0001", "x" * 43]:
        assert Client().get(f"/interaksi/publik/lacak/{guess}/").status_code == 404
    request = InformationRequest.objects.get()
    assert Client().get(f"/interaksi/publik/lacak/{request.pk}/").status_code == 404


def test_the_request_form_keeps_input_and_explains_each_error(
    world: World, frozen: time_machine.Traveller
) -> None:
    client = Client()
    response, _ = file_request(
        client, world, frozen, email="", phone="", id_number="", access_method="fax"
    )
    body = response.content.decode()  # type: ignore[attr-defined]
    assert response.status_code == 400  # type: ignore[attr-defined]
    assert "Periksa kembali isian berikut" in body
    assert 'href="#id_email"' in body and "Isi surel atau nomor telepon" in body
    assert "Siti Aminah" in body  # what was typed stays
    assert not InformationRequest.objects.exists()
    hostile = "<script>alert(1)</script>"
    response, location = file_request(client, world, frozen, information=hostile)
    page = client.get(location).content.decode()
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page
    # Another region's slug does not reach this agency.
    assert (
        Client().get(f"/interaksi/publik/lain/ppid/{world.agency_a.pk}/permohonan/").status_code
        == 404
    )


def test_the_ppid_menu_lists_the_regions_agencies(world: World) -> None:
    page = Client().get(f"/interaksi/publik/{world.region.slug}/ppid/").content.decode()
    assert "Dinas Kesehatan" in page and "Dinas Pendidikan" in page
    assert form_url(world) in page


def test_the_service_report_counts_the_register_and_names_no_one(
    world: World, frozen: time_machine.Traveller
) -> None:
    def new(name: str) -> InformationRequest:
        return ppid.info_request_create(
            agency=world.agency_a,
            actor=world.alice,
            requester_name=name,
            requester_contact="0812",
            information_requested="Data",
            origin="letter",
        )

    granted, refused, _open = new("Andi Rahman"), new("Budi Santoso"), new("Citra Lestari")
    frozen.shift(timedelta(days=3))  # Thursday: 3 working days later
    ppid.info_request_respond(request=granted, status="granted", response="Ada", actor=world.alice)
    frozen.shift(timedelta(days=30))  # far past the 10 working days
    ppid.info_request_respond(
        request=refused,
        status="refused",
        response="Tidak",
        exemption_reason="Pasal 17 huruf h; tanya 081234567890",
        actor=world.alice,
    )
    ppid.objection_file(request=refused, reason="refused", statement="", actor=world.alice)
    page = Client().get(f"/interaksi/publik/{world.region.slug}/ppid/laporan/?tahun=2026")
    body = page.content.decode()
    row = re.search(r"<tr><td[^>]*>Dinas Kesehatan</td>(.*?)</tr>", body, re.S)
    assert row, body
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row.group(1))
    # received, answered, in time, granted, partly, refused, not held, open, objections, average
    assert cells[:9] == ["3", "2", "1 (50,0 %)", "1", "0", "1", "0", "1", "1"], cells
    # 3 working days, and 22 to Saturday 26 December (25 Dec and cuti bersama 24 Dec skipped).
    assert cells[9] == "12,5", cells[9]
    assert "Pasal 17 huruf h" in body and "081234567890" not in body
    for name in ["Andi Rahman", "Budi Santoso", "Citra Lestari"]:
        assert name not in body
    pdf = Client().get(f"/interaksi/publik/{world.region.slug}/ppid/laporan.pdf?tahun=2026")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert (
        Client().get(f"/interaksi/publik/{world.region.slug}/ppid/laporan.exe").status_code == 404
    )


def test_the_answer_and_its_document_are_downloadable_from_the_tracking_page(
    world: World, frozen: time_machine.Traveller, alice_client: Client, tmp_path
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import override_settings

    with override_settings(MEDIA_ROOT=str(tmp_path / "media")):
        client = Client()
        _r, location = file_request(client, world, frozen)
        url = location.split("?")[0]
        request = InformationRequest.objects.get()
        response = alice_client.post(
            f"/interaksi/permohonan/{request.pk}/jawab/",
            {
                "status": "granted",
                "response": "Terlampir daftar penerima.",
                "document": SimpleUploadedFile("daftar.pdf", b"%PDF-1.4 daftar", "application/pdf"),
            },
        )
        assert response.status_code == 302
        page = client.get(url).content.decode()
        assert "Terlampir daftar penerima." in page and "daftar.pdf" in page
        download = client.get(url + "dokumen/")
        assert download.status_code == 200 and download.getvalue() == b"%PDF-1.4 daftar"
        assert download["Cache-Control"] == "no-store"
        assert Client().get("/interaksi/publik/lacak/" + "x" * 43 + "/dokumen/").status_code == 404
        # The document is not under MEDIA_ROOT, which the web server would hand to anyone.
        assert not list((tmp_path / "media").rglob("*.pdf"))
