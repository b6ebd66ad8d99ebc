"""Theme labels a person would write ("Halte rusak di Bontang Kuala"), not keyword lists.

The language engine groups input and names each group by its keywords. Here the label
becomes a phrase taken from what citizens actually wrote: the shortest stretch of one
clause of a member's text that holds the most (and most typical) keywords, kept in the
citizen's own spelling and capitals. A stretch that touches anything the screening
flagged (a name, an address, an insult) is never used. When no stretch fits, the label
says honestly what it is: "Masukan tentang lampu dan jalan".
"""

import re
from collections.abc import Sequence

from django.utils.translation import gettext as _

from warta.engagement.screening import Span

MAX_WORDS = 8
MAX_CHARS = 80
CLAUSE = re.compile(r"[^.,;:!?\n()\"“”]+")
WORD = re.compile(r"[\w][\w'\u2019-]*")
# Words a label does not start or end with.
EDGE = frozenset(
    """
    yang dan di ke dari ini itu untuk dengan pada adalah ada juga saja sudah belum akan
    atau tapi tetapi karena agar supaya sangat sekali lebih masih saya aku kami kita
    kamu anda mohon tolong minta harap pak bu bapak ibu min admin nya deh dong sih kok
    ya yah kan lah pun tuh nih mas mbak kak bang gan
    """.split()  # noqa: SIM905 (a word list reads better as text)
)
OTHER = "lainnya"  # the engine's name for input with no content words
FILLER = frozenset({"mohon", "tolong", "minta", "harap", "min", "admin", "pak", "bu"})


def _windows(
    text: str, spans: Sequence[Span]
) -> list[tuple[int, int, list[str], list[tuple[int, int]]]]:
    """Each clause as (start, end, lower-cased words, word offsets), free of flagged spans."""
    out = []
    for clause in CLAUSE.finditer(text):
        words = list(WORD.finditer(clause.group(0)))
        if not words:
            continue
        offsets = [(clause.start() + w.start(), clause.start() + w.end()) for w in words]
        out.append((clause.start(), clause.end(), [w.group(0).lower() for w in words], offsets))
    return out


def _touches(start: int, end: int, spans: Sequence[Span]) -> bool:
    return any(s["start"] < end and start < s["end"] for s in spans)


def _best_phrase(
    keywords: Sequence[str], texts: Sequence[str], spans: Sequence[Sequence[Span]]
) -> str | None:
    weights: dict[str, float] = {}
    for rank, keyword in enumerate(keywords[:6]):
        for word in keyword.lower().split():
            weights.setdefault(word, float(6 - rank))
    best: tuple[float, str] | None = None
    for text, flagged in zip(texts, spans, strict=True):
        for _start, _end, words, offsets in _windows(text, flagged):
            n = len(words)
            for i in range(n):
                if words[i] in EDGE:
                    continue
                for j in range(i + 1, min(n, i + MAX_WORDS)):
                    if words[j] in EDGE:
                        continue
                    window = words[i : j + 1]
                    covered = {w for w in window if w in weights}
                    if not covered or (words[i] not in weights and words[j] not in weights):
                        continue
                    start, end = offsets[i][0], offsets[j][1]
                    if _touches(start, end, flagged):
                        continue
                    score = sum(weights[w] for w in covered) - 0.8 * len(window)
                    phrase = " ".join(text[start:end].split())
                    if len(phrase) > MAX_CHARS:
                        continue
                    if best is None or score > best[0]:
                        best = (score, phrase)
    if best is None:
        return None
    phrase = best[1]
    return phrase[0].upper() + phrase[1:]


def theme_label(
    keywords: Sequence[str], texts: Sequence[str], spans: Sequence[Sequence[Span]]
) -> str:
    """A short Indonesian phrase for a theme of `texts` (representatives first)."""
    words = [k for k in keywords if k.strip() and k.strip().lower() != OTHER]
    if words and texts:
        phrase = _best_phrase(words, texts, spans)
        if phrase and len(phrase.split()) >= 2:
            return phrase
    single = [k for k in words if " " not in k and k.lower() not in FILLER]
    if len(single) >= 2:
        return _("Masukan tentang %(a)s dan %(b)s") % {"a": single[0], "b": single[1]}
    if single:
        return _("Masukan tentang %(a)s") % {"a": single[0]}
    return _("Masukan lainnya")
