"""One head's scikit-learn Pipeline, and how it is fitted.

The Pipeline is two stock steps: a ColumnTransformer that weights the word, character and metadata blocks
of the featurizer's matrix with one TfidfTransformer each (sublinear TF, idf, l2 norm *per block*), then a
CalibratedClassifierCV of a logistic-loss SGDClassifier with a sigmoid calibrator.

Why per-block norms: with one l2 norm over the whole row the character n-grams (hundreds per comment)
swamp the few word n-grams and the metadata; normalising each block on its own raised held-out ROC AUC on
every real toxicity set (bench/transfer.py; e.g. Wikipedia comments 0.82 -> 0.84, news comments 0.64 -> 0.65).

How it is fitted (`fit_pipeline`), beyond `Pipeline.fit`:
- Soft targets and sample weights: a row may carry a target in [0, 1] (the share of raters who found it
  toxic, or a teacher model's score); it trains as a positive with weight t and a negative with weight 1 - t.
  Rows also carry the mixture's per-source weights (classifier/mixture.py).
- NB scaling (Wang & Manning 2012): each column is scaled by |log-count ratio| ** nb between the classes
  before the linear model is fitted; the fitted coefficients are then multiplied by the same scale, so the
  saved model is an ordinary linear model over the TF-IDF features and scores at no extra cost.
- Sentences: for heads that score sentences, the out-of-fold decision that fits the sigmoid combines the
  comment's decision with its highest sentence's, (1 - w) * comment + w * sentence (classifier/compact.py
  scores the same way).
- Memory: the shared count matrix is never copied whole: each fold weights only its rows, then lets them go.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np
import scipy.sparse as sp
from sklearn.base import clone
from sklearn.calibration import CalibratedClassifierCV, _fit_calibrator
from sklearn.compose import ColumnTransformer
from sklearn.feature_extraction.text import TfidfTransformer
from sklearn.linear_model import SGDClassifier
from sklearn.model_selection import StratifiedKFold
from sklearn.pipeline import Pipeline

CALIBRATION_FOLDS = 3
BLOCK_NAMES = ("words", "chars", "metadata")


@dataclass(frozen=True)
class HeadRecipe:
    """How one head is fitted; stored in its sidecar."""

    alpha: float = 1e-5  # L2 penalty of the SGD logistic model
    nb: float = 0.0  # exponent of the NB log-count-ratio column scaling (0: off)
    sentences: bool = False  # also score each sentence; combine with the comment's decision, then the sigmoid
    sentence_weight: float = 0.5  # combined = (1 - w) * comment decision + w * best sentence decision
    epochs: int = 15

    def to_json(self) -> dict:
        """Return a JSON-serialisable dict."""
        return asdict(self)


@dataclass
class TrainingMatrix:
    """What one head trains on: the shared count matrices and, per training row, its target and weight.

    `rows` index X; `target` is in [0, 1] (soft or hard), `label` the hard label used for calibration and
    thresholds, `weight` the mixture's weight (`calibration_weight` when fitting the sigmoid).
    `sentences`/`owner` are the sentence rows of X's comments.
    """

    X: sp.csr_matrix
    rows: np.ndarray
    target: np.ndarray
    label: np.ndarray
    weight: np.ndarray
    sentences: sp.csr_matrix | None = None
    owner: np.ndarray | None = None
    calibration_weight: np.ndarray | None = None  # weight when fitting the sigmoid (default: weight)
    calibration_target: np.ndarray | None = None  # the probability wanted on each row (default: label)
    # Rows whose calibration_target is a teacher's score: when given, 0.5 is moved to where it holds the share
    # of these rows' label-0 comments that the teacher held at 0.5 (same operating point as the teacher).
    anchor_rows: np.ndarray | None = None
    # The idf of every column, shared by the heads of a bundle (default: counted on this head's rows).
    idf: np.ndarray | None = None


def build_pipeline(blocks: tuple[slice, ...], recipe: HeadRecipe | None = None, *, seed: int = 1461) -> Pipeline:
    """Return an unfitted head Pipeline (per-block TF-IDF, calibrated SGD logistic model)."""
    recipe = recipe or HeadRecipe()
    weighting = ColumnTransformer(
        [(name, TfidfTransformer(sublinear_tf=True), block) for name, block in zip(BLOCK_NAMES, blocks, strict=True)],
        sparse_threshold=1.0,
    )
    # Logistic loss by SGD: as accurate as liblinear here and 10-50x faster to fit on 10^5-10^6 columns.
    # A fixed number of epochs (tol=None) keeps fits reproducible and warning-free.
    linear = SGDClassifier(loss="log_loss", alpha=recipe.alpha, max_iter=recipe.epochs, tol=None, random_state=seed)
    # ensemble=False: the fold models only produce out-of-fold scores, which fit the sigmoid and choose the
    # thresholds; the model that serves is trained on every row.
    model = CalibratedClassifierCV(linear, method="sigmoid", cv=CALIBRATION_FOLDS, ensemble=False)
    return Pipeline([("tfidf", weighting), ("model", model)])


def fit_pipeline(pipeline: Pipeline, data: TrainingMatrix, recipe: HeadRecipe) -> np.ndarray:
    """Fit `pipeline` in place on `data`; return the out-of-fold probabilities (order of data.rows)."""
    weighting, model = pipeline.named_steps["tfidf"], pipeline.named_steps["model"]
    X, rows = data.X, data.rows
    label = np.asarray(data.label, dtype=np.int64)
    if len(np.unique(label)) != 2 or np.bincount(label).min() < model.cv:
        raise ValueError(f"need two classes with at least {model.cv} examples each")
    _fit_weighting(weighting, X, document_idf(X, rows) if data.idf is None else data.idf)
    idf = np.concatenate([weighting.named_transformers_[name].idf_ for name in BLOCK_NAMES])
    blocks = _block_of_column(weighting, X.shape[1])
    sentence_of = _sentences_by_row(data)
    decisions = np.empty(len(rows), dtype=np.float64)
    for train, test in StratifiedKFold(n_splits=model.cv).split(np.zeros((len(rows), 1)), label):
        linear = _fit_linear(model.estimator, X, rows[train], data.target[train], data.weight[train], idf, blocks,
                             recipe)
        decisions[test] = _decisions(linear, X, rows[test], idf, blocks, sentence_of, data, recipe.sentence_weight)
    full = _fit_linear(model.estimator, X, rows, data.target, data.weight, idf, blocks, recipe)
    classes = np.array([0, 1])
    # As ensemble=False does: the model trained on every row, its sigmoid fitted to out-of-fold decisions.
    scale_weight = data.weight if data.calibration_weight is None else data.calibration_weight
    scale_target = label if data.calibration_target is None else data.calibration_target
    # A soft target t fits the sigmoid as a positive with weight t and a negative with weight 1 - t.
    soft = (scale_target > 0.0) & (scale_target < 1.0)
    fit_on = np.concatenate([decisions, decisions[soft]]).reshape(-1, 1)
    fit_label = np.concatenate([(scale_target >= 0.5).astype(np.int64), (scale_target[soft] < 0.5).astype(np.int64)])
    fit_weight = np.concatenate([scale_weight * np.where(soft, np.maximum(scale_target, 1 - scale_target), 1.0),
                                 scale_weight[soft] * np.minimum(scale_target[soft], 1 - scale_target[soft])])
    calibrated = _fit_calibrator(full, fit_on, fit_label, classes, model.method, xp=np, sample_weight=fit_weight)
    if data.anchor_rows is not None and data.calibration_target is not None:
        _anchor(calibrated.calibrators[0], decisions, label, data.calibration_target, data.anchor_rows)
    model.calibrated_classifiers_ = [calibrated]
    model.classes_ = classes
    model.n_features_in_ = full.n_features_in_
    return calibrated.calibrators[0].predict(decisions)


def _anchor(sigmoid, decisions: np.ndarray, label: np.ndarray, teacher: np.ndarray, rows: np.ndarray) -> None:
    """Shift the sigmoid (p = expit(-(a * d + b))) so that p >= 0.5 holds the share of the anchor rows'
    label-0 comments that the teacher scored >= 0.5 (the teacher's operating point on ordinary comments)."""
    civil = rows & (label == 0)
    if civil.sum() < 100 or sigmoid.a_ >= 0:
        return
    share = float(np.mean(teacher[civil] >= 0.5))
    cut = float(np.quantile(decisions[civil], 1.0 - share))
    sigmoid.b_ = -sigmoid.a_ * cut


def document_idf(X: sp.csr_matrix, rows: np.ndarray | None = None) -> np.ndarray:
    """The idf of every column over X[rows] (default: all rows) as TfidfTransformer (smooth_idf) computes it,
    counted a block of rows at a time, never copying X whole."""
    rows = np.arange(X.shape[0]) if rows is None else rows
    n = len(rows)
    df = np.zeros(X.shape[1], dtype=np.float64)
    if n == X.shape[0]:
        df += np.bincount(X.indices, minlength=X.shape[1])
    else:
        for start in range(0, n, 20000):
            df += np.bincount(X[np.sort(rows[start:start + 20000])].indices, minlength=X.shape[1])
    return np.log((1.0 + n) / (1.0 + df)) + 1.0


def _fit_weighting(weighting: ColumnTransformer, X: sp.csr_matrix, idf: np.ndarray) -> None:
    """Set the per-block TfidfTransformers' idf without fitting them on (a copy of) X.

    The ColumnTransformer is fitted on one empty row (so scikit-learn sets up its structure), then each
    block's idf is set from `idf`.
    """
    weighting.fit(sp.csr_matrix((1, X.shape[1])))
    # ColumnTransformer keeps a Python list of every input column's index per block, used only to name
    # features of DataFrames. skops writes such lists as JSON: 296 MB of schema and 13 s to load per head.
    # This Pipeline only ever sees sparse matrices, so the lists go (test_model_files checks the file size).
    weighting._transformer_to_input_indices = dict.fromkeys(weighting._transformer_to_input_indices, [])
    for name, block in zip(BLOCK_NAMES, _block_slices(weighting), strict=True):
        weighting.named_transformers_[name].idf_ = idf[block]


def _block_slices(weighting: ColumnTransformer) -> list[slice]:
    return [columns for _, _, columns in weighting.transformers]


def _block_of_column(weighting: ColumnTransformer, n_columns: int) -> np.ndarray:
    block = np.empty(n_columns, dtype=np.int8)
    for k, columns in enumerate(_block_slices(weighting)):
        block[columns] = k
    return block


def weigh(X: sp.csr_matrix, idf: np.ndarray, blocks: np.ndarray) -> sp.csr_matrix:
    """Sublinear TF times idf, l2-normalised per block, for the rows of X (a new matrix)."""
    data = np.log(X.data)
    data += 1.0
    data *= idf[X.indices]
    row = np.repeat(np.arange(X.shape[0]), np.diff(X.indptr))
    key = row * 3 + blocks[X.indices]
    norms = np.sqrt(np.bincount(key, weights=data * data, minlength=X.shape[0] * 3))
    norms[norms == 0.0] = 1.0
    data /= norms[key]
    return sp.csr_matrix((data, X.indices.copy(), X.indptr.copy()), shape=X.shape)


def _fit_linear(estimator: SGDClassifier, X: sp.csr_matrix, rows: np.ndarray, target: np.ndarray,
                weight: np.ndarray, idf: np.ndarray, blocks: np.ndarray, recipe: HeadRecipe) -> SGDClassifier:
    """Fit a clone of estimator on X[rows] (soft targets as two weighted rows); NB scale folded into coef_."""
    W = weigh(X[rows], idf, blocks)
    soft = (target > 0.0) & (target < 1.0)
    hard = (target >= 0.5).astype(np.int64)
    y = np.concatenate([hard, 1 - hard[soft]])
    w = np.concatenate([weight * np.where(soft, np.maximum(target, 1 - target), 1.0),
                        weight[soft] * np.minimum(target[soft], 1 - target[soft])])
    if soft.any():
        W = sp.vstack([W, W[soft]], format="csr")
    w = w * (len(w) / w.sum())
    scale = _nb_scale(W, y, w, recipe.nb) if recipe.nb else None
    if scale is not None:
        W = W @ sp.diags(scale, format="csr")
    linear = clone(estimator).fit(W, y, sample_weight=w)
    if scale is not None:
        linear.coef_ = linear.coef_ * scale
    return linear


def _nb_scale(W: sp.csr_matrix, y: np.ndarray, w: np.ndarray, power: float) -> np.ndarray:
    """|log((p / |p|) / (q / |q|))| ** power per column, p and q the weighted document counts per class."""
    present = sp.csr_matrix((np.ones_like(W.data), W.indices, W.indptr), shape=W.shape)
    p = present.T @ (w * (y == 1)) + 1.0
    q = present.T @ (w * (y == 0)) + 1.0
    ratio = np.abs(np.log(p / p.sum()) - np.log(q / q.sum()))
    return ratio ** power if power != 1.0 else ratio


def _sentences_by_row(data: TrainingMatrix) -> dict[int, np.ndarray] | None:
    """Sentence rows of each row of X that has them."""
    if data.sentences is None or data.owner is None or not len(data.owner):
        return None
    order = np.argsort(data.owner, kind="stable")
    owners = data.owner[order]
    bounds = np.flatnonzero(np.r_[True, owners[1:] != owners[:-1], True])
    return {int(owners[bounds[i]]): order[bounds[i]:bounds[i + 1]] for i in range(len(bounds) - 1)}


def _decisions(linear: SGDClassifier, X: sp.csr_matrix, rows: np.ndarray, idf: np.ndarray, blocks: np.ndarray,
               sentence_of: dict[int, np.ndarray] | None, data: TrainingMatrix, weight: float) -> np.ndarray:
    """Decision of each row; with sentences, (1 - weight) * the comment's + weight * its best sentence's."""
    decision = linear.decision_function(weigh(X[rows], idf, blocks))
    if sentence_of is None:
        return decision
    has = [i for i, row in enumerate(rows.tolist()) if row in sentence_of]
    if not has:
        return decision
    parts = [sentence_of[int(rows[i])] for i in has]
    sentence_rows = np.concatenate(parts)
    scores = linear.decision_function(weigh(data.sentences[sentence_rows], idf, blocks))
    bounds = np.cumsum([0] + [len(p) for p in parts])
    best = np.maximum.reduceat(scores, bounds[:-1])
    decision[has] = (1.0 - weight) * decision[has] + weight * best
    return decision


def recipe_from_json(data: dict | None) -> HeadRecipe:
    """Rebuild a HeadRecipe from a sidecar's params (defaults for what an older sidecar lacks)."""
    data = data or {}
    return HeadRecipe(alpha=float(data.get("alpha", 1e-5)), nb=float(data.get("nb", 0.0)),
                      sentences=bool(data.get("sentences", False)),
                      sentence_weight=float(data.get("sentence_weight", 0.5)), epochs=int(data.get("epochs", 15)))
