"""Quality and speed of warta's language engine, with the machine it ran on.

    .venv/bin/python bench/language/run.py --data ../shared/data --n 20000

Quality is measured through the public API (normalization included) on: IndoNLU SmSA
and EmoT valid, the fixed held-out 20 % of the hate-speech file (same seed as
training), and warta's own test sets (short comments, intents, post captions).
Speed: batch throughput of normalization + sentiment + abuse (and of the whole
`analyze`), single-text latency, model file sizes, resident memory, and the effect of
hostile input on a batch. Run it on a quiet machine for figures worth quoting.
"""

import argparse
import os

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import platform
import resource
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from warta.language import api  # noqa: E402
from warta.language.backends import MODEL_DIR, get_backend  # noqa: E402
from warta.language.normalize import normalize_tokens  # noqa: E402
from warta.language.training import train_all as t  # noqa: E402


def macro_f1(truth: list[str], predicted: list[str]) -> float:
    scores = []
    for label in sorted(set(truth) | set(predicted)):
        tp = sum(a == label and b == label for a, b in zip(truth, predicted, strict=True))
        fp = sum(a != label and b == label for a, b in zip(truth, predicted, strict=True))
        fn = sum(a == label and b != label for a, b in zip(truth, predicted, strict=True))
        scores.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    return round(float(np.mean(scores)), 4)


def machine() -> str:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = os.getloadavg()
    return (
        f"{os.cpu_count()} cores, {cpu}, Python {platform.python_version()}, "
        f"numpy {np.__version__}, {platform.system()} {platform.release()}, "
        f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}"
    )


def quality(data: Path) -> None:
    print("\n## Quality")
    texts, labels = t.read_tsv(data / "indonlu-smsa" / "valid_preprocess.tsv")
    results = api.analyze(texts)
    print(
        f"sentiment  SmSA valid macro-F1      {macro_f1(labels, [r.sentiment for r in results])}"
        f"  (n={len(texts)}, target >= 0.88)"
    )
    texts, labels = t.read_emot(data / "indonlu-emot" / "valid_preprocess.csv")
    print(
        f"emotion    EmoT valid macro-F1      "
        f"{macro_f1(labels, [r.emotion for r in api.analyze(texts)])}  (n={len(texts)})"
    )
    texts, labels = t.read_tsv(t.LABELLED / "sentiment_comments_test.tsv", header=True)
    results = api.analyze(texts)
    print(
        f"sentiment  warta comments macro-F1  "
        f"{macro_f1(labels, [r.sentiment for r in results])}  (n={len(texts)}, short informal)"
    )
    _, held_out = t.hate_split(data)
    results = api.analyze([r["Tweet"] for r in held_out])
    hs = macro_f1([r["HS"] for r in held_out], [str(int(r.hate_speech)) for r in results])
    ab = macro_f1([r["Abusive"] for r in held_out], [str(int(r.abusive)) for r in results])
    print(f"hate       held-out 20 % macro-F1   {hs}  (n={len(held_out)}, target >= 0.87)")
    print(f"abusive    held-out 20 % macro-F1   {ab}  (n={len(held_out)}, target >= 0.93)")
    # False alarms on warta's own test texts (comments, messages, captions: none is
    # abusive or hate speech, though some criticise the government harshly).
    clean = []
    for name in ("sentiment_comments_test.tsv", "intent_test.tsv", "posts_test.tsv"):
        clean += t.read_tsv(t.LABELLED / name, header=True)[0]
    results = api.analyze(clean)
    print(
        f"false alarms on warta's clean test texts: hate {sum(r.hate_speech for r in results)}, "
        f"abusive {sum(r.abusive for r in results)} of {len(clean)}"
    )
    texts, labels = t.read_tsv(t.LABELLED / "intent_test.tsv", header=True)
    print(
        f"intent     warta test macro-F1      "
        f"{macro_f1(labels, [r.intent for r in api.analyze(texts)])}  (n={len(texts)})"
    )
    texts, labels = t.read_tsv(t.LABELLED / "posts_test.tsv", header=True)
    print(
        f"post cat.  warta test macro-F1      "
        f"{macro_f1(labels, api.classify_posts(texts))}  (n={len(texts)})"
    )


def corpus(data: Path, n: int, kind: str) -> list[str]:
    if kind == "comments":
        texts = [r["Tweet"] for r in t.hate_split(data)[1]]
        texts += t.read_tsv(t.LABELLED / "sentiment_comments_test.tsv", header=True)[0]
    else:
        texts = t.read_tsv(data / "indonlu-smsa" / "valid_preprocess.tsv")[0]
    # Vary each copy a little so that caches see realistic (not identical) batches.
    return [f"{texts[i % len(texts)]} {i % 97}" for i in range(n)]


def core_pipeline(texts: list[str]) -> None:
    backend = get_backend()
    tokens = [normalize_tokens(x) for x in texts]
    backend.sentiment.scores(tokens)  # type: ignore[attr-defined]
    backend.abuse.scores(tokens)  # type: ignore[attr-defined]


def speed(data: Path, n: int, samples: int) -> None:
    print("\n## Speed (one process, one thread)")
    api.analyze(["pemanasan"])
    for kind in ("comments", "reviews"):
        texts = corpus(data, n, kind)
        words = np.mean([len(x.split()) for x in texts])
        for name, fn in (
            ("normalize+sentiment+abuse", core_pipeline),
            ("analyze (all fields)", api.analyze),
        ):
            started_cpu, started = time.process_time(), time.perf_counter()
            for i in range(0, n, 2048):
                fn(texts[i : i + 2048])
            cpu, wall = time.process_time() - started_cpu, time.perf_counter() - started
            print(
                f"{name:28s} {kind:8s} (avg {words:.0f} words): {n / cpu:8.0f} texts/s per core "
                f"(CPU time), {n / wall:8.0f} texts/s wall, n={n}"
            )
    texts = corpus(data, samples, "comments")
    timings, cpu_timings = [], []
    for text in texts:
        started, started_cpu = time.perf_counter(), time.thread_time()
        api.analyze_one(text)
        cpu_timings.append(time.thread_time() - started_cpu)
        timings.append(time.perf_counter() - started)
    # Wall time includes waiting for a core on a shared machine; thread CPU time does not.
    for label, values in (("wall", timings), ("CPU", cpu_timings)):
        ms = np.array(values) * 1000
        print(
            f"single text analyze_one ({label}): p50 {np.percentile(ms, 50):.3f} ms, "
            f"p99 {np.percentile(ms, 99):.3f} ms, max {ms.max():.3f} ms "
            f"(n={samples}, target p99 <= 2 ms)"
        )

    print("\n## Hostile input in a batch of 2,048 comments")
    base = corpus(data, 2048, "comments")
    hostile = {
        "plain": base,
        "+ 1 MB text": [*base[:-1], "jalan rusak " * 90_000],
        "+ binary junk": [*base[:-1], bytes(range(256)).decode("latin-1") * 400],
        "+ emoji flood": [*base[:-1], "😂🙏🏽" * 50_000],
    }
    for name, batch in hostile.items():
        best = float("inf")
        for _ in range(3):  # best of three: the machine may be shared
            started = time.thread_time()
            api.analyze(batch)
            best = min(best, time.thread_time() - started)
        print(f"{name:16s} {1000 * best:7.1f} ms CPU")


def footprint() -> None:
    print("\n## Footprint")
    files = sorted(MODEL_DIR.glob("*.npz"))
    total = sum(p.stat().st_size for p in files)
    for p in files:
        print(f"{p.name:16s} {p.stat().st_size / 1e6:6.2f} MB")
    print(f"{'all model files':16s} {total / 1e6:6.2f} MB (target <= 25 MB)")
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak resident memory of this process: {rss:.0f} MB (target <= 300 MB)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--n", type=int, default=20_000, help="texts per throughput run")
    parser.add_argument("--latency-samples", type=int, default=2000)
    parser.add_argument("--skip-quality", action="store_true")
    args = parser.parse_args()
    print("# warta language engine benchmark")
    print("machine:", machine())
    started = time.perf_counter()
    get_backend().analyze(["muat model"])
    print(f"model load: {time.perf_counter() - started:.2f} s")
    if not args.skip_quality:
        quality(args.data)
    speed(args.data, args.n, args.latency_samples)
    footprint()


if __name__ == "__main__":
    main()
