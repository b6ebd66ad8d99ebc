"""The agency's own strategy: mandatory hashtags and mentions, words to avoid, rule
patterns, official names spelled right. Tone rules are prose for people; the
patterns are how a coordinator turns a tone rule into a check."""

import difflib
import re

from django.utils.translation import gettext as _

from warta.guardrails.checks.base import texts
from warta.guardrails.registry import CheckSubject, register
from warta.lib.findings import Finding, Severity
from warta.strategy.schema import StrategyData

CHECK = "strategy_rules"


def strategy_for(subject: CheckSubject) -> StrategyData:
    """The agency's current strategy, memoised on the subject for the other checks."""
    cached = subject.extra.get("_strategy")
    if cached is None:
        from warta.institutions.models import Agency
        from warta.strategy.selectors import current_strategy

        agency = Agency.objects.select_related("region").get(pk=subject.agency_id)
        cached = current_strategy(agency).data
        subject.extra["_strategy"] = cached
    return cached  # type: ignore[return-value]


def _word(term: str) -> re.Pattern[str]:
    return re.compile(
        r"(?<!\w)" + r"\s+".join(re.escape(w) for w in term.split()) + r"(?!\w)", re.I
    )


def _near_misses(text: str, name: str, wrong: list[str]) -> list[tuple[int, int]]:
    """Spans that spell the official name wrongly: listed misspellings, wrong case, typos."""
    spans: list[tuple[int, int]] = []
    for variant in wrong:
        spans += [m.span() for m in _word(variant).finditer(text)]
    for m in _word(name).finditer(text):
        if m.group(0) != name and m.group(0).lower() == name.lower() and not name.islower():
            spans.append(m.span())
    size = len(name.split())
    words = list(re.finditer(r"\S+", text))
    target = name.lower()
    for i in range(len(words) - size + 1):
        start, end = words[i].start(), words[i + size - 1].end()
        candidate = text[start:end].rstrip(".,;:!?)\"'")
        low = candidate.lower()
        if low == target or abs(len(low) - len(target)) > 2 or low[:1] != target[:1]:
            continue
        if difflib.SequenceMatcher(None, low, target).ratio() >= 0.88:
            spans.append((start, start + len(candidate)))
    return sorted(set(spans))


@register(CHECK)
def check_strategy_rules(subject: CheckSubject) -> list[Finding]:
    data = strategy_for(subject)
    findings: list[Finding] = []
    caption = subject.caption
    for tag in data["hashtags"]:
        if not re.search(re.escape(tag) + r"(?!\w)", caption, re.I):
            findings.append(
                Finding(
                    check=CHECK,
                    code="hashtag_missing",
                    severity=Severity.ADVICE,
                    message=_("Tagar wajib %(t)s belum ada.") % {"t": tag},
                    hint=_("Tambahkan %(t)s di akhir keterangan.") % {"t": tag},
                    data={"tag": tag},
                )
            )
    for mention in data["mentions"]:
        if not re.search(re.escape(mention) + r"(?![\w.])", caption, re.I):
            findings.append(
                Finding(
                    check=CHECK,
                    code="mention_missing",
                    severity=Severity.ADVICE,
                    message=_("Sebutan wajib %(m)s belum ada.") % {"m": mention},
                    hint=_("Tambahkan %(m)s.") % {"m": mention},
                    data={"mention": mention},
                )
            )
    for field, text in texts(subject):
        for item in data["words_avoid"]:
            for m in _word(item["word"]).finditer(text):
                hint = (
                    (_("Ganti dengan “%(i)s”.") % {"i": item["instead"]})
                    if item["instead"]
                    else _("Hapus atau ganti kata ini.")
                )
                findings.append(
                    Finding(
                        check=CHECK,
                        code="word_avoid",
                        severity=Severity.ADVICE,
                        message=_("Kata “%(w)s” dihindari menurut strategi.") % {"w": m.group(0)},
                        hint=hint,
                        field=field,
                        start=m.start(),
                        end=m.end(),
                    )
                )
        for rule in data["rule_patterns"]:
            try:
                pattern = re.compile(rule["pattern"])
            except re.error:
                continue  # refused when saved; an old version may predate the check
            for m in list(pattern.finditer(text))[:20]:
                if m.end() == m.start():
                    continue
                findings.append(
                    Finding(
                        check=CHECK,
                        code="tone_rule",
                        severity=Severity.ADVICE,
                        message=rule["message"],
                        hint=_("Aturan gaya bahasa strategi; ubah bagian yang ditandai."),
                        field=field,
                        start=m.start(),
                        end=m.end(),
                        data={"pattern": rule["pattern"]},
                    )
                )
        for official in data["official_names"]:
            for start, end in _near_misses(text, official["name"], official["wrong"]):
                findings.append(
                    Finding(
                        check=CHECK,
                        code="official_name",
                        severity=Severity.ADVICE,
                        message=_("Penulisan nama resmi: “%(got)s”.") % {"got": text[start:end]},
                        hint=_("Tulis “%(n)s”.") % {"n": official["name"]},
                        field=field,
                        start=start,
                        end=end,
                        data={"name": official["name"]},
                    )
                )
    return findings
