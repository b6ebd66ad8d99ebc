"""What the language engine returns: plain values, shared by `api` and the backends."""

from dataclasses import dataclass, field

SENTIMENTS = ("negative", "neutral", "positive")
INTENTS = (
    "question",
    "complaint",
    "information_request",
    "suggestion",
    "praise",
    "spam",
    "other",
)
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
    # True when the fast path is unsure of the sentiment and the optional second pass
    # (`warta.language.encoder`, a background task) can re-score it; never without it.
    sentiment_uncertain: bool = False


@dataclass(frozen=True)
class Theme:
    label: str
    keywords: list[str] = field(default_factory=list)
    member_indexes: list[int] = field(default_factory=list)
    representative_indexes: list[int] = field(default_factory=list)
