"""The inbox's door to the language engine (`warta.language.api`, see docs/contracts.md).

Everything the inbox asks of the engine goes through here, in batches. When the engine is
not installed (or fails), items are stored unannotated and the periodic annotation job
picks them up later: a comment is never lost because a classifier is missing.
"""

import hashlib
import logging
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

logger = logging.getLogger(__name__)

# Intents that ask the agency for an answer: these get a first-response target.
NEEDS_ANSWER = frozenset({"question", "complaint", "information_request"})
INTENTS = frozenset(
    {"question", "complaint", "information_request", "suggestion", "praise", "other"}
)


@dataclass(frozen=True)
class Annotation:
    sentiment: str
    is_abusive: bool
    is_hate_speech: bool
    intent: str
    is_spam: bool


def _language_api() -> Any | None:
    try:
        from warta.language import api
    except ImportError:
        return None
    return api


def annotate(texts: Sequence[str]) -> list[Annotation] | None:
    """Annotations for the texts in order, or None when the engine is unavailable."""
    api = _language_api()
    if api is None or not texts:
        return None if api is None else []
    # Identical texts ("mantap", emoji, spam floods) are analysed once per batch.
    unique = list(dict.fromkeys(texts))
    try:
        analysed = dict(zip(unique, api.analyze(unique), strict=True))
    except Exception:  # the engine's failure must not lose the comments
        logger.exception("language engine failed on a batch of %d texts", len(texts))
        return None
    # Sentiment the fast path is unsure of is re-scored in the background (warta[encoder]).
    unsure = [t for t, r in analysed.items() if getattr(r, "sentiment_uncertain", False)]
    if unsure:
        from warta.language.tasks import schedule_rescore

        schedule_rescore("engagement.InboxItem", unsure)
    # Annotations take few distinct values: each is made once per batch and shared
    # (they are frozen), which costs less than one per text.
    made: dict[tuple[str, bool, bool, str, bool], Annotation] = {}
    by_text = {}
    for text, r in analysed.items():
        values = (
            r.sentiment if r.sentiment in {"positive", "neutral", "negative"} else "",
            bool(r.abusive),
            bool(r.hate_speech),
            r.intent if r.intent in INTENTS else "other",
            bool(r.is_spam),
        )
        annotation = made.get(values)
        if annotation is None:
            annotation = made[values] = Annotation(*values)
        by_text[text] = annotation
    return [by_text[text] for text in texts]


_SPACE = re.compile(r"\s+")
_INVISIBLE = {"Cf", "Cc"}  # zero-width, bidi overrides, control characters


def normalize(text: str) -> str:
    """Text reduced for comparison (de-duplication), never for display."""
    api = _language_api()
    if api is not None:
        try:
            text = api.normalize(text)
        except Exception:
            logger.exception("language engine normalize failed")
    text = unicodedata.normalize("NFKC", text)
    text = "".join(ch for ch in text if unicodedata.category(ch) not in _INVISIBLE or ch == " ")
    return _SPACE.sub(" ", text).strip().casefold()


def text_key(text: str) -> str:
    return hashlib.sha256(normalize(text).encode("utf-8", "surrogatepass")).hexdigest()


@dataclass(frozen=True)
class ThemeGroup:
    label: str
    keywords: list[str]
    member_indexes: list[int]
    representative_indexes: list[int]


def group_themes(texts: Sequence[str], *, max_themes: int = 12) -> list[ThemeGroup]:
    """Themes over the texts; without the engine, one theme holding everything."""
    if not texts:
        return []
    api = _language_api()
    if api is not None:
        try:
            themes = api.group_themes(list(texts), max_themes=max_themes)
            return [
                ThemeGroup(
                    label=str(t.label)[:200],
                    keywords=[str(k) for k in t.keywords][:10],
                    member_indexes=[i for i in t.member_indexes if 0 <= i < len(texts)],
                    representative_indexes=[
                        i for i in t.representative_indexes if 0 <= i < len(texts)
                    ][:3],
                )
                for t in themes
            ]
        except Exception:
            logger.exception("language engine group_themes failed")
    everyone = list(range(len(texts)))
    return [
        ThemeGroup(
            label="Masukan",
            keywords=[],
            member_indexes=everyone,
            representative_indexes=everyone[:3],
        )
    ]
