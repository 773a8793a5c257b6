"""Featurizer: comments in, one sparse matrix of hashed n-gram counts and metadata columns out.

Hashing is stateless, so it runs once per comment however many heads score it; each head's Pipeline
starts from this matrix (TF-IDF weighting and scaling are fitted per head, inside the Pipeline).
Normalisation and metadata are plain code because skops cannot save custom functions.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import HashingVectorizer

from classifier.hashing import hash_ngrams, word_ngrams
from classifier.inputs import CommentInput
from classifier.metadata import METADATA_FEATURES, metadata_matrix
from classifier.normalise import Normalised, normalise

WORD_TOKEN_PATTERN = r"(?u)\b\w\w+\b"  # noqa: S105 (a regex, not a password)
_WORD_TOKEN = re.compile(WORD_TOKEN_PATTERN)
# Comments featurized together when transforming a large corpus (bounds hashing's temporaries).
CHUNK_ROWS = 512


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


@dataclass(frozen=True, slots=True)
class SparseRows:
    """The featurizer's matrix as plain CSR arrays (rows sorted by column, no explicit zeros)."""

    indptr: np.ndarray
    indices: np.ndarray
    data: np.ndarray
    n_columns: int

    @property
    def n_rows(self) -> int:
        """Number of rows."""
        return len(self.indptr) - 1

    def tocsr(self) -> sp.csr_matrix:
        """Return a scipy CSR matrix sharing these arrays."""
        return sp.csr_matrix((self.data, self.indices, self.indptr), shape=(self.n_rows, self.n_columns))


class Featurizer:
    """Turn comments into the matrix every head's Pipeline takes as input."""

    def __init__(self, params: HashingParams | None = None) -> None:
        self.params = params or HashingParams()
        # The reference implementation the vectorised hashing is tested against (tests/classifier).
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

    def transform(self, items: Iterable[CommentInput]) -> sp.csr_matrix:
        """Return the (n, params.n_columns) CSR matrix: word counts | char counts | metadata.

        Comments are featurized CHUNK_ROWS at a time (and may come from a generator), so hashing's
        per-n-gram temporaries stay small whatever the corpus size; only the final matrix grows with it.
        """
        iterator = iter(items)
        parts = []
        while chunk := list(itertools.islice(iterator, CHUNK_ROWS)):
            parts.append(self.rows(chunk))
        if len(parts) == 1:
            return parts[0].tocsr()
        return _stack_rows(parts, self.params.n_columns)

    def transform_normalised(self, items: Sequence[CommentInput], normalised: list[Normalised]) -> sp.csr_matrix:
        """Like `transform`, reusing normalised texts computed earlier."""
        return self.rows(items, normalised).tocsr()

    def rows(self, items: Sequence[CommentInput], normalised: list[Normalised] | None = None) -> SparseRows:
        """Return the matrix of `transform` as plain CSR arrays (the scoring fast path skips scipy)."""
        if normalised is None:
            normalised = self.normalise(items)
        params = self.params
        texts = [norm.text for norm in normalised]
        groups = [word_ngrams(text, _WORD_TOKEN, params.word_ngrams) for text in texts]
        n_rows, n_columns = len(texts), params.n_columns
        rows, columns = hash_ngrams(texts, groups, params.char_ngrams, params.char_features, params.word_features)
        meta = metadata_matrix(list(items), normalised)
        meta_rows, meta_columns = np.nonzero(meta)
        # Keys row * n_columns + column sort into CSR order (uint32 keys, whenever they fit, sort twice as
        # fast). Metadata keys never collide with n-gram keys (their columns come last): they are counted
        # along, then their counts (1) are overwritten with their values.
        key_type = np.uint32 if (n_rows + 1) * n_columns < 2**32 else np.int64
        meta_keys = (meta_rows * n_columns + (self.metadata_slice.start + meta_columns)).astype(key_type)
        ngram_keys = rows.astype(key_type)
        ngram_keys *= key_type(n_columns)
        ngram_keys += columns.astype(key_type)
        keys, counts = np.unique(np.concatenate([ngram_keys, meta_keys]), return_counts=True)
        data = counts.astype(np.float64)
        data[np.searchsorted(keys, meta_keys)] = meta[meta_rows, meta_columns]
        bounds = np.arange(n_rows + 1, dtype=key_type) * key_type(n_columns)
        indptr = np.searchsorted(keys, bounds).astype(np.int32)
        indices = (keys % key_type(n_columns)).astype(np.int32)
        return SparseRows(indptr, indices, data, n_columns)

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


def _stack_rows(parts: list[SparseRows], n_columns: int) -> sp.csr_matrix:
    """Stack row blocks into one CSR matrix, emptying `parts` as it goes.

    Each array is allocated once at its final size and filled block by block, each block released once
    copied, so memory never holds the blocks and the whole matrix at the same time.
    """
    nnz = sum(len(part.data) for part in parts)
    n_rows = sum(part.n_rows for part in parts)
    index_dtype = np.int32 if nnz < 2**31 else np.int64
    indptr = np.empty(n_rows + 1, dtype=index_dtype)
    indices = np.empty(nnz, dtype=np.int32)
    data = np.empty(nnz, dtype=np.float64)
    indptr[0] = row = at = 0
    parts.reverse()
    while parts:
        part = parts.pop()
        size = len(part.data)
        indices[at:at + size] = part.indices
        data[at:at + size] = part.data
        indptr[row + 1:row + part.n_rows + 1] = part.indptr[1:].astype(index_dtype) + at
        row += part.n_rows
        at += size
    return sp.csr_matrix((data, indices, indptr), shape=(n_rows, n_columns))
