"""Evaluate a candidate bundle against the active one on the same holdout, head by head."""

from __future__ import annotations

import numpy as np
from sklearn.metrics import precision_recall_curve

from classifier import CommentInput, ModelBundle
from classifier.heads import HEAD_LABELS, label_value
from classifier.thresholds import at_threshold, summary_metrics
from service.domain.training.dataset import Example

CURVE_POINTS = 120  # enough for a smooth plot, small enough to keep in the report JSON


def routing_thresholds(config: dict) -> dict[str, dict[str, float]]:
    """The thresholds decisions are actually made at (the app defaults), per head."""
    return {
        "spam": {"hold": float(config["SPAM_HOLD_THRESHOLD"]), "reject": float(config["SPAM_REJECT_THRESHOLD"])},
        "toxicity": {"hold": float(config["TOXICITY_HOLD_THRESHOLD"])},
    }


def score_examples(bundle: ModelBundle, examples: list[Example], batch: int = 2000) -> list[dict[str, float]]:
    out: list[dict[str, float]] = []
    for start in range(0, len(examples), batch):
        items = [CommentInput.from_row(e.row) for e in examples[start:start + batch]]
        out.extend(bundle.score(items))
    return out


def pr_curve(y: np.ndarray, p: np.ndarray) -> dict | None:
    """Precision-recall points, thinned to about CURVE_POINTS, or None with one class only."""
    if len(np.unique(y)) < 2:
        return None
    precision, recall, _ = precision_recall_curve(y, p)
    keep = np.unique(np.linspace(0, len(precision) - 1, min(len(precision), CURVE_POINTS)).astype(int))
    return {"precision": [round(float(v), 4) for v in precision[keep]],
            "recall": [round(float(v), 4) for v in recall[keep]]}


def model_figures(y: np.ndarray, p: np.ndarray, thresholds: dict[str, float]) -> dict:
    """ROC AUC, PR AUC, and precision, recall and confusion matrix at each threshold."""
    return {
        **summary_metrics(y, p),
        "at_thresholds": {name: at_threshold(y, p, value) for name, value in thresholds.items()},
        "pr_curve": pr_curve(y, p),
    }


def evaluate(candidate: ModelBundle, active: ModelBundle | None, holdout: list[Example], recent: list[Example],
             config: dict) -> dict:
    """Per head: the candidate's and the active model's figures side by side, on all and on recent labels."""
    routing = routing_thresholds(config)
    recent_ids = {id(e) for e in recent}
    cand_scores = score_examples(candidate, holdout)
    active_scores = score_examples(active, holdout) if active is not None else [{} for _ in holdout]
    heads: dict[str, dict] = {}
    for head in candidate.heads:
        key = HEAD_LABELS.get(head)
        idx = [i for i, e in enumerate(holdout) if label_value(e.row.get(key)) is not None]
        if not idx:
            continue
        y = np.array([label_value(holdout[i].row.get(key)) for i in idx], dtype=np.int64)
        is_recent = np.array([id(holdout[i]) in recent_ids for i in idx], dtype=bool)
        thresholds = routing.get(head) or {"hold": float(candidate.thresholds.get(head, {}).get("hold", 0.5))}
        entry: dict = {"thresholds": thresholds, "n": len(idx), "recent_n": int(is_recent.sum())}
        for name, scores, bundle in (("candidate", cand_scores, candidate), ("active", active_scores, active)):
            if bundle is None or head not in bundle.heads:
                entry[name] = None
                continue
            p = np.array([scores[i][head] for i in idx], dtype=float)
            entry[name] = model_figures(y, p, thresholds)
            entry[name]["recent"] = (model_figures(y[is_recent], p[is_recent], thresholds)
                                     if is_recent.any() else None)
            entry[name]["recommended_thresholds"] = bundle.thresholds.get(head, {})
        heads[head] = entry
    return {"heads": heads, "holdout": {"rows": len(holdout), "recent_moderator_rows": len(recent)}}


def no_worse(report: dict, tolerance: float = 0.0) -> tuple[bool, list[str]]:
    """Whether the candidate matches or beats the active model on ROC AUC and PR AUC for every shared head."""
    reasons = []
    for head, entry in report["heads"].items():
        cand, active = entry.get("candidate"), entry.get("active")
        if not cand or not active:
            continue
        for metric in ("roc_auc", "pr_auc"):
            c, a = cand.get(metric), active.get(metric)
            if c is not None and a is not None and c < a - tolerance:
                reasons.append(f"{head} {metric} {c:.4f} < active {a:.4f}")
    return not reasons, reasons


class ActiveScorer:
    """The serving models seen through the same small interface as a ModelBundle (heads, thresholds, score)."""

    def __init__(self, active):
        self.active = active
        self.version = active.version
        self.heads = tuple(active.heads)
        self.thresholds = {head: active.thresholds(head) for head in self.heads}

    def score(self, items: list[CommentInput]) -> list[dict[str, float]]:
        return self.active.score_many(items)
