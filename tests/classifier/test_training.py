"""Training from the shared count matrix fits exactly the Pipeline that Pipeline.fit would."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.model_selection import StratifiedKFold, cross_val_predict
from sklearn.utils import murmurhash3_32

from classifier import CommentInput
from classifier.features import Featurizer
from classifier.hashing import MAX_VECTOR_BLOCKS, murmur3_32
from classifier.metadata import _capitals
from classifier.model import build_pipeline, fit_pipeline
from classifier.snapshot import data_snapshot, row_digest


@pytest.fixture(scope="module")
def counts(rows):
    return Featurizer().transform(CommentInput.from_row(row) for row in rows)


def assert_same_fit(ours, theirs):
    np.testing.assert_array_equal(ours.named_steps["tfidf"].idf_, theirs.named_steps["tfidf"].idf_)
    a, b = ours.named_steps["model"], theirs.named_steps["model"]
    np.testing.assert_array_equal(a.classes_, b.classes_)
    assert a.n_features_in_ == b.n_features_in_
    assert len(a.calibrated_classifiers_) == len(b.calibrated_classifiers_) == (3 if a.ensemble else 1)
    for x, y in zip(a.calibrated_classifiers_, b.calibrated_classifiers_, strict=True):
        np.testing.assert_array_equal(x.estimator.coef_, y.estimator.coef_)
        np.testing.assert_array_equal(x.estimator.intercept_, y.estimator.intercept_)
        assert (x.calibrators[0].a_, x.calibrators[0].b_) == (y.calibrators[0].a_, y.calibrators[0].b_)
        assert x.method == y.method and np.array_equal(x.classes, y.classes)


@pytest.mark.parametrize("ensemble", [False, True])
@pytest.mark.parametrize("subset", [False, True])
def test_fit_pipeline_equals_pipeline_fit(counts, rows, subset, ensemble):
    labelled = np.array([i for i, row in enumerate(rows) if row.get("label_spam") is not None or not subset])
    order = np.random.RandomState(3).permutation(labelled)
    y = np.array([int(bool(rows[i].get("label_spam"))) for i in order])
    ours = build_pipeline(seed=5, ensemble=ensemble)
    out_of_fold = fit_pipeline(ours, counts, y, rows=order)
    theirs = build_pipeline(seed=5, ensemble=ensemble).fit(counts[order], y)
    assert_same_fit(ours, theirs)
    weighted = theirs.named_steps["tfidf"].transform(counts[order])
    model = theirs.named_steps["model"]
    if ensemble:
        # Out-of-fold scores: each fold's calibrated model on the rows it did not see.
        expected = np.empty(len(y))
        folds = StratifiedKFold(n_splits=3).split(weighted, y)
        for fold, (_, test) in zip(model.calibrated_classifiers_, folds, strict=True):
            expected[test] = fold.predict_proba(weighted[test])[:, 1]
    else:
        # The serving model's sigmoid applied to the fold models' out-of-fold decisions.
        decisions = cross_val_predict(model.estimator, weighted, y, cv=3, method="decision_function")
        expected = model.calibrated_classifiers_[0].calibrators[0].predict(decisions)
    np.testing.assert_array_equal(out_of_fold, expected)
    X = counts[:20]
    np.testing.assert_array_equal(ours.predict_proba(X), theirs.predict_proba(X))


def test_fit_pipeline_leaves_the_shared_matrix_alone(counts):
    before = counts.copy()
    y = np.arange(counts.shape[0]) % 2
    fit_pipeline(build_pipeline(), counts, y)
    assert (before != counts).nnz == 0 and np.array_equal(before.data, counts.data)


def test_fit_pipeline_refuses_a_class_too_small_for_the_folds(counts):
    y = np.zeros(counts.shape[0], dtype=np.int64)
    y[:2] = 1
    with pytest.raises(ValueError, match="two classes"):
        fit_pipeline(build_pipeline(), counts, y)


def reference_capitals(text: str) -> tuple[int, int]:
    return sum(c != c.lower() for c in text), sum(c.lower() != c.upper() for c in text)


@settings(max_examples=200, deadline=None)
@given(st.text(st.characters(max_codepoint=0x7F), max_size=80) | st.text(max_size=40))
def test_capitals_fast_path_counts_like_the_reference(text):
    assert _capitals(text) == reference_capitals(text)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.text(max_size=4 * MAX_VECTOR_BLOCKS + 12), max_size=20))
def test_murmur_equals_sklearn_for_every_length(strings):
    encoded = [s.encode("utf-8", "surrogatepass") for s in strings]
    buffer = b"".join(encoded)
    lengths = np.array([len(e) for e in encoded], dtype=np.int64)
    starts = np.concatenate([[0], np.cumsum(lengths)[:-1]]).astype(np.int64) if len(lengths) else lengths
    expected = [murmurhash3_32(e, seed=0) for e in encoded]
    assert murmur3_32(buffer, starts, lengths).tolist() == expected


def test_snapshot_with_precomputed_digests_is_the_same(rows):
    digests = [row_digest(row) for row in rows]
    for head in ("spam", "toxicity", "insult", None):
        assert data_snapshot(rows, head, digests) == data_snapshot(rows, head)
