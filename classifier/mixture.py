"""The training mixture: which rows teach which head, with what target and weight.

Rows of the bundled real data sets (classifier/data; each carries `bundled` = its set name) are weighted
and relabelled here, on purpose, because the sets disagree about what a label means. Every choice below was
made by leave-one-source-out transfer and held-out parts of each set (bench/transfer.py), never by a
held-back set's score:

- Wikipedia talk comments (168 toxic of 16,000) teach toxicity with a soft target, the larger of the
  raters' label and the Perspective score recorded with the comment (a teacher's score on every comment
  says far more than 168 positives), at weight 3 (held-out ROC AUC on those comments 0.76 -> 0.86).
- Davidson's tweets call most profanity offensive, which the product does not (swearing at nobody is
  ordinary): weight 0.5 in training, which raised held-out AUC on the other toxicity sets, and no say in
  where the probability scale sits (`calibration_weight` 0).
- News-site (Civil Comments) and Wikipedia comments are all ordinary as far as spam is concerned: they
  join the spam head as not-spam at weight 0.3, so long, ordinary comments are not mistaken for spam (a
  plain comment of a few sentences scored 0.71 spam with only SMS and YouTube data to learn from).
- The raters' share on the Civil Comments posts (2 of 3 found it toxic) was tried as a soft target and
  lost to the majority label (held-out AUC 0.651 against 0.643): kept hard.

Rows without `bundled` (the seed corpus, a site's own labels, imported history) train with weight 1.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from classifier.heads import HEAD_LABELS, label_value

# Per head: weight of each bundled set's rows (absent: 1.0).
WEIGHTS: dict[str, dict[str, float]] = {
    "toxicity": {"wiki_talk_cat": 3.0, "davidson_hate_offensive": 0.5},
}
# Per head: weight of each bundled set's rows when fitting the sigmoid that sets the probability scale.
CALIBRATION_WEIGHTS: dict[str, dict[str, float]] = {
    "toxicity": {"wiki_talk_cat": 3.0, "davidson_hate_offensive": 0.0},
}
# Per head: bundled sets whose rows train towards max(label, row[field]), a teacher's score in [0, 1].
SOFT_TARGETS: dict[str, dict[str, str]] = {
    "toxicity": {"wiki_talk_cat": "perspective"},
}
# Per head: bundled sets whose unlabelled rows count as negatives, and their weight.
IMPLIED_NEGATIVES: dict[str, dict[str, float]] = {
    "spam": {"toxic_spans": 0.3, "wiki_talk_cat": 0.3},
}


@dataclass
class HeadExamples:
    """The rows that teach one head, with a training target, a hard label and two weights."""

    rows: np.ndarray  # indices into the rows given
    target: np.ndarray  # in [0, 1]
    label: np.ndarray  # 0/1: what the row is labelled (targets may be soft)
    weight: np.ndarray  # training weight
    calibration_weight: np.ndarray  # weight when fitting the probability scale


def head_examples(rows: Sequence[dict], head: str) -> HeadExamples:
    """Select and weigh the rows that teach `head`."""
    key = HEAD_LABELS[head]
    weights = WEIGHTS.get(head, {})
    calibration = CALIBRATION_WEIGHTS.get(head, weights)
    implied = IMPLIED_NEGATIVES.get(head, {})
    soft = SOFT_TARGETS.get(head, {})
    picked, targets, labels, train_w, cal_w = [], [], [], [], []
    for i, row in enumerate(rows):
        bundled = row.get("bundled")
        label = label_value(row.get(key))
        weight = 1.0
        if label is None:
            if bundled not in implied:
                continue
            label, weight = 0, implied[bundled]
        elif bundled is not None:
            weight = weights.get(bundled, 1.0)
        target = float(label)
        if bundled in soft:
            teacher = row.get(soft[bundled])
            if isinstance(teacher, int | float) and 0.0 <= teacher <= 1.0:
                target = max(target, float(teacher))
        picked.append(i)
        targets.append(target)
        labels.append(label)
        train_w.append(weight)
        cal_w.append(calibration.get(bundled, weight) if bundled is not None else weight)
    return HeadExamples(np.array(picked, dtype=np.int64), np.array(targets, dtype=np.float64),
                        np.array(labels, dtype=np.int64), np.array(train_w, dtype=np.float64),
                        np.array(cal_w, dtype=np.float64))


def describe() -> dict:
    """The mixture as recorded in every sidecar."""
    return {"weights": WEIGHTS, "calibration_weights": CALIBRATION_WEIGHTS, "implied_negatives": IMPLIED_NEGATIVES,
            "soft_targets": {head: {name: f"max(label, {field})" for name, field in sets.items()}
                             for head, sets in SOFT_TARGETS.items()}}
