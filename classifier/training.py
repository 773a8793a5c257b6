"""Train every head the data has labels for into a ModelBundle."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterable
from datetime import UTC, datetime

import numpy as np
import sklearn

from classifier.bundle import ModelBundle
from classifier.features import Featurizer, HashingParams
from classifier.heads import DEFAULT_THRESHOLD_PRECISION, HEAD_LABELS, THRESHOLD_PRECISION, label_value
from classifier.inputs import CommentInput
from classifier.model import DEFAULT_ALPHA, build_pipeline, fit_pipeline
from classifier.snapshot import data_snapshot, row_digest
from classifier.thresholds import choose_thresholds, summary_metrics

MIN_PER_CLASS = 5  # fewer examples of a class than this and the head is not trained
SIDECAR_FORMAT = "moderato-classifier-head/1"

Progress = Callable[[str, float], None]


def train_bundle(
    rows: Iterable[dict], *, seed: int = 1461, progress: Progress | None = None, alpha: float = DEFAULT_ALPHA
) -> ModelBundle:
    """Train a head for every label with at least MIN_PER_CLASS examples of each class."""
    report = progress or (lambda message, fraction: None)
    rows = [r for r in rows if isinstance(r, dict)]
    started = time.perf_counter()
    params = HashingParams()
    featurizer = Featurizer(params)
    report("featurizing", 0.0)
    # One count matrix for every head and fold; the comments are built a chunk at a time as it fills.
    X = featurizer.transform(CommentInput.from_row(r) for r in rows)
    labels = {
        head: np.array([label_value(r.get(key)) for r in rows], dtype=object) for head, key in HEAD_LABELS.items()
    }
    trainable = [head for head, y in labels.items() if _trainable(y)]
    if not trainable:
        raise ValueError(f"no head has {MIN_PER_CLASS}+ labelled examples of each class in {len(rows)} rows")
    created = datetime.now(UTC)
    version = _version_id(created, rows, seed)
    pipelines, sidecars = {}, {}
    digests = [row_digest(r) for r in rows]
    for done, head in enumerate(trainable):
        report(f"training {head}", 0.1 + 0.9 * done / len(trainable))
        y_all = labels[head]
        labelled = np.nonzero(y_all != None)[0]  # noqa: E711 (elementwise on an object array)
        order = np.random.RandomState(seed).permutation(labelled)
        y = y_all[order].astype(np.int64)
        pipeline = build_pipeline(alpha=alpha, seed=seed)
        head_started = time.perf_counter()
        out_of_fold = fit_pipeline(pipeline, X, y, rows=order)
        targets = THRESHOLD_PRECISION.get(head, DEFAULT_THRESHOLD_PRECISION)
        thresholds, threshold_details = choose_thresholds(y, out_of_fold, targets)
        pipelines[head] = pipeline
        sidecars[head] = {
            "format": SIDECAR_FORMAT,
            "head": head,
            "version": version,
            "created_at": created.isoformat(timespec="seconds"),
            "sklearn_version": sklearn.__version__,
            "params": {"hashing": params.to_json(), "alpha": alpha, "seed": seed,
                       "model": "SGD log loss on all rows, sigmoid calibrated on 3-fold out-of-fold scores"},
            "training_data": data_snapshot([rows[i] for i in labelled], head, [digests[i] for i in labelled]),
            "metrics": {
                "validation": "out-of-fold (3-fold) predictions",
                **summary_metrics(y, out_of_fold),
                "at_thresholds": threshold_details,
                "train_seconds": round(time.perf_counter() - head_started, 2),
            },
            "thresholds": thresholds,
        }
    report("done", 1.0)
    for sidecar in sidecars.values():
        sidecar["metrics"]["total_train_seconds"] = round(time.perf_counter() - started, 2)
    return ModelBundle(version=version, pipelines=pipelines, sidecars=sidecars)


def _trainable(y: np.ndarray) -> bool:
    return int(np.sum(y == 1)) >= MIN_PER_CLASS and int(np.sum(y == 0)) >= MIN_PER_CLASS


def _version_id(created: datetime, rows: list[dict], seed: int) -> str:
    """A unique id: creation time plus a hash of the data size, seed and clock."""
    salt = f"{len(rows)}:{seed}:{time.time_ns()}".encode()
    return f"{created:%Y%m%dT%H%M%S}-{hashlib.sha256(salt).hexdigest()[:8]}"
