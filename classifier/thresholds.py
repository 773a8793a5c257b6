"""Recommended thresholds and validation metrics from out-of-fold predictions."""

from __future__ import annotations

import numpy as np
from sklearn.metrics import average_precision_score, brier_score_loss, f1_score, roc_auc_score

MIN_FLAGGED = 10  # precision measured on fewer flagged comments than this is noise
# Floors for recommendations. On a clean, well-separated corpus (the seed corpus above all) the lowest
# threshold that meets the precision target sits near 0, because the out-of-fold scores of the two classes
# do not overlap; real traffic is messier, and a 0.02 hold threshold would hold most ordinary comments.
FLOORS = {"hold": 0.3, "reject": 0.9}


def threshold_for_precision(y: np.ndarray, p: np.ndarray, target: float) -> float | None:
    """Return the lowest threshold at and above which precision stays >= target, or None."""
    order = np.argsort(-p, kind="stable")
    scores, labels = p[order], y[order]
    # Precision when flagging everything scoring >= scores[i]; ties flag together, so use the last of a run.
    true_pos = np.cumsum(labels)
    flagged = np.arange(1, len(labels) + 1)
    last_of_run = np.r_[scores[1:] != scores[:-1], True]
    precision = (true_pos / flagged)[last_of_run]
    cut_scores = scores[last_of_run]
    counts = flagged[last_of_run]
    ok = (precision >= target) | (counts < MIN_FLAGGED)
    # Walk down from the top: the threshold may go as low as precision stays above target.
    bad = np.nonzero(~ok)[0]
    stop = bad[0] if len(bad) else len(ok)
    usable = counts[:stop] >= MIN_FLAGGED
    if not usable.any():
        return None
    return float(cut_scores[:stop][usable][-1])


def choose_thresholds(y: np.ndarray, p: np.ndarray, targets: dict[str, float]) -> tuple[dict, dict]:
    """Return ({name: threshold}, {name: details}) for each target precision; unmet targets fall back."""
    thresholds: dict[str, float] = {}
    details: dict[str, dict] = {}
    for name, target in targets.items():
        found = threshold_for_precision(y, p, target)
        # Unmet: hold at 0.5 (the calibrated even odds); never reject automatically.
        value = found if found is not None else (0.5 if name == "hold" else 1.0)
        floored = max(value, FLOORS.get(name, 0.0))
        thresholds[name] = floored
        details[name] = {"target_precision": target, "met": found is not None, "unfloored": value,
                         **at_threshold(y, p, floored)}
    if "reject" in thresholds and "hold" in thresholds and thresholds["reject"] < thresholds["hold"]:
        thresholds["reject"] = thresholds["hold"]
    return thresholds, details


def at_threshold(y: np.ndarray, p: np.ndarray, threshold: float) -> dict:
    """Precision, recall, F1 and confusion matrix when flagging p >= threshold."""
    flagged = p >= threshold
    tp = int(np.sum(flagged & (y == 1)))
    fp = int(np.sum(flagged & (y == 0)))
    fn = int(np.sum(~flagged & (y == 1)))
    tn = int(np.sum(~flagged & (y == 0)))
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "threshold": float(threshold),
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "confusion_matrix": {"tn": tn, "fp": fp, "fn": fn, "tp": tp},
    }


def summary_metrics(y: np.ndarray, p: np.ndarray) -> dict:
    """ROC AUC, PR AUC, Brier score and F1 at 0.5; AUCs are None when only one class is present."""
    both = len(np.unique(y)) == 2
    return {
        "n": int(len(y)),
        "positives": int(np.sum(y)),
        "roc_auc": float(roc_auc_score(y, p)) if both else None,
        "pr_auc": float(average_precision_score(y, p)) if both else None,
        "brier": float(brier_score_loss(y, p, labels=[0, 1])) if len(y) else None,
        "f1_at_0_5": float(f1_score(y, p >= 0.5, zero_division=0.0)) if len(y) else None,
    }
