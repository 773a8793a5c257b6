"""One head's scikit-learn Pipeline: TF-IDF weighting of the featurizer's matrix, then a calibrated
linear model with logistic loss.

One TfidfTransformer covers all columns: its idf weighting is per column, so the word, character and
metadata blocks are weighted independently, and one l2 norm over the row keeps the Pipeline to two stock
steps (a ColumnTransformer would save one Python int per input column, which makes skops files slow).

Fitting reads the featurizer's count matrix shared by every head and never copies it whole: each
calibration fold takes its training rows, weights them in place, fits, lets them go, then does the same
with its held-out rows; the serving model then does the same with every row. Memory is the shared matrix
plus one weighted copy of the head's rows (or two thirds of them, for a fold), where
`CalibratedClassifierCV.fit` on a weighted copy would hold the copy plus copies of every fold's rows.
The fitted Pipeline is the one `Pipeline.fit` makes (same folds, same rows in the same order, same
arithmetic): tests/classifier/test_training.py checks the two agree.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from sklearn.base import clone
from sklearn.calibration import CalibratedClassifierCV, _fit_calibrator
from sklearn.feature_extraction.text import TfidfTransformer
from sklearn.linear_model import SGDClassifier
from sklearn.model_selection import StratifiedKFold
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import LabelEncoder

CALIBRATION_FOLDS = 3
DEFAULT_ALPHA = 1e-5
EPOCHS = 15


def build_pipeline(*, alpha: float = DEFAULT_ALPHA, seed: int = 1461, ensemble: bool = False) -> Pipeline:
    """Return an unfitted head Pipeline (TF-IDF weighting, calibrated linear model)."""
    # Logistic loss by SGD: as accurate as liblinear here and 10-50x faster to fit on 10^5-10^6 columns.
    # A fixed number of epochs (tol=None) keeps fits reproducible and warning-free.
    linear = SGDClassifier(loss="log_loss", alpha=alpha, max_iter=EPOCHS, tol=None, random_state=seed)
    # ensemble=False: the fold models only produce out-of-fold scores, which fit the sigmoid and choose
    # the thresholds; the model that serves is trained on every row. An ensemble of fold models each saw
    # two thirds of the data, which cost AUC and F1 on every shared set (bench/classifier_quality.py:
    # SMS 0.9953 -> 0.9956, YouTube 0.9941 -> 0.9942, Davidson 0.9808 -> 0.9814) for one fit less.
    model = CalibratedClassifierCV(linear, method="sigmoid", cv=CALIBRATION_FOLDS, ensemble=ensemble)
    return Pipeline([("tfidf", TfidfTransformer(sublinear_tf=True)), ("model", model)])


def fit_pipeline(pipeline: Pipeline, X: sp.csr_matrix, y: np.ndarray, rows: np.ndarray | None = None) -> np.ndarray:
    """Fit in place on X[rows] (count matrix; rows: the training rows in order, default all) and labels y.

    Returns out-of-fold probabilities of the positive class, in the order of rows. X is never modified.
    """
    tfidf, model = pipeline.named_steps["tfidf"], pipeline.named_steps["model"]
    if not (isinstance(model, CalibratedClassifierCV) and isinstance(model.cv, int)
            and model.ensemble in (True, False)):
        raise ValueError("fit_pipeline expects a CalibratedClassifierCV with cv=<int> and ensemble True or False")
    if rows is None:
        rows = np.arange(X.shape[0])
    y = np.asarray(y)
    if len(rows) != len(y):
        raise ValueError("one label per training row")
    # Document frequencies ignore row order: fit on X itself when every row trains, so nothing is copied.
    tfidf.fit(X if len(rows) == X.shape[0] else X[np.sort(rows)])
    # What CalibratedClassifierCV(cv=int).fit does for a classifier, one fold at a time.
    classes = LabelEncoder().fit(y).classes_
    if len(classes) != 2 or np.bincount(np.searchsorted(classes, y)).min() < model.cv:
        raise ValueError(f"need two classes with at least {model.cv} examples each")
    estimator = model.estimator
    out_of_fold = np.empty(len(y), dtype=np.float64)
    decisions = np.empty(len(y), dtype=np.float64)
    calibrated = []
    for train, test in StratifiedKFold(n_splits=model.cv).split(np.zeros((len(y), 1)), y):
        fold_estimator = clone(estimator).fit(_weighted(tfidf, X, rows[train]), y[train])
        held_out = _weighted(tfidf, X, rows[test])
        decision = fold_estimator.decision_function(held_out)
        if model.ensemble:
            fold = _fit_calibrator(fold_estimator, decision.reshape(-1, 1), y[test], classes, model.method, xp=np)
            out_of_fold[test] = fold.predict_proba(held_out)[:, 1]
            calibrated.append(fold)
        else:
            decisions[test] = decision
        del held_out
    if not model.ensemble:
        # As ensemble=False does: one model on every row, its sigmoid fitted to the out-of-fold scores.
        full = clone(estimator).fit(_weighted(tfidf, X, rows), y)
        calibrated = [_fit_calibrator(full, decisions.reshape(-1, 1), y, classes, model.method, xp=np)]
        out_of_fold = calibrated[0].calibrators[0].predict(decisions)
    model.calibrated_classifiers_ = calibrated
    model.classes_ = classes
    model.n_features_in_ = calibrated[0].estimator.n_features_in_
    return out_of_fold


def _weighted(tfidf: TfidfTransformer, X: sp.csr_matrix, rows: np.ndarray) -> sp.csr_matrix:
    """TF-IDF weighted copy of X's rows, in that order (weighting in place on the one copy)."""
    return tfidf.transform(X[rows], copy=False)
