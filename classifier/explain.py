"""Explanations: for each head that fires, which parts of the text raised its score; metadata for every head.

A head fires when its score reaches its hold threshold (the site's, else DEFAULT_HOLD_THRESHOLD). Only a
head that fires gets highlighted spans, and only of what pushed its score *up*:

- a head with a span tagger (toxicity: classifier/spans.py) highlights the words raters would mark;
- any other head (spam) highlights the tokens whose n-grams add most to its decision: each n-gram's
  contribution is its coefficient times its TF-IDF weight (split evenly between occurrences of its
  column), summed per whitespace-separated token; the top tokens with a positive sum are kept.

Metadata features are listed for every head with their real values (a share of capitals is 0-1, length is
in characters) and the direction they moved the score, strongest first. Spans are character offsets
into the original text (code points, end exclusive).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import numpy as np
from sklearn.feature_extraction import FeatureHasher

from classifier.features import WORD_TOKEN_PATTERN
from classifier.heads import DEFAULT_HOLD_THRESHOLD
from classifier.inputs import CommentInput
from classifier.metadata import METADATA_FEATURES, display_value
from classifier.normalise import Normalised
from classifier.prepare import sentence_spans

if TYPE_CHECKING:
    from classifier.bundle import ModelBundle

_WORD = re.compile(WORD_TOKEN_PATTERN)
_TOKEN = re.compile(r"\S+")
MIN_SHARE = 0.1  # a highlighted token adds at least this share of the top token's contribution


def explain_comment(bundle: ModelBundle, item: CommentInput, heads: Sequence[str], thresholds: Mapping[str, float],
                    top_k: int) -> dict:
    """Build the explanation of one comment (JSON-serialisable): {head: {score, threshold, fired, spans, features}}."""
    featurizer = bundle.featurizer
    norm = featurizer.normalise([item], offsets=True)[0]
    featurized = featurizer.featurize([item], [norm])
    probabilities = bundle.compact.predict(featurized.whole, featurized.sentences, featurized.owner)[0]
    X = featurized.whole
    out = {}
    for head in heads:
        score = float(probabilities[bundle.heads.index(head)])
        threshold = float(thresholds.get(head, DEFAULT_HOLD_THRESHOLD))
        contribution = bundle.compact.contributions(X, head)
        spans: list[dict] = []
        if score >= threshold:
            tagger = bundle.span_taggers.get(head)
            if tagger is not None:
                spans = [{"begin": b, "end": e, "text": item.text[b:e]}
                         for b, e in tagger.spans(norm, bundle.word_scores(head))]
            else:
                spans = _contribution_spans(bundle, norm, X, contribution, item.text, top_k)
        out[head] = {"score": score, "threshold": threshold, "fired": score >= threshold, "spans": spans,
                     "features": _metadata(bundle, X, contribution)[:top_k]}
    return out


def spans_by_head(explanation: dict) -> dict[str, list[list[int]]]:
    """{head: [[begin, end], ...]} from an explanation (the `moderato model score --explain` shape)."""
    return {head: [[s["begin"], s["end"]] for s in detail.get("spans", [])] for head, detail in explanation.items()}


def _metadata(bundle: ModelBundle, X, contribution: np.ndarray) -> list[dict]:
    start = bundle.featurizer.metadata_slice.start
    features = []
    for column, value, weight in zip(X.indices.tolist(), X.data.tolist(), contribution.tolist(), strict=True):
        if column >= start and abs(weight) > 1e-9:
            name = METADATA_FEATURES[column - start]
            features.append({"name": name, "value": display_value(name, value), "weight": float(weight),
                             "direction": "up" if weight > 0 else "down"})
    features.sort(key=lambda f: -f["weight"])
    return features


def ngram_spans(text: str, word_ngrams: tuple[int, int], char_ngrams: tuple[int, int], *,
                sentences: bool = True) -> tuple[list, list]:
    """Return ([(ngram, begin, end)] for words, same for characters), sentence by sentence, as hashed.

    Without `sentences` (models from before sentence hashing), the whole text is one piece, line breaks
    read as spaces.
    """
    pieces = sentence_spans(text) if text and sentences else []
    if len(pieces) < 2:
        pieces = [(0, len(text))]
        text = text if sentences else text.replace("\n", " ")
    words, chars = [], []
    for start, stop in pieces:
        piece = text[start:stop]
        tokens = [(m.group(), start + m.start(), start + m.end()) for m in _WORD.finditer(piece)]
        for n in range(word_ngrams[0], word_ngrams[1] + 1):
            for i in range(len(tokens) - n + 1):
                group = tokens[i:i + n]
                words.append((" ".join(t[0] for t in group), group[0][1], group[-1][2]))
        for n in range(char_ngrams[0], min(char_ngrams[1], len(piece)) + 1):
            chars.extend((piece[i:i + n], start + i, start + i + n) for i in range(len(piece) - n + 1))
    return words, chars


def _columns(ngrams: list, n_features: int, offset: int) -> np.ndarray:
    if not ngrams:
        return np.zeros(0, dtype=np.int64)
    hasher = FeatureHasher(n_features=n_features, input_type="string", alternate_sign=False)
    hashed = hasher.transform([[g[0]] for g in ngrams]).tocsr()
    return hashed.indices.astype(np.int64) + offset


def _contribution_spans(bundle: ModelBundle, norm: Normalised, X, contribution: np.ndarray, original: str,
                        top_k: int) -> list[dict]:
    """The tokens whose n-grams raised the head's decision most, as original-text spans."""
    params = bundle.featurizer.params
    words, chars = ngram_spans(norm.text, params.word_ngrams, params.char_ngrams, sentences=params.sentences)
    columns = np.concatenate([_columns(words, params.word_features, 0),
                              _columns(chars, params.char_features, params.word_features)])
    # Each n-gram's column is one of X's entries; its count there is how many n-grams share the column.
    entry = np.minimum(np.searchsorted(X.indices, columns), max(len(X.indices) - 1, 0))
    found = X.indices[entry] == columns if len(X.indices) else np.zeros(len(columns), dtype=bool)
    shares = np.where(found, contribution[entry] / X.data[entry], 0.0) if len(columns) else np.zeros(0)
    merged: dict[tuple[int, int], float] = {}
    for (begin, end), value in _token_scores(norm.text, words + chars, shares).items():
        span = norm.original_span(begin, end)
        merged[span] = merged.get(span, 0.0) + value
    ranked = sorted(((v, s) for s, v in merged.items() if v > 0), reverse=True)
    if not ranked:
        return []
    floor = ranked[0][0] * MIN_SHARE
    kept = sorted((s, v) for v, s in ranked[:top_k] if v >= floor)
    return [{"begin": b, "end": e, "score": float(v), "text": original[b:e]} for (b, e), v in kept]


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
