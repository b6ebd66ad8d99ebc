"""Chromium plays the citizen and the officer: input with personal data and an insult goes
in; after the officer groups, answers and publishes (in place, no reload), the public
page shows none of it while the officer page still shows all of it.

Screenshots at 360 px and 1366 px land in var/screenshots (WARTA_SCREENSHOT_DIR).
See warta/core/tests/test_browser.py for why the ORM work happens before the browser.
"""

from collections.abc import Iterator
from datetime import timedelta
from typing import TYPE_CHECKING

import pytest
from django.utils import timezone

from warta.engagement import consultations as svc
from warta.engagement.models import Consultation, ConsultationInput, ConsultationTheme
from warta.testing.browser import needs_chromium, persistent_context
from warta.testing.browser import screenshot_dir as _screenshot_dir
from warta.testing.fixtures import PASSWORD, World

if TYPE_CHECKING:
    from playwright.sync_api import ViewportSize

pytestmark = [
    pytest.mark.browser,
    needs_chromium,
]
SIZES: dict[str, "ViewportSize"] = {
    "360": {"width": 360, "height": 780},
    "1366": {"width": 1366, "height": 900},
}
PERSONAL = (
    "Nama saya Budi Santoso, rumah saya di Jl. Merdeka No. 12 RT 03/RW 05, "
    "HP 0812-3456-7890. Dasar pejabat goblok, halte di depan rumah saya rusak parah!"
)
SECRETS = ["Budi Santoso", "Jl. Merdeka No. 12", "0812-3456-7890", "goblok"]


@pytest.fixture
def consultation(transactional_db: None, world: World) -> Consultation:
    now = timezone.now()
    return svc.consultation_create(
        agency=world.agency_a,
        actor=world.alice,
        title="Halte bus 2027",
        question="Halte mana yang perlu dibenahi?",
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=10),
    )


@pytest.fixture
def browser(monkeypatch: pytest.MonkeyPatch) -> Iterator[object]:
    with persistent_context(monkeypatch, viewport=SIZES["1366"]) as context:
        yield context


def _shots(page, name: str) -> None:  # type: ignore[no-untyped-def]
    out = _screenshot_dir()
    for size, viewport in SIZES.items():
        page.set_viewport_size(viewport)
        page.screenshot(path=str(out / f"{name}-{size}.png"), full_page=True)
    page.set_viewport_size(SIZES["1366"])


def test_the_public_never_sees_what_the_officer_sees(
    world: World,
    consultation: Consultation,
    live_server,  # type: ignore[no-untyped-def]
    browser,  # type: ignore[no-untyped-def]
) -> None:
    errors: list[str] = []
    public_url = f"{live_server.url}/interaksi/publik/{world.region.slug}/{consultation.pk}/"
    citizen = browser.new_page()  # type: ignore[attr-defined]
    citizen.on("pageerror", lambda e: errors.append(str(e)))
    for text in [PERSONAL, "Atap halte di pasar bocor kalau hujan"]:
        citizen.goto(public_url)
        citizen.fill("#id_text", text)
        citizen.wait_for_timeout(3200)  # a person takes longer than the 3 s minimum
        citizen.click("main form button[type=submit]")
        citizen.wait_for_url("**?terima=1")
        assert "Terima kasih" in citizen.content()
    assert ConsultationInput.objects.count() == 2
    _shots(citizen, "consultation-public-before")
    assert "Budi" not in citizen.locator("main").inner_text()

    officer = browser.new_page()  # type: ignore[attr-defined]
    officer.on("pageerror", lambda e: errors.append(str(e)))
    officer.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    officer.goto(f"{live_server.url}/masuk/")
    officer.fill("#id_username", "alice")
    officer.fill("#id_password", PASSWORD)
    officer.click("main button[type=submit]")
    officer.wait_for_url(f"{live_server.url}/")
    officer.goto(f"{live_server.url}/interaksi/konsultasi/{consultation.pk}/")
    officer.get_by_role("button", name="Kelompokkan masukan baru").click()
    officer.wait_for_load_state()
    theme = ConsultationTheme.objects.get()

    # From here on nothing reloads the page: a marker set now must survive.
    officer.evaluate("window.__stayed = true")
    officer.locator(f"#tema-{theme.pk} summary").click()
    officer.select_option(f"#tema-{theme.pk} select[name=answer]", "accepted")
    officer.fill(f"#tema-{theme.pk} textarea[name=answer_reason]", "Atap diganti tahun 2027.")
    officer.get_by_role("button", name="Simpan jawaban").click()
    officer.get_by_text("Jawaban disimpan.").wait_for()
    officer.fill(f"#tema-{theme.pk} input[name=label]", "Halte rusak dan bocor")
    officer.get_by_role("button", name="Ganti nama").click()
    officer.get_by_text("Tema diganti nama.").wait_for()
    assert officer.locator(f"#tema-{theme.pk} details").get_attribute("open") is not None
    officer.get_by_test_id(f"preview-{theme.pk}").click()
    officer.get_by_test_id("preview").wait_for()
    preview = officer.get_by_test_id("preview").inner_text()
    for secret in SECRETS:
        assert secret not in preview, secret
    assert "[nama disamarkan]" in preview
    _shots(officer, "consultation-officer-preview")
    officer.get_by_test_id("publish").click()
    officer.get_by_text("Tema diterbitkan di halaman publik.").wait_for()
    assert officer.evaluate("window.__stayed === true")
    officer_text = officer.locator("main").inner_text()
    for secret in SECRETS:
        assert secret in officer_text, secret
    _shots(officer, "consultation-officer")

    citizen.goto(public_url)
    shown = citizen.locator("main").inner_text()
    assert "Halte rusak dan bocor" in shown and "Atap diganti tahun 2027." in shown
    assert "halte di depan rumah saya rusak parah" in shown
    for secret in SECRETS:
        assert secret not in shown, secret
    _shots(citizen, "consultation-public-after")
    assert not errors, errors


def test_a_citizen_requests_information_follows_it_and_objects(
    world: World,
    transactional_db: None,
    live_server,  # type: ignore[no-untyped-def]
    browser,  # type: ignore[no-untyped-def]
) -> None:
    from warta.engagement import ppid
    from warta.engagement.models import InformationRequest, Objection

    errors: list[str] = []
    page = browser.new_page()  # type: ignore[attr-defined]
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{live_server.url}/interaksi/publik/{world.region.slug}/ppid/")
    page.get_by_role("link", name="Dinas Kesehatan").click()
    page.wait_for_load_state()
    page.get_by_role("button", name="Kirim permohonan").click()  # nothing filled in
    page.get_by_text("Periksa kembali isian berikut").wait_for()
    _shots(page, "ppid-request-errors")
    page.fill("#id_name", "Siti Aminah")
    page.fill("#id_id_number", "6474014101900003")
    page.fill("#id_address", "Jl. Mawar No. 3, Bontang Baru")
    page.fill("#id_email", "siti@example.id")
    page.fill("#id_information", "Daftar penerima bantuan sosial 2026")
    page.fill("#id_purpose", "Memastikan keluarga kami terdaftar")
    page.check("#id_access_method_1")
    page.check("#id_delivery_1")
    _shots(page, "ppid-request-form")
    page.wait_for_timeout(3200)
    page.get_by_role("button", name="Kirim permohonan").click()
    page.get_by_test_id("receipt").wait_for()
    link = page.get_by_test_id("tracking-link").inner_text().strip()
    assert "/interaksi/publik/lacak/" in link
    _shots(page, "ppid-receipt")
    request = InformationRequest.objects.get()
    assert page.get_by_test_id("register-number").inner_text() == request.register_number
    assert "6474014101900003" not in page.content() and "Jl. Mawar" not in page.content()

    ppid.info_request_respond(
        request=request,
        status="refused",
        response="Daftar memuat data pribadi penerima.",
        exemption_reason="Pasal 17 huruf h UU 14/2008.",
        actor=world.alice,
    )
    page.goto(link.replace("http://127.0.0.1:8000", live_server.url))
    assert page.get_by_test_id("status").inner_text() == "Ditolak"
    assert "Pasal 17 huruf h" in page.content()
    page.check("#id_reason_0")
    page.fill("#id_statement", "Saya hanya minta nama kelurahan, bukan NIK.")
    page.get_by_role("button", name="Ajukan keberatan").click()
    page.get_by_text("Keberatan Anda sudah kami terima.").wait_for()
    _shots(page, "ppid-tracking")
    assert Objection.objects.get().request == request
    page.goto(f"{live_server.url}/interaksi/publik/{world.region.slug}/ppid/laporan/")
    assert "Dinas Kesehatan" in page.locator("table").inner_text()
    assert "Siti" not in page.content()
    _shots(page, "ppid-report")

    from warta.engagement import dip

    dip.dip_entry_save(
        actor=world.alice,
        agency=world.agency_a,
        title="Laporan realisasi anggaran 2025",
        summary="Realisasi belanja per program",
        category="periodic",
        format="PDF",
        retention="10 tahun",
    )
    dip.dip_entry_save(
        actor=world.alice,
        agency=world.agency_a,
        title="Rekam medis pasien puskesmas",
        summary="",
        category="excepted",
        legal_basis="UU 14/2008 Pasal 17 huruf h",
        consequence="Membuka rahasia pribadi pasien; dilindungi UU Kesehatan.",
    )
    page.goto(f"{live_server.url}/interaksi/publik/{world.region.slug}/dip/?q=anggaran")
    assert "Laporan realisasi anggaran 2025" in page.content()
    assert "Rekam medis" not in page.content()
    page.goto(f"{live_server.url}/interaksi/publik/{world.region.slug}/dip/")
    _shots(page, "dip-public")
    assert not errors, errors
