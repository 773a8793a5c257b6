"""The one-pass scorer of all heads equals each head's saved Pipeline, on any input."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sklearn.pipeline import Pipeline

from classifier import CommentInput, load_bundle, save_bundle
from classifier.bundle import PipelinesOnDisk
from classifier.compact import CompactHeads, HeadArrays
from classifier.features import Featurizer
from classifier.metadata import metadata_matrix

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


def assert_equals_pipelines(bundle, items):
    X = bundle.featurizer.rows(items)
    p = bundle.compact.predict(X)
    assert p.shape == (len(items), len(bundle.heads))
    for k, head in enumerate(bundle.heads):
        expected = bundle.pipelines[head].predict_proba(X.tocsr())[:, 1]
        np.testing.assert_allclose(p[:, k], expected, rtol=1e-9, atol=1e-12)


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


def test_only_seen_columns_are_kept(bundle):
    arrays = HeadArrays.from_pipeline(bundle.pipelines["spam"])
    idf = bundle.pipelines["spam"].named_steps["tfidf"].idf_
    assert 0 < len(arrays.seen) < len(idf) // 10
    unseen = np.setdiff1d(np.arange(len(idf)), arrays.seen)
    assert np.all(idf[unseen] == arrays.unseen_idf)
    assert bundle.compact.nbytes < 20 * 2**20


def test_head_order_and_mismatched_widths(bundle):
    reversed_heads = tuple(reversed(bundle.heads))
    compact = CompactHeads.from_pipelines(reversed_heads, bundle.featurizer.params.n_columns, bundle.pipelines)
    X = bundle.featurizer.rows([CommentInput("you idiot, cheap pills http://x.com")])
    np.testing.assert_array_equal(compact.predict(X)[:, ::-1], bundle.compact.predict(X))
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


def reference_matrix(featurizer: Featurizer, items: list[CommentInput]) -> sp.csr_matrix:
    """The featurizer's matrix built the plain way: sklearn's HashingVectorizers, then metadata, stacked."""
    normalised = featurizer.normalise(items)
    texts = [norm.text for norm in normalised]
    return sp.hstack([featurizer.word_vectorizer.transform(texts), featurizer.char_vectorizer.transform(texts),
                      sp.csr_matrix(metadata_matrix(items, normalised))], format="csr")


@settings(max_examples=40, deadline=None)
@given(items=st.lists(COMMENTS, min_size=1, max_size=10))
def test_featurizer_equals_hashing_vectorizers(items):
    featurizer = Featurizer()
    got, expected = featurizer.transform(items), reference_matrix(featurizer, items)
    assert got.shape == expected.shape
    assert np.array_equal(got.indptr, expected.indptr)
    assert np.array_equal(got.indices, expected.indices)
    assert np.array_equal(got.data, expected.data)


def test_chunked_transform_equals_one_chunk(monkeypatch, rows):
    featurizer = Featurizer()
    items = [CommentInput.from_row(row) for row in rows] + [CommentInput(text) for text in HOSTILE]
    whole = featurizer.transform(items)
    monkeypatch.setattr("classifier.features.CHUNK_ROWS", 7)
    chunked = featurizer.transform(CommentInput(item.text, author_name=item.author_name) for item in items)
    assert (whole != chunked).nnz == 0
    assert np.array_equal(whole.indptr, chunked.indptr) and np.array_equal(whole.indices, chunked.indices)
    assert featurizer.transform([]).shape == (0, featurizer.params.n_columns)
