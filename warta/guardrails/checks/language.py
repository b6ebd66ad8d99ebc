"""Abusive, hateful or SARA language, judged by the language engine's classifiers.

Each sentence is classified on its own so that a finding points at the sentence that
carries the problem; the whole text is classified too, for insults split over sentences.
"""

import logging
import re

from django.utils.translation import gettext as _

from warta.guardrails.checks.base import texts
from warta.guardrails.registry import CheckSubject, register
from warta.lib.findings import Finding, Severity

log = logging.getLogger(__name__)
_warned = False
SENTENCE = re.compile(r"[^.!?\n]+[.!?]*")
HATE_LABEL = {
    "religion": "agama",
    "race": "suku/ras",
    "physical": "fisik",
    "gender": "gender",
    "other": "kelompok",
}


def _analyze():  # type: ignore[no-untyped-def]
    try:
        from warta.language.api import analyze
    except ImportError:  # the language engine is not installed in this build
        return None
    return analyze


@register("language")
def check_language(subject: CheckSubject) -> list[Finding]:
    global _warned
    analyze = _analyze()
    if analyze is None:
        if not _warned:
            log.warning("warta.language.api is not available; the language check is skipped")
            _warned = True
        return []
    spans: list[tuple[str, int, int, str]] = []
    for field, text in texts(subject):
        for m in SENTENCE.finditer(text):
            piece = m.group(0)
            if piece.strip():
                lead = len(piece) - len(piece.lstrip())
                spans.append((field, m.start() + lead, m.end(), piece.strip()))
        spans.append((field, 0, len(text), text))
    if not spans:
        return []
    results = analyze([s[3] for s in spans])
    findings: list[Finding] = []
    flagged_fields: set[str] = set()
    for (field, start, end, piece), result in zip(spans, results, strict=True):
        whole = start == 0 and end == len(getattr(subject, field))
        if whole and field in flagged_fields:
            continue  # a sentence already carries the finding, with a tighter span
        if result.hate_speech:
            flagged_fields.add(field)
            category = HATE_LABEL.get(result.hate_category, "kelompok")
            findings.append(
                Finding(
                    check="language",
                    code="hate_speech",
                    severity=Severity.BLOCK,
                    message=_("Kalimat ini terbaca sebagai ujaran kebencian (SARA: %(c)s).")
                    % {"c": category},
                    hint=_("Tulis ulang tanpa menyerang atau merendahkan orang atau kelompok."),
                    field=field,
                    start=start,
                    end=start + len(piece),
                    data={"hate_category": result.hate_category, "hate_target": result.hate_target},
                )
            )
        elif result.abusive:
            flagged_fields.add(field)
            findings.append(
                Finding(
                    check="language",
                    code="abusive",
                    severity=Severity.APPROVAL,
                    message=_("Kalimat ini terbaca kasar atau menghina."),
                    hint=_(
                        "Pakai bahasa yang santun; akun pemerintah berbicara atas nama semua warga."
                    ),
                    field=field,
                    start=start,
                    end=start + len(piece),
                )
            )
    return findings
