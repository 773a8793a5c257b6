"""Toxic spans: which words of a comment make it toxic, for the explanation a moderator sees.

A token tagger trained on the raters' spans of the Civil Comments posts (the `gold_spans` of the bundled
toxic_spans set, SemEval-2021 Task 5): each token of the prepared text (normalised, identity terms
removed) is described by its word, its character 3-5-grams (so obfuscations like "stuupid" still match) and
its neighbours, hashed; a logistic model gives the probability that raters would mark it. Tokens at or
above `threshold` are highlighted, adjacent ones merged into one span; when none reaches it, the single
most likely token if it reaches `fallback` (raters mark something in 94 % of toxic posts). Both cut-offs
are chosen by cross-validation on the training posts for the best mean per-post character F1, the task's
measure. Spans are shown only for comments the toxicity head flags (classifier/explain.py).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from sklearn.linear_model import SGDClassifier
from sklearn.model_selection import KFold
from sklearn.pipeline import Pipeline

from classifier.hashing import hash_strings
from classifier.normalise import Normalised

TOKEN = re.compile(r"[^\s.,;:!?\"()\[\]{}]+")
N_FEATURES = 2**20
FOLDS = 5


def tokens(norm: Normalised) -> list[tuple[int, int, str]]:
    """(begin, end, token) of each token of a prepared text, offsets into that text."""
    return [(m.start(), m.end(), m.group()) for m in TOKEN.finditer(norm.text)]


def token_features(toks: Sequence[tuple[int, int, str]]) -> list[list[str]]:
    """The feature strings of each token: word, character 3-5-grams, neighbours."""
    words = [t[2] for t in toks]
    out = []
    for i, word in enumerate(words):
        bounded = f"<{word}>"
        features = ["w=" + word]
        for n in (3, 4, 5):
            features.extend("c=" + bounded[j:j + n] for j in range(max(1, len(bounded) - n + 1)))
        before = words[i - 1] if i else "<s>"
        after = words[i + 1] if i + 1 < len(words) else "</s>"
        features += ["p=" + before, "n=" + after, "pw=" + before + "_" + word]
        out.append(features)
    return out


def token_matrix(toks: Sequence[tuple[int, int, str]]) -> sp.csr_matrix:
    """Hashed, binary, l2-normalised feature rows, one per token."""
    X = hash_strings(token_features(toks), N_FEATURES)
    X.data[:] = 1.0
    norms = np.sqrt(np.diff(X.indptr)).astype(np.float64)
    norms[norms == 0] = 1.0
    X.data /= np.repeat(norms, np.diff(X.indptr))
    return X


def gold_labels(norm: Normalised, toks: Sequence[tuple[int, int, str]], gold: set[int]) -> list[int]:
    """1 for a token whose original characters are at least half in the gold offsets."""
    labels = []
    for begin, end, _ in toks:
        first, last = norm.original_span(begin, end)
        inside = sum(1 for c in range(first, last) if c in gold)
        labels.append(int(2 * inside >= max(1, last - first)))
    return labels


def select(probabilities: np.ndarray, threshold: float, fallback: float) -> np.ndarray:
    """Which tokens to highlight: those at or above threshold, else the best one if it reaches fallback."""
    chosen = probabilities >= threshold
    if not chosen.any() and len(probabilities) and probabilities.max() >= fallback:
        chosen = probabilities == probabilities.max()
    return chosen


def merged_spans(norm: Normalised, toks: Sequence[tuple[int, int, str]], chosen: np.ndarray) -> list[list[int]]:
    """[[begin, end], ...] in the original text: chosen tokens, neighbours joined with what lies between."""
    spans: list[list[int]] = []
    previous = -2
    for i, (begin, end, _) in enumerate(toks):
        if not chosen[i]:
            continue
        first, last = norm.original_span(begin, end)
        if previous == i - 1 and spans and first >= spans[-1][1]:
            spans[-1][1] = last
        else:
            spans.append([first, last])
        previous = i
    return spans


def span_f1(predicted: set[int], gold: set[int]) -> float:
    """SemEval-2021 Task 5's per-post character F1 (both empty: 1)."""
    if not gold:
        return 1.0 if not predicted else 0.0
    if not predicted:
        return 0.0
    return 2 * len(predicted & gold) / (len(predicted) + len(gold))


@dataclass
class SpanTagger:
    """A fitted token model and its two cut-offs."""

    pipeline: Pipeline
    threshold: float
    fallback: float

    def probabilities(self, toks: Sequence[tuple[int, int, str]]) -> np.ndarray:
        """Probability that raters would mark each token."""
        if not toks:
            return np.zeros(0)
        return self.pipeline.predict_proba(token_matrix(toks))[:, 1]

    def spans(self, norm: Normalised) -> list[list[int]]:
        """Original-text spans to highlight in a prepared text (normalised with offsets)."""
        toks = tokens(norm)
        if not toks:
            return []
        return merged_spans(norm, toks, select(self.probabilities(toks), self.threshold, self.fallback))


def build_tagger(seed: int = 1461) -> Pipeline:
    """An unfitted token model."""
    return Pipeline([("model", SGDClassifier(loss="log_loss", alpha=1e-5, max_iter=20, tol=None,
                                             random_state=seed))])


def train_tagger(posts: Sequence[tuple[Normalised, set[int]]], seed: int = 1461) -> tuple[SpanTagger, dict]:
    """Fit a tagger on (prepared text with offsets, gold character offsets) posts; return it and its CV figures."""
    per_post = [tokens(norm) for norm, _ in posts]
    matrices = [token_matrix(toks) if toks else sp.csr_matrix((0, N_FEATURES)) for toks in per_post]
    labels = [np.array(gold_labels(norm, toks, gold), dtype=np.int64)
              for (norm, gold), toks in zip(posts, per_post, strict=True)]
    X = sp.vstack(matrices, format="csr")
    y = np.concatenate(labels) if labels else np.zeros(0, dtype=np.int64)
    owner = np.repeat(np.arange(len(posts)), [len(t) for t in per_post])
    probabilities = np.zeros(len(y))
    for train, test in KFold(FOLDS, shuffle=True, random_state=seed).split(np.arange(len(posts))):
        in_train = np.isin(owner, train)
        fold = build_tagger(seed).fit(X[in_train], y[in_train])
        in_test = np.isin(owner, test)
        probabilities[in_test] = fold.predict_proba(X[in_test])[:, 1]
    bounds = np.r_[0, np.cumsum([len(t) for t in per_post])]
    best = (-1.0, 0.5, 0.5)
    for threshold in (0.25, 0.3, 0.35, 0.4):
        for fallback in (0.05, 0.1, 1.01):  # 1.01: no fallback
            scores = []
            for k, ((norm, gold), toks) in enumerate(zip(posts, per_post, strict=True)):
                chosen = select(probabilities[bounds[k]:bounds[k + 1]], threshold, fallback)
                predicted = {c for b, e in merged_spans(norm, toks, chosen) for c in range(b, e)}
                scores.append(span_f1(predicted, gold))
            if np.mean(scores) > best[0]:
                best = (float(np.mean(scores)), threshold, fallback)
    tagger = SpanTagger(build_tagger(seed).fit(X, y), threshold=best[1], fallback=best[2])
    metrics = {"validation": f"{FOLDS}-fold by post", "posts": len(posts), "tokens": int(len(y)),
               "marked_tokens": int(y.sum()), "span_f1": round(best[0], 4)}
    return tagger, metrics
