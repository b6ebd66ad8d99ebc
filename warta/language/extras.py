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


def _length(tokens: Sequence[str]) -> str:
    n = len(tokens)
    return f"{MARK}len{0 if n < 3 else 1 if n < 6 else 2 if n < 15 else 3}"


def polarity_extras(meta: dict[str, Any]) -> Extras:
    positive = frozenset(meta.get("positive_words", ()))
    negative = frozenset(meta.get("negative_words", ()))

    def extras(tokens: Sequence[str]) -> list[str]:
        found = [_length(tokens)]
        negated = False
        for i, token in enumerate(tokens):
            if token in NEGATORS:
                negated = True
                continue
            if negated and token in INTENSIFIERS and i + 1 < len(tokens):
                continue
            if token in positive:
                found.append(f"{MARK}negpos" if negated else f"{MARK}pos")
            elif token in negative:
                found.append(f"{MARK}negneg" if negated else f"{MARK}neg")
            negated = False
        # Praise beside a plain problem is how sarcasm reads ("keren, trotoar baru
        # langsung jadi parkiran"); the model learns how much that weighs.
        if f"{MARK}pos" in found and f"{MARK}neg" in found:
            found.append(f"{MARK}posneg")
            if IRONY_MARKERS.intersection(tokens):
                found.append(f"{MARK}posneg_marked")
        return found

    return extras


def abuse_extras(meta: dict[str, Any]) -> Extras:
    def extras(tokens: Sequence[str]) -> list[str]:
        found = [_length(tokens)]
        hits = sum(t in rules.ABUSIVE_WORDS for t in tokens)
        if hits:
            found.append(f"{MARK}abusive{min(hits, 2)}")
        token_set = set(tokens)
        for name, words in rules.GROUP_WORDS.items():
            if token_set & words:
                found.append(f"{MARK}group_{name}")
        if "user" in token_set:
            found.append(f"{MARK}mention")
        return found

    return extras


def message_extras(meta: dict[str, Any]) -> Extras:
    """Rule signals for the small intent and post-category sets."""
    groups = {
        "complaint": rules.COMPLAINT_WORDS,
        "request": rules.REQUEST_WORDS,
        "suggestion": rules.SUGGESTION_WORDS,
        "positive": rules.POSITIVE_WORDS,
        "negative": rules.NEGATIVE_WORDS,
        "spam": rules.SPAM_WORDS,
    }

    def extras(tokens: Sequence[str]) -> list[str]:
        found = [_length(tokens)]
        token_set = set(tokens)
        if rules.is_question(tokens):
            found.append(f"{MARK}question")
        for name, words in groups.items():
            if token_set & words:
                found.append(f"{MARK}{name}")
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
