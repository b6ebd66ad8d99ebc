"""warta's Indonesian language engine: the one API other apps call.

    from warta.language import api
    api.normalize("gk jelas bgt min")            # "tidak jelas banget admin"
    api.analyze(["Pelayanannya cepat, makasih!"])  # [TextAnalysis(sentiment="positive", ...)]
    api.classify_posts(["Wali Kota meninjau ..."])  # ["activity"]
    api.group_themes(public_inputs)                # [Theme(label=..., member_indexes=...)]

Everything runs offline from the model files shipped in `warta/language/models/`; a
site may configure another backend (for example a transformer from a local path) with
the `WARTA_LANGUAGE_BACKEND` setting, see `backends.py`.

Bad input: a non-str raises TypeError with a clear message; empty strings, binary
junk, mixed scripts and emoji floods return a defined result; texts longer than
`MAX_CHARS` characters are cut before classification.
"""

from collections.abc import Sequence

from warta.language import themes
from warta.language.backends import get_backend
from warta.language.normalize import MAX_CHARS, normalize_tokens
from warta.language.normalize import normalize as _normalize
from warta.language.results import (
    HATE_CATEGORIES,
    HATE_TARGETS,
    INTENTS,
    SENTIMENTS,
    TextAnalysis,
    Theme,
)

__all__ = [
    "HATE_CATEGORIES",
    "HATE_TARGETS",
    "INTENTS",
    "MAX_CHARS",
    "SENTIMENTS",
    "TextAnalysis",
    "Theme",
    "analyze",
    "analyze_one",
    "classify_posts",
    "group_themes",
    "normalize",
    "rescore_sentiment",
    "second_pass_available",
]


def _check_texts(texts: Sequence[str], what: str = "texts") -> list[str]:
    if isinstance(texts, str | bytes):
        raise TypeError(f"{what} must be a sequence of str, not a single {type(texts).__name__}")
    texts = list(texts)
    for position, text in enumerate(texts):
        if not isinstance(text, str):
            raise TypeError(
                f"{what}[{position}] must be str, not {type(text).__name__}; "
                "decode bytes before analysing them"
            )
    return texts


def normalize(text: str) -> str:
    """Return the normalized form of one informal Indonesian text."""
    if not isinstance(text, str):
        raise TypeError(f"text must be str, not {type(text).__name__}")
    return _normalize(text)


def analyze(texts: Sequence[str]) -> list[TextAnalysis]:
    """Return one analysis per text, in order."""
    texts = _check_texts(texts)
    if not texts:
        return []
    return get_backend().analyze(texts)


def analyze_one(text: str) -> TextAnalysis:
    """Return the analysis of one text."""
    if not isinstance(text, str):
        raise TypeError(f"text must be str, not {type(text).__name__}")
    return analyze([text])[0]


def second_pass_available() -> bool:
    """True when the optional sentiment second pass (`warta[encoder]`) can run here."""
    from warta.language import encoder

    return encoder.head() is not None and hasattr(get_backend(), "rescore_sentiment")


def rescore_sentiment(texts: Sequence[str]) -> list[TextAnalysis] | None:
    """The analyses with the second pass's sentiment, or None where it cannot run.

    Slow (15-40 ms of CPU a text on one core): for the texts `analyze` marked
    `sentiment_uncertain`, in a background task (`warta.language.tasks`).
    """
    texts = _check_texts(texts)
    rescore = getattr(get_backend(), "rescore_sentiment", None)
    if rescore is None or not texts:
        return None if rescore is None else []
    result: list[TextAnalysis] | None = rescore(texts)
    return result


def classify_posts(captions: Sequence[str]) -> list[str]:
    """Return the `PostCategory` value of each government post caption."""
    captions = _check_texts(captions, "captions")
    if not captions:
        return []
    return get_backend().classify_posts(captions)


def group_themes(texts: Sequence[str], *, max_themes: int = 12) -> list[Theme]:
    """Group short texts (public input) into at most `max_themes` themes, largest first."""
    texts = _check_texts(texts)
    if max_themes < 1:
        raise ValueError("max_themes must be at least 1")
    return themes.group_themes(texts, max_themes=max_themes)


def tokens(text: str) -> list[str]:
    """Return the normalized tokens of a text, cut to MAX_CHARS (for other apps' rules)."""
    return normalize_tokens(text)
