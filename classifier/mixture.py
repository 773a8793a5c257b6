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
    "toxicity": {"wiki_talk_cat": 3.0, "davidson_hate_offensive": 0.5, "seed": 4.0},
}
# Per head: the set and teacher score that set its probability scale. The sigmoid's slope is fitted on that
# set's rows alone, to the teacher's score, and 0.5 is placed where it holds the same share of the set's
# ordinary (label 0) comments as the teacher did at 0.5: 1.9 % of Wikipedia comments raters called civil, as
# Perspective. So a site moving from Perspective at 0.5 holds about as many ordinary comments as before.
# Without that set in the training rows (--no-bundled), or for other heads, the sigmoid is fitted to the
# labels, with the training weights.
SCALES: dict[str, tuple[str, str]] = {
    "toxicity": ("wiki_talk_cat", "perspective"),
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
    calibration_target: np.ndarray  # what the probability should be on that row (label, or a teacher's score)
    anchor_rows: np.ndarray | None = None  # rows of the teacher's set, when it sets the scale


def head_examples(rows: Sequence[dict], head: str) -> HeadExamples:
    """Select and weigh the rows that teach `head`."""
    key = HEAD_LABELS[head]
    weights = WEIGHTS.get(head, {})
    scale = SCALES.get(head)
    implied = IMPLIED_NEGATIVES.get(head, {})
    soft = SOFT_TARGETS.get(head, {})
    picked, targets, labels, train_w, cal_w, cal_t = [], [], [], [], [], []
    for i, row in enumerate(rows):
        bundled = mixture_source(row)
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
        teacher = row.get(scale[1]) if scale is not None and bundled == scale[0] else None
        picked.append(i)
        targets.append(target)
        labels.append(label)
        train_w.append(weight)
        if isinstance(teacher, int | float) and 0.0 <= teacher <= 1.0:
            cal_w.append(1.0)
            cal_t.append(float(teacher))
        else:
            cal_w.append(weight)
            cal_t.append(float(label))
    examples = HeadExamples(np.array(picked, dtype=np.int64), np.array(targets, dtype=np.float64),
                            np.array(labels, dtype=np.int64), np.array(train_w, dtype=np.float64),
                            np.array(cal_w, dtype=np.float64), np.array(cal_t, dtype=np.float64))
    if scale is not None:
        on_scale = np.array([mixture_source(rows[i]) == scale[0] for i in picked], dtype=bool)
        if on_scale.sum() >= 100:  # the teacher's set is there: it alone sets the scale
            examples.calibration_weight[~on_scale] = 0.0
            examples.anchor_rows = on_scale
    return examples


def mixture_source(row: dict) -> str | None:
    """The name the mixture knows a row by: its bundled set, "seed" for the seed corpus, else None."""
    return row.get("bundled") or ("seed" if row.get("source") == "seed" else None)


def describe() -> dict:
    """The mixture as recorded in every sidecar."""
    return {"weights": WEIGHTS, "scales": {head: f"{name}: {field}" for head, (name, field) in SCALES.items()},
            "implied_negatives": IMPLIED_NEGATIVES,
            "soft_targets": {head: {name: f"max(label, {field})" for name, field in sets.items()}
                             for head, sets in SOFT_TARGETS.items()}}
