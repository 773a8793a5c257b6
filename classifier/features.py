"""Featurizer: comments in, sparse matrices of hashed n-gram counts and metadata columns out.

Each comment's prepared text (normalised, identity terms removed: classifier/prepare.py) is cut into
sentences and each sentence hashed once; a comment's row is the sum of its sentences' rows plus its
metadata, and comments of two or more sentences also get one row per sentence, which the toxicity heads
score on their own (so one insult in a friendly comment is not diluted). Hashing is stateless, so it runs
once per comment however many heads score it; TF-IDF weighting and scaling are fitted per head, inside
each head's Pipeline. Normalisation and metadata are plain code because skops cannot save custom functions.
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
from classifier.prepare import one_line, sentence_spans, strip_identities

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
    # 3-5: character bigrams added a quarter of the hashing and scoring work for no held-out AUC (within
    # 0.003 on every set, bench/transfer.py).
    char_ngrams: tuple[int, int] = (3, 5)
    # Models from before these two existed (sidecar format 1) hashed the whole text, identity terms included.
    strip_identities: bool = True  # remove identity terms before hashing (classifier/prepare.py)
    sentences: bool = True  # hash sentence by sentence; comments of 2+ sentences get sentence rows

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
            strip_identities=bool(data.get("strip_identities", False)),
            sentences=bool(data.get("sentences", False)),
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


@dataclass(frozen=True, slots=True)
class Featurized:
    """A batch's matrices: one row per comment, and one row per sentence of comments with two or more.

    `owner[k]` is the comment (row of `whole`) that sentence row k belongs to. Sentence rows hold only
    n-grams (no metadata); a comment's row is the sum of its sentences' n-gram rows plus its metadata.
    """

    whole: SparseRows
    sentences: SparseRows
    owner: np.ndarray


class Featurizer:
    """Turn comments into the matrices every head's Pipeline takes as input."""

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

    def normalise(self, items: Sequence[CommentInput], *, offsets: bool = False) -> list[Normalised]:
        """Normalise each comment's text and remove identity terms (classifier/prepare.py)."""
        if not self.params.strip_identities:
            return [normalise(item.text, offsets=offsets) for item in items]
        return [strip_identities(normalise(item.text, offsets=offsets)) for item in items]

    def transform(self, items: Iterable[CommentInput]) -> sp.csr_matrix:
        """Return the (n, params.n_columns) CSR matrix of comments: word counts | char counts | metadata.

        Comments are featurized CHUNK_ROWS at a time (and may come from a generator), so hashing's
        per-n-gram temporaries stay small whatever the corpus size; only the final matrix grows with it.
        """
        return self.transform_with_sentences(items)[0]

    def transform_with_sentences(
        self, items: Iterable[CommentInput]
    ) -> tuple[sp.csr_matrix, sp.csr_matrix, np.ndarray]:
        """Return (comment rows, sentence rows, owner) for a corpus, chunk by chunk as `transform` does."""
        iterator = iter(items)
        wholes, sentences, owners = [], [], []
        done = 0
        while chunk := list(itertools.islice(iterator, CHUNK_ROWS)):
            part = self.featurize(chunk)
            wholes.append(part.whole)
            sentences.append(part.sentences)
            owners.append(part.owner + done)
            done += len(chunk)
        if not wholes:
            empty = sp.csr_matrix((0, self.params.n_columns))
            return empty, empty.copy(), np.zeros(0, dtype=np.int64)
        owner = np.concatenate(owners)
        if len(wholes) == 1:
            return wholes[0].tocsr(), sentences[0].tocsr(), owner
        return _stack_rows(wholes, self.params.n_columns), _stack_rows(sentences, self.params.n_columns), owner

    def rows(self, items: Sequence[CommentInput], normalised: list[Normalised] | None = None) -> SparseRows:
        """Return the comments' rows (as `featurize(...).whole`)."""
        return self.featurize(items, normalised).whole

    def featurize(self, items: Sequence[CommentInput], normalised: list[Normalised] | None = None) -> Featurized:
        """Hash every sentence of every comment once; sum them into comment rows and add the metadata.

        `normalised` (from `normalise`) may be passed when computed already. The scoring fast path works on
        these plain CSR arrays and never builds a scipy matrix.
        """
        if normalised is None:
            normalised = self.normalise(items)
        params = self.params
        n_rows, n_columns = len(items), params.n_columns
        pieces: list[str] = []
        unit_owner: list[int] = []
        split = params.sentences
        for row, norm in enumerate(normalised):
            text = norm.text if split else one_line(norm.text)
            spans = sentence_spans(text) if split and ("\n" in text or ". " in text or "! " in text
                                                        or "? " in text) else None
            if spans and len(spans) > 1:
                pieces.extend(text[b:e] for b, e in spans)
                unit_owner.extend([row] * len(spans))
            else:
                pieces.append(text)
                unit_owner.append(row)
        owner_of_unit = np.array(unit_owner, dtype=np.int64)
        groups = [word_ngrams(piece, _WORD_TOKEN, params.word_ngrams) for piece in pieces]
        units, columns = hash_ngrams(pieces, groups, params.char_ngrams, params.char_features, params.word_features)
        meta = metadata_matrix(list(items), normalised)
        meta_rows, meta_columns = np.nonzero(meta)
        # Keys row * n_columns + column sort into CSR order (uint32 keys, whenever they fit, sort twice as
        # fast). Metadata keys never collide with n-gram keys (their columns come last): they are counted
        # along, then their counts (1) are overwritten with their values.
        key_type = np.uint32 if (max(n_rows, len(pieces)) + 1) * n_columns < 2**32 else np.int64
        meta_keys = (meta_rows * n_columns + (self.metadata_slice.start + meta_columns)).astype(key_type)
        whole_keys = owner_of_unit[units].astype(key_type)
        whole_keys *= key_type(n_columns)
        whole_keys += columns.astype(key_type)
        whole = _rows_from_keys(np.concatenate([whole_keys, meta_keys]), n_rows, n_columns, key_type,
                                overwrite=(meta_keys, meta[meta_rows, meta_columns]))
        # Sentence rows: the units of comments cut into two or more sentences, numbered in order.
        per_row = np.bincount(owner_of_unit, minlength=n_rows)
        multi = per_row[owner_of_unit] > 1
        sentence_index = np.cumsum(multi) - 1
        n_sentences = int(multi.sum())
        if n_sentences:
            keep = multi[units]
            sentence_keys = sentence_index[units[keep]].astype(key_type)
            sentence_keys *= key_type(n_columns)
            sentence_keys += columns[keep].astype(key_type)
            sentences = _rows_from_keys(sentence_keys, n_sentences, n_columns, key_type)
        else:
            sentences = SparseRows(np.zeros(1, dtype=np.int32), np.zeros(0, dtype=np.int32),
                                   np.zeros(0, dtype=np.float64), n_columns)
        return Featurized(whole, sentences, owner_of_unit[multi])

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

    @property
    def blocks(self) -> tuple[slice, slice, slice]:
        """The word, character and metadata blocks, each weighted and normalised on its own."""
        return self.word_slice, self.char_slice, self.metadata_slice


def _rows_from_keys(keys: np.ndarray, n_rows: int, n_columns: int, key_type, overwrite=None) -> SparseRows:
    """Count sorted-able keys (row * n_columns + column) into CSR arrays; `overwrite` = (keys, values)."""
    keys, counts = np.unique(keys, return_counts=True)
    data = counts.astype(np.float64)
    if overwrite is not None and len(overwrite[0]):
        data[np.searchsorted(keys, overwrite[0])] = overwrite[1]
    bounds = np.arange(n_rows + 1, dtype=key_type) * key_type(n_columns)
    indptr = np.searchsorted(keys, bounds).astype(np.int32)
    indices = (keys % key_type(n_columns)).astype(np.int32)
    return SparseRows(indptr, indices, data, n_columns)


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
