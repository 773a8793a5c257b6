"""Toxic spans: which words of a comment make it toxic, for the explanation a moderator sees.

A token tagger trained on the raters' spans of the Civil Comments posts (the `gold_spans` of the bundled
toxic_spans set, SemEval-2021 Task 5). Each token of the prepared text (normalised, identity terms removed)
is described by its word, its character 3-5-grams (so "stuuupid" still matches), its neighbours, and how
toxic the toxicity head finds the word on its own (so what 60,000 labelled comments taught carries over to
words the raters' 6,000 posts never marked), hashed; a logistic model gives the probability that raters
would mark it. A second model reads the first one's probabilities of the token, its neighbours and the
post's most likely token beside the same features (stacking; raters mark phrases, and a post's strongest
word changes what else they mark): +0.009 character F1 in cross-validation.

Tokens at or above `threshold` are highlighted, adjacent ones merged into one span; when none reaches it,
the single most likely token if it reaches `fallback` (raters mark something in 94 % of toxic posts). Both
cut-offs are chosen by cross-validation on the training posts for the best mean per-post character F1, the
task's measure. classifier/explain.py decides when spans are shown at all.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
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
FOLDS = 4
THRESHOLDS = (0.25, 0.3, 0.35, 0.4, 0.45)
FALLBACKS = (0.05, 0.1, 1.01)  # 1.01: no fallback

Tokens = Sequence[tuple[int, int, str]]
WordScores = Callable[[list[str]], np.ndarray]  # toxicity of each word scored on its own, in [0, 1]


def tokens(norm: Normalised) -> list[tuple[int, int, str]]:
    """(begin, end, token) of each token of a prepared text, offsets into that text."""
    return [(m.start(), m.end(), m.group()) for m in TOKEN.finditer(norm.text)]


def _bucket(value: float) -> int:
    return min(9, max(0, int(value * 10)))


def token_features(toks: Tokens, word_toxicity: np.ndarray, first: np.ndarray | None = None) -> list[list[str]]:
    """The feature strings of each token: word, character 3-5-grams, neighbours, the word's own toxicity,
    and (for the second model) the first model's probabilities around it."""
    words = [t[2] for t in toks]
    top = float(first.max()) if first is not None and len(first) else 0.0
    out = []
    for i, word in enumerate(words):
        bounded = f"<{word}>"
        features = ["w=" + word, f"tox={_bucket(word_toxicity[i])}"]
        for n in (3, 4, 5):
            features.extend("c=" + bounded[j:j + n] for j in range(max(1, len(bounded) - n + 1)))
        before = words[i - 1] if i else "<s>"
        after = words[i + 1] if i + 1 < len(words) else "</s>"
        features += ["p=" + before, "n=" + after, "pw=" + before + "_" + word]
        if first is not None:
            features += [f"s1={_bucket(first[i])}", f"s1p={_bucket(first[i - 1]) if i else -1}",
                         f"s1n={_bucket(first[i + 1]) if i + 1 < len(words) else -1}", f"s1max={_bucket(top)}",
                         f"s1rel={_bucket(first[i] / top) if top else 0}"]
        out.append(features)
    return out


def token_matrix(toks: Tokens, word_toxicity: np.ndarray, first: np.ndarray | None = None) -> sp.csr_matrix:
    """Hashed, binary, l2-normalised feature rows, one per token."""
    X = hash_strings(token_features(toks, word_toxicity, first), N_FEATURES)
    X.data[:] = 1.0
    counts = np.diff(X.indptr)
    norms = np.sqrt(counts).astype(np.float64)
    norms[norms == 0] = 1.0
    X.data /= np.repeat(norms, counts)
    return X


def gold_labels(norm: Normalised, toks: Tokens, gold: set[int]) -> list[int]:
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


def merged_spans(norm: Normalised, toks: Tokens, chosen: np.ndarray) -> list[list[int]]:
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


def build_tagger(seed: int = 1461) -> Pipeline:
    """An unfitted token model."""
    return Pipeline([("model", SGDClassifier(loss="log_loss", alpha=3e-6, max_iter=20, tol=None,
                                             random_state=seed))])


@dataclass
class SpanTagger:
    """The two fitted token models and the cut-offs."""

    first: Pipeline
    second: Pipeline
    threshold: float
    fallback: float

    def probabilities(self, toks: Tokens, word_toxicity: np.ndarray) -> np.ndarray:
        """Probability that raters would mark each token."""
        if not toks:
            return np.zeros(0)
        first = self.first.predict_proba(token_matrix(toks, word_toxicity))[:, 1]
        return self.second.predict_proba(token_matrix(toks, word_toxicity, first))[:, 1]

    def spans(self, norm: Normalised, word_scores: WordScores, *, fallback: bool = True) -> list[list[int]]:
        """Original-text spans to highlight in a prepared text (normalised with offsets)."""
        toks = tokens(norm)
        if not toks:
            return []
        p = self.probabilities(toks, word_scores([t[2] for t in toks]))
        return merged_spans(norm, toks, select(p, self.threshold, self.fallback if fallback else 1.01))


def _fit_out_of_fold(matrices: list[sp.csr_matrix], labels: list[np.ndarray], seed: int) -> np.ndarray:
    """Out-of-fold token probabilities, folds by post."""
    X = sp.vstack(matrices, format="csr")
    y = np.concatenate(labels)
    owner = np.repeat(np.arange(len(matrices)), [m.shape[0] for m in matrices])
    out = np.zeros(len(y))
    for train, test in KFold(FOLDS, shuffle=True, random_state=seed).split(np.arange(len(matrices))):
        in_train, in_test = np.isin(owner, train), np.isin(owner, test)
        out[in_test] = build_tagger(seed).fit(X[in_train], y[in_train]).predict_proba(X[in_test])[:, 1]
    return out


def train_tagger(posts: Sequence[tuple[Normalised, set[int]]], word_scores: WordScores, seed: int = 1461
                 ) -> tuple[SpanTagger, dict]:
    """Fit a tagger on (prepared text with offsets, gold character offsets) posts; return it and its CV figures."""
    per_post = [tokens(norm) for norm, _ in posts]
    vocabulary = sorted({t[2] for toks in per_post for t in toks})
    toxicity = dict(zip(vocabulary, word_scores(vocabulary).tolist(), strict=True)) if vocabulary else {}
    word_tox = [np.array([toxicity[t[2]] for t in toks]) for toks in per_post]
    labels = [np.array(gold_labels(norm, toks, gold), dtype=np.int64)
              for (norm, gold), toks in zip(posts, per_post, strict=True)]
    keep = [k for k, toks in enumerate(per_post) if toks]
    bounds = np.r_[0, np.cumsum([len(per_post[k]) for k in keep])]
    first_matrices = [token_matrix(per_post[k], word_tox[k]) for k in keep]
    first_oof = _fit_out_of_fold(first_matrices, [labels[k] for k in keep], seed)
    second_matrices = [token_matrix(per_post[k], word_tox[k], first_oof[bounds[i]:bounds[i + 1]])
                       for i, k in enumerate(keep)]
    second_oof = _fit_out_of_fold(second_matrices, [labels[k] for k in keep], seed + 1)
    best = (-1.0, 0.5, 0.5)
    for threshold in THRESHOLDS:
        for fallback in FALLBACKS:
            scores = [1.0 if not gold else 0.0 for k, (_, gold) in enumerate(posts) if not per_post[k]]
            for i, k in enumerate(keep):
                norm, gold = posts[k]
                chosen = select(second_oof[bounds[i]:bounds[i + 1]], threshold, fallback)
                predicted = {c for b, e in merged_spans(norm, per_post[k], chosen) for c in range(b, e)}
                scores.append(span_f1(predicted, gold))
            if np.mean(scores) > best[0]:
                best = (float(np.mean(scores)), threshold, fallback)
    y = np.concatenate([labels[k] for k in keep])
    first = build_tagger(seed).fit(sp.vstack(first_matrices, format="csr"), y)
    second = build_tagger(seed + 1).fit(sp.vstack(second_matrices, format="csr"), y)
    tagger = SpanTagger(first, second, threshold=best[1], fallback=best[2])
    metrics = {"validation": f"{FOLDS}-fold by post (stacked: the second model on out-of-fold first-model scores)",
               "posts": len(posts), "tokens": int(len(y)), "marked_tokens": int(y.sum()),
               "span_f1": round(best[0], 4)}
    return tagger, metrics
