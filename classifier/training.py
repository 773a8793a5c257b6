"""Train every head the data has labels for into a ModelBundle."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterable
from datetime import UTC, datetime

import numpy as np
import sklearn

from classifier import mixture
from classifier.bundle import ModelBundle
from classifier.features import Featurizer, HashingParams
from classifier.heads import DEFAULT_THRESHOLD_PRECISION, HEAD_LABELS, THRESHOLD_PRECISION
from classifier.inputs import CommentInput
from classifier.model import TrainingMatrix, build_pipeline, document_idf, fit_pipeline
from classifier.recipes import recipe_for
from classifier.snapshot import data_snapshot, row_digest
from classifier.spans import SpanTagger, train_tagger
from classifier.thresholds import choose_thresholds, summary_metrics

MIN_PER_CLASS = 5  # fewer examples of a class than this and the head is not trained
MIN_SPAN_POSTS = 50  # fewer posts with raters' spans than this and no span tagger is trained
SIDECAR_FORMAT = "moderato-classifier-head/2"

Progress = Callable[[str, float], None]


def train_bundle(rows: Iterable[dict], *, seed: int = 1461, progress: Progress | None = None,
                 params: HashingParams | None = None) -> ModelBundle:
    """Train a head for every label with at least MIN_PER_CLASS examples of each class.

    Rows of the bundled real data sets are weighted and relabelled by classifier/mixture.py; each head is
    fitted by its recipe (classifier/recipes.py).
    """
    report = progress or (lambda message, fraction: None)
    rows = [r for r in rows if isinstance(r, dict)]
    started = time.perf_counter()
    params = params or HashingParams()
    featurizer = Featurizer(params)
    report("featurizing", 0.0)
    # One count matrix (and one of sentences) for every head and fold, built a chunk at a time.
    X, sentences, owner = featurizer.transform_with_sentences(CommentInput.from_row(r) for r in rows)
    # One idf for every head (counted on all rows): the heads' per-block norms are then the same, and
    # scoring computes them once for all heads (classifier/compact.py).
    idf = document_idf(X)
    examples = {head: mixture.head_examples(rows, head) for head in HEAD_LABELS}
    trainable = [head for head, ex in examples.items() if _trainable(ex.label)]
    if not trainable:
        raise ValueError(f"no head has {MIN_PER_CLASS}+ labelled examples of each class in {len(rows)} rows")
    created = datetime.now(UTC)
    version = _version_id(created, rows, seed)
    pipelines, sidecars = {}, {}
    digests = [row_digest(r) for r in rows]
    for done, head in enumerate(trainable):
        report(f"training {head}", 0.1 + 0.9 * done / len(trainable))
        ex = examples[head]
        order = np.random.RandomState(seed).permutation(len(ex.rows))
        recipe = recipe_for(head)
        data = TrainingMatrix(
            X=X, rows=ex.rows[order], target=ex.target[order], label=ex.label[order], weight=ex.weight[order],
            calibration_weight=ex.calibration_weight[order], calibration_target=ex.calibration_target[order],
            anchor_rows=None if ex.anchor_rows is None else ex.anchor_rows[order], idf=idf,
            sentences=sentences if recipe.sentences else None, owner=owner if recipe.sentences else None,
        )
        pipeline = build_pipeline(featurizer.blocks, recipe, seed=seed)
        head_started = time.perf_counter()
        out_of_fold = fit_pipeline(pipeline, data, recipe)
        y = data.label
        targets = THRESHOLD_PRECISION.get(head, DEFAULT_THRESHOLD_PRECISION)
        thresholds, threshold_details = choose_thresholds(y, out_of_fold, targets)
        pipelines[head] = pipeline
        picked = ex.rows.tolist()
        sidecars[head] = {
            "format": SIDECAR_FORMAT,
            "head": head,
            "version": version,
            "created_at": created.isoformat(timespec="seconds"),
            "sklearn_version": sklearn.__version__,
            "params": {"hashing": params.to_json(), "recipe": recipe.to_json(), "seed": seed,
                       "mixture": mixture.describe(),
                       "model": "per-block TF-IDF, SGD log loss on all rows, sigmoid calibrated on 3-fold "
                                "out-of-fold scores" + (" (comment and best sentence)" if recipe.sentences else "")},
            # Labels as the head saw them (the mixture adds implied negatives), so counted here.
            "training_data": {**data_snapshot([rows[i] for i in picked], None, [digests[i] for i in picked]),
                              "positives": int(y.sum())},
            "metrics": {
                "validation": "out-of-fold (3-fold) predictions",
                **summary_metrics(y, out_of_fold),
                "at_thresholds": threshold_details,
                "train_seconds": round(time.perf_counter() - head_started, 2),
            },
            "thresholds": thresholds,
        }
    bundle = ModelBundle(version=version, pipelines=pipelines, sidecars=sidecars)
    posts = [i for i, r in enumerate(rows) if isinstance(r.get("gold_spans"), list)]
    if "toxicity" in pipelines and len(posts) >= MIN_SPAN_POSTS:
        report("training toxicity spans", 0.95)
        tagger, tagger_sidecar = _train_spans(bundle, rows, posts, version, created, seed, digests)
        bundle.span_taggers["toxicity"], bundle.span_sidecars["toxicity"] = tagger, tagger_sidecar
    report("done", 1.0)
    for sidecar in [*sidecars.values(), *bundle.span_sidecars.values()]:
        sidecar["metrics"]["total_train_seconds"] = round(time.perf_counter() - started, 2)
    return bundle


def _train_spans(bundle: ModelBundle, rows: list[dict], posts: list[int], version: str, created: datetime,
                 seed: int, digests: list[str]) -> tuple[SpanTagger, dict]:
    """Fit the toxicity span tagger on rows that carry raters' `gold_spans` (character offsets)."""
    started = time.perf_counter()
    examples = []
    for i in posts:
        norm = bundle.featurizer.normalise([CommentInput.from_row(rows[i])], offsets=True)[0]
        examples.append((norm, {int(c) for c in rows[i]["gold_spans"] if isinstance(c, int)}))
    tagger, metrics = train_tagger(examples, bundle.word_scores("toxicity"), seed=seed)
    sidecar = {
        "format": SIDECAR_FORMAT,
        "kind": "spans",
        "version": version,
        "created_at": created.isoformat(timespec="seconds"),
        "sklearn_version": sklearn.__version__,
        "params": {"threshold": tagger.threshold, "fallback": tagger.fallback, "seed": seed,
                   "features": "hashed word, character 3-5-grams, neighbours and word toxicity of each token, "
                               "then the first model's probabilities (2**20 columns)"},
        "training_data": data_snapshot([rows[i] for i in posts], None, [digests[i] for i in posts]),
        "metrics": {**metrics, "train_seconds": round(time.perf_counter() - started, 2)},
    }
    return tagger, sidecar


def _trainable(y: np.ndarray) -> bool:
    return int(np.sum(y == 1)) >= MIN_PER_CLASS and int(np.sum(y == 0)) >= MIN_PER_CLASS


def _version_id(created: datetime, rows: list[dict], seed: int) -> str:
    """A unique id: creation time plus a hash of the data size, seed and clock."""
    salt = f"{len(rows)}:{seed}:{time.time_ns()}".encode()
    return f"{created:%Y%m%dT%H%M%S}-{hashlib.sha256(salt).hexdigest()[:8]}"
