"""How retraining scales: time and peak memory to assemble, split and train on 10k, 100k and 500k labels.

The labels are generated here (ordinary, spam and toxic comments from small vocabularies with random
variation), then run through the same path a training run takes: de-duplication by content hash, the
holdout split and `classifier.train_bundle` (spam and toxicity heads). Each size runs in its own
process so peak memory (max RSS) is that size's alone. Prints a table and the growth exponent of
time between consecutive sizes (1.0 = linear).

    .venv/bin/python bench/training_scale.py                  # 10k, 100k, 500k
    .venv/bin/python bench/training_scale.py --sizes 10000 100000
"""

from __future__ import annotations

import argparse
import json
import math
import random
import resource
import subprocess
import sys
import time

WORDS = [
    "bus", "route", "council", "budget", "library", "park", "weather", "match", "season", "film", "book",
    "school", "water", "road", "bridge", "election", "tax", "hospital", "music", "recipe", "garden", "train",
    "winter", "summer", "market", "bakery", "river", "museum",
]
SPAM = [
    "cheap", "pills", "discount", "casino", "bonus", "crypto", "profit", "loan", "offer", "click", "visit",
    "winner", "free", "prize", "viagra", "followers", "subscribe", "channel", "earn",
]
TOXIC = ["idiot", "stupid", "moron", "pathetic", "loser", "garbage", "clown", "trash", "disgusting", "shut"]
DOMAINS = ("pills-shop.example", "win-big.example", "crypto-gain.example", "news.example", "city.example")


def generate(n: int, seed: int = 7) -> list[dict]:
    """`n` labelled rows: about 30% spam, 15% toxic, with some exact duplicates as real data has."""
    rng = random.Random(seed)
    rows = []
    for i in range(n):
        kind = rng.random()
        words = rng.choices(WORDS, k=rng.randint(5, 30))
        spam, toxic = int(kind < 0.3), int(0.3 <= kind < 0.45)
        if spam:
            words += rng.choices(SPAM, k=rng.randint(2, 6))
            if rng.random() < 0.6:
                words.append(f"https://{rng.choice(DOMAINS)}/{rng.randint(1, 999)}")
        if toxic:
            words += rng.choices(TOXIC, k=rng.randint(1, 3))
        rng.shuffle(words)
        text = " ".join(words) if rng.random() > 0.02 or not rows else rows[-1]["text"]
        rows.append({"text": text, "author_name": f"user{i % 5000}", "label_spam": spam, "label_toxic": toxic,
                     "source": "moderator" if rng.random() < 0.5 else "import:jsonl"})
    return rows


def run_one(n: int) -> dict:
    """Assemble, split and train on `n` generated labels in this process; report seconds and max RSS."""
    from datetime import UTC, datetime, timedelta

    from classifier import train_bundle
    from service.domain.labels import content_hash
    from service.domain.training.dataset import Example, assemble
    from service.domain.training.holdout import split

    rows = generate(n)
    start = datetime(2026, 1, 1, tzinfo=UTC)
    t0 = time.perf_counter()
    examples = [Example(row=r, source=r["source"], content_hash=content_hash(r["text"]),
                        at=start + timedelta(seconds=i), label_id=i) for i, r in enumerate(rows)]
    data = assemble(examples)
    parts = split(data.examples)
    t1 = time.perf_counter()
    bundle = train_bundle([e.row for e in parts.train])
    t2 = time.perf_counter()
    return {"labels": n, "kept": len(data.examples), "train_rows": len(parts.train), "heads": list(bundle.heads),
            "prepare_seconds": round(t1 - t0, 2), "train_seconds": round(t2 - t1, 2),
            "total_seconds": round(t2 - t0, 2),
            "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 500_000])
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run_one(args.one)))
        return
    results = []
    print(f"{'labels':>8} {'kept':>8} {'prepare s':>10} {'train s':>9} {'total s':>9} {'peak MB':>9} {'growth':>7}")
    for n in args.sizes:
        out = subprocess.run([sys.executable, __file__, "--one", str(n)], capture_output=True, text=True,
                             check=True)
        result = json.loads(out.stdout.strip().splitlines()[-1])
        growth = ""
        if results:
            prev = results[-1]
            growth = f"{math.log(result['total_seconds'] / prev['total_seconds']) / math.log(n / prev['labels']):.2f}"
        results.append(result)
        print(f"{n:>8} {result['kept']:>8} {result['prepare_seconds']:>10} {result['train_seconds']:>9} "
              f"{result['total_seconds']:>9} {result['peak_rss_mb']:>9} {growth:>7}", flush=True)
    print("growth: log(time ratio) / log(size ratio) between consecutive sizes; 1.0 is linear.")


if __name__ == "__main__":
    main()
