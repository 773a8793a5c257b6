"""The one-pass scorer of all heads equals each head's saved Pipeline, on any input."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction.text import TfidfTransformer
from sklearn.linear_model import SGDClassifier
from sklearn.pipeline import Pipeline

from classifier import CommentInput, load_bundle, save_bundle
from classifier.bundle import PipelinesOnDisk, sentence_params
from classifier.compact import CompactHeads, HeadArrays
from classifier.features import Featurizer, HashingParams
from classifier.metadata import METADATA_FEATURES, metadata_matrix
from classifier.model import HeadRecipe, TrainingMatrix, build_pipeline, fit_pipeline, recipe_from_json
from classifier.prepare import sentence_spans

ANY_TEXT = st.text(st.characters(exclude_categories=()), max_size=200)  # surrogates and controls included
OPTIONAL = st.none() | ANY_TEXT
COMMENTS = st.builds(CommentInput, ANY_TEXT, author_name=OPTIONAL, author_email=OPTIONAL, author_url=OPTIONAL)
HOSTILE = [
    "",
    " ",
    "\x00\x00nul \u0007 bell",
    "\ud800 lone \udfff surrogates",
    "\u202eevil\u202c rtl \u200f\u200e zero\u200bwidth",
    "Ｆｕｌｌｗｉｄｔｈ ＦＲＥＥ ｍｏｎｅｙ 🅵🆁🅴🅴",
    "z̷̡̢̛̖͉̹̞̘̮͙̱̯̪͔̬̥̦̲̰̟̣̯͕͖̞͐̿̀̒̈̃͊͆͒̉̒̾̂̊̓̎͌̈́̔̌͆̅͘͘͜͜͝͝ͅalgo",
    "İstanbul ǅ ß ﬁ ΣΑΣ",
    "😀" * 3000,
    "a" * 20_000 + " b",
    "x" * 5000,  # one 5,000-character word: a word n-gram far longer than the vectorised hash loop takes
    "<" * 2000 + "a href=" + "http://" * 200,
    "&#xD800; &#0; &#99999999; &amp;&amp;amp; &nbsp;",
    "a@b." * 500,
    "Cheap pills at http://pills.example and www.casino.example, mail spam@spam.example NOW!!!",
    "y0u 4r3 4n 1d10t $$$ 100000000 €€€",
]


def reference_probabilities(bundle, items) -> np.ndarray:
    """Each head's probability the plain way: its Pipeline's steps on the comment and sentence rows."""
    featurized = bundle.featurizer.featurize(items)
    whole, sentences = featurized.whole.tocsr(), featurized.sentences.tocsr()
    out = np.empty((len(items), len(bundle.heads)))
    for k, head in enumerate(bundle.heads):
        pipeline = bundle.pipelines[head]
        weighting, model = pipeline.named_steps["tfidf"], pipeline.named_steps["model"]
        if not bundle.compact.heads or head not in bundle.compact.sentence_heads or not sentences.shape[0]:
            out[:, k] = pipeline.predict_proba(whole)[:, 1]
            continue
        calibrated = model.calibrated_classifiers_[0]
        decision = calibrated.estimator.decision_function(weighting.transform(whole))
        by_sentence = calibrated.estimator.decision_function(weighting.transform(sentences))
        weight = recipe_from_json(bundle.sidecars[head]["params"]["recipe"]).sentence_weight
        for comment in np.unique(featurized.owner):
            best = by_sentence[featurized.owner == comment].max()
            decision[comment] = (1 - weight) * decision[comment] + weight * best
        out[:, k] = calibrated.calibrators[0].predict(decision)
    return out


def assert_equals_pipelines(bundle, items):
    p = bundle.probabilities(items)
    assert p.shape == (len(items), len(bundle.heads))
    np.testing.assert_allclose(p, np.clip(reference_probabilities(bundle, items), 0, 1), rtol=1e-9, atol=1e-12)


def test_sentence_heads_score_the_best_sentence(bundle):
    assert "toxicity" in bundle.compact.sentence_heads and "spam" not in bundle.compact.sentence_heads
    items = [CommentInput("You idiot. Nice weather today, thanks for the video about chess.")]
    assert bundle.featurizer.featurize(items).sentences.n_rows == 2
    assert_equals_pipelines(bundle, items)
    # The comment's own decision alone would dilute the insult.
    X = bundle.featurizer.rows(items).tocsr()
    alone = bundle.pipelines["toxicity"].predict_proba(X)[0, 1]
    assert bundle.score(items)[0]["toxicity"] > alone


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(items=st.lists(COMMENTS, min_size=1, max_size=12))
def test_compact_equals_pipelines_on_any_input(bundle, items):
    assert_equals_pipelines(bundle, items)


@pytest.mark.parametrize("text", HOSTILE, ids=range(len(HOSTILE)))
def test_compact_equals_pipelines_on_hostile_input(bundle, text):
    items = [CommentInput(text, author_name=text[:60], author_email=text[:60], author_url=text[:60]),
             CommentInput("you are an idiot, buy cheap viagra at http://x.com")]
    assert_equals_pipelines(bundle, items)
    assert_equals_pipelines(bundle, items[:1])


def test_a_batch_of_everything_equals_pipelines(bundle, rows):
    items = [CommentInput.from_row(row) for row in rows] + [CommentInput(text) for text in HOSTILE]
    assert_equals_pipelines(bundle, items)


def test_only_seen_columns_carry_coefficients(bundle):
    arrays = HeadArrays.from_pipeline(bundle.pipelines["spam"])
    weighting = bundle.pipelines["spam"].named_steps["tfidf"]
    idf = np.concatenate([weighting.named_transformers_[name].idf_ for name in ("words", "chars", "metadata")])
    assert 0 < len(arrays.seen) < len(idf) // 10
    unseen = np.setdiff1d(np.arange(len(idf)), arrays.seen)
    assert np.all(idf[unseen] == arrays.unseen_idf)
    # Heads trained together share their idf: one table for all, indexed by column.
    assert bundle.compact._shared is not None
    assert not bundle.compact._shared.coef[unseen].any()
    assert bundle.compact.nbytes < 60 * 2**20


def test_head_order_and_mismatched_widths(bundle):
    reversed_heads = tuple(reversed(bundle.heads))
    sentences = {head: (params["sentence_weight"] if (params := sentence_params(bundle.sidecars[head]))["sentences"]
                        else None) for head in bundle.heads}
    compact = CompactHeads.from_pipelines(reversed_heads, bundle.featurizer.params.n_columns, bundle.pipelines,
                                          sentences)
    featurized = bundle.featurizer.featurize([CommentInput("you idiot. cheap pills http://x.com")])
    args = (featurized.whole, featurized.sentences, featurized.owner)
    np.testing.assert_array_equal(compact.predict(*args)[:, ::-1], bundle.compact.predict(*args))
    with pytest.raises(ValueError, match="columns"):
        CompactHeads.from_pipelines(bundle.heads, 1000, bundle.pipelines)


def test_a_loaded_bundle_keeps_no_pipelines_but_reads_them_back(bundle, tmp_path):
    save_bundle(bundle, tmp_path / "model")
    loaded = load_bundle(tmp_path / "model")
    assert isinstance(loaded.pipelines, PipelinesOnDisk)
    assert set(loaded.pipelines) == set(bundle.heads)
    assert isinstance(loaded.pipelines["spam"], Pipeline)
    assert_equals_pipelines(loaded, [CommentInput(t) for t in HOSTILE])
    # A loaded bundle can be saved elsewhere: its Pipelines come back from disk.
    save_bundle(loaded, tmp_path / "copy")
    items = [CommentInput(t) for t in HOSTILE]
    assert load_bundle(tmp_path / "copy").score(items) == bundle.score(items)


def reference_matrices(featurizer: Featurizer, items: list[CommentInput]) -> tuple[sp.csr_matrix, sp.csr_matrix]:
    """The featurizer's matrices built the plain way: sklearn's HashingVectorizers on each sentence of the
    prepared text; a comment's row is the sum of its sentences' rows, then its metadata; the sentence rows
    are those of comments with two or more sentences."""
    normalised = featurizer.normalise(items)
    comment_rows, sentence_rows = [], []
    for norm in normalised:
        spans = sentence_spans(norm.text)
        pieces = [norm.text[b:e] for b, e in spans] if len(spans) > 1 else [norm.text]
        hashed = sp.hstack([featurizer.word_vectorizer.transform(pieces), featurizer.char_vectorizer.transform(pieces),
                            sp.csr_matrix((len(pieces), len(METADATA_FEATURES)))], format="csr")
        comment_rows.append(sp.csr_matrix(hashed.sum(axis=0)))
        if len(pieces) > 1:
            sentence_rows.append(hashed)
    meta = sp.hstack([sp.csr_matrix((len(items), featurizer.params.word_features + featurizer.params.char_features)),
                      sp.csr_matrix(metadata_matrix(items, normalised))], format="csr")
    whole = sp.vstack(comment_rows, format="csr") + meta
    sentences = (sp.vstack(sentence_rows, format="csr") if sentence_rows
                 else sp.csr_matrix((0, featurizer.params.n_columns)))
    return whole, sentences


def assert_same_csr(got: sp.csr_matrix, expected: sp.csr_matrix) -> None:
    expected = expected.tocsr()
    expected.eliminate_zeros()
    expected.sort_indices()
    assert got.shape == expected.shape
    assert np.array_equal(got.indptr, expected.indptr)
    assert np.array_equal(got.indices, expected.indices)
    assert np.array_equal(got.data, expected.data)


@settings(max_examples=40, deadline=None)
@given(items=st.lists(COMMENTS | st.builds(CommentInput, st.lists(ANY_TEXT, max_size=4).map(". ".join)),
                      min_size=1, max_size=10))
def test_featurizer_equals_hashing_vectorizers(items):
    featurizer = Featurizer()
    featurized = featurizer.featurize(items)
    whole, sentences = reference_matrices(featurizer, items)
    assert_same_csr(featurized.whole.tocsr(), whole)
    assert_same_csr(featurized.sentences.tocsr(), sentences)
    assert np.all(np.diff(featurized.owner) >= 0)


def test_chunked_transform_equals_one_chunk(monkeypatch, rows):
    featurizer = Featurizer()
    items = [CommentInput.from_row(row) for row in rows] + [CommentInput(text) for text in HOSTILE]
    whole = featurizer.transform(items)
    monkeypatch.setattr("classifier.features.CHUNK_ROWS", 7)
    chunked = featurizer.transform(CommentInput(item.text, author_name=item.author_name) for item in items)
    assert (whole != chunked).nnz == 0
    assert np.array_equal(whole.indptr, chunked.indptr) and np.array_equal(whole.indices, chunked.indices)
    assert featurizer.transform([]).shape == (0, featurizer.params.n_columns)


def test_heads_with_their_own_idf_score_by_the_per_block_path(rows):
    """Heads fitted apart (each counting its own idf) cannot share norms: each block is normalised per head."""
    featurizer = Featurizer()
    items = [CommentInput.from_row(row) for row in rows]
    counts = featurizer.transform(items)
    pipelines = {}
    for head, key in (("spam", "label_spam"), ("toxicity", "label_toxic")):
        labelled = np.array([i for i, row in enumerate(rows) if row.get(key) is not None])
        y = np.array([int(rows[i][key]) for i in labelled])
        data = TrainingMatrix(X=counts, rows=labelled, target=y.astype(float), label=y, weight=np.ones(len(y)))
        pipelines[head] = build_pipeline(featurizer.blocks, HeadRecipe())
        fit_pipeline(pipelines[head], data, HeadRecipe())
    compact = CompactHeads.from_pipelines(("spam", "toxicity"), featurizer.params.n_columns, pipelines)
    assert compact._shared is None and len(compact._blocks) == 3
    X = featurizer.rows(items[:40] + [CommentInput(t) for t in HOSTILE])
    expected = np.column_stack([pipelines[h].predict_proba(X.tocsr())[:, 1] for h in ("spam", "toxicity")])
    np.testing.assert_allclose(compact.predict(X), expected, rtol=1e-9, atol=1e-12)


def test_models_from_before_blocks_and_sentences_still_score_as_trained(rows):
    """A format-1 head: one TfidfTransformer over the whole row, whole-text hashing with identity terms kept."""
    params = HashingParams.from_json({"word_features": 2**18, "char_features": 2**19, "word_ngrams": [1, 2],
                                      "char_ngrams": [2, 5]})
    assert not params.strip_identities and not params.sentences
    featurizer = Featurizer(params)
    items = [CommentInput.from_row(row) for row in rows]
    assert featurizer.normalise([CommentInput("a gay man. ok")])[0].text == "a gay man. ok"
    assert featurizer.featurize([CommentInput("one. two. three.")]).sentences.n_rows == 0
    y = np.array([int(bool(row.get("label_spam"))) for row in rows])
    old = Pipeline([("tfidf", TfidfTransformer(sublinear_tf=True)),
                    ("model", CalibratedClassifierCV(SGDClassifier(loss="log_loss", max_iter=15, tol=None),
                                                     method="sigmoid", cv=3, ensemble=False))])
    X = featurizer.transform(items)
    old.fit(X, y)
    compact = CompactHeads.from_pipelines(("spam",), params.n_columns, {"spam": old})
    np.testing.assert_allclose(compact.predict(featurizer.rows(items))[:, 0], old.predict_proba(X)[:, 1], rtol=1e-9)
