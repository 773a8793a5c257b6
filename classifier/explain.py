"""Explanations: which parts of the original text, and which metadata features, raised a head's score.

Each n-gram of the normalised text is hashed to its column; its contribution is coefficient times its
TF-IDF weight (split evenly between occurrences of that column). Contributions are summed per
whitespace-separated token and mapped back to character spans of the original text.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import numpy as np
from sklearn.feature_extraction import FeatureHasher

from classifier.features import WORD_TOKEN_PATTERN
from classifier.inputs import CommentInput
from classifier.metadata import METADATA_FEATURES
from classifier.normalise import normalise

if TYPE_CHECKING:
    from classifier.scoring import HeadScorer

_WORD = re.compile(WORD_TOKEN_PATTERN)
_TOKEN = re.compile(r"\S+")


def ngram_spans(text: str, word_ngrams: tuple[int, int], char_ngrams: tuple[int, int]) -> tuple[list, list]:
    """Return ([(ngram, begin, end)] for words, same for characters) exactly as the vectorizers see them."""
    tokens = [(m.group(), m.start(), m.end()) for m in _WORD.finditer(text)]
    words = []
    for n in range(word_ngrams[0], word_ngrams[1] + 1):
        for i in range(len(tokens) - n + 1):
            group = tokens[i:i + n]
            words.append((" ".join(t[0] for t in group), group[0][1], group[-1][2]))
    chars = []
    for n in range(char_ngrams[0], min(char_ngrams[1], len(text)) + 1):
        chars.extend((text[i:i + n], i, i + n) for i in range(len(text) - n + 1))
    return words, chars


def _columns(ngrams: list, n_features: int, offset: int) -> np.ndarray:
    if not ngrams:
        return np.zeros(0, dtype=np.int64)
    hasher = FeatureHasher(n_features=n_features, input_type="string", alternate_sign=False)
    hashed = hasher.transform([[g[0]] for g in ngrams]).tocsr()
    return hashed.indices.astype(np.int64) + offset


def explain_comment(scorer: HeadScorer, item: CommentInput, top_k: int) -> dict:
    """Build the explanation dict for one comment (JSON-serialisable)."""
    featurizer = scorer.featurizer
    norm = normalise(item.text, offsets=True)
    X = featurizer.rows([item], [norm])
    contribution = scorer.compact.contributions(X, scorer.head)
    params = featurizer.params
    words, chars = ngram_spans(norm.text, params.word_ngrams, params.char_ngrams)
    columns = np.concatenate([_columns(words, params.word_features, 0),
                              _columns(chars, params.char_features, params.word_features)])
    # Each n-gram's column is one of X's entries; its count there is how many n-grams share the column.
    entry = np.minimum(np.searchsorted(X.indices, columns), max(len(X.indices) - 1, 0))
    found = X.indices[entry] == columns if len(X.indices) else np.zeros(len(columns), dtype=bool)
    shares = np.where(found, contribution[entry] / X.data[entry], 0.0) if len(columns) else np.zeros(0)
    token_scores = _token_scores(norm.text, words + chars, shares)
    merged: dict[tuple[int, int], float] = {}
    for (begin, end), value in token_scores.items():
        original = norm.original_span(begin, end)
        merged[original] = merged.get(original, 0.0) + value
    top = sorted(((v, s) for s, v in merged.items() if v > 0), reverse=True)[:top_k]
    meta_start = featurizer.metadata_slice.start
    meta = [
        {"name": METADATA_FEATURES[column - meta_start], "value": float(value), "weight": float(weight)}
        for column, value, weight in zip(X.indices.tolist(), X.data.tolist(), contribution.tolist(), strict=True)
        if column >= meta_start and abs(weight) > 1e-9
    ]
    meta.sort(key=lambda f: -abs(f["weight"]))
    return {
        "score": float(scorer.probabilities(X)[0]),
        "spans": [{"begin": b, "end": e, "score": float(v), "text": item.text[b:e]} for v, (b, e) in top],
        "features": meta[:top_k],
    }


def _token_scores(text: str, spans: list, shares: np.ndarray) -> dict:
    """Sum n-gram contributions onto the whitespace tokens they overlap, by share of overlapping characters."""
    tokens = [(m.start(), m.end()) for m in _TOKEN.finditer(text)]
    if not tokens:
        return {}
    token_of = np.full(len(text), -1, dtype=np.int64)
    for index, (begin, end) in enumerate(tokens):
        token_of[begin:end] = index
    scores = np.zeros(len(tokens))
    for (_, begin, end), share in zip(spans, shares.tolist(), strict=True):
        if share == 0.0:
            continue
        owners = token_of[begin:end]
        owners = owners[owners >= 0]
        if len(owners):
            np.add.at(scores, owners, share / len(owners))
    return {tokens[i]: float(scores[i]) for i in range(len(tokens)) if scores[i] != 0.0}
