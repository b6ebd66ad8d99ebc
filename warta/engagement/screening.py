"""Screening of public input on arrival: personal data and abuse, found, highlighted, masked.

The guardrails' own checks do the finding (personal data: NIK, KK, phone, e-mail, home
address, plates, bank accounts; language: insults and SARA hate speech), so a citizen's
text is judged by the same rules as a post. Two things the guardrails do not look for in
posts (where officials are named on purpose) are added here: a person's name introduced
by context ("nama saya Budi Santoso", "Pak Joko", "a.n. Siti") and a bare RT/RW.

Nothing here changes the stored text. `segments` gives the officer the text with each
finding marked; `masked` gives the public the text with each finding replaced by a label.
"""

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypedDict

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from warta.guardrails.checks.language import check_language
from warta.guardrails.checks.personal_data import check_personal_data
from warta.guardrails.registry import CheckSubject

logger = logging.getLogger(__name__)


class Span(TypedDict):
    code: str
    start: int
    end: int


# The kinds the public sees in place of what was masked; officers see the kind too.
KINDS = {
    "nik": gettext_lazy("NIK"),
    "kk": gettext_lazy("nomor KK"),
    "phone": gettext_lazy("nomor telepon"),
    "email": gettext_lazy("surel"),
    "address": gettext_lazy("alamat"),
    "plate": gettext_lazy("nomor polisi"),
    "bank_account": gettext_lazy("nomor rekening"),
    "name": gettext_lazy("nama"),
    "abusive": gettext_lazy("kata kasar"),
    "hate_speech": gettext_lazy("ujaran SARA"),
}
PERSONAL = frozenset(KINDS) - {"abusive", "hate_speech"}

# Words that introduce a person; the capitalised words after them are taken as the name.
_NAME_CONTEXT = (
    r"nama\s+saya|namaku|nama\s+lengkap|saya|aku|bapak|ibu|pak|bu|mas|mbak|"
    r"kak|bang|sdr\.?|sdri\.?|sdra\.?|a\.\s?n\.?|atas\s+nama|tetangga\s+saya|"
    r"anak\s+saya|suami\s+saya|istri\s+saya"
)
_NAME_WORD = r"[A-Z][a-z'\u2019]+"
NAME = re.compile(
    rf"(?<![\w])(?i:{_NAME_CONTEXT})[\s:,]+((?:{_NAME_WORD})(?:\s+{_NAME_WORD}){{0,3}})"
)
# Capitalised words after such context that are not a person: roles, places, bodies.
NOT_A_NAME = frozenset(
    """
    warga masyarakat rakyat lurah camat wali walikota bupati gubernur presiden menteri
    kepala kadis dinas kantor pemkot pemda pemerintah dprd rt rw ketua bidan dokter guru
    polisi satpol tim petugas admin pejabat bontang kota kabupaten kelurahan kecamatan
    jalan jl gang terima mohon tolong minta sudah belum kami kita semua dan atau yang
    sangat sekali juga tidak bukan ada the saya aku ini itu senin selasa rabu kamis jumat
    sabtu minggu januari februari maret april mei juni juli agustus september oktober
    november desember allah tuhan hormat
    """.split()  # noqa: SIM905 (a word list reads better as text)
)
RT_RW = re.compile(r"\bRT\.?\s*\d{1,3}\s*/?\s*RW\.?\s*\d{1,3}\b", re.I)
# Hate speech against a group (SARA) is masked whole; "hate" aimed at one person is an
# insult, masked word by word so the complaint around it stays readable.
SARA = frozenset({"religion", "race", "gender", "physical"})
WORD = re.compile(r"\w+")


def _abusive_words() -> frozenset[str]:
    try:
        from warta.language.rules import ABUSIVE_WORDS
    except ImportError:
        return frozenset()
    return ABUSIVE_WORDS


def _names(text: str) -> list[Span]:
    spans: list[Span] = []
    for m in NAME.finditer(text):
        words = m.group(1).split()
        start = m.start(1)
        kept: list[str] = []
        for word in words:
            if word.lower().strip("'\u2019") in NOT_A_NAME:
                break
            kept.append(word)
        if not kept:
            continue
        end = start + len(" ".join(kept)) if len(kept) == len(words) else None
        if end is None:
            # Keep the original spacing: find where the last kept word ends.
            offset = start
            for word in kept:
                offset = text.index(word, offset) + len(word)
            end = offset
        spans.append({"code": "name", "start": start, "end": end})
    return spans


def _insult_words(text: str, start: int, end: int, code: str) -> list[Span]:
    """Within a sentence the classifier flagged, the abusive words; else the whole sentence."""
    lexicon = _abusive_words()
    words = [
        {"code": code, "start": start + m.start(), "end": start + m.end()}
        for m in WORD.finditer(text[start:end])
        if m.group(0).lower() in lexicon
    ]
    if words and code == "abusive":
        return words  # type: ignore[return-value]
    return [{"code": code, "start": start, "end": end}]


def _merge(spans: Sequence[Span]) -> list[Span]:
    """Sorted, without overlaps (the earlier, then longer, span wins)."""
    out: list[Span] = []
    for span in sorted(spans, key=lambda s: (s["start"], -s["end"])):
        if out and span["start"] < out[-1]["end"]:
            if span["end"] > out[-1]["end"] and span["code"] == out[-1]["code"]:
                out[-1] = {**out[-1], "end": span["end"]}
            continue
        out.append(span)
    return out


def screen(
    text: str,
    *,
    region_id: int,
    agency_id: int,
    language: bool = True,
    official_contacts: Sequence[str] | None = None,
) -> list[Span]:
    """Spans of personal data (and, with `language`, insults and SARA) in a text.

    The agency's own published contacts are not personal data (read from its strategy
    unless `official_contacts` is given).
    """
    if not text.strip():
        return []
    extra: dict[str, object] = {}
    if official_contacts is not None:
        extra["official_contacts"] = list(official_contacts)
    subject = CheckSubject(
        platform="manual", caption=text, region_id=region_id, agency_id=agency_id, extra=extra
    )
    spans: list[Span] = []
    for finding in check_personal_data(subject):
        if finding.start is not None and finding.end is not None:
            spans.append({"code": finding.code, "start": finding.start, "end": finding.end})
    spans.extend(_names(text))
    spans.extend(
        {"code": "address", "start": m.start(), "end": m.end()} for m in RT_RW.finditer(text)
    )
    if language:
        try:
            findings = check_language(subject)
        except Exception:  # a classifier failure must not lose the input
            logger.exception("language check failed while screening public input")
            findings = []
        for finding in findings:
            if finding.start is None or finding.end is None:
                continue
            code = finding.code
            if code == "hate_speech" and finding.data.get("hate_category") not in SARA:
                code = "abusive"
            spans.extend(_insult_words(text, finding.start, finding.end, code))
    return _merge(spans)


def mask_label(code: str) -> str:
    return "[" + _("%(kind)s disamarkan") % {"kind": KINDS.get(code, _("data"))} + "]"


def masked(text: str, spans: Sequence[Span] | None) -> str:
    """The text as the public may see it: each finding replaced by what kind it was."""
    if not spans:
        return text
    out, pos = [], 0
    for span in _merge(spans):
        out.append(text[pos : span["start"]])
        out.append(mask_label(span["code"]))
        pos = span["end"]
    out.append(text[pos:])
    return "".join(out)


@dataclass(frozen=True)
class Segment:
    text: str
    code: str = ""  # empty for plain text

    @property
    def kind(self) -> str:
        return str(KINDS.get(self.code, _("data"))) if self.code else ""

    @property
    def is_personal(self) -> bool:
        return self.code in PERSONAL


def segments(text: str, spans: Sequence[Span] | None) -> list[Segment]:
    """The text cut into plain and flagged pieces, for highlighting (the template escapes)."""
    if not spans:
        return [Segment(text)]
    out, pos = [], 0
    for span in _merge(spans):
        if span["start"] > pos:
            out.append(Segment(text[pos : span["start"]]))
        out.append(Segment(text[span["start"] : span["end"]], span["code"]))
        pos = span["end"]
    if pos < len(text):
        out.append(Segment(text[pos:]))
    return out


def has_personal_data(
    text: str,
    *,
    region_id: int,
    agency_id: int,
    official_contacts: Sequence[str] | None = None,
) -> list[str]:
    """The kinds of personal data in an officer's text (a theme label, an answer)."""
    spans = screen(
        text,
        region_id=region_id,
        agency_id=agency_id,
        language=False,
        official_contacts=official_contacts,
    )
    return sorted({str(KINDS[s["code"]]) for s in spans if s["code"] in PERSONAL})
