"""Property tests: any Unicode text scores in [0, 1] without raising; save -> load -> score is identical."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from classifier import CommentInput, load_bundle, save_bundle

ANY_TEXT = st.text(st.characters(exclude_categories=()), max_size=300)  # surrogates and controls included
OPTIONAL = st.none() | ANY_TEXT

NASTY = [
    "\x00\x00nul",
    "\ud800 lone \udfff surrogates",
    "\u202eevil\u202c rtl \u200f\u200e",
    "😀" * 10_000,
    "z̷̡̢̛̛̖͉̹̞̘̮͙̱̯̪͔̬̥̦̲̰̟̣̯͕͖̞̖͍̜̬̝̘͐̿̀̒̈̃͊͆͒̉̒̾̂̊̓̎͌̈́̔̌͆̅͘͘͜͜͝͝ͅą̶̧̛̛͉̖̗̙̰̦̮̺̹̤̯̦̘̜̙̳̦͇̰̭̹̬̭̙̊̈́̍̓̌̒͂̀̃̽̈̓̎̄̈́̐̐̅̓͗͛̕͝ͅl̷g̴o",
    "<" * 5000 + "a href=" + "http://" * 500,
    "&#xD800; &#0; &#99999999; &amp;&amp;amp;",
    "a@b." * 2000,
]


def _check(scores, heads):
    for score in scores:
        assert set(score) == set(heads)
        for value in score.values():
            assert isinstance(value, float) and not math.isnan(value) and 0.0 <= value <= 1.0


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=ANY_TEXT, name=OPTIONAL, email=OPTIONAL, url=OPTIONAL)
def test_any_text_scores_in_unit_interval(bundle, text, name, email, url):
    item = CommentInput(text, author_name=name, author_email=email, author_url=url)
    _check(bundle.score([item]), bundle.heads)
    json.dumps(bundle.explain(item, heads=bundle.heads))


@pytest.mark.parametrize("text", NASTY, ids=range(len(NASTY)))
def test_hostile_text_scores_and_explains(bundle, text):
    item = CommentInput(text, author_name=text[:50], author_email=text[:50], author_url=text[:50])
    _check(bundle.score([item, CommentInput("ok")]), bundle.heads)
    explanation = bundle.explain(item)
    json.dumps(explanation)
    for span in explanation["spam"]["spans"]:
        assert span["text"] == text[span["begin"]:span["end"]]


@settings(max_examples=30, deadline=None)
@given(texts=st.lists(ANY_TEXT, min_size=1, max_size=20))
def test_save_load_score_is_identical(saved_bundle, texts):
    original, loaded = saved_bundle
    items = [CommentInput(t) for t in texts]
    assert loaded.score(items) == original.score(items)


def test_batch_and_single_scores_agree(bundle):
    # The featurizer hashes small and large calls differently; the matrix, and so the scores, must match.
    items = [CommentInput(f"buy cheap viagra now at http://x{i}.com or you idiot " * (1 + i % 3)) for i in range(30)]
    batch = bundle.score(items)
    single = [bundle.score([item])[0] for item in items]
    assert batch == single


@pytest.fixture(scope="module")
def saved_bundle(bundle, tmp_path_factory):
    directory = tmp_path_factory.mktemp("model")
    save_bundle(bundle, directory)
    return bundle, load_bundle(directory)


def test_compact_scoring_equals_the_pipeline(bundle):
    items = [CommentInput(t) for t in ("buy cheap viagra http://x.com", "you idiot", "", "nice chess video " * 20)]
    X = bundle.featurizer.rows(items)
    p = bundle.compact.predict(X)
    for k, head in enumerate(bundle.heads):
        expected = bundle.pipelines[head].predict_proba(X.tocsr())[:, 1]
        np.testing.assert_allclose(p[:, k], expected, rtol=1e-12, atol=1e-15)
