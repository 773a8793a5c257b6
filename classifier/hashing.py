"""Vectorised n-gram hashing that builds exactly the matrix of scikit-learn's HashingVectorizer.

HashingVectorizer hashes each n-gram in a Python loop; character 2-5-grams make ~400 per comment and
that loop was ~90% of scoring time. Here the n-grams of a whole batch are never built as strings: their
UTF-8 byte ranges are hashed at once with MurmurHash3 (x86, 32-bit, seed 0) in numpy, then mapped to
columns as sklearn does (abs(h) % n_features, alternate_sign=False). The character n-grams of the texts
and the word n-grams (built as strings, "a b" for bigrams) share one buffer and one hashing pass, so a
single comment costs a few dozen numpy calls however many n-grams it has.
tests/classifier/test_hashing.py checks the result equals HashingVectorizer(analyzer="char"/"word",
lowercase=False, norm=None).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp
from sklearn.utils import murmurhash3_32

_C1 = np.uint32(0xCC9E2D51)
_C2 = np.uint32(0x1B873593)
_TAIL_MASKS = np.array([0, 0xFF, 0xFFFF, 0xFFFFFF], dtype=np.uint32)
_U5, _U8, _U13, _U15, _U16, _U17, _U19, _U24 = (np.uint32(v) for v in (5, 8, 13, 15, 16, 17, 19, 24))
_N1, _F1, _F2 = np.uint32(0xE6546B64), np.uint32(0x85EBCA6B), np.uint32(0xC2B2AE35)
# Strings of more 4-byte blocks than this are hashed one at a time (sklearn's murmurhash3_32).
MAX_VECTOR_BLOCKS = 4


def murmur3_32(buffer: bytes, starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """Return the signed 32-bit MurmurHash3 (seed 0) of buffer[start:start+length] for each pair."""
    raw = np.frombuffer(buffer + b"\0\0\0\0", dtype=np.uint8).astype(np.uint32)
    # The little-endian 32-bit word starting at every byte offset.
    words = raw[3:] << _U24
    words |= raw[2:-1] << _U16
    words |= raw[1:-2] << _U8
    words |= raw[:-3]
    lengths = lengths.astype(np.int64, copy=False)
    blocks = lengths >> 2
    h = np.zeros(len(starts), dtype=np.uint32)
    # The loop runs once per 4-byte block of the longest string; strings longer than a few blocks (long
    # words, glued bigrams, hostile input) are hashed one by one below instead.
    n_blocks = min(int(blocks.max()), MAX_VECTOR_BLOCKS) if len(blocks) else 0
    for k in range(n_blocks):
        # Every string has at least blocks.min() blocks: no index selection until some run out.
        active = np.nonzero(blocks > k)[0] if k >= blocks.min() else slice(None)
        block = words[starts[active] + 4 * k]
        block *= _C1
        block = (block << _U15) | (block >> _U17)
        block *= _C2
        mixed = h[active] ^ block
        mixed = (mixed << _U13) | (mixed >> _U19)
        mixed *= _U5
        mixed += _N1
        h[active] = mixed
    tail = words[starts + 4 * blocks]
    tail &= _TAIL_MASKS[lengths & 3]
    tail *= _C1
    tail = (tail << _U15) | (tail >> _U17)
    tail *= _C2  # zero when there is no tail, so xor-ing it changes nothing
    h ^= tail
    h ^= lengths.astype(np.uint32)
    h ^= h >> _U16
    h *= _F1
    h ^= h >> _U13
    h *= _F2
    h ^= h >> _U16
    hashes = h.view(np.int32)
    if n_blocks < int(blocks.max(initial=0)):
        for i in np.nonzero(blocks > MAX_VECTOR_BLOCKS)[0].tolist():
            start = int(starts[i])
            hashes[i] = murmurhash3_32(buffer[start:start + int(lengths[i])], seed=0)
    return hashes


def hashed_columns(hashes: np.ndarray, n_features: int) -> np.ndarray:
    """Map hashes to columns exactly as sklearn's FeatureHasher does: abs(h) % n_features.

    FeatureHasher special-cases h = -2**31 (abs overflows in int32) with a value equal to 2**31 % n_features,
    which is what abs() gives in int64.
    """
    columns = np.abs(hashes.astype(np.int64))
    columns %= n_features
    return columns


def byte_offsets(text: str) -> np.ndarray:
    """UTF-8 byte offset of every character of text, plus the total length at the end."""
    if text.isascii():
        return np.arange(len(text) + 1, dtype=np.int64)
    code_points = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    sizes = 1 + (code_points >= 0x80) + (code_points >= 0x800) + (code_points >= 0x10000)
    offsets = np.zeros(len(text) + 1, dtype=np.int64)
    np.cumsum(sizes, out=offsets[1:])
    return offsets


def char_ngram_positions(
    lengths: np.ndarray, ngram_range: tuple[int, int]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(first char, end char, text) of every character n-gram of texts of these lengths, laid end to end.

    Character n-grams never cross from one text into the next; a text shorter than n has no n-grams.
    """
    sizes = np.arange(ngram_range[0], ngram_range[1] + 1, dtype=np.int64)
    if len(lengths) == 1 and len(sizes):  # one comment, the latency path: a few calls instead of a dozen
        length = int(lengths[0])
        counts = np.maximum(length - sizes + 1, 0)
        begin = np.concatenate([np.arange(count, dtype=np.int64) for count in counts.tolist()])
        return begin, begin + np.repeat(sizes, counts), np.zeros(len(begin), dtype=np.int64)
    n_chars = int(lengths.sum())
    ends = np.cumsum(lengths)
    end_of_char = np.repeat(ends, lengths)
    positions = np.arange(n_chars, dtype=np.int64)
    stops = positions[:, None] + sizes[None, :]
    ok = stops <= end_of_char[:, None]
    begin = np.broadcast_to(positions[:, None], ok.shape)[ok]
    text = np.broadcast_to(np.repeat(np.arange(len(lengths)), lengths)[:, None], ok.shape)[ok]
    return begin, stops[ok], text


def word_ngrams(text: str, token_pattern: re.Pattern, ngram_range: tuple[int, int]) -> list[str]:
    """Return the word n-grams of text in HashingVectorizer's order and spelling ("a b" for bigrams)."""
    tokens = token_pattern.findall(text)
    low, high = ngram_range
    if ngram_range == (1, 2):  # the common case, in C as far as it goes: 20 % faster than the loop below
        return tokens + list(map(" ".join, zip(tokens, tokens[1:], strict=False)))
    grams = list(tokens) if low == 1 else []
    for n in range(max(low, 2), high + 1):
        if n == 2:
            grams.extend([first + " " + second for first, second in zip(tokens[:-1], tokens[1:], strict=True)])
        else:
            grams.extend(" ".join(tokens[i:i + n]) for i in range(len(tokens) - n + 1))
    return grams


def hash_ngrams(
    texts: Sequence[str], groups: Sequence[Sequence[str]], char_ngrams: tuple[int, int], char_features: int,
    word_features: int,
) -> tuple[np.ndarray, np.ndarray]:
    """Return (row, column) of every n-gram occurrence: words in [0, word_features), characters after.

    texts are hashed as character n-grams (they must hold no runs of whitespace, as HashingVectorizer's
    char analyzer would squash them), groups[i] are the word n-grams of row i, hashed whole.
    """
    joined = "".join(texts)
    flat = [s for group in groups for s in group]
    everything = joined + "".join(flat)
    offsets = byte_offsets(everything)
    lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
    begin, stop, char_rows = char_ngram_positions(lengths, char_ngrams)
    word_chars = np.empty(len(flat) + 1, dtype=np.int64)
    word_chars[0] = len(joined)
    np.cumsum(np.fromiter(map(len, flat), dtype=np.int64, count=len(flat)), out=word_chars[1:])
    word_chars[1:] += len(joined)
    word_bytes = offsets[word_chars]
    starts = np.concatenate([offsets[begin], word_bytes[:-1]])
    spans = np.concatenate([offsets[stop] - offsets[begin], np.diff(word_bytes)])
    hashes = murmur3_32(everything.encode("utf-8", "surrogatepass"), starts, spans)
    n_char = len(begin)
    columns = np.empty(len(hashes), dtype=np.int64)
    if n_char:
        columns[:n_char] = hashed_columns(hashes[:n_char], char_features) + word_features
    if n_char < len(hashes):
        columns[n_char:] = hashed_columns(hashes[n_char:], word_features)
    counts = np.fromiter(map(len, groups), dtype=np.int64, count=len(groups))
    rows = np.concatenate([char_rows, np.repeat(np.arange(len(groups)), counts)])
    return rows, columns


def count_matrix(rows: np.ndarray, columns: np.ndarray, n_rows: int, n_features: int) -> sp.csr_matrix:
    """Count (row, column) pairs into a canonical CSR matrix (sorted, summed), as FeatureHasher leaves it."""
    keys, counts = np.unique(rows * n_features + columns, return_counts=True)
    indptr = np.searchsorted(keys, np.arange(n_rows + 1, dtype=np.int64) * n_features).astype(np.int32)
    indices = (keys % n_features).astype(np.int32)
    return sp.csr_matrix((counts.astype(np.float64), indices, indptr), shape=(n_rows, n_features))


def hash_char_ngrams(texts: Sequence[str], ngram_range: tuple[int, int], n_features: int) -> sp.csr_matrix:
    """Count character n-grams of each text into hashed columns (texts must hold no runs of whitespace)."""
    rows, columns = hash_ngrams(texts, [[] for _ in texts], ngram_range, n_features, 0)
    return count_matrix(rows, columns, len(texts), n_features)


def hash_strings(groups: Sequence[Sequence[str]], n_features: int) -> sp.csr_matrix:
    """Count each group's strings into hashed columns (one row per group)."""
    rows, columns = hash_ngrams([""] * len(groups), groups, (1, 0), 1, n_features)
    return count_matrix(rows, columns, len(groups), n_features)
