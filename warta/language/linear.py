"""Linear text models over word and character n-grams, stored as plain numpy arrays.

A model file (`.npz`, loaded with `allow_pickle=False`) holds one vocabulary, its idf
weights and one or more "heads" (weight columns plus a bias each). Features are the
same in training and at run time because both use the functions below:

- word unigrams and bigrams of the normalized tokens,
- character 2..5-grams inside each word padded with spaces (like scikit-learn's
  `char_wb`), which makes the models robust to spelling variants,
- extra features named by the file (`extras.py`),
- each occurrence weighs its idf; a text's vector is divided by
  sqrt(sum over occurrences of idf^2).

That normalization is additive over words, which is what makes scoring fast: a word's
whole contribution (its n-grams' idf-weighted weight rows, and its share of the norm)
is computed once and cached as one row of a table, so a text costs one dictionary
look-up per word, bigram and extra, and a batch one gather and one segment sum.
"""

import itertools
import json
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from warta.language.extras import extras_function

WORD = "\x01"
PAIR = "\x02"
CHAR_MIN, CHAR_MAX = 2, 5
MAX_WORD_CHARS = 24
TABLE_ROWS = 200_000


def word_grams(token: str) -> list[str]:
    """Return the features one token contributes on its own."""
    padded = f" {token[:MAX_WORD_CHARS]} "
    grams = [WORD + token]
    length = len(padded)
    for n in range(CHAR_MIN, CHAR_MAX + 1):
        grams.extend(padded[i : i + n] for i in range(length - n + 1))
    return grams


def text_grams(tokens: Sequence[str]) -> list[str]:
    """Return every feature occurrence of a tokenized text, in order (with repeats)."""
    grams: list[str] = []
    for token in tokens:
        grams.extend(word_grams(token))
    grams.extend(a + PAIR + b for a, b in itertools.pairwise(tokens))
    return grams


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
            self.idf = data["idf"].astype(np.float32)
            self.weights = data["weights"].astype(np.float32)
            self.bias = data["bias"].astype(np.float32)
        self.meta: dict = meta
        self.path = path
        self.index: dict[str, int] = {term: i for i, term in enumerate(terms)}
        self.extras = extras_function(meta.get("extras", ""), meta)
        self.heads: dict[str, Head] = {
            h["name"]: Head(h["name"], tuple(h["labels"]), h["start"], h["stop"])
            for h in meta["heads"]
        }
        # The cache table is shared state: threads of one process take turns.
        self._lock = threading.RLock()
        self._reset_table()

    def _reset_table(self) -> None:
        # Row 0 stays zero: unknown words, bigrams and extras, and the padding row that
        # gives empty texts a segment (they score the bias alone).
        width = self.weights.shape[1]
        self._rows: dict[str, int] = {}
        self._vectors = np.zeros((1024, width), dtype=np.float32)
        self._norms = np.zeros(1024, dtype=np.float32)
        self._used = 1
        self._generation = getattr(self, "_generation", 0) + 1

    def _add_row(self, key: str, indexes: list[int]) -> int:
        if not indexes:
            self._rows[key] = 0
            return 0
        if self._used >= TABLE_ROWS:
            self._reset_table()
        if self._used >= len(self._norms):
            grow = len(self._norms)
            self._vectors = np.vstack([self._vectors, np.zeros_like(self._vectors[:grow])])
            self._norms = np.concatenate([self._norms, np.zeros(grow, dtype=np.float32)])
        row = self._used
        self._vectors[row], self._norms[row] = self.contribution(indexes)
        self._used += 1
        self._rows[key] = row
        return row

    def contribution(self, indexes: list[int]) -> tuple[np.ndarray, float]:
        """Return the idf-weighted weight row of some features and their share of the norm."""
        idf = self.idf[indexes]
        return idf @ self.weights[indexes], float(idf @ idf)

    def word_indexes(self, grams: Sequence[str]) -> list[int]:
        """Return the vocabulary indexes of a word's features (`word_grams`) it knows."""
        get = self.index.get
        return [i for g in grams if (i := get(g)) is not None]

    def _word_row(self, token: str) -> int:
        return self._add_row(token, self.word_indexes(word_grams(token)))

    def _feature_row(self, key: str) -> int:
        i = self.index.get(key)
        return self._add_row(key, [] if i is None else [i])

    def rows(self, tokens: Sequence[str]) -> list[int]:
        """Return the table rows of a text: one per word, bigram and extra."""
        rows = self._rows
        found = [0]
        for token in tokens:
            row = rows.get(token)
            found.append(self._word_row(token) if row is None else row)
        for a, b in itertools.pairwise(tokens):
            key = a + PAIR + b
            row = rows.get(key)
            found.append(self._feature_row(key) if row is None else row)
        for key in self.extras(tokens):
            row = rows.get(key)
            found.append(self._feature_row(key) if row is None else row)
        return found

    def scores(self, token_lists: Sequence[Sequence[str]]) -> np.ndarray:
        """Return raw scores (texts x all head columns)."""
        with self._lock:
            return self._scores(token_lists)

    def _scores(self, token_lists: Sequence[Sequence[str]], *, retry: bool = True) -> np.ndarray:
        n = len(token_lists)
        all_rows: list[int] = []
        starts = np.empty(n, dtype=np.int64)
        generation = self._generation
        for i, tokens in enumerate(token_lists):
            starts[i] = len(all_rows)
            all_rows.extend(self.rows(tokens))
        if self._generation != generation and n > 1:
            # The table filled up and was reset mid-batch (a flood of unseen words):
            # earlier rows are stale, so score the halves separately.
            half = n // 2
            return np.vstack([self._scores(token_lists[:half]), self._scores(token_lists[half:])])
        if self._generation != generation and retry:
            # A lone text met the reset halfway: its first rows are stale too.
            return self._scores(token_lists, retry=False)
        idx = np.asarray(all_rows, dtype=np.int64)
        sums = np.add.reduceat(self._vectors[idx], starts, axis=0)
        norms = np.sqrt(np.add.reduceat(self._norms[idx], starts))
        norms[norms == 0] = 1.0
        return sums / norms[:, None] + self.bias

    def head_scores(self, scores: np.ndarray, name: str) -> np.ndarray:
        head = self.heads[name]
        return scores[:, head.start : head.stop]


class ModelSet:
    """Several model files scored over the same texts, with one look-up per word and bigram.

    Each file alone looks up every word and bigram of a text in a table of its own; the
    comment models are three. Here one dictionary gives a word or bigram one row number in
    a table per file, where each file keeps the row its `LinearModelFile` computes for that
    key (extras differ per file and keep a dictionary each). A file gathers the rows its
    own `scores` would, in the same order, so its scores are the same to the bit.
    """

    def __init__(self, models: Sequence[LinearModelFile]) -> None:
        self.models = tuple(models)
        self._extras = [m.extras for m in self.models]
        self._lock = threading.RLock()
        self._generation = 0
        self._reset_table()

    def _reset_table(self) -> None:
        # Row 0 stays zero in every file's table, as in `LinearModelFile`.
        self._rows: dict[str, int] = {}
        self._extra_rows: list[dict[str, int]] = [{} for _ in self.models]
        self._vectors = [np.zeros((1024, m.weights.shape[1]), np.float32) for m in self.models]
        self._norms = [np.zeros(1024, dtype=np.float32) for _ in self.models]
        self._used = 1
        self._generation += 1

    def _add_row(self, indexes: Sequence[list[int]]) -> int:
        """Return a new row holding each file's features `indexes[file]` (0 if none has any)."""
        if not any(indexes):
            return 0
        if self._used >= TABLE_ROWS:
            self._reset_table()
        if self._used >= len(self._norms[0]):
            grow = len(self._norms[0])
            self._vectors = [np.vstack([v, np.zeros_like(v[:grow])]) for v in self._vectors]
            self._norms = [np.concatenate([v, np.zeros(grow, np.float32)]) for v in self._norms]
        row = self._used
        for model, vectors, norms, model_indexes in zip(
            self.models, self._vectors, self._norms, indexes, strict=True
        ):
            if model_indexes:
                vectors[row], norms[row] = model.contribution(model_indexes)
        self._used += 1
        return row

    def _key_row(self, key: str, *, word: bool) -> int:
        if word:
            grams = word_grams(key)
            row = self._add_row([m.word_indexes(grams) for m in self.models])
        else:
            row = self._add_row(
                [[] if (i := m.index.get(key)) is None else [i] for m in self.models]
            )
        self._rows[key] = row
        return row

    def _shared_rows(self, keys: list[str], *, word: bool) -> list[int]:
        """Return the rows of words (or bigrams), making those not in the table yet."""
        found: list[int | None] = [*map(self._rows.get, keys)]
        if None in found:
            for position, key in enumerate(keys):
                if found[position] is None:
                    row = self._rows.get(key)  # an earlier copy in the batch may have made it
                    found[position] = self._key_row(key, word=word) if row is None else row
        return found  # type: ignore[return-value]  # no None left

    def _extra_rows_of(self, model: int, keys: list[str]) -> list[int]:
        found: list[int | None] = [*map(self._extra_rows[model].get, keys)]
        if None in found:
            for position, key in enumerate(keys):
                if found[position] is None:
                    row = self._extra_rows[model].get(key)
                    if row is None:
                        i = self.models[model].index.get(key)
                        indexes: list[list[int]] = [[] for _ in self.models]
                        if i is not None:
                            indexes[model] = [i]
                        # Stored after the row is made: making it may reset the table.
                        row = self._extra_rows[model][key] = self._add_row(indexes)
                    found[position] = row
        return found  # type: ignore[return-value]  # no None left

    def scores(self, token_lists: Sequence[Sequence[str]]) -> list[np.ndarray]:
        """Return each file's raw scores (texts x its head columns), in the files' order."""
        with self._lock:
            return self._scores(token_lists)

    def _scores(
        self, token_lists: Sequence[Sequence[str]], *, retry: bool = True
    ) -> list[np.ndarray]:
        n = len(token_lists)
        files = range(len(self.models))
        generation = self._generation
        # The batch's words, bigrams and each file's extras, each in one list: a look-up
        # of a whole list at a time, then numpy lays out every text's rows the way
        # `LinearModelFile.rows` lists them (row 0, words, bigrams, extras).
        words: list[str] = []
        pairs: list[str] = []
        extras: list[list[str]] = [[] for _ in files]
        extra_counts: list[list[int]] = [[] for _ in files]
        for tokens in token_lists:
            words += tokens
            pairs += map(PAIR.join, itertools.pairwise(tokens))
            for f in files:
                keys = self._extras[f](tokens)
                extras[f] += keys
                extra_counts[f].append(len(keys))
        word_rows = self._shared_rows(words, word=True)
        pair_rows = self._shared_rows(pairs, word=False)
        extra_rows = [self._extra_rows_of(f, extras[f]) for f in files]
        if self._generation != generation and n > 1:
            # As in `LinearModelFile._scores`: the table was reset mid-batch.
            half = n // 2
            parts = self._scores(token_lists[:half]), self._scores(token_lists[half:])
            return [np.vstack([a, b]) for a, b in zip(*parts, strict=True)]
        if self._generation != generation and retry:
            return self._scores(token_lists, retry=False)
        word_counts = np.fromiter(map(len, token_lists), dtype=np.int64, count=n)
        pair_counts = np.maximum(word_counts - 1, 0)
        shared_counts = 1 + word_counts + pair_counts
        shared = [
            (_as_array(word_rows), word_counts, np.ones_like(word_counts)),
            (_as_array(pair_rows), pair_counts, 1 + word_counts),
        ]
        out = []
        for f in files:
            counts = np.fromiter(extra_counts[f], dtype=np.int64, count=n)
            ends = np.cumsum(shared_counts + counts)
            starts = ends - shared_counts - counts
            idx = np.zeros(int(ends[-1]), dtype=np.int64)  # row 0 where each text starts
            for rows, count, offset in [*shared, (_as_array(extra_rows[f]), counts, shared_counts)]:
                # Text i's rows go to starts[i] + offset[i] onwards, in their order.
                within = np.arange(len(rows)) - np.repeat(np.cumsum(count) - count, count)
                idx[np.repeat(starts + offset, count) + within] = rows
            sums = np.add.reduceat(self._vectors[f][idx], starts, axis=0)
            norms = np.sqrt(np.add.reduceat(self._norms[f][idx], starts))
            norms[norms == 0] = 1.0
            out.append(sums / norms[:, None] + self.models[f].bias)
        return out


def _as_array(rows: list[int]) -> np.ndarray:
    return np.fromiter(rows, dtype=np.int64, count=len(rows))


def softmax(scores: np.ndarray) -> np.ndarray:
    shifted = scores - scores.max(axis=1, keepdims=True)
    exp = np.exp(shifted)
    return exp / exp.sum(axis=1, keepdims=True)


def sigmoid(scores: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(scores, -30, 30)))
