"""Training from the shared count matrix fits exactly what the Pipeline's steps, fitted the plain way, give."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.base import clone
from sklearn.model_selection import StratifiedKFold, cross_val_predict
from sklearn.utils import murmurhash3_32

from classifier import CommentInput
from classifier.features import Featurizer
from classifier.hashing import MAX_VECTOR_BLOCKS, murmur3_32
from classifier.metadata import _capitals
from classifier.model import HeadRecipe, TrainingMatrix, build_pipeline, fit_pipeline
from classifier.snapshot import data_snapshot, row_digest


@pytest.fixture(scope="module")
def counts(rows):
    return Featurizer().transform(CommentInput.from_row(row) for row in rows)


BLOCKS = Featurizer().blocks


def spam_data(counts, rows, subset: bool, **overrides) -> TrainingMatrix:
    labelled = np.array([i for i, row in enumerate(rows) if row.get("label_spam") is not None or not subset])
    order = np.random.RandomState(3).permutation(labelled)
    y = np.array([int(bool(rows[i].get("label_spam"))) for i in order])
    fields = {"X": counts, "rows": order, "target": y.astype(float), "label": y, "weight": np.ones(len(y))}
    return TrainingMatrix(**{**fields, **overrides})


@pytest.mark.parametrize("subset", [False, True])
def test_fit_pipeline_equals_the_pipeline_steps_fitted_the_plain_way(counts, rows, subset):
    data = spam_data(counts, rows, subset)
    recipe = HeadRecipe()
    ours = build_pipeline(BLOCKS, recipe, seed=5)
    out_of_fold = fit_pipeline(ours, data, recipe)
    X = counts[data.rows]
    # Each block's idf is what a TfidfTransformer fitted on that block of the training rows computes.
    reference = build_pipeline(BLOCKS, recipe, seed=5).named_steps["tfidf"].fit(X)
    for name in ("words", "chars", "metadata"):
        np.testing.assert_allclose(ours.named_steps["tfidf"].named_transformers_[name].idf_,
                                   reference.named_transformers_[name].idf_, rtol=1e-12)
    weighted = reference.transform(X)
    np.testing.assert_allclose(ours.named_steps["tfidf"].transform(X).toarray(), weighted.toarray(), rtol=1e-12)
    model = ours.named_steps["model"]
    # The serving model is the estimator fitted on every row; its sigmoid is fitted on out-of-fold decisions.
    serving = clone(model.estimator).fit(weighted, data.label)
    np.testing.assert_allclose(model.calibrated_classifiers_[0].estimator.coef_, serving.coef_, rtol=1e-9)
    decisions = cross_val_predict(model.estimator, weighted, data.label, cv=3, method="decision_function")
    expected = model.calibrated_classifiers_[0].calibrators[0].predict(decisions)
    np.testing.assert_allclose(out_of_fold, expected, rtol=1e-9)


def test_nb_scaling_is_folded_into_the_coefficients(counts, rows):
    data = spam_data(counts, rows, True)
    recipe = HeadRecipe(nb=1.0)
    pipeline = build_pipeline(BLOCKS, recipe, seed=5)
    fit_pipeline(pipeline, data, recipe)
    weighted = pipeline.named_steps["tfidf"].transform(counts[data.rows])
    present = weighted.copy()
    present.data[:] = 1.0
    p = present.T @ (data.label == 1) + 1.0
    q = present.T @ (data.label == 0) + 1.0
    scale = np.abs(np.log(p / p.sum()) - np.log(q / q.sum()))
    scaled_fit = clone(pipeline.named_steps["model"].estimator).fit(weighted @ sp.diags(scale), data.label)
    saved = pipeline.named_steps["model"].calibrated_classifiers_[0].estimator
    # The saved model reads unscaled features and decides exactly as the model fitted on scaled ones.
    np.testing.assert_allclose(saved.decision_function(weighted),
                               scaled_fit.decision_function(weighted @ sp.diags(scale)), rtol=1e-9, atol=1e-12)
    assert not np.allclose(saved.coef_, clone(saved).fit(weighted, data.label).coef_)


def test_a_soft_target_trains_as_two_weighted_rows(counts, rows):
    hard = spam_data(counts, rows, True)
    target = hard.target.copy()
    target[:10] = 0.7  # ten rows a teacher scored 0.7
    soft = spam_data(counts, rows, True, target=target)
    recipe = HeadRecipe()
    pipeline = build_pipeline(BLOCKS, recipe, seed=5)
    fit_pipeline(pipeline, soft, recipe)
    weighted = pipeline.named_steps["tfidf"].transform(counts[soft.rows])
    X = sp.vstack([weighted, weighted[:10]], format="csr")
    y = np.concatenate([(target >= 0.5).astype(int), np.zeros(10, dtype=int)])
    w = np.concatenate([np.where(np.arange(len(target)) < 10, 0.7, 1.0), np.full(10, 1.0 - 0.7)])
    expected = clone(pipeline.named_steps["model"].estimator).fit(X, y, sample_weight=w * (len(w) / w.sum()))
    got = pipeline.named_steps["model"].calibrated_classifiers_[0].estimator
    np.testing.assert_allclose(got.coef_, expected.coef_, rtol=1e-9)


def test_sentence_heads_fit_the_sigmoid_on_the_best_sentence(rows):
    texts = [f"{row['text']}. Nice weather today" if i % 3 == 0 else row["text"] for i, row in enumerate(rows)]
    items = [CommentInput(text) for text in texts]
    counts, sentences, owner = Featurizer().transform_with_sentences(items)
    labelled = np.array([i for i, row in enumerate(rows) if row.get("label_toxic") is not None])
    y = np.array([int(rows[i]["label_toxic"]) for i in labelled])
    recipe = HeadRecipe(sentences=True)
    data = TrainingMatrix(X=counts, rows=labelled, target=y.astype(float), label=y, weight=np.ones(len(y)),
                          sentences=sentences, owner=owner)
    pipeline = build_pipeline(BLOCKS, recipe, seed=5)
    out_of_fold = fit_pipeline(pipeline, data, recipe)
    # Recompute the out-of-fold decisions by hand, combining each comment with its best sentence.
    weighting = pipeline.named_steps["tfidf"]
    expected = np.empty(len(y))
    for train, test in StratifiedKFold(n_splits=3).split(np.zeros((len(y), 1)), y):
        fold = clone(pipeline.named_steps["model"].estimator).fit(weighting.transform(counts[labelled[train]]),
                                                                  y[train])
        decision = fold.decision_function(weighting.transform(counts[labelled[test]]))
        for k, row in enumerate(labelled[test]):
            mine = np.flatnonzero(owner == row)
            if len(mine):
                best = fold.decision_function(weighting.transform(sentences[mine])).max()
                decision[k] = (1 - recipe.sentence_weight) * decision[k] + recipe.sentence_weight * best
        expected[test] = decision
    calibrator = pipeline.named_steps["model"].calibrated_classifiers_[0].calibrators[0]
    np.testing.assert_allclose(out_of_fold, calibrator.predict(expected), rtol=1e-9)


def test_fit_pipeline_leaves_the_shared_matrix_alone(counts):
    before = counts.copy()
    y = np.arange(counts.shape[0]) % 2
    data = TrainingMatrix(X=counts, rows=np.arange(len(y)), target=y.astype(float), label=y, weight=np.ones(len(y)))
    fit_pipeline(build_pipeline(BLOCKS), data, HeadRecipe(nb=1.0))
    assert (before != counts).nnz == 0 and np.array_equal(before.data, counts.data)


def test_fit_pipeline_refuses_a_class_too_small_for_the_folds(counts):
    y = np.zeros(counts.shape[0], dtype=np.int64)
    y[:2] = 1
    data = TrainingMatrix(X=counts, rows=np.arange(len(y)), target=y.astype(float), label=y, weight=np.ones(len(y)))
    with pytest.raises(ValueError, match="two classes"):
        fit_pipeline(build_pipeline(BLOCKS), data, HeadRecipe())


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
