"""Every head of a bundle scored in one pass, from arrays derived from the loaded Pipelines.

A head's Pipeline computes, per calibration fold f, with tf = 1 + log(count) and the head's idf:

    decision_f = sum_j tf_j * idf_j * coef_fj / sqrt(sum_j (tf_j * idf_j)^2) + intercept_f
    p = mean_f expit(-(a_f * decision_f + b_f))

so for each head the folds' idf-scaled coefficients (idf * coef_f) and the squared idf are all it needs
of a column. Columns no training row ever had share one value per head (the largest idf, coefficient
exactly 0: SGD only moves the weights of features it sees), so only the columns some head has seen are
kept, as rows of two small dense blocks shared by all heads: `scaled` (n_seen + 1, heads * folds) and
`idf_squared` (n_seen + 1, heads), whose last row is the shared "unseen" value. A comment's scores are
then two sparse-dense products, whatever the number of heads, and the Pipelines
themselves need not stay in memory. Equal to Pipeline.predict_proba up to floating-point summation
order (tests/classifier/test_compact.py checks 1e-9).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from scipy.special import expit
from sklearn.pipeline import Pipeline

from classifier.features import SparseRows


@dataclass(frozen=True)
class HeadArrays:
    """What scoring needs of one head's Pipeline, restricted to the columns its training data had."""

    seen: np.ndarray  # sorted column numbers (int64)
    idf: np.ndarray  # (len(seen),) idf of those columns
    coef: np.ndarray  # (len(seen), folds) linear coefficients of each calibration fold
    unseen_idf: float  # the idf of every other column (their coefficients are 0)
    intercept: np.ndarray  # (folds,)
    a: np.ndarray  # (folds,) sigmoid calibrators: p = expit(-(a * decision + b))
    b: np.ndarray

    @classmethod
    def from_pipeline(cls, pipeline: Pipeline) -> HeadArrays:
        """Read a head Pipeline (TfidfTransformer, CalibratedClassifierCV of linear models with sigmoid)."""
        tfidf, model = pipeline.named_steps["tfidf"], pipeline.named_steps["model"]
        if tfidf.norm != "l2" or not tfidf.sublinear_tf or not tfidf.use_idf:
            raise ValueError("the compact scorer expects sublinear TF, idf and l2 normalisation")
        folds = model.calibrated_classifiers_
        if any(len(c.calibrators) != 1 or not hasattr(c.calibrators[0], "a_") for c in folds):
            raise ValueError("the compact scorer expects binary sigmoid-calibrated heads")
        idf = np.asarray(tfidf.idf_, dtype=np.float64)
        coef = np.column_stack([np.asarray(c.estimator.coef_[0], dtype=np.float64) for c in folds])
        unseen_idf = float(idf.max())
        seen = np.nonzero((idf != unseen_idf) | (coef != 0.0).any(axis=1))[0]
        return cls(
            seen=seen,
            idf=idf[seen],
            coef=np.ascontiguousarray(coef[seen]),
            unseen_idf=unseen_idf,
            intercept=np.array([float(c.estimator.intercept_[0]) for c in folds]),
            a=np.array([float(c.calibrators[0].a_) for c in folds]),
            b=np.array([float(c.calibrators[0].b_) for c in folds]),
        )


class CompactHeads:
    """Score all heads at once from SparseRows; build with `from_arrays` (or `from_pipelines`)."""

    def __init__(self, heads: Sequence[str], n_columns: int, arrays: Mapping[str, HeadArrays]) -> None:
        self.heads = tuple(heads)
        self.n_columns = n_columns
        folds = {len(arrays[h].intercept) for h in self.heads}
        if len(folds) != 1:
            raise ValueError("heads of one bundle must have the same number of calibration folds")
        self.folds = folds.pop()
        seen = np.unique(np.concatenate([arrays[h].seen for h in self.heads]))
        n_seen = len(seen)
        if n_seen and seen[-1] >= n_columns:
            raise ValueError("a head has more columns than the featurizer makes")
        # Column -> row of the blocks; every column no head has seen -> the shared last row.
        self._row_of = np.full(n_columns, n_seen, dtype=np.int32)
        self._row_of[seen] = np.arange(n_seen, dtype=np.int32)
        n_heads = len(self.heads)
        self._scaled = np.zeros((n_seen + 1, n_heads * self.folds), dtype=np.float64)
        self._idf_squared = np.empty((n_seen + 1, n_heads), dtype=np.float64)
        for k, head in enumerate(self.heads):
            part = arrays[head]
            idf = np.full(n_seen + 1, part.unseen_idf)
            idf[np.searchsorted(seen, part.seen)] = part.idf
            coef = np.zeros((n_seen + 1, self.folds))
            coef[np.searchsorted(seen, part.seen)] = part.coef
            self._scaled[:, k * self.folds:(k + 1) * self.folds] = idf[:, None] * coef
            self._idf_squared[:, k] = idf * idf
        self._intercept = np.concatenate([arrays[h].intercept for h in self.heads])
        self._a = np.concatenate([arrays[h].a for h in self.heads])
        self._b = np.concatenate([arrays[h].b for h in self.heads])

    @classmethod
    def from_pipelines(cls, heads: Sequence[str], n_columns: int, pipelines: Mapping[str, Pipeline]) -> CompactHeads:
        """Derive from fitted head Pipelines."""
        return cls(heads, n_columns, {h: HeadArrays.from_pipeline(pipelines[h]) for h in heads})

    @property
    def nbytes(self) -> int:
        """Memory held by the arrays."""
        return self._row_of.nbytes + self._scaled.nbytes + self._idf_squared.nbytes

    def _weights(self, X: SparseRows) -> tuple[np.ndarray, np.ndarray]:
        """(tf, block row) of each of X's entries; tf is sklearn's sublinear term frequency."""
        if X.n_columns != self.n_columns:
            raise ValueError(f"X has {X.n_columns} columns, the heads expect {self.n_columns}")
        tf = np.log(X.data)
        tf += 1.0
        return tf, self._row_of[X.indices]

    def predict(self, X: SparseRows) -> np.ndarray:
        """Return the (n_rows, heads) positive-class probabilities, equal to each Pipeline.predict_proba."""
        tf, rows = self._weights(X)
        n, shape = X.n_rows, (X.n_rows, len(self._idf_squared))
        # Two sparse-dense products (scipy's C loop, no per-entry temporaries): squared TF-IDF norms of
        # every head, then every head's and fold's unnormalised decision.
        weights = sp.csr_matrix((tf * tf, rows, X.indptr), shape=shape)
        norms = weights @ self._idf_squared
        np.sqrt(norms, out=norms)
        norms[norms == 0.0] = 1.0  # an empty row stays empty, as sklearn's normalize leaves it
        weights.data = tf  # same sparsity pattern: reuse the matrix rather than build another
        decision = weights @ self._scaled
        decision /= np.repeat(norms, self.folds, axis=1)
        decision += self._intercept
        decision *= self._a
        decision += self._b
        p = expit(np.negative(decision, out=decision))
        p[np.isnan(p)] = 0.5
        # The mean over folds as CalibratedClassifierCV takes it: a running sum, then one division.
        p = p.reshape(n, len(self.heads), self.folds)
        total = p[:, :, 0].copy()
        for f in range(1, self.folds):
            total += p[:, :, f]
        total /= self.folds
        return total

    def contributions(self, X: SparseRows, head: str) -> np.ndarray:
        """Per entry of X (one row), the head's fold-averaged coefficient times its TF-IDF weight."""
        k = self.heads.index(head)
        tf, rows = self._weights(X)
        weights = tf * np.sqrt(self._idf_squared[rows, k])
        norm = float(np.sqrt(np.sum(weights * weights))) or 1.0
        scaled = self._scaled[rows, k * self.folds:(k + 1) * self.folds].mean(axis=1)
        return tf * scaled / norm
