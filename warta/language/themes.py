"""Grouping of short texts (public input to a consultation) into themes.

1. Normalize; keep content words (no stopwords), as unigrams and bigrams, weighted by
   tf-idf over the given texts and L2-normalized.
2. Near-duplicates (the same words after normalization, or cosine >= NEAR_DUPLICATE)
   are joined first, so that copies of one message always land in one theme.
3. Spherical k-means on the groups (deterministic seeding), then themes whose centres
   are similar (cosine >= MERGE) are merged, so three topics do not become twelve.
4. Each theme gets keywords (terms most typical of it against all texts), a label made
   of its top keywords, and up to three representatives (closest to its centre, from
   different near-duplicate groups). Texts with no content words form "lainnya".
"""

import itertools
from collections import Counter
from collections.abc import Sequence

import numpy as np

from warta.language.lexicon import STOPWORDS
from warta.language.normalize import normalize_tokens
from warta.language.results import Theme

MAX_TERMS = 2000
NEAR_DUPLICATE = 0.85
MERGE = 0.3
ITERATIONS = 20
OTHER_LABEL = "lainnya"


def _content(tokens: list[str]) -> list[str]:
    words = [t for t in tokens if len(t) > 2 and t not in STOPWORDS and not t.isdigit()]
    return words + [f"{a} {b}" for a, b in itertools.pairwise(words)]


def _find(parent: list[int], i: int) -> int:
    while parent[i] != i:
        parent[i] = parent[parent[i]]
        i = parent[i]
    return i


def group_themes(texts: Sequence[str], *, max_themes: int) -> list[Theme]:
    n = len(texts)
    if n == 0:
        return []
    terms_per_text = [_content(normalize_tokens(t)) for t in texts]
    df = Counter(term for terms in terms_per_text for term in set(terms))
    # The matrix is dense: fewer terms for very many texts keep memory near 40 MB.
    max_terms = max(200, min(MAX_TERMS, 10_000_000 // n))
    vocabulary = [t for t, c in df.most_common(max_terms) if c >= 2 or n < 3 or " " not in t]
    index = {t: i for i, t in enumerate(vocabulary)}
    idf = np.log((1 + n) / (1 + np.array([df[t] for t in vocabulary], dtype=np.float32))) + 1
    matrix = np.zeros((n, len(vocabulary)), dtype=np.float32)
    for row, terms in enumerate(terms_per_text):
        for term, count in Counter(terms).items():
            col = index.get(term)
            if col is not None:
                matrix[row, col] = (1 + np.log(count)) * idf[col]
    norms = np.linalg.norm(matrix, axis=1)
    has_content = norms > 0
    matrix[has_content] /= norms[has_content, None]

    content_rows = np.flatnonzero(has_content)
    themes: list[Theme] = []
    if len(content_rows):
        budget = max_themes - (1 if not has_content.all() else 0)
        clusters = _cluster(matrix, content_rows, terms_per_text, max(1, budget))
        overall = matrix[content_rows].mean(axis=0)
        for members, groups in clusters:
            centre = matrix[members].mean(axis=0)
            typical = centre - 0.5 * overall
            order = np.argsort(-typical)
            keywords = [vocabulary[i] for i in order[:6] if centre[i] > 0][:5]
            closeness = matrix[members] @ centre
            representatives: list[int] = []
            seen_groups: set[int] = set()
            for pos in np.argsort(-closeness, kind="stable"):
                member = int(members[pos])
                if groups[member] not in seen_groups:
                    seen_groups.add(groups[member])
                    representatives.append(member)
                if len(representatives) == 3:
                    break
            label = ", ".join(k for k in keywords[:3]) or OTHER_LABEL
            themes.append(
                Theme(
                    label=label,
                    keywords=keywords,
                    member_indexes=sorted(int(m) for m in members),
                    representative_indexes=representatives,
                )
            )
    empty = [int(i) for i in np.flatnonzero(~has_content)]
    themes.sort(key=lambda t: (-len(t.member_indexes), t.member_indexes[0]))
    if empty:
        themes.append(
            Theme(
                label=OTHER_LABEL,
                keywords=[],
                member_indexes=empty,
                representative_indexes=empty[:3],
            )
        )
    return themes[:max_themes]


def _cluster(
    matrix: np.ndarray, rows: np.ndarray, terms_per_text: list[list[str]], k: int
) -> list[tuple[np.ndarray, dict[int, int]]]:
    """Return (member rows, near-duplicate group of each member) per cluster."""
    parent = list(range(len(matrix)))
    by_key: dict[tuple[str, ...], int] = {}
    for row in rows:
        key = tuple(sorted(set(terms_per_text[row])))
        if key in by_key:
            parent[_find(parent, int(row))] = _find(parent, by_key[key])
        else:
            by_key[key] = int(row)
    sub = matrix[rows]
    # Each text joins its most similar earlier text when that is a near-duplicate:
    # linear in the number of texts, and chains of near-duplicates still end up joined.
    for start in range(0, len(rows), 512):
        sims = sub[start : start + 512] @ sub.T
        block = np.arange(sims.shape[0])
        sims[block[:, None] <= (np.arange(sims.shape[1])[None, :] - start)] = -1.0
        best = sims.argmax(axis=1)
        for a in np.flatnonzero(sims[block, best] >= NEAR_DUPLICATE):
            ra = _find(parent, int(rows[start + a]))
            rb = _find(parent, int(rows[best[a]]))
            if ra != rb:
                parent[max(ra, rb)] = min(ra, rb)
    group_of = {int(r): _find(parent, int(r)) for r in rows}
    group_ids = sorted(set(group_of.values()))
    group_pos = {g: i for i, g in enumerate(group_ids)}
    members_of: list[list[int]] = [[] for _ in group_ids]
    for r, g in group_of.items():
        members_of[group_pos[g]].append(r)
    weights = np.array([len(m) for m in members_of], dtype=np.float32)
    centres = np.array([matrix[m].mean(axis=0) for m in members_of], dtype=np.float32)
    centres /= np.maximum(np.linalg.norm(centres, axis=1, keepdims=True), 1e-12)

    k = min(k, len(group_ids))
    assignment = _kmeans(centres, weights, k)
    # Merge clusters whose centres are close, most similar pair first.
    labels = sorted(set(assignment.tolist()))
    cluster_members = {c: np.flatnonzero(assignment == c) for c in labels}
    while len(cluster_members) > 1:
        keys = list(cluster_members)
        cents = np.array(
            [
                np.average(centres[cluster_members[c]], axis=0, weights=weights[cluster_members[c]])
                for c in keys
            ]
        )
        cents /= np.maximum(np.linalg.norm(cents, axis=1, keepdims=True), 1e-12)
        sims = cents @ cents.T
        np.fill_diagonal(sims, -1)
        i, j = np.unravel_index(int(np.argmax(sims)), sims.shape)
        if sims[i, j] < MERGE:
            break
        cluster_members[keys[i]] = np.concatenate(
            [cluster_members[keys[i]], cluster_members.pop(keys[j])]
        )
    result = []
    for group_indexes in cluster_members.values():
        members = np.array(sorted(r for g in group_indexes for r in members_of[g]))
        groups = {r: int(g) for g in group_indexes for r in members_of[g]}
        result.append((members, groups))
    return result


def _kmeans(points: np.ndarray, weights: np.ndarray, k: int) -> np.ndarray:
    """Weighted spherical k-means with deterministic k-means++ seeding."""
    if k >= len(points):
        return np.arange(len(points))
    rng = np.random.default_rng(0)
    chosen = [int(np.argmax(weights))]
    distance = 1 - points @ points[chosen[0]]
    for _ in range(1, k):
        probs = np.maximum(distance, 0) * weights
        if probs.sum() <= 0:
            break
        chosen.append(int(rng.choice(len(points), p=probs / probs.sum())))
        distance = np.minimum(distance, 1 - points @ points[chosen[-1]])
    centres = points[chosen].copy()
    assignment = np.zeros(len(points), dtype=np.int64)
    for _ in range(ITERATIONS):
        new = np.argmax(points @ centres.T, axis=1)
        if _ > 0 and np.array_equal(new, assignment):
            break
        assignment = new
        for c in range(len(centres)):
            mask = assignment == c
            if mask.any():
                centre = (points[mask] * weights[mask, None]).sum(axis=0)
                centres[c] = centre / max(float(np.linalg.norm(centre)), 1e-12)
    return assignment
