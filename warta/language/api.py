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
from dataclasses import dataclass, field

from warta.language.normalize import MAX_CHARS, normalize_tokens
from warta.language.normalize import normalize as _normalize

__all__ = [
    "MAX_CHARS",
    "TextAnalysis",
    "Theme",
    "analyze",
    "analyze_one",
    "classify_posts",
    "group_themes",
    "normalize",
]

SENTIMENTS = ("negative", "neutral", "positive")
INTENTS = ("question", "complaint", "information_request", "suggestion", "praise", "other")
HATE_TARGETS = ("", "individual", "group")
HATE_CATEGORIES = ("", "religion", "race", "physical", "gender", "other")


@dataclass(frozen=True)
class TextAnalysis:
    sentiment: str  # "positive" / "neutral" / "negative"
    sentiment_score: float  # P(positive) - P(negative), in [-1, 1]
    abusive: bool
    hate_speech: bool
    hate_target: str  # "" / "individual" / "group"
    hate_category: str  # "" / "religion" / "race" / "physical" / "gender" / "other"
    intent: str  # one of INTENTS
    is_question: bool
    is_spam: bool
    emotion: str = ""  # "anger" / "fear" / "happy" / "love" / "sadness" ("" when unknown)
    # Probabilities behind `abusive` and `hate_speech`, for callers that want a stricter
    # cut-off than the model's (e.g. flag only above 0.8 in the inbox).
    abusive_score: float = 0.0
    hate_score: float = 0.0


@dataclass(frozen=True)
class Theme:
    label: str
    keywords: list[str] = field(default_factory=list)
    member_indexes: list[int] = field(default_factory=list)
    representative_indexes: list[int] = field(default_factory=list)


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
    from warta.language.backends import get_backend

    return get_backend().analyze(texts)


def analyze_one(text: str) -> TextAnalysis:
    """Return the analysis of one text."""
    if not isinstance(text, str):
        raise TypeError(f"text must be str, not {type(text).__name__}")
    return analyze([text])[0]


def classify_posts(captions: Sequence[str]) -> list[str]:
    """Return the `PostCategory` value of each government post caption."""
    captions = _check_texts(captions, "captions")
    if not captions:
        return []
    from warta.language.backends import get_backend

    return get_backend().classify_posts(captions)


def group_themes(texts: Sequence[str], *, max_themes: int = 12) -> list[Theme]:
    """Group short texts (public input) into at most `max_themes` themes, largest first."""
    texts = _check_texts(texts)
    if max_themes < 1:
        raise ValueError("max_themes must be at least 1")
    from warta.language.themes import group_themes as _group

    return _group(texts, max_themes=max_themes)


def tokens(text: str) -> list[str]:
    """Return the normalized tokens of a text, cut to MAX_CHARS (for other apps' rules)."""
    return normalize_tokens(text)
