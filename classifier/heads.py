"""Heads (what a model scores) and the data-row labels they learn from."""

from __future__ import annotations

HEAD_LABELS: dict[str, str] = {
    "spam": "label_spam",
    "toxicity": "label_toxic",
    "insult": "label_insult",
    "threat": "label_threat",
    "identity_attack": "label_identity_attack",
    "obscene": "label_obscene",
    "severe_toxic": "label_severe_toxic",
}
MAIN_HEADS = ("spam", "toxicity")
# Target precision for each recommended threshold, chosen on out-of-fold predictions.
THRESHOLD_PRECISION: dict[str, dict[str, float]] = {
    "spam": {"hold": 0.9, "reject": 0.99},
}
DEFAULT_THRESHOLD_PRECISION = {"hold": 0.9}
# The score at which a head "fires" when no site says otherwise (the service's default hold thresholds):
# explanations highlight only for heads at or above it.
DEFAULT_HOLD_THRESHOLD = 0.5
SENTENCE_HEADS = ("toxicity", "insult", "threat", "identity_attack", "obscene", "severe_toxic")


def label_value(value: object) -> int | None:
    """Read a 0/1 label from a data row; None, "" and unknown values mean "not labelled"."""
    if value is None or isinstance(value, float) and value != value:
        return None
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int | float):
        return 1 if value >= 0.5 else 0
    text = str(value).strip().lower()
    if text in ("1", "true", "yes", "spam", "toxic"):
        return 1
    if text in ("0", "false", "no", "ham"):
        return 0
    return None
