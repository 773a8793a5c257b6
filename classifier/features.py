"""Featurizer: comments in, one sparse matrix of hashed n-gram counts and metadata columns out.

Hashing is stateless, so it runs once per comment however many heads score it; each head's Pipeline
starts from this matrix (TF-IDF weighting and scaling are fitted per head, inside the Pipeline).
Normalisation and metadata are plain code because skops cannot save custom functions.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import HashingVectorizer

from classifier.hashing import hash_char_ngrams, hash_strings, word_ngrams
from classifier.inputs import CommentInput
from classifier.metadata import METADATA_FEATURES, metadata_matrix
from classifier.normalise import Normalised, normalise

WORD_TOKEN_PATTERN = r"(?u)\b\w\w+\b"  # noqa: S105 (a regex, not a password)
_WORD_TOKEN = re.compile(WORD_TOKEN_PATTERN)
# Below this many characters per call, sklearn's per-n-gram loop beats numpy's fixed cost per batch;
# both build the same matrix.
VECTORISED_MIN_CHARS = 300


@dataclass(frozen=True, slots=True)
class HashingParams:
    """Sizes and n-gram ranges of the two hashed blocks; stored in every sidecar."""

    word_features: int = 2**18
    char_features: int = 2**19
    word_ngrams: tuple[int, int] = (1, 2)
    char_ngrams: tuple[int, int] = (2, 5)

    def to_json(self) -> dict:
        """Return a JSON-serialisable dict."""
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict) -> HashingParams:
        """Rebuild from `to_json` output."""
        return cls(
            word_features=int(data["word_features"]),
            char_features=int(data["char_features"]),
            word_ngrams=tuple(data["word_ngrams"]),
            char_ngrams=tuple(data["char_ngrams"]),
        )

    @property
    def n_columns(self) -> int:
        """Width of the featurizer's matrix."""
        return self.word_features + self.char_features + len(METADATA_FEATURES)


class Featurizer:
    """Turn comments into the matrix every head's Pipeline takes as input."""

    def __init__(self, params: HashingParams | None = None) -> None:
        self.params = params or HashingParams()
        common = {"alternate_sign": False, "norm": None, "lowercase": False, "dtype": np.float64}
        self.word_vectorizer = HashingVectorizer(
            analyzer="word", token_pattern=WORD_TOKEN_PATTERN, ngram_range=self.params.word_ngrams,
            n_features=self.params.word_features, **common,
        )
        self.char_vectorizer = HashingVectorizer(
            analyzer="char", ngram_range=self.params.char_ngrams, n_features=self.params.char_features, **common
        )

    def normalise(self, items: Sequence[CommentInput]) -> list[Normalised]:
        """Normalise the text of each comment."""
        return [normalise(item.text) for item in items]

    def transform(self, items: Sequence[CommentInput]) -> sp.csr_matrix:
        """Return the (n, params.n_columns) CSR matrix: word counts | char counts | metadata."""
        normalised = self.normalise(items)
        return self.transform_normalised(items, normalised)

    def transform_normalised(self, items: Sequence[CommentInput], normalised: list[Normalised]) -> sp.csr_matrix:
        """Like `transform`, reusing normalised texts computed earlier."""
        texts = [norm.text for norm in normalised]
        if sum(map(len, texts)) < VECTORISED_MIN_CHARS:
            words = self.word_vectorizer.transform(texts)
            chars = self.char_vectorizer.transform(texts)
        else:
            params = self.params
            groups = [word_ngrams(text, _WORD_TOKEN, params.word_ngrams) for text in texts]
            words = hash_strings(groups, params.word_features)
            chars = hash_char_ngrams(texts, params.char_ngrams, params.char_features)
        meta = sp.csr_matrix(metadata_matrix(list(items), normalised))
        return sp.hstack([words, chars, meta], format="csr", dtype=np.float64)

    @property
    def word_slice(self) -> slice:
        """Columns of the word block."""
        return slice(0, self.params.word_features)

    @property
    def char_slice(self) -> slice:
        """Columns of the character block."""
        start = self.params.word_features
        return slice(start, start + self.params.char_features)

    @property
    def metadata_slice(self) -> slice:
        """Columns of the metadata block."""
        start = self.params.word_features + self.params.char_features
        return slice(start, start + len(METADATA_FEATURES))
