"""Vectorised n-gram hashing that builds exactly the matrix of scikit-learn's HashingVectorizer.

HashingVectorizer hashes each n-gram in a Python loop; character 2-5-grams make ~400 per comment and
that loop was ~90% of scoring time. Here the n-grams of a whole batch are never built as strings: their
UTF-8 byte ranges are hashed at once with MurmurHash3 (x86, 32-bit, seed 0) in numpy, then mapped to
columns as sklearn does (abs(h) % n_features, alternate_sign=False). tests/classifier/test_hashing.py
checks the result equals HashingVectorizer(analyzer="char"/"word", lowercase=False, norm=None).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp

_C1 = np.uint32(0xCC9E2D51)
_C2 = np.uint32(0x1B873593)
_TAIL_MASKS = np.array([0, 0xFF, 0xFFFF, 0xFFFFFF], dtype=np.uint32)


def _rotl(x: np.ndarray, r: int) -> np.ndarray:
    return (x << np.uint32(r)) | (x >> np.uint32(32 - r))


def murmur3_32(buffer: bytes, starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """Return the signed 32-bit MurmurHash3 (seed 0) of buffer[start:start+length] for each pair."""
    raw = np.frombuffer(buffer + b"\0\0\0\0", dtype=np.uint8).astype(np.uint32)
    # The little-endian 32-bit word starting at every byte offset.
    words = raw[:-3] | (raw[1:-2] << np.uint32(8)) | (raw[2:-1] << np.uint32(16)) | (raw[3:] << np.uint32(24))
    blocks = lengths >> 2
    h = np.zeros(len(starts), dtype=np.uint32)
    for k in range(int(blocks.max()) if len(blocks) else 0):
        active = np.nonzero(blocks > k)[0] if k >= blocks.min() else slice(None)
        block = words[starts[active] + 4 * k] * _C1
        block = _rotl(block, 15) * _C2
        mixed = _rotl(h[active] ^ block, 13)
        h[active] = mixed * np.uint32(5) + np.uint32(0xE6546B64)
    tail = words[starts + 4 * blocks] & _TAIL_MASKS[lengths & 3]
    tail = _rotl(tail * _C1, 15) * _C2  # zero when there is no tail, so xor-ing it changes nothing
    h ^= tail
    h ^= lengths.astype(np.uint32)
    h ^= h >> np.uint32(16)
    h *= np.uint32(0x85EBCA6B)
    h ^= h >> np.uint32(13)
    h *= np.uint32(0xC2B2AE35)
    h ^= h >> np.uint32(16)
    return h.view(np.int32)


def _columns(hashes: np.ndarray, n_features: int) -> np.ndarray:
    """Map hashes to columns exactly as sklearn's FeatureHasher does."""
    h = hashes.astype(np.int64)
    columns = np.abs(h) % n_features
    columns[h == -(2**31)] = (2**31 - 1 - (n_features - 1)) % n_features
    return columns


def _byte_offsets(text: str) -> np.ndarray:
    """UTF-8 byte offset of every character of text, plus the total length at the end."""
    if text.isascii():
        return np.arange(len(text) + 1, dtype=np.int64)
    code_points = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    sizes = 1 + (code_points >= 0x80) + (code_points >= 0x800) + (code_points >= 0x10000)
    offsets = np.zeros(len(text) + 1, dtype=np.int64)
    np.cumsum(sizes, out=offsets[1:])
    return offsets


def _matrix(rows: np.ndarray, columns: np.ndarray, n_rows: int, n_features: int) -> sp.csr_matrix:
    """Count (row, column) pairs into a canonical CSR matrix (sorted, summed), as FeatureHasher leaves it."""
    keys, counts = np.unique(rows * n_features + columns, return_counts=True)
    indptr = np.zeros(n_rows + 1, dtype=np.int32)
    np.cumsum(np.bincount(keys // n_features, minlength=n_rows), out=indptr[1:])
    indices = (keys % n_features).astype(np.int32)
    return sp.csr_matrix((counts.astype(np.float64), indices, indptr), shape=(n_rows, n_features))


def hash_char_ngrams(texts: Sequence[str], ngram_range: tuple[int, int], n_features: int) -> sp.csr_matrix:
    """Count character n-grams of each text into hashed columns (texts must hold no runs of whitespace)."""
    lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
    joined = "".join(texts)
    offsets = _byte_offsets(joined)
    ends = np.cumsum(lengths)
    doc_of_char = np.repeat(np.arange(len(texts)), lengths)
    end_of_char = np.repeat(ends, lengths)
    positions = np.arange(len(joined), dtype=np.int64)
    starts, spans, rows = [], [], []
    for n in range(ngram_range[0], ngram_range[1] + 1):
        ok = positions + n <= end_of_char
        begin = positions[ok]
        starts.append(offsets[begin])
        spans.append(offsets[begin + n] - offsets[begin])
        rows.append(doc_of_char[ok])
    start, span, row = np.concatenate(starts), np.concatenate(spans), np.concatenate(rows)
    columns = _columns(murmur3_32(joined.encode("utf-8"), start, span), n_features)
    return _matrix(row, columns, len(texts), n_features)


def word_ngrams(text: str, token_pattern: re.Pattern, ngram_range: tuple[int, int]) -> list[str]:
    """Return the word n-grams of text in HashingVectorizer's order and spelling ("a b" for bigrams)."""
    tokens = token_pattern.findall(text)
    low, high = ngram_range
    grams = list(tokens) if low == 1 else []
    for n in range(max(low, 2), high + 1):
        grams.extend(" ".join(tokens[i:i + n]) for i in range(len(tokens) - n + 1))
    return grams


def hash_strings(groups: Sequence[Sequence[str]], n_features: int) -> sp.csr_matrix:
    """Count each group's strings into hashed columns (one row per group)."""
    counts = np.fromiter(map(len, groups), dtype=np.int64, count=len(groups))
    flat = [s for group in groups for s in group]
    joined = "".join(flat)
    offsets = _byte_offsets(joined)
    char_starts = np.zeros(len(flat) + 1, dtype=np.int64)
    np.cumsum(np.fromiter(map(len, flat), dtype=np.int64, count=len(flat)), out=char_starts[1:])
    byte_starts = offsets[char_starts]
    columns = _columns(murmur3_32(joined.encode("utf-8"), byte_starts[:-1], np.diff(byte_starts)), n_features)
    rows = np.repeat(np.arange(len(groups)), counts)
    return _matrix(rows, columns, len(groups), n_features)
