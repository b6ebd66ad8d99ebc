"""Personal data in a post (UU 27/2022 tentang Pelindungan Data Pribadi).

Every pattern is validated beyond its shape so that prices, dates, counts and the
agency's own published contacts are not flagged: a NIK must carry a real province
code and a real birth date; a phone number must be a mobile number; plates need a
real region prefix; bank accounts need a context word nearby.
"""

import re
from datetime import date

from django.utils.translation import gettext as _

from warta.guardrails.checks.base import mask, texts
from warta.guardrails.registry import CheckSubject, register
from warta.lib.findings import Finding, Severity

CHECK = "personal_data"

# Province codes (kode wilayah Kemendagri), incl. the Papua provinces of 2022.
PROVINCES = {
    11,
    12,
    13,
    14,
    15,
    16,
    17,
    18,
    19,
    21,
    31,
    32,
    33,
    34,
    35,
    36,
    51,
    52,
    53,
    61,
    62,
    63,
    64,
    65,
    71,
    72,
    73,
    74,
    75,
    76,
    81,
    82,
    91,
    92,
    93,
    94,
    95,
    96,
}

# 16 digits, contiguous or in 4-digit groups (6474 0123 4567 0001); not inside longer numbers
# nor part of a dotted/comma price (Rp1.000.000...).
SIXTEEN = re.compile(r"(?<![\d.,])(\d{4}[ .-]?\d{4}[ .-]?\d{4}[ .-]?\d{4})(?![\d]|[.,]\d)")
KK_CONTEXT = re.compile(r"\b(?:kk|no\.?\s*kk|kartu\s+keluarga)\b[\s:.#-]*$", re.I)
NIK_CONTEXT = re.compile(
    r"\b(?:nik|ktp|e-?ktp|no\.?\s*ktp|nomor\s+induk\s+kependudukan)\b[\s:.#-]*$", re.I
)

# Not inside a longer number: 350.080.000.000 is a price, not 080.000.000.
PHONE = re.compile(
    r"(?<![\w+(])(?<!\d[.,])(?:\(\+62\)|\+62|62|0)[\s.-]?(8\d{1,2})(?:[\s.-]?\d){6,10}(?![.,]?\d)"
)
EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]{1,64}@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,24}\b")
PLATE_PREFIXES = [
    "A",
    "B",
    "D",
    "E",
    "F",
    "G",
    "H",
    "K",
    "L",
    "M",
    "N",
    "P",
    "R",
    "S",
    "T",
    "W",
    "Z",
    "AA",
    "AB",
    "AD",
    "AE",
    "AG",
    "BA",
    "BB",
    "BD",
    "BE",
    "BG",
    "BH",
    "BK",
    "BL",
    "BM",
    "BN",
    "BP",
    "DA",
    "DB",
    "DC",
    "DD",
    "DE",
    "DG",
    "DH",
    "DK",
    "DL",
    "DM",
    "DN",
    "DR",
    "DS",
    "DT",
    "EA",
    "EB",
    "ED",
    "KB",
    "KH",
    "KT",
    "KU",
    "PA",
    "PB",
    "PG",
    "PT",
    "PY",
]
PLATE = re.compile(
    r"(?<![A-Za-z0-9])("
    + "|".join(sorted(PLATE_PREFIXES, key=len, reverse=True))
    + r")[ ]?(\d{1,4})[ ]?([A-Z]{1,3})(?![A-Za-z0-9])"
)
BANK_CONTEXT = re.compile(
    r"\b(?:rekening|rek|no\.?\s*rek|norek|a\.?\s?n\.?|atas\s+nama|virtual\s+account|va)\b", re.I
)
THOUSANDS = re.compile(r"\d{1,3}(?:\.\d{3})+")
ACCOUNT = re.compile(r"(?<![\d.,])\d(?:[ .-]?\d){7,17}(?![\d]|[.,]\d)")
ADDRESS = re.compile(
    r"\b(?:Jl|Jln|Jalan)\.?\s+[A-Z][\w'.-]*(?:\s+[A-Z0-9][\w'.-]*){0,5}"
    r"(?:\s*,?\s*(?:No\.?|Nomor|Gg\.?|Gang|Blok)\s*[\w/-]+)?"
    r"(?:\s*,?\s*RT\.?\s*\d{1,3}(?:\s*/\s*RW\.?\s*\d{1,3})?)?"
)
RT_RW = re.compile(r"\bRT\.?\s*\d{1,3}\s*/?\s*RW\.?\s*\d{1,3}\b", re.I)
HOUSE_NUMBER = re.compile(r"\b(?:No\.?|Nomor|Gg\.?|Gang|Blok)\s*[\w/-]+|\bRT\.?\s*\d", re.I)
# An address of a public place is fine to publish (an event venue, the office).
PUBLIC_PLACE = re.compile(
    r"\b(?:kantor|gedung|balai|aula|pendopo|masjid|gereja|pura|vihara|sekolah|sd|smp|sma|smk|"
    r"puskesmas|rsud|rumah\s+sakit|stadion|lapangan|taman|pasar|terminal|pelabuhan|bandara|"
    r"hotel|mal|lokasi|tempat|kegiatan|acara|dinas|kecamatan|kelurahan|posyandu|kampus)\b",
    re.I,
)


def plausible_nik(digits: str, *, kk: bool = False) -> bool:
    """Province code, regency/city and district codes, birth (or issue) date, serial."""
    if len(digits) != 16 or not digits.isdigit():
        return False
    if int(digits[:2]) not in PROVINCES or digits[2:4] == "00" or digits[4:6] == "00":
        return False
    if digits[12:] == "0000":
        return False
    day, month, year = int(digits[6:8]), int(digits[8:10]), int(digits[10:12])
    if not kk and day > 40:
        day -= 40  # women: day + 40
    try:
        date(2000 + year, month, day)  # a leap year candidate; the century is not encoded
    except ValueError:
        try:
            date(1900 + year, month, day)
        except ValueError:
            return False
    return True


def _official(subject: CheckSubject) -> set[str]:
    given = subject.extra.get("official_contacts")
    if isinstance(given, (list, tuple)):
        return {_norm(str(c)) for c in given}
    from warta.guardrails.checks.strategy_rules import strategy_for

    return {_norm(c) for c in strategy_for(subject)["official_contacts"]}


def _norm(value: str) -> str:
    value = value.strip().lower()
    digits = re.sub(r"\D", "", value)
    if "@" not in value and len(digits) >= 8:
        return "0" + digits[2:] if digits.startswith("62") else digits
    return value


def _finding(
    code: str, severity: str, message: str, hint: str, field: str, start: int, end: int
) -> Finding:
    return Finding(
        check=CHECK,
        code=code,
        severity=severity,
        message=message,
        hint=hint,
        field=field,
        start=start,
        end=end,
    )


@register(CHECK)
def check_personal_data(subject: CheckSubject) -> list[Finding]:
    findings: list[Finding] = []
    official: set[str] | None = None

    def is_official(value: str) -> bool:
        nonlocal official
        if official is None:
            official = _official(subject)
        return _norm(value) in official

    for field, text in texts(subject):
        taken: list[tuple[int, int]] = []
        for m in SIXTEEN.finditer(text):
            digits = re.sub(r"\D", "", m.group(1))
            before = text[max(0, m.start() - 25) : m.start()]
            if KK_CONTEXT.search(before) and plausible_nik(digits, kk=True):
                code, label = "kk", _("nomor Kartu Keluarga")
            elif plausible_nik(digits) or (NIK_CONTEXT.search(before) and len(digits) == 16):
                code, label = "nik", _("NIK")
            else:
                continue
            taken.append(m.span(1))
            findings.append(
                _finding(
                    code,
                    Severity.BLOCK,
                    _(
                        "Tampaknya memuat %(what)s (%(masked)s): data pribadi yang dilindungi UU 27/2022."
                    )
                    % {"what": label, "masked": mask(digits)},
                    _(
                        "Hapus nomornya, atau samarkan (mis. 6474xxxxxxxxxx01) bila memang perlu dirujuk."
                    ),
                    field,
                    *m.span(1),
                )
            )
        for m in PHONE.finditer(text):
            if any(s <= m.start() < e for s, e in taken) or is_official(m.group(0)):
                continue
            if re.search(r"(?:rp|idr)\.?\s*$", text[max(0, m.start() - 5) : m.start()], re.I):
                continue  # a price: Rp 62.812.500.000
            taken.append(m.span())
            findings.append(
                _finding(
                    "phone",
                    Severity.BLOCK,
                    _("Memuat nomor telepon seluler pribadi (%(masked)s).")
                    % {"masked": mask(m.group(0))},
                    _(
                        "Hapus nomor pribadi; pakai kontak resmi instansi (daftarkan di strategi sebagai "
                        "kontak resmi bila nomor ini memang layanan resmi)."
                    ),
                    field,
                    *m.span(),
                )
            )
        for m in EMAIL.finditer(text):
            address = m.group(0)
            domain = address.rsplit("@", 1)[1].lower()
            if domain.endswith(".go.id") or is_official(address):
                continue
            findings.append(
                _finding(
                    "email",
                    Severity.APPROVAL,
                    _("Memuat alamat surel perorangan (%(masked)s).") % {"masked": mask(address)},
                    _("Pakai alamat surel resmi instansi (…go.id) atau hapus."),
                    field,
                    *m.span(),
                )
            )
        for m in PLATE.finditer(text):
            if m.group(1) in ("S", "D") and m.group(2) in ("1", "2", "3", "4"):
                continue  # academic degrees: S2 UI, D3 Teknik
            findings.append(
                _finding(
                    "plate",
                    Severity.APPROVAL,
                    _("Memuat nomor polisi kendaraan (%(p)s).") % {"p": m.group(0)},
                    _("Samarkan pelat nomor di teks dan di foto, kecuali kendaraan dinas."),
                    field,
                    *m.span(),
                )
            )
        for m in ACCOUNT.finditer(text):
            if any(s <= m.start() < e for s, e in taken):
                continue
            if THOUSANDS.fullmatch(m.group(0)) or re.search(
                r"(?:rp|idr)\.?\s*$", text[max(0, m.start() - 5) : m.start()], re.I
            ):
                continue  # an amount: Rp 10.000.000
            near = text[max(0, m.start() - 30) : m.start()]
            if not BANK_CONTEXT.search(near) or is_official(m.group(0)):
                continue
            findings.append(
                _finding(
                    "bank_account",
                    Severity.APPROVAL,
                    _("Memuat nomor rekening (%(masked)s).") % {"masked": mask(m.group(0))},
                    _(
                        "Hapus rekening pribadi; rekening resmi (kas daerah, retribusi) daftarkan sebagai "
                        "kontak resmi di strategi."
                    ),
                    field,
                    *m.span(),
                )
            )
        for m in ADDRESS.finditer(text):
            found = m.group(0)
            if not HOUSE_NUMBER.search(found) and not RT_RW.search(text[m.end() : m.end() + 25]):
                continue  # a street name alone ("di Jalan Ahmad Yani") is not an address
            around = text[max(0, m.start() - 60) : m.end() + 20]
            if PUBLIC_PLACE.search(around) or is_official(found):
                continue
            findings.append(
                _finding(
                    "address",
                    Severity.APPROVAL,
                    _("Memuat alamat rumah (%(a)s).") % {"a": found},
                    _("Jangan muat alamat pribadi warga; sebut kelurahan/kecamatan saja."),
                    field,
                    *m.span(),
                )
            )
    return findings
