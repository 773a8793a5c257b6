"""Classifier speed beside a naive HashingVectorizer(word 1-2 + char_wb 2-5) + LogisticRegression pipeline
measured in the same run: batch throughput, single-comment latency, training time, file size, memory.

Ours is trained on the shared sets plus the seed corpus, so it has all 7 heads (spam, toxicity and the
five toxicity sub-attributes) as the default model has; scoring includes normalisation and metadata.
The worker-memory figure is a fresh process that loads the default (seed-only) model and scores 1,000
comments in batches of 100: its resident memory then, and its peak.

    python bench/classifier_speed.py [--train-rows 20000]
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from sklearn.feature_extraction.text import HashingVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion, make_pipeline

from classifier import CommentInput, load_bundle, save_bundle, train_bundle
from classifier.seed import load_seed_rows

DATA = Path(__file__).resolve().parents[2] / "shared" / "datasets"


def load_rows() -> list[dict]:
    rows = []
    for name in ("youtube_spam", "sms_spam", "davidson_hate_offensive"):
        path = DATA / name / "train.jsonl"
        if path.exists():
            rows.extend(json.loads(line) for line in path.read_text().splitlines() if line.strip())
    if not rows:
        raise SystemExit(f"skipped: {DATA} is absent (benchmark texts come from the shared datasets)")
    return rows


def naive_pipeline():
    return make_pipeline(
        FeatureUnion([
            ("word", HashingVectorizer(ngram_range=(1, 2), alternate_sign=False)),
            ("char", HashingVectorizer(analyzer="char_wb", ngram_range=(2, 5), alternate_sign=False)),
        ]),
        LogisticRegression(max_iter=1000),
    )


def throughput(score, items, batch=100) -> float:
    started = time.perf_counter()
    for i in range(0, len(items), batch):
        score(items[i:i + batch])
    return len(items) / (time.perf_counter() - started)


def latencies(score, items) -> tuple[float, float]:
    times = []
    for item in items:
        started = time.perf_counter()
        score([item])
        times.append(time.perf_counter() - started)
    return float(np.percentile(times, 50) * 1e3), float(np.percentile(times, 99) * 1e3)


def memory_mb(field: str = "VmRSS") -> float:
    """This process's resident memory now (VmRSS) or its peak (VmHWM), in MB (Linux)."""
    # Not ru_maxrss: after fork and exec it still counts the parent's pages at fork time.
    with open("/proc/self/status", encoding="ascii") as handle:
        for line in handle:
            if line.startswith(f"{field}:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def worker_memory(model_dir: Path, texts_file: Path) -> dict:
    """In this (fresh) process: load the model, score the texts in batches of 100, report memory."""
    started = time.perf_counter()
    bundle = load_bundle(model_dir)
    loaded = time.perf_counter() - started
    items = [CommentInput(text) for text in json.loads(texts_file.read_text())]
    for i in range(0, len(items), 100):
        bundle.score(items[i:i + 100])
    return {"rss_mb": memory_mb("VmRSS"), "peak_mb": memory_mb("VmHWM"),
            "load_seconds": loaded, "heads": len(bundle.heads), "scored": len(items)}


def measure_worker_memory(texts: list[str]) -> dict:
    """Train the default model, then measure `worker_memory` in a fresh interpreter."""
    directory = Path(tempfile.mkdtemp(prefix="bench-default-model-"))
    save_bundle(train_bundle(load_seed_rows()), directory)
    texts_file = directory / "texts.json"
    texts_file.write_text(json.dumps(texts[:1000]))
    out = subprocess.run([sys.executable, __file__, "--worker-memory", str(directory), str(texts_file)],
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--train-rows", type=int, default=20_000)
    parser.add_argument("--worker-memory", nargs=2, type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker_memory:
        print(json.dumps(worker_memory(*args.worker_memory)))
        return
    rows = load_rows()
    rng = np.random.RandomState(1461)
    rng.shuffle(rows)
    train_rows = [rows[i % len(rows)] for i in range(args.train_rows)]
    spam_rows = [r for r in rows if r.get("label_spam") is not None]

    naive = naive_pipeline()
    started = time.perf_counter()
    naive.fit([r["text"] for r in train_rows],
              [int(bool(r.get("label_spam") or r.get("label_toxic"))) for r in train_rows])
    naive_train = time.perf_counter() - started

    started = time.perf_counter()
    bundle = train_bundle(train_rows + load_seed_rows())  # seed labels add the 5 toxicity sub-attributes
    ours_train = time.perf_counter() - started
    directory = Path(tempfile.mkdtemp(prefix="bench-model-"))
    save_bundle(bundle, directory)
    bundle = load_bundle(directory)
    sizes = {p.name: p.stat().st_size for p in directory.glob("*.skops")}

    items = [CommentInput.from_row(r) for r in spam_rows[:3000]]
    texts = [item.text for item in items]
    naive_score = naive.predict_proba
    ours_score = bundle.score
    ours_score(items[:200])
    naive_score(texts[:200])
    naive_rate = throughput(naive_score, texts)
    ours_rate = throughput(ours_score, items)
    naive_p50, naive_p99 = latencies(naive_score, texts[:500])
    ours_p50, ours_p99 = latencies(ours_score, items[:500])
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    worker = measure_worker_memory(texts)

    print(f"heads: {', '.join(bundle.heads)}; mean comment length {np.mean([len(t) for t in texts]):.0f} chars")
    print(f"batch of 100: ours {ours_rate:,.0f}/s, naive {naive_rate:,.0f}/s, ratio {ours_rate / naive_rate:.2f}")
    print(f"single p50: ours {ours_p50:.2f} ms, naive {naive_p50:.2f} ms, ratio {ours_p50 / naive_p50:.2f}")
    print(f"single p99: ours {ours_p99:.2f} ms, naive {naive_p99:.2f} ms, ratio {ours_p99 / naive_p99:.2f}")
    print(f"train {args.train_rows:,} rows (ours + seed corpus): ours {ours_train:.1f} s ({len(bundle.heads)} heads), "
          f"naive {naive_train:.1f} s (1 head), ratio {ours_train / naive_train:.2f}")
    print(f"model files: largest {max(sizes.values()) / 2**20:.1f} MB, total {sum(sizes.values()) / 2**20:.1f} MB")
    print(f"peak RSS of this process (both models loaded): {peak_mb:.0f} MB")
    print(f"worker: fresh process, default model ({worker['heads']} heads) loaded in {worker['load_seconds']:.2f} s, "
          f"{worker['scored']:,} comments scored: RSS {worker['rss_mb']:.0f} MB (peak {worker['peak_mb']:.0f} MB), "
          "target < 300 MB")
    # One line per figure for `make bench`'s summary.
    print(f"classifier_batch100_per_s={ours_rate:.0f} target=6000")
    print(f"classifier_naive_batch100_per_s={naive_rate:.0f}")
    print(f"classifier_single_p99_ms={ours_p99:.2f} target=1.5")
    print(f"model_files_total_mb={sum(sizes.values()) / 2**20:.1f} target=50")
    print(f"worker_rss_mb={worker['rss_mb']:.0f} target=300")


if __name__ == "__main__":
    main()
