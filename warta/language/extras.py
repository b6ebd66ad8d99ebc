"""Extra features a model file asks for by name (`meta["extras"]`), beside the n-grams.

They carry knowledge that n-grams of a few thousand examples cannot: which words are
polar (so that "tidak amburadul" reads as positive although the pair was never seen),
how long a text is, whether it uses known abusive words or asks something. The same
functions run in training and at run time. Extra feature names start with "\\x03" so
they never collide with n-grams.
"""

from collections.abc import Callable, Sequence
from typing import Any

from warta.language import rules

Extras = Callable[[Sequence[str]], list[str]]

NEGATORS = frozenset({"tidak", "bukan", "kurang", "belum", "jangan", "tanpa"})
# "tidak terlalu enak", "bukan main ...": look one word further past these.
INTENSIFIERS = frozenset(
    {"terlalu", "begitu", "sangat", "banget", "cukup", "pernah", "ada", "pula"}
)
MARK = "\x03"
# Particles that often mark praise as ironic ("wah hebat ya", "makasih lho").
IRONY_MARKERS = frozenset({"wah", "wih", "ya", "lho", "deh", "kok", "bener", "kali"})


# Names made once: these functions run three times per analysed text.
_LENGTHS = tuple(f"{MARK}len{size}" for size in range(4))
_POS, _NEG, _NEGPOS, _NEGNEG = (f"{MARK}{name}" for name in ("pos", "neg", "negpos", "negneg"))
_POSNEG, _POSNEG_MARKED = f"{MARK}posneg", f"{MARK}posneg_marked"


def _length(tokens: Sequence[str]) -> str:
    n = len(tokens)
    return _LENGTHS[0 if n < 3 else 1 if n < 6 else 2 if n < 15 else 3]


def polarity_extras(meta: dict[str, Any]) -> Extras:
    positive = frozenset(meta.get("positive_words", ()))
    negative = frozenset(meta.get("negative_words", ()))
    polar = positive | negative

    def extras(tokens: Sequence[str]) -> list[str]:
        found = [_length(tokens)]
        if polar.isdisjoint(tokens):  # most texts: the loop would add nothing
            return found
        negated = False
        for i, token in enumerate(tokens):
            if token in NEGATORS:
                negated = True
                continue
            if negated and token in INTENSIFIERS and i + 1 < len(tokens):
                continue
            if token in positive:
                found.append(_NEGPOS if negated else _POS)
            elif token in negative:
                found.append(_NEGNEG if negated else _NEG)
            negated = False
        # Praise beside a plain problem is how sarcasm reads ("keren, trotoar baru
        # langsung jadi parkiran"); the model learns how much that weighs.
        if _POS in found and _NEG in found:
            found.append(_POSNEG)
            if IRONY_MARKERS.intersection(tokens):
                found.append(_POSNEG_MARKED)
        return found

    return extras


def _group_names(groups: dict[str, frozenset[str]]) -> Callable[[set[str]], list[str]]:
    """Return a function giving the names of the groups any of some words belongs to.

    In the groups' order, as a loop over the groups would; from the bit masks of the
    few words of the text in any group (half the loop's cost: these run on every text).
    """
    bits: dict[str, int] = {}
    for bit, words in enumerate(groups.values()):
        for word in words:
            bits[word] = bits.get(word, 0) | 1 << bit
    listed = frozenset(bits)
    names = list(groups)
    by_mask = [
        [name for bit, name in enumerate(names) if mask & 1 << bit]
        for mask in range(1 << len(names))
    ]

    def named(words: set[str]) -> list[str]:
        mask = 0
        for word in listed.intersection(words):
            mask |= bits[word]
        return by_mask[mask]

    return named


def abuse_extras(meta: dict[str, Any]) -> Extras:
    abusive = rules.ABUSIVE_WORDS
    hit_names = ("", f"{MARK}abusive1", f"{MARK}abusive2")
    groups = _group_names(
        {f"{MARK}group_{name}": words for name, words in rules.GROUP_WORDS.items()}
    )
    mention = f"{MARK}mention"

    def extras(tokens: Sequence[str]) -> list[str]:
        found = [_length(tokens)]
        if not abusive.isdisjoint(tokens):
            found.append(hit_names[min(sum(t in abusive for t in tokens), 2)])
        token_set = set(tokens)
        found += groups(token_set)
        if "user" in token_set:
            found.append(mention)
        return found

    return extras


def message_extras(meta: dict[str, Any]) -> Extras:
    """Rule signals for the small intent and post-category sets."""
    groups = _group_names(
        {
            f"{MARK}complaint": rules.COMPLAINT_WORDS,
            f"{MARK}request": rules.REQUEST_WORDS,
            f"{MARK}suggestion": rules.SUGGESTION_WORDS,
            f"{MARK}positive": rules.POSITIVE_WORDS,
            f"{MARK}negative": rules.NEGATIVE_WORDS,
            f"{MARK}spam": rules.SPAM_WORDS,
        }
    )
    question = f"{MARK}question"

    def extras(tokens: Sequence[str]) -> list[str]:
        found = [_length(tokens)]
        if rules.is_question(tokens):
            found.append(question)
        found += groups(set(tokens))
        return found

    return extras


def post_extras(meta: dict[str, Any]) -> Extras:
    from warta.language.posts import CATEGORY_WORDS

    def extras(tokens: Sequence[str]) -> list[str]:
        token_set = set(tokens)
        return [f"{MARK}{name}" for name, words in CATEGORY_WORDS if token_set & words]

    return extras


def _none(tokens: Sequence[str]) -> list[str]:
    return []


FACTORIES: dict[str, Callable[[dict[str, Any]], Extras]] = {
    "polarity": polarity_extras,
    "abuse": abuse_extras,
    "message": message_extras,
    "post": post_extras,
}


def extras_function(name: str, meta: dict[str, Any]) -> Extras:
    if not name:
        return _none
    return FACTORIES[name](meta)
