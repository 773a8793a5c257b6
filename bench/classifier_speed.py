"""Classifier speed beside a naive HashingVectorizer(word 1-2 + char_wb 2-5) + LogisticRegression pipeline
measured in the same run: batch throughput, single-comment latency, training time, file size, memory.

    python bench/classifier_speed.py [--train-rows 20000]
"""

from __future__ import annotations

import argparse
import json
import resource
import tempfile
import time
from pathlib import Path

import numpy as np
from sklearn.feature_extraction.text import HashingVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion, make_pipeline

from classifier import CommentInput, load_bundle, save_bundle, train_bundle

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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--train-rows", type=int, default=20_000)
    args = parser.parse_args()
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
    bundle = train_bundle(train_rows)
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
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    print(f"heads: {', '.join(bundle.heads)}; mean comment length {np.mean([len(t) for t in texts]):.0f} chars")
    print(f"batch of 100: ours {ours_rate:,.0f}/s, naive {naive_rate:,.0f}/s, ratio {ours_rate / naive_rate:.2f}")
    print(f"single p50: ours {ours_p50:.2f} ms, naive {naive_p50:.2f} ms, ratio {ours_p50 / naive_p50:.2f}")
    print(f"single p99: ours {ours_p99:.2f} ms, naive {naive_p99:.2f} ms, ratio {ours_p99 / naive_p99:.2f}")
    print(f"train {args.train_rows:,} rows: ours {ours_train:.1f} s ({len(bundle.heads)} heads), "
          f"naive {naive_train:.1f} s (1 head), ratio {ours_train / naive_train:.2f}")
    print(f"model files: largest {max(sizes.values()) / 2**20:.1f} MB, total {sum(sizes.values()) / 2**20:.1f} MB")
    print(f"peak RSS of this process (both models loaded): {rss_mb:.0f} MB")


if __name__ == "__main__":
    main()
