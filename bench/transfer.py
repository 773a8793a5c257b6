"""How the default model's recipe generalises: leave-one-source-out transfer and held-out parts.

What an unseen site looks like is a source the model never trained on. For each shared set, train on the
seed corpus plus every *other* set (with the mixture's weights, classifier/mixture.py) and score the set
left out ("transfer"). Then train once on the seed corpus plus an 80 % part of every set and score each
set's other 20 % ("held-out": the default model meeting new comments from sources it knows). Each is run
for the shipped mixture and for the alternatives it was chosen against:

    seed only            the old default (the synthetic seed corpus alone)
    equal                seed + every set, weight 1, hard labels, spam head without implied negatives
    shipped              the mixture and recipes in classifier/mixture.py and classifier/recipes.py

On the toxicity sets alt-profanity-check (the `bench` extra) is scored beside, and on Wikipedia comments
the Perspective score recorded in the data. Reads ../shared/datasets (skips when absent).

    python -m bench.transfer [--mixtures seed,equal,shipped] [--protocols transfer,heldout] [--sets a,b]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import time
from pathlib import Path

import numpy as np
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import train_test_split

from classifier import CommentInput, mixture, train_bundle
from classifier.seed import load_seed_rows

DATA = Path(__file__).resolve().parents[2] / "shared" / "datasets"
SETS = ("youtube_spam", "sms_spam", "davidson_hate_offensive", "toxic_spans", "stormfront_hate", "wiki_talk_cat")
HEAD = {"label_spam": "spam", "label_toxic": "toxicity"}


def load_sets(names) -> dict[str, list[dict]]:
    out = {}
    for name in names:
        path = DATA / name / "train.jsonl"
        if not path.exists():
            raise SystemExit(f"skipped: {path} is absent (the transfer benchmark reads the shared data sets)")
        rows = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
        out[name] = [{**r, "bundled": name} for r in rows]
    return out


def label_of(rows: list[dict]) -> str:
    return "label_spam" if rows[0].get("label_spam") is not None else "label_toxic"


@contextlib.contextmanager
def equal_mixture():
    """Weight 1 everywhere, hard labels, no implied negatives (what the mixture is compared against)."""
    saved = (mixture.WEIGHTS, mixture.CALIBRATION_WEIGHTS, mixture.IMPLIED_NEGATIVES, mixture.SOFT_TARGETS)
    mixture.WEIGHTS, mixture.CALIBRATION_WEIGHTS, mixture.IMPLIED_NEGATIVES = {}, {}, {}
    mixture.SOFT_TARGETS = {}
    try:
        yield
    finally:
        mixture.WEIGHTS, mixture.CALIBRATION_WEIGHTS, mixture.IMPLIED_NEGATIVES, mixture.SOFT_TARGETS = saved


def train(mix: str, rows: list[dict]):
    if mix == "seed":
        return train_bundle(load_seed_rows())
    if mix == "equal":
        with equal_mixture():
            return train_bundle(load_seed_rows() + rows)
    return train_bundle(load_seed_rows() + rows)


def auc(bundle, rows: list[dict]) -> float:
    label = label_of(rows)
    scores = bundle.score([CommentInput.from_row(r) for r in rows])
    return roc_auc_score([int(r[label]) for r in rows], [s[HEAD[label]] for s in scores])


def references(rows: list[dict]) -> dict[str, float]:
    """alt-profanity-check's and (where recorded) Perspective's ROC AUC on the same rows."""
    out = {}
    if label_of(rows) != "label_toxic":
        return out
    y = [int(r["label_toxic"]) for r in rows]
    with contextlib.suppress(ImportError):
        from profanity_check import predict_prob

        out["alt-profanity-check"] = roc_auc_score(y, predict_prob([r["text"] for r in rows]))
    if all(isinstance(r.get("perspective"), int | float) for r in rows):
        out["Perspective"] = roc_auc_score(y, [r["perspective"] for r in rows])
    return out


def split(rows: list[dict], seed: int = 1461) -> tuple[list[dict], list[dict]]:
    y = [r[label_of(rows)] for r in rows]
    train_idx, test_idx = train_test_split(np.arange(len(rows)), test_size=0.2, stratify=y, random_state=seed)
    return [rows[i] for i in train_idx], [rows[i] for i in test_idx]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mixtures", default="seed,equal,shipped")
    parser.add_argument("--protocols", default="transfer,heldout")
    parser.add_argument("--sets", default=",".join(SETS))
    args = parser.parse_args()
    names = args.sets.split(",")
    data = load_sets(names)
    mixes = args.mixtures.split(",")
    results: dict[tuple[str, str, str], float] = {}
    if "transfer" in args.protocols:
        for left_out in names:
            others = [r for n in names if n != left_out for r in data[n]]
            for mix in mixes:
                started = time.perf_counter()
                bundle = train(mix, [] if mix == "seed" else others)
                results[("transfer", mix, left_out)] = auc(bundle, data[left_out])
                print(f"transfer {mix:8s} {left_out:24s} ROC AUC {results[('transfer', mix, left_out)]:.4f} "
                      f"({time.perf_counter() - started:.0f}s)", flush=True)
    if "heldout" in args.protocols:
        parts = {n: split(data[n]) for n in names}
        train_rows = [r for n in names for r in parts[n][0]]
        for mix in mixes:
            bundle = train(mix, [] if mix == "seed" else train_rows)
            for n in names:
                results[("heldout", mix, n)] = auc(bundle, parts[n][1])
                print(f"held-out {mix:8s} {n:24s} ROC AUC {results[('heldout', mix, n)]:.4f}", flush=True)
    print("\n| set | protocol | " + " | ".join(mixes) + " | references |")
    print("|---|---|" + "---|" * len(mixes) + "---|")
    for protocol in ("transfer", "heldout"):
        for n in names:
            if (protocol, mixes[0], n) not in results:
                continue
            rows = data[n] if protocol == "transfer" else split(data[n])[1]
            refs = ", ".join(f"{k} {v:.4f}" for k, v in references(rows).items()) or ""
            cells = " | ".join(f"{results[(protocol, m, n)]:.4f}" for m in mixes)
            print(f"| {n} | {protocol} | {cells} | {refs} |")
    for (protocol, mix, n), value in results.items():
        if mix == "shipped":
            print(f"{protocol}_auc_{n}={value:.4f}")


if __name__ == "__main__":
    main()
