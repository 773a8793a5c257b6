"""Obfuscated spellings (look-alike letters, fullwidth, leetspeak, zalgo) score like the plain text."""

from __future__ import annotations

import pytest

from classifier import CommentInput
from classifier.normalise import normalise

PAIRS = [
    ("buy cheap viagra now", "bυy chеap v1agra n0w"),  # Greek upsilon, Cyrillic e, leet
    ("you are an idiot", "уou аrе аn 1d10t"),  # Cyrillic y, a, e; leet
    ("shut up you stupid idiot", "ｓｈｕｔ ｕｐ ｙｏｕ ｓｔｕｐｉｄ ｉｄｉｏｔ"),  # fullwidth
    ("get lost you stupid loser", "g̷e̸t̵ l̶o̴s̷t̸ y̵o̶u̴ s̷t̸u̵p̶i̴d̷ l̸o̵s̶e̴r̷"),  # zalgo
    # zero-width joiners, leet
    ("free bitcoin offer at www.cheap-pills.ru", "fr\u200bee b\u200di7coin 0ffer at www.cheap-pills.ru"),
    ("you are an idiot", "You Are An IDIOT"),
]
# Squashed runs keep two letters, so these normalise close to, not exactly like, the plain text.
STRETCHED = [("you are an idiot", "you are an iiiiiiidiooooot")]


@pytest.mark.parametrize(("plain", "obfuscated"), PAIRS)
def test_obfuscated_text_normalises_like_the_plain_text(plain, obfuscated):
    assert normalise(obfuscated).text == normalise(plain).text


@pytest.mark.parametrize(("plain", "obfuscated"), PAIRS)
def test_obfuscated_text_scores_like_the_plain_text(bundle, plain, obfuscated):
    plain_scores, obfuscated_scores = bundle.score([CommentInput(plain), CommentInput(obfuscated)])
    for head in bundle.heads:
        assert obfuscated_scores[head] == pytest.approx(plain_scores[head], abs=0.1), head
    plain_top = max(plain_scores, key=plain_scores.get)
    assert plain_scores[plain_top] > 0.6
    assert obfuscated_scores[plain_top] > 0.5


@pytest.mark.parametrize(("plain", "stretched"), STRETCHED)
def test_stretched_words_are_still_caught(bundle, plain, stretched):
    plain_score, stretched_score = (s["toxicity"] for s in bundle.score([CommentInput(plain), CommentInput(stretched)]))
    assert plain_score > 0.6
    assert stretched_score > 0.5
