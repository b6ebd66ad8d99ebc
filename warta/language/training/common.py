"""Shared training machinery (needs scikit-learn and scipy, which are dev dependencies).

Every model is linear over the run-time features of `warta.language.linear`: n-gram
occurrences times idf, divided by sqrt(sum of idf^2 over occurrences). A head is an
ensemble of one-vs-rest NB-LR (logistic regression on features scaled by their
naive-Bayes log-count ratio, Wang & Manning 2012) and a multinomial logistic
regression; the members' scores are standardized and summed, which is again one
linear function, so the ensemble costs nothing at run time.
"""

import json
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score

from warta.language.extras import extras_function
from warta.language.linear import text_grams

Tokens = list[str]


@dataclass
class Space:
    """A vocabulary with its idf, and the extras it was built with."""

    terms: list[str]
    idf: np.ndarray
    meta: dict[str, Any]

    def matrix(self, token_lists: Sequence[Tokens]) -> sp.csr_matrix:
        """Return the features exactly as `LinearModelFile.scores` sees them."""
        extras = extras_function(self.meta.get("extras", ""), self.meta)
        if not hasattr(self, "_index"):
            self._index = {term: i for i, term in enumerate(self.terms)}
        get = self._index.get
        rows: list[int] = []
        cols: list[int] = []
        for row, tokens in enumerate(token_lists):
            found = [i for g in text_grams(tokens) + extras(tokens) if (i := get(g)) is not None]
            cols.extend(found)
            rows.extend([row] * len(found))
        counts = sp.csr_matrix(
            (np.ones(len(cols)), (rows, cols)), shape=(len(token_lists), len(self.terms))
        )
        norms = np.sqrt(counts @ (self.idf**2))
        norms[norms == 0] = 1.0
        return sp.csr_matrix(sp.diags(1.0 / norms) @ counts @ sp.diags(self.idf))


def build_space(
    token_lists: Sequence[Tokens], *, meta: dict[str, Any], min_df: int, max_terms: int
) -> Space:
    extras = extras_function(meta.get("extras", ""), meta)
    df: Counter[str] = Counter()
    for tokens in token_lists:
        df.update(set(text_grams(tokens)) | set(extras(tokens)))
    kept = [(term, count) for term, count in df.items() if count >= min_df]
    # Most frequent first, ties by the term itself: reproducible across runs.
    kept.sort(key=lambda item: (-item[1], item[0]))
    kept = kept[:max_terms]
    n = len(token_lists)
    terms = [term for term, _ in kept]
    counts = np.array([count for _, count in kept], dtype=np.float64)
    idf = np.log((1 + n) / (1 + counts)) + 1
    return Space(terms=terms, idf=idf, meta=meta)


def nb_ratio(x: sp.csr_matrix, positive: np.ndarray) -> np.ndarray:
    binary = x.copy()
    binary.data[:] = 1.0
    p = np.asarray(binary[positive].sum(axis=0)).ravel() + 1.0
    q = np.asarray(binary[~positive].sum(axis=0)).ravel() + 1.0
    return np.log((p / p.sum()) / (q / q.sum()))


def _standardized(weights: np.ndarray, bias: np.ndarray, x: sp.csr_matrix) -> tuple:
    scores = x @ weights + bias
    mean, std = float(scores.mean()), float(scores.std()) or 1.0
    return weights / std, (bias - mean) / std


def fit_head(
    x: sp.csr_matrix,
    labels: Sequence[str],
    classes: Sequence[str],
    *,
    c_nb: float = 10.0,
    c_lr: float = 30.0,
    class_weight: str | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Return (weights terms x classes, bias) of the NB-LR + LR ensemble.

    Two classes give one column (the score of the second class, for a sigmoid).
    """
    y = np.array([classes.index(label) for label in labels])
    binary = len(classes) == 2
    columns = [1] if binary else list(range(len(classes)))
    nb_w = np.zeros((x.shape[1], len(columns)))
    nb_b = np.zeros(len(columns))
    for j, k in enumerate(columns):
        positive = y == k
        ratio = nb_ratio(x, positive)
        model = LogisticRegression(C=c_nb, max_iter=3000, class_weight=class_weight)
        model.fit(x @ sp.diags(ratio), positive)
        nb_w[:, j] = model.coef_[0] * ratio
        nb_b[j] = model.intercept_[0]
    model = LogisticRegression(C=c_lr, max_iter=3000, class_weight=class_weight)
    model.fit(x, y)
    lr_w = model.coef_.T.copy()
    lr_b = model.intercept_.copy()
    if binary:
        lr_w, lr_b = lr_w[:, :1], lr_b[:1]
    a_w, a_b = _standardized(nb_w, nb_b, x)
    b_w, b_b = _standardized(lr_w, lr_b, x)
    return a_w + b_w, a_b + b_b


def fit_lr_head(
    x: sp.csr_matrix, labels: Sequence[str], classes: Sequence[str], *, c: float
) -> tuple[np.ndarray, np.ndarray]:
    """A plain multinomial logistic regression (for the small hand-labelled sets)."""
    y = np.array([classes.index(label) for label in labels])
    model = LogisticRegression(C=c, max_iter=5000, class_weight="balanced")
    model.fit(x, y)
    return model.coef_.T.copy(), model.intercept_.copy()


@dataclass
class HeadWeights:
    name: str
    labels: list[str]
    weights: np.ndarray
    bias: np.ndarray


def save_model(path: Path, space: Space, heads: list[HeadWeights], meta: dict[str, Any]) -> None:
    columns = []
    biases = []
    head_meta = []
    start = 0
    for head in heads:
        width = head.weights.shape[1]
        head_meta.append(
            {"name": head.name, "labels": head.labels, "start": start, "stop": start + width}
        )
        columns.append(head.weights)
        biases.append(head.bias)
        start += width
    weights = np.hstack(columns)
    # Every term stays, even with tiny weights: its idf is part of each text's norm.
    meta = {**space.meta, **meta, "heads": head_meta, "terms": len(space.terms)}
    path.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(
        path,
        meta=np.frombuffer(json.dumps(meta, ensure_ascii=False).encode(), dtype=np.uint8),
        vocab=np.frombuffer("\n".join(space.terms).encode(), dtype=np.uint8),
        idf=space.idf.astype(np.float32),
        weights=weights.astype(np.float16),
        bias=np.concatenate(biases).astype(np.float32),
    )


def verify(path: Path, x: sp.csr_matrix, token_lists: Sequence[Tokens]) -> None:
    """Fail loudly if run-time scoring differs from the training features."""
    from warta.language.linear import LinearModelFile

    model = LinearModelFile(path)
    sample = slice(0, min(300, x.shape[0]))
    expected = x[sample] @ model.weights + model.bias
    got = model.scores(token_lists[sample])
    if not np.allclose(got, expected, atol=1e-3):
        raise AssertionError(f"{path.name}: run-time scores differ from training features")


def macro_f1(truth: Sequence[str], predicted: Sequence[str]) -> float:
    return round(float(f1_score(truth, predicted, average="macro")), 4)


def per_class_f1(truth: Sequence[str], predicted: Sequence[str], classes: Sequence[str]) -> dict:
    scores = f1_score(truth, predicted, average=None, labels=list(classes))
    return {c: round(float(s), 4) for c, s in zip(classes, scores, strict=True)}


def tokenize_all(texts: Sequence[str], normalize: Callable[[str], Tokens]) -> list[Tokens]:
    return [normalize(text) for text in texts]
