"""Every head of a bundle scored in one pass, from arrays derived from the loaded Pipelines.

A head's Pipeline computes, per calibration fold f, with tf = 1 + log(count), the head's idf, and the
l2 norm taken over each block of columns (words, characters, metadata) on its own:

    decision_f = sum_blocks sum_j in block tf_j * idf_j * coef_fj / sqrt(sum_j in block (tf_j * idf_j)^2)
                 + intercept_f
    p = mean_f expit(-(a_f * decision_f + b_f))

(A Pipeline from before per-block norms has one block covering every column.) For heads that score
sentences, decision_f is first replaced by (1 - w) * the comment's decision + w * the highest decision
among its sentences (classifier/model.py fits the sigmoid on exactly that).

So for each head only the idf-scaled coefficients (idf * coef_f) and the squared idf of a column are needed.
Columns no training row ever had share one value per head (the largest idf, coefficient exactly 0: SGD only
moves the weights of features it sees), so each block keeps only the columns some head has seen, as rows of
two small dense tables shared by all heads, plus one shared "unseen" row. A batch's scores are then two
sparse-dense products per block, whatever the number of heads, and the Pipelines themselves need not stay
in memory. Equal to Pipeline.predict_proba up to floating-point summation order
(tests/classifier/test_compact.py checks 1e-9).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from scipy.special import expit
from sklearn.compose import ColumnTransformer
from sklearn.feature_extraction.text import TfidfTransformer
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
    block_starts: tuple[int, ...] = (0,)  # first column of each block normalised on its own
    sentences: bool = False  # combine the comment's decision with its best sentence's
    sentence_weight: float = 0.5  # (1 - w) * comment decision + w * best sentence decision

    @classmethod
    def from_pipeline(cls, pipeline: Pipeline, *, sentences: bool = False, sentence_weight: float = 0.5
                      ) -> HeadArrays:
        """Read a head Pipeline: per-block or whole-row TF-IDF, then sigmoid-calibrated linear models."""
        weighting, model = pipeline.named_steps["tfidf"], pipeline.named_steps["model"]
        if isinstance(weighting, ColumnTransformer):
            parts = [(transformer, columns) for _, transformer, columns in weighting.transformers_
                     if not isinstance(transformer, str)]
            if any(not isinstance(columns, slice) for _, columns in parts):
                raise ValueError("the compact scorer expects column blocks given as slices")
            parts.sort(key=lambda part: part[1].start)
            idf = np.concatenate([_check_tfidf(t).idf_ for t, _ in parts]).astype(np.float64)
            block_starts = tuple(int(columns.start) for _, columns in parts)
            if block_starts[0] != 0 or any(parts[k][1].stop != parts[k + 1][1].start for k in range(len(parts) - 1)):
                raise ValueError("the compact scorer expects blocks that tile the columns")
        else:
            idf = np.asarray(_check_tfidf(weighting).idf_, dtype=np.float64)
            block_starts = (0,)
        folds = model.calibrated_classifiers_
        if any(len(c.calibrators) != 1 or not hasattr(c.calibrators[0], "a_") for c in folds):
            raise ValueError("the compact scorer expects binary sigmoid-calibrated heads")
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
            block_starts=block_starts,
            sentences=sentences,
            sentence_weight=sentence_weight,
        )


def _check_tfidf(transformer) -> TfidfTransformer:
    if not isinstance(transformer, TfidfTransformer) or transformer.norm != "l2" or not transformer.sublinear_tf \
            or not transformer.use_idf:
        raise ValueError("the compact scorer expects sublinear TF, idf and l2 normalisation")
    return transformer


@dataclass(frozen=True)
class _Block:
    """One block's tables: rows for the block's seen columns, then the shared "unseen" row."""

    scaled: np.ndarray  # (n_seen + 1, heads * folds): idf * coef
    idf_squared: np.ndarray  # (n_seen + 1, heads)


@dataclass(frozen=True)
class _Shared:
    """All heads' tables when they share their idf, indexed by column (most columns are seen when a bundle
    trains on real data, so a table of every column costs little more than one of the seen ones, and saves a
    lookup per entry)."""

    idf: np.ndarray  # (n_columns,)
    coef: np.ndarray  # (n_columns, heads * folds); 0 for columns no head has seen
    block_of: np.ndarray  # (n_columns,) int8: the block of each column
    n_blocks: int


class CompactHeads:
    """Score all heads at once from SparseRows (and the comments' sentence rows)."""

    def __init__(self, heads: Sequence[str], n_columns: int, arrays: Mapping[str, HeadArrays]) -> None:
        self.heads = tuple(heads)
        self.n_columns = n_columns
        folds = {len(arrays[h].intercept) for h in self.heads}
        starts = {arrays[h].block_starts for h in self.heads}
        if len(folds) != 1 or len(starts) != 1:
            raise ValueError("heads of one bundle must share their calibration folds and column blocks")
        self.folds = folds.pop()
        block_starts = starts.pop()
        bounds = [*block_starts, n_columns]
        n_heads, width = len(self.heads), len(self.heads) * self.folds
        seen = np.unique(np.concatenate([arrays[h].seen for h in self.heads]))
        if len(seen) and seen[-1] >= n_columns:
            raise ValueError("a head has more columns than the featurizer makes")
        self._shared = self._shared_tables(arrays, seen, bounds)
        # Otherwise (heads with their own idf): column -> its block, and its row in that block's tables (the
        # block's last row when unseen).
        self._block_of = np.zeros(n_columns if self._shared is None else 0, dtype=np.int8)
        self._row_of = np.empty(n_columns if self._shared is None else 0, dtype=np.int32)
        self._blocks: list[_Block] = []
        for k, (start, stop) in enumerate(zip(bounds[:-1], bounds[1:], strict=True)):
            if self._shared is not None:
                break
            self._block_of[start:stop] = k
            local = seen[(seen >= start) & (seen < stop)]
            self._row_of[start:stop] = len(local)
            self._row_of[local] = np.arange(len(local), dtype=np.int32)
            scaled = np.zeros((len(local) + 1, width))
            idf_squared = np.empty((len(local) + 1, n_heads))
            for h, head in enumerate(self.heads):
                part = arrays[head]
                idf = np.full(len(local) + 1, part.unseen_idf)
                coef = np.zeros((len(local) + 1, self.folds))
                mine = (part.seen >= start) & (part.seen < stop)
                at = np.searchsorted(local, part.seen[mine])
                idf[at] = part.idf[mine]
                coef[at] = part.coef[mine]
                scaled[:, h * self.folds:(h + 1) * self.folds] = idf[:, None] * coef
                idf_squared[:, h] = idf * idf
            self._blocks.append(_Block(scaled, idf_squared))
        self._intercept = np.concatenate([arrays[h].intercept for h in self.heads])
        self._a = np.concatenate([arrays[h].a for h in self.heads])
        self._b = np.concatenate([arrays[h].b for h in self.heads])
        sentence_heads = np.array([arrays[h].sentences for h in self.heads], dtype=bool)
        self._sentence_columns = np.repeat(sentence_heads, self.folds)
        self._sentence_weights = np.repeat([arrays[h].sentence_weight for h in self.heads], self.folds)
        self.sentence_heads = tuple(h for h, s in zip(self.heads, sentence_heads.tolist(), strict=True) if s)

    def _shared_tables(self, arrays: Mapping[str, HeadArrays], seen: np.ndarray, bounds: list[int]
                       ) -> _Shared | None:
        """One table for all heads when they share every column's idf (models trained together since idf is
        counted once per bundle): each block's norm is then the same for every head, so a comment's entries
        are divided by it once, and every head is one product. None when the heads' idf differ."""
        unseen = {arrays[h].unseen_idf for h in self.heads}
        if len(unseen) != 1:
            return None
        idf = np.full(self.n_columns, unseen.pop())
        coef = np.zeros((self.n_columns, len(self.heads) * self.folds))
        for h, head in enumerate(self.heads):
            part = arrays[head]
            theirs = np.full(self.n_columns, part.unseen_idf)
            theirs[part.seen] = part.idf
            if h and not np.array_equal(theirs, idf):
                return None
            idf = theirs
            coef[part.seen, h * self.folds:(h + 1) * self.folds] = part.coef
        block_of = np.zeros(self.n_columns, dtype=np.int8)
        for start in bounds[1:-1]:
            block_of[start:] += 1
        return _Shared(idf=idf, coef=coef, block_of=block_of, n_blocks=len(bounds) - 1)

    @classmethod
    def from_pipelines(cls, heads: Sequence[str], n_columns: int, pipelines: Mapping[str, Pipeline],
                       sentences: Mapping[str, float | None] | None = None) -> CompactHeads:
        """Derive from fitted head Pipelines; `sentences` maps a sentence head to its sentence weight."""
        sentences = sentences or {}
        return cls(heads, n_columns, {
            h: HeadArrays.from_pipeline(pipelines[h], sentences=sentences.get(h) is not None,
                                        sentence_weight=float(sentences.get(h) or 0.5))
            for h in heads})

    @property
    def nbytes(self) -> int:
        """Memory held by the arrays."""
        shared = 0 if self._shared is None else (self._shared.idf.nbytes + self._shared.coef.nbytes
                                                 + self._shared.block_of.nbytes)
        return (self._row_of.nbytes + self._block_of.nbytes + shared
                + sum(b.scaled.nbytes + b.idf_squared.nbytes for b in self._blocks))

    def _shared_weights(self, X: SparseRows) -> np.ndarray:
        """Each entry's block-normalised TF-IDF weight (the shared-idf path)."""
        shared = self._shared
        weights = np.log(X.data)
        weights += 1.0
        weights *= shared.idf[X.indices]
        key = np.repeat(np.arange(0, X.n_rows * shared.n_blocks, shared.n_blocks, dtype=np.int64),
                        np.diff(X.indptr))
        key += shared.block_of[X.indices]
        norms = np.bincount(key, weights=weights * weights, minlength=X.n_rows * shared.n_blocks).astype(np.float64)
        np.sqrt(norms, out=norms)
        norms[norms == 0.0] = 1.0
        weights /= norms[key]
        return weights

    def decisions(self, X: SparseRows) -> np.ndarray:
        """Return the (n_rows, heads * folds) decisions of X's rows, before sentences and calibration."""
        if X.n_columns != self.n_columns:
            raise ValueError(f"X has {X.n_columns} columns, the heads expect {self.n_columns}")
        n = X.n_rows
        if self._shared is not None:
            weights = self._shared_weights(X)
            decision = sp.csr_matrix((weights, X.indices, X.indptr), shape=(n, self.n_columns)) @ self._shared.coef
            decision += self._intercept
            return decision
        decision = np.zeros((n, len(self._intercept)))
        tf = np.log(X.data)
        tf += 1.0
        rows = self._row_of[X.indices]
        if len(self._blocks) == 1:
            self._add_block(decision, self._blocks[0], tf, rows, X.indptr, n)
        else:
            block = self._block_of[X.indices]
            row_index = np.repeat(np.arange(n), np.diff(X.indptr))
            for k, tables in enumerate(self._blocks):
                mine = block == k
                indptr = np.zeros(n + 1, dtype=np.int64)
                np.cumsum(np.bincount(row_index[mine], minlength=n), out=indptr[1:])
                self._add_block(decision, tables, tf[mine], rows[mine], indptr, n)
        decision += self._intercept
        return decision

    def _add_block(self, decision: np.ndarray, tables: _Block, tf: np.ndarray, rows: np.ndarray,
                   indptr: np.ndarray, n: int) -> None:
        """Add one block's normalised contribution to every head's decision (two sparse-dense products)."""
        shape = (n, len(tables.idf_squared))
        weights = sp.csr_matrix((tf * tf, rows, indptr), shape=shape)
        norms = weights @ tables.idf_squared
        np.sqrt(norms, out=norms)
        norms[norms == 0.0] = 1.0  # an empty block stays empty, as sklearn's normalize leaves it
        weights.data = tf  # same sparsity pattern: reuse the matrix rather than build another
        part = weights @ tables.scaled
        part /= np.repeat(norms, self.folds, axis=1)
        decision += part

    def combine_sentences(self, decision: np.ndarray, sentence_decision: np.ndarray, owner: np.ndarray) -> None:
        """For sentence heads, combine a comment's decision with its best sentence's, (1 - w) * it + w * best.

        `owner` (non-decreasing) gives the comment of each sentence row.
        """
        if not len(owner) or not self._sentence_columns.any():
            return
        starts = np.flatnonzero(np.r_[True, owner[1:] != owner[:-1]])
        best = np.maximum.reduceat(sentence_decision, starts, axis=0)
        comments = owner[starts]
        columns = self._sentence_columns
        weight = self._sentence_weights[columns]
        decision[np.ix_(comments, columns)] = ((1.0 - weight) * decision[np.ix_(comments, columns)]
                                               + weight * best[:, columns])

    def calibrate(self, decision: np.ndarray) -> np.ndarray:
        """Sigmoid of each head's and fold's decision, averaged over folds: (n_rows, heads) probabilities."""
        decision = decision * self._a
        decision += self._b
        p = expit(np.negative(decision, out=decision))
        p[np.isnan(p)] = 0.5
        n = len(p)
        # The mean over folds as CalibratedClassifierCV takes it: a running sum, then one division.
        p = p.reshape(n, len(self.heads), self.folds)
        total = p[:, :, 0].copy()
        for f in range(1, self.folds):
            total += p[:, :, f]
        total /= self.folds
        return total

    def predict(self, X: SparseRows, sentences: SparseRows | None = None, owner: np.ndarray | None = None
                ) -> np.ndarray:
        """Return the (n_rows, heads) positive-class probabilities of X's comments."""
        if sentences is None or owner is None or not len(owner) or not self._sentence_columns.any():
            return self.calibrate(self.decisions(X))
        # Comments and sentences in one pass (one set of products), then split.
        both = self.decisions(_stacked(X, sentences))
        decision = both[:X.n_rows]
        self.combine_sentences(decision, both[X.n_rows:], owner)
        return self.calibrate(decision)

    def contributions(self, X: SparseRows, head: str) -> np.ndarray:
        """Per entry of X (one row), the head's fold-averaged coefficient times its block-normalised weight."""
        k = self.heads.index(head)
        if self._shared is not None:
            weights = self._shared_weights(X)
            return weights * self._shared.coef[X.indices, k * self.folds:(k + 1) * self.folds].mean(axis=1)
        tf = np.log(X.data) + 1.0
        rows = self._row_of[X.indices]
        block = self._block_of[X.indices]
        out = np.zeros(len(tf))
        for b, tables in enumerate(self._blocks):
            mine = block == b
            weights = tf[mine] * np.sqrt(tables.idf_squared[rows[mine], k])
            norm = float(np.sqrt(np.sum(weights * weights))) or 1.0
            scaled = tables.scaled[rows[mine], k * self.folds:(k + 1) * self.folds].mean(axis=1)
            out[mine] = tf[mine] * scaled / norm
        return out


def _stacked(top: SparseRows, bottom: SparseRows) -> SparseRows:
    """The rows of `top` then the rows of `bottom`, as one SparseRows."""
    indptr = np.concatenate([top.indptr, bottom.indptr[1:] + top.indptr[-1]])
    return SparseRows(indptr, np.concatenate([top.indices, bottom.indices]), np.concatenate([top.data, bottom.data]),
                      top.n_columns)
