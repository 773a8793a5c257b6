"""Scoring and explaining one head of a bundle."""

from __future__ import annotations

import numpy as np

from classifier.compact import CompactHeads
from classifier.explain import explain_comment
from classifier.features import Featurizer
from classifier.inputs import CommentInput


def clean_probabilities(p: np.ndarray) -> np.ndarray:
    """Probabilities as callers may rely on them: never NaN, always within [0, 1] (in place)."""
    p[np.isnan(p)] = 0.5
    return np.clip(p, 0.0, 1.0, out=p)


class HeadScorer:
    """One head of a bundle's CompactHeads: probabilities and explanations."""

    def __init__(self, head: str, featurizer: Featurizer, compact: CompactHeads) -> None:
        self.head = head
        self.featurizer = featurizer
        self.compact = compact
        self._column = compact.heads.index(head)

    def probabilities(self, X) -> np.ndarray:
        """Return the positive-class probability of each row of X (SparseRows), in [0, 1]."""
        return clean_probabilities(self.compact.predict(X)[:, self._column])

    def explain(self, item: CommentInput, top_k: int = 5) -> dict:
        """Return {"score", "spans", "features"} for one comment."""
        return explain_comment(self, item, top_k)
