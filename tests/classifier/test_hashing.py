"""The vectorised hashing builds exactly HashingVectorizer's matrix."""

from __future__ import annotations

import re

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from classifier.features import Featurizer
from classifier.hashing import hash_char_ngrams, hash_strings, word_ngrams
from classifier.normalise import normalise

FEATURIZER = Featurizer()
TEXTS = st.lists(st.text(st.characters(exclude_categories=("Cs",)), max_size=60), min_size=1, max_size=8)


def assert_same(a, b):
    assert a.shape == b.shape
    assert np.array_equal(a.indptr, b.indptr)
    assert np.array_equal(a.indices, b.indices)
    assert np.array_equal(a.data, b.data)


@settings(max_examples=60, deadline=None)
@given(TEXTS)
def test_char_ngrams_match_hashing_vectorizer(raw):
    # Normalised text keeps line breaks; the featurizer hashes the sentences between them (no whitespace runs).
    texts = [re.sub(r"\s+", " ", normalise(text).text) for text in raw]
    params = FEATURIZER.params
    expected = FEATURIZER.char_vectorizer.transform(texts)
    assert_same(hash_char_ngrams(texts, params.char_ngrams, params.char_features), expected)


@settings(max_examples=60, deadline=None)
@given(TEXTS)
def test_word_ngrams_match_hashing_vectorizer(raw):
    # Normalised text keeps line breaks; the featurizer hashes the sentences between them (no whitespace runs).
    texts = [re.sub(r"\s+", " ", normalise(text).text) for text in raw]
    params = FEATURIZER.params
    from classifier.features import _WORD_TOKEN as pattern

    groups = [word_ngrams(text, pattern, params.word_ngrams) for text in texts]
    assert_same(hash_strings(groups, params.word_features), FEATURIZER.word_vectorizer.transform(texts))


def test_long_non_ascii_text_matches():
    texts = [normalise("héllo wörld 😀 日本語テキスト " * 30).text, "", "ab"]
    params = FEATURIZER.params
    assert_same(hash_char_ngrams(texts, params.char_ngrams, params.char_features),
                FEATURIZER.char_vectorizer.transform(texts))
