"""Linear text models over word and character n-grams, stored as plain numpy arrays.

A model file (`.npz`, loaded with `allow_pickle=False`) holds one vocabulary, its idf
weights and one or more "heads" (weight columns plus a bias each). Features are the
same in training and at run time because both use `Featurizer` below:

- word unigrams and bigrams of the normalized tokens,
- character 2..5-grams inside each word padded with spaces (like scikit-learn's
  `char_wb`), which makes the models robust to spelling variants,
- binary term frequency times idf, L2-normalized per text.

Run-time scoring needs only numpy: per-word feature lists are cached, and a batch is
scored with one gather and one segment sum per file.
"""

import itertools
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

WORD = "\x01"
PAIR = "\x02"
CHAR_MIN, CHAR_MAX = 2, 5
MAX_WORD_CHARS = 24


def word_grams(token: str) -> list[str]:
    """Return the features one token contributes on its own."""
    padded = f" {token[:MAX_WORD_CHARS]} "
    grams = [WORD + token]
    length = len(padded)
    for n in range(CHAR_MIN, CHAR_MAX + 1):
        grams.extend(padded[i : i + n] for i in range(length - n + 1))
    return grams


def text_grams(tokens: Sequence[str]) -> list[str]:
    """Return every feature string of a tokenized text (used when building vocabularies)."""
    grams: list[str] = []
    for token in tokens:
        grams.extend(word_grams(token))
    grams.extend(a + PAIR + b for a, b in itertools.pairwise(tokens))
    return grams


class Featurizer:
    """Map tokenized texts to sorted, de-duplicated feature indexes of one vocabulary."""

    def __init__(self, terms: Iterable[str]) -> None:
        self.index: dict[str, int] = {term: i for i, term in enumerate(terms)}
        self.size = len(self.index)
        self._word_cache: dict[str, tuple[int, ...]] = {}

    def _word(self, token: str) -> tuple[int, ...]:
        found = self._word_cache.get(token)
        if found is None:
            get = self.index.get
            found = tuple(i for g in word_grams(token) if (i := get(g)) is not None)
            if len(self._word_cache) > 300_000:
                self._word_cache.clear()
            self._word_cache[token] = found
        return found

    def indexes(self, tokens: Sequence[str]) -> list[int]:
        feats: set[int] = set()
        word = self._word
        for token in tokens:
            feats.update(word(token))
        get = self.index.get
        for a, b in itertools.pairwise(tokens):
            i = get(a + PAIR + b)
            if i is not None:
                feats.add(i)
        return sorted(feats)


@dataclass(frozen=True)
class Head:
    name: str
    labels: tuple[str, ...]
    start: int
    stop: int


class LinearModelFile:
    """One model file: a vocabulary, idf and a stacked weight matrix of several heads."""

    def __init__(self, path: Path) -> None:
        with np.load(path, allow_pickle=False) as data:
            meta = json.loads(bytes(data["meta"]).decode("utf-8"))
            terms = bytes(data["vocab"]).decode("utf-8").split("\n")
            idf = data["idf"].astype(np.float32)
            weights = data["weights"].astype(np.float32)
            self.bias = data["bias"].astype(np.float32)
        self.meta: dict = meta
        self.path = path
        self.featurizer = Featurizer(terms)
        # One extra row (idf 0, weights 0) is appended to every text so that empty
        # texts still have a segment; they score the bias alone.
        self.pad = len(terms)
        self.idf = np.append(idf, np.float32(0.0))
        self.weights = np.vstack([weights, np.zeros((1, weights.shape[1]), np.float32)])
        self.heads: dict[str, Head] = {}
        for head in meta["heads"]:
            self.heads[head["name"]] = Head(
                head["name"], tuple(head["labels"]), head["start"], head["stop"]
            )

    def scores(self, token_lists: Sequence[Sequence[str]]) -> np.ndarray:
        """Return raw scores (texts x all head columns)."""
        n = len(token_lists)
        indexes: list[int] = []
        starts = np.empty(n, dtype=np.int64)
        featurize = self.featurizer.indexes
        pad = self.pad
        for row, tokens in enumerate(token_lists):
            starts[row] = len(indexes)
            indexes.extend(featurize(tokens))
            indexes.append(pad)
        idx = np.asarray(indexes, dtype=np.int64)
        values = self.idf[idx]
        lengths = np.diff(np.append(starts, len(idx)))
        rows = np.repeat(np.arange(n), lengths)
        norms = np.sqrt(np.bincount(rows, weights=values * values, minlength=n))
        norms[norms == 0] = 1.0
        sums = np.add.reduceat(self.weights[idx] * values[:, None], starts, axis=0)
        return sums / norms[:, None].astype(np.float32) + self.bias

    def head_scores(self, scores: np.ndarray, name: str) -> np.ndarray:
        head = self.heads[name]
        return scores[:, head.start : head.stop]


def softmax(scores: np.ndarray) -> np.ndarray:
    shifted = scores - scores.max(axis=1, keepdims=True)
    exp = np.exp(shifted)
    return exp / exp.sum(axis=1, keepdims=True)


def sigmoid(scores: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-scores))
