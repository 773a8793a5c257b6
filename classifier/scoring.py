"""Scoring and explaining one head from the featurizer's matrix."""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import normalize

from classifier.explain import explain_comment
from classifier.features import Featurizer
from classifier.inputs import CommentInput
from classifier.model import positive_coefficients


class HeadScorer:
    """Score one head's Pipeline on featurizer matrices."""

    def __init__(self, pipeline: Pipeline, featurizer: Featurizer) -> None:
        self.pipeline = pipeline
        self.featurizer = featurizer
        self._coefficients: np.ndarray | None = None

    def probabilities(self, X: sp.csr_matrix) -> np.ndarray:
        """Return the positive-class probability of each row, in [0, 1]; equal to Pipeline.predict_proba."""
        return np.clip(np.nan_to_num(self.lean_predict(X), nan=0.5), 0.0, 1.0)

    def lean_predict(self, X: sp.csr_matrix) -> np.ndarray:
        """Pipeline.predict_proba(X)[:, 1] by the same arithmetic, without validation or Pipeline overhead.

        The stock path multiplies by coef_.T, which scipy copies (one copy of every coefficient per fold
        per call); a contiguous coefficient vector gives the same sums without the copy.
        """
        tfidf, model = self.pipeline.named_steps["tfidf"], self.pipeline.named_steps["model"]
        weighted = X.astype(np.float64, copy=True)
        np.log(weighted.data, weighted.data)
        weighted.data += 1.0
        weighted.data *= tfidf.idf_[weighted.indices]
        weighted = normalize(weighted, norm=tfidf.norm, copy=False)
        mean = np.zeros(X.shape[0])
        for calibrated in model.calibrated_classifiers_:
            linear = calibrated.estimator
            decision = weighted @ linear.coef_[0] + linear.intercept_
            p = calibrated.calibrators[0].predict(decision)
            p[np.isnan(p)] = 0.5
            p[(p > 1.0) & (p <= 1.0 + 1e-5)] = 1.0
            mean += p
        mean /= len(model.calibrated_classifiers_)
        return mean

    def explain(self, item: CommentInput, top_k: int = 5) -> dict:
        """Return {"score", "spans", "features"} for one comment."""
        if self._coefficients is None:
            self._coefficients = positive_coefficients(self.pipeline)[0]
        return explain_comment(self, item, self._coefficients, top_k)
