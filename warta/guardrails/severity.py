"""Each region decides how much each finding weighs: block, needs approval, or advice."""

from dataclasses import replace

from django.utils.translation import gettext_lazy as _

from warta.lib.findings import Finding, Severity

# (check, code) -> (label, default severity); the codes the checks emit.
CATALOGUE: dict[tuple[str, str], tuple[object, str]] = {
    ("personal_data", "nik"): (_("NIK"), Severity.BLOCK),
    ("personal_data", "kk"): (_("Nomor Kartu Keluarga"), Severity.BLOCK),
    ("personal_data", "phone"): (_("Nomor telepon seluler"), Severity.BLOCK),
    ("personal_data", "email"): (_("Alamat surel perorangan"), Severity.APPROVAL),
    ("personal_data", "plate"): (_("Nomor polisi kendaraan"), Severity.APPROVAL),
    ("personal_data", "bank_account"): (_("Nomor rekening"), Severity.APPROVAL),
    ("personal_data", "address"): (_("Alamat rumah"), Severity.APPROVAL),
    ("media_consent", "consent_missing"): (_("Foto anak/warga tanpa persetujuan"), Severity.BLOCK),
    ("language", "hate_speech"): (_("Ujaran kebencian/SARA"), Severity.BLOCK),
    ("language", "abusive"): (_("Bahasa kasar"), Severity.APPROVAL),
    ("election", "party"): (_("Nama partai di masa pemilihan"), Severity.APPROVAL),
    ("election", "candidate"): (_("Nama calon di masa pemilihan"), Severity.APPROVAL),
    ("election", "slogan"): (_("Slogan kampanye"), Severity.APPROVAL),
    ("election", "gesture"): (_("Gestur kampanye"), Severity.APPROVAL),
    ("election", "ballot_number"): (_("Nomor urut/ajakan memilih"), Severity.APPROVAL),
    ("election", "incumbent_praise"): (
        _("Pujian untuk petahana yang mencalonkan diri"),
        Severity.APPROVAL,
    ),
    ("accessibility", "alt_text_missing"): (_("Gambar tanpa teks alternatif"), Severity.ADVICE),
    ("accessibility", "captions_missing"): (_("Video tanpa subtitle/transkrip"), Severity.ADVICE),
    ("strategy_rules", "hashtag_missing"): (_("Tagar wajib belum ada"), Severity.ADVICE),
    ("strategy_rules", "mention_missing"): (_("Sebutan wajib belum ada"), Severity.ADVICE),
    ("strategy_rules", "word_avoid"): (_("Kata yang dihindari"), Severity.ADVICE),
    ("strategy_rules", "tone_rule"): (_("Aturan gaya bahasa (pola)"), Severity.ADVICE),
    ("strategy_rules", "official_name"): (_("Salah tulis nama resmi"), Severity.ADVICE),
    ("links", "not_https"): (_("Tautan tanpa HTTPS"), Severity.ADVICE),
    ("links", "broken"): (_("Tautan tidak dapat dibuka"), Severity.ADVICE),
    ("links", "unverified"): (_("Tautan belum terverifikasi"), Severity.ADVICE),
    ("links", "internal_address"): (_("Tautan ke alamat internal"), Severity.APPROVAL),
    ("guardrails", "check_error"): (_("Pemeriksaan gagal berjalan"), Severity.APPROVAL),
}


def region_overrides(region_id: int) -> dict[tuple[str, str], str]:
    from warta.guardrails.models import SeverityRule

    return {
        (r.check_name, r.code): r.severity
        for r in SeverityRule.objects.filter(region_id=region_id).only(
            "check_name", "code", "severity"
        )
    }


def apply_region_severity(findings: list[Finding], region_id: int) -> list[Finding]:
    """Replace each finding's severity with the region's choice (code rule beats check rule).

    Findings of checks outside the catalogue (e.g. content's platform limits) keep theirs
    unless the region configured them.
    """
    if not findings:
        return findings
    overrides = region_overrides(region_id)
    if not overrides:
        return findings
    out = []
    for f in findings:
        level = overrides.get((f.check, f.code)) or overrides.get((f.check, ""))
        out.append(replace(f, severity=level) if level and level != f.severity else f)
    return out
