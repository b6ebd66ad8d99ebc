"""Election neutrality (netralitas ASN) during a configured election period."""

import re
from datetime import date, datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy

from warta.guardrails.checks.base import texts
from warta.guardrails.registry import CheckSubject, register
from warta.lib import clock
from warta.lib.findings import Finding, Severity

CHECK = "election"
DEFAULT_GESTURES = [
    "salam satu jari",
    "salam dua jari",
    "salam tiga jari",
    "salam empat jari",
    "salam lima jari",
    "pose satu jari",
    "pose dua jari",
    "pose tiga jari",
    "acungkan jari",
    "simbol jari",
    "salam metal",
    "salam jempol",
]
BALLOT = re.compile(
    r"\b(?:nomor\s+urut|no\.?\s*urut|paslon(?:\s+no(?:mor)?\.?)?|"
    r"coblos(?:\s+no(?:mor)?\.?)?|pilih\s+no(?:mor)?\.?)\s*0?\d{1,2}\b",
    re.I,
)
PRAISE = re.compile(
    r"\b(?:hebat|terbaik|luar\s+biasa|sukses|berkat|jasa|lanjutkan|dua\s+periode|2\s+periode|"
    r"pemimpin\s+idaman|pilihan\s+rakyat|peduli\s+rakyat|bukti\s+nyata|terima\s+kasih|tak\s+tertandingi)\b",
    re.I,
)


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _terms(period) -> dict[str, list[str]]:  # type: ignore[no-untyped-def]
    parties: list[str] = []
    for line in _lines(period.parties):
        parties += [p.strip() for p in line.split("|")[:2] if len(p.strip()) >= 2]
    candidates = [line.split("|")[0].strip() for line in _lines(period.candidates)]
    return {
        "party": parties,
        "candidate": [c for c in candidates if c],
        "slogan": _lines(period.slogans),
        "gesture": DEFAULT_GESTURES + _lines(period.gestures),
        "incumbent": [line.split("|")[0].strip() for line in _lines(period.sitting_candidates)],
    }


def _pattern(term: str) -> re.Pattern[str]:
    words = [re.escape(w) for w in term.split()]
    # Short all-capital abbreviations (PMS, PNB) match only in capitals: "pms" is other words.
    flags = 0 if term.isupper() and len(term) <= 6 else re.I
    return re.compile(r"(?<!\w)" + r"\s+".join(words) + r"(?!\w)", flags)


def _sentence(text: str, start: int, end: int) -> str:
    """The sentence around a span: praise counts only next to the name."""
    left = max(text.rfind(c, 0, start) for c in ".!?\n") + 1
    rights = [i for i in (text.find(c, end) for c in ".!?\n") if i != -1]
    return text[left : min(rights) if rights else len(text)]


def active_period(region_id: int, on: date):  # type: ignore[no-untyped-def]
    from warta.guardrails.models import ElectionPeriod

    return ElectionPeriod.objects.filter(region_id=region_id, start__lte=on, end__gte=on).first()


def _subject_date(subject: CheckSubject) -> date:
    """The day the post goes out: its schedule if known, else today (region time)."""
    when = subject.extra.get("scheduled_at")
    if when is None and subject.variant_id is not None:
        from warta.content.models import PostVariant

        when = (
            PostVariant.objects.filter(pk=subject.variant_id)
            .values_list("scheduled_at", flat=True)
            .first()
        )
    if isinstance(when, datetime):
        return timezone.localdate(when) if timezone.is_aware(when) else when.date()
    if isinstance(when, date):
        return when
    return clock.localdate()


MESSAGES = {
    "party": (
        gettext_lazy("Menyebut partai politik “%(t)s” di masa pemilihan."),
        gettext_lazy("Hapus nama partai; akun pemerintah wajib netral."),
    ),
    "candidate": (
        gettext_lazy("Menyebut calon “%(t)s” di masa pemilihan."),
        gettext_lazy("Sebut jabatan dan program, bukan nama calon; bila perlu, minta persetujuan."),
    ),
    "slogan": (
        gettext_lazy("Memuat slogan kampanye “%(t)s”."),
        gettext_lazy("Hapus slogan kampanye."),
    ),
    "gesture": (
        gettext_lazy("Menggambarkan gestur/simbol kampanye “%(t)s”."),
        gettext_lazy("Hapus deskripsi gestur; periksa juga fotonya."),
    ),
    "ballot_number": (
        gettext_lazy("Menyebut nomor urut/ajakan memilih “%(t)s”."),
        gettext_lazy("Hapus nomor urut dan ajakan memilih."),
    ),
    "incumbent_praise": (
        gettext_lazy("Memuji petahana yang mencalonkan diri (“%(t)s”)."),
        gettext_lazy("Sampaikan capaian atas nama pemerintah daerah, tanpa pujian pribadi."),
    ),
}


@register(CHECK)
def check_election(subject: CheckSubject) -> list[Finding]:
    period = active_period(subject.region_id, _subject_date(subject))
    if period is None:
        return []
    terms = _terms(period)
    findings: list[Finding] = []

    seen: set[tuple[str, int, int]] = set()

    def add(code: str, field: str, start: int, end: int, text: str) -> None:
        if (field, start, end) in seen:  # e.g. a sitting head listed as a candidate too
            return
        seen.add((field, start, end))
        message, hint = MESSAGES[code]
        findings.append(
            Finding(
                check=CHECK,
                code=code,
                severity=Severity.APPROVAL,
                message=str(message % {"t": text[start:end]}),
                hint=str(hint),
                field=field,
                start=start,
                end=end,
                data={"period": period.name},
            )
        )

    for field, text in texts(subject):
        for name in terms["incumbent"]:
            for m in _pattern(name).finditer(text):
                if PRAISE.search(_sentence(text, m.start(), m.end())):
                    add("incumbent_praise", field, m.start(), m.end(), text)
                else:
                    add("candidate", field, m.start(), m.end(), text)
        for code in ("party", "candidate", "slogan", "gesture"):
            for term in terms[code]:
                for m in _pattern(term).finditer(text):
                    add(code, field, m.start(), m.end(), text)
        for m in BALLOT.finditer(text):
            add("ballot_number", field, m.start(), m.end(), text)
    return findings
