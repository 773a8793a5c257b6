"""Classifier quality on ../shared/datasets: 5-fold CV against a plain TfidfVectorizer(word 1-2 + char_wb 2-5)
+ LogisticRegression baseline measured in the same run (ROC AUC, F1 at 0.5), then out-of-the-box AUC of
the default model (seed corpus only) on each set, and, on the toxicity sets, beside alt-profanity-check
(a pretrained offensive-language model) when it is installed (`pip install alt-profanity-check`; it pins
the same scikit-learn; not a project dependency, so skipped when absent).

    python bench/classifier_quality.py [--sets youtube_spam,sms_spam,davidson_hate_offensive] [--folds 5] [--no-cv]
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score, roc_auc_score
from sklearn.model_selection import StratifiedKFold
from sklearn.pipeline import FeatureUnion, make_pipeline

from classifier import CommentInput, train_bundle

DATA = Path(__file__).resolve().parents[2] / "shared" / "datasets"
LABELS = {"label_spam": "spam", "label_toxic": "toxicity"}


def baseline():
    return make_pipeline(
        FeatureUnion([
            ("word", TfidfVectorizer(ngram_range=(1, 2))),
            ("char", TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5))),
        ]),
        LogisticRegression(max_iter=1000),
    )


def load(name: str) -> tuple[list[dict], str] | None:
    path = DATA / name / "train.jsonl"
    if not path.exists():
        print(f"{name}: skipped, {path} is absent")
        return None
    rows = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    label = next(key for key in LABELS if rows[0].get(key) is not None)
    return rows, label


def cross_validate(rows: list[dict], label: str, folds: int) -> dict:
    y = np.array([int(r[label]) for r in rows])
    texts = [r["text"] for r in rows]
    head = LABELS[label]
    scores = {"ours": np.zeros(len(y)), "baseline": np.zeros(len(y))}
    for train, test in StratifiedKFold(folds, shuffle=True, random_state=1461).split(texts, y):
        model = baseline().fit([texts[i] for i in train], y[train])
        scores["baseline"][test] = model.predict_proba([texts[i] for i in test])[:, 1]
        train_rows = [{**rows[i], "label_spam": None, "label_toxic": None, label: int(y[i])} for i in train]
        bundle = train_bundle(train_rows)
        scores["ours"][test] = [s[head] for s in bundle.score([CommentInput.from_row(rows[i]) for i in test])]
    return {name: (roc_auc_score(y, p), f1_score(y, p >= 0.5)) for name, p in scores.items()}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sets", default="youtube_spam,sms_spam,davidson_hate_offensive")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--no-default", action="store_true", help="skip the out-of-the-box (seed corpus) part")
    parser.add_argument("--no-cv", action="store_true", help="skip the cross-validation part")
    args = parser.parse_args()
    loaded = {name: data for name in args.sets.split(",") if (data := load(name))}
    for name, (rows, label) in ([] if args.no_cv else loaded.items()):
        result = cross_validate(rows, label, args.folds)
        (auc, f1), (base_auc, base_f1) = result["ours"], result["baseline"]
        print(f"{name} ({len(rows)} rows, {args.folds}-fold): ours AUC {auc:.5f} F1 {f1:.4f} | baseline AUC "
              f"{base_auc:.5f} F1 {base_f1:.4f} | {'beats' if auc > base_auc and f1 > base_f1 else 'DOES NOT beat'}",
              flush=True)
        # `make bench` summary lines: ours, with the same run's baseline as the target to beat.
        print(f"cv_auc_{name}={auc:.4f} target={base_auc:.4f}", flush=True)
        print(f"cv_f1_{name}={f1:.4f} target={base_f1:.4f}", flush=True)
    if args.no_default or not loaded:
        return
    from classifier.seed import load_seed_rows

    default = train_bundle(load_seed_rows())
    profanity = profanity_checker()
    for name, (rows, label) in loaded.items():
        y = np.array([int(r[label]) for r in rows])
        p = np.array([s[LABELS[label]] for s in default.score([CommentInput.from_row(r) for r in rows])])
        line = f"out of the box on {name}: {LABELS[label]} AUC {roc_auc_score(y, p):.4f} F1 {f1_score(y, p >= 0.5):.4f}"
        if label == "label_toxic":
            if profanity is None:
                line += " | alt-profanity-check not installed, skipped"
            else:
                q = profanity([r["text"] for r in rows])
                line += f" | alt-profanity-check AUC {roc_auc_score(y, q):.4f} F1 {f1_score(y, q >= 0.5):.4f}"
        print(line, flush=True)


def profanity_checker():
    """alt-profanity-check's predict_prob, or None when the package is absent."""
    try:
        from profanity_check import predict_prob
    except ImportError:
        return None
    return predict_prob


if __name__ == "__main__":
    main()
