"""Explanations: only a head that fires is highlighted, only with what raised its score, in the original text."""

from __future__ import annotations

import json

import pytest

from classifier import CommentInput
from classifier.explain import spans_by_head
from classifier.metadata import METADATA_FEATURES

SPAMMY = "Free followers!! visit http://free-money.xyz/win now"


def test_spans_point_at_the_obfuscated_insult_in_the_original_text(bundle):
    text = "<b>Well</b> &amp; you are an ＩＤ1ＯＴ!!!!"
    explanation = bundle.explain(CommentInput(text), heads=("toxicity",))["toxicity"]
    assert explanation["fired"] and explanation["score"] > 0.5
    assert any("ＩＤ1ＯＴ" in span["text"] for span in explanation["spans"])
    assert all(span["text"] == text[span["begin"]:span["end"]] for span in explanation["spans"])


def test_a_head_that_does_not_fire_highlights_nothing(bundle):
    explanation = bundle.explain(CommentInput("You are a pathetic idiot and nobody likes you"))
    assert explanation["toxicity"]["fired"] and explanation["toxicity"]["spans"]
    assert not explanation["spam"]["fired"]
    assert explanation["spam"]["spans"] == []
    # The same head, asked with a threshold above its score, does not fire either.
    score = explanation["toxicity"]["score"]
    strict = bundle.explain(CommentInput("You are a pathetic idiot and nobody likes you"),
                            thresholds={"toxicity": min(1.0, score + 0.01)})
    assert strict["toxicity"]["spans"] == [] and not strict["toxicity"]["fired"]


def test_spam_spans_are_what_raised_the_spam_score(bundle):
    item = CommentInput(SPAMMY, author_name="Cheap SEO Pro")
    spam = bundle.explain(item, heads=("spam",), top_k=3)["spam"]
    json.dumps(spam)
    assert spam["fired"] and spam["score"] == pytest.approx(bundle.score([item])[0]["spam"], rel=1e-12)
    assert 0 < len(spam["spans"]) <= 3
    assert all(s["score"] > 0 for s in spam["spans"])
    assert all(s["text"] == SPAMMY[s["begin"]:s["end"]] for s in spam["spans"])
    assert any("free-money" in s["text"] for s in spam["spans"])


def test_metadata_features_have_real_values_and_directions(bundle):
    text = "FREE FOLLOWERS visit http://free-money.xyz/win and http://spam-site.com/x"
    features = bundle.explain(CommentInput(text), heads=("spam",))["spam"]["features"]
    by_name = {f["name"]: f for f in features}
    assert set(by_name) <= set(METADATA_FEATURES)
    assert by_name["links"]["value"] == 2.0 and by_name["links"]["direction"] == "up"
    assert by_name["links"]["weight"] > 0
    if "capitals_share" in by_name:
        assert 0.0 <= by_name["capitals_share"]["value"] <= 1.0
    assert all((f["weight"] > 0) == (f["direction"] == "up") for f in features)
    assert [f["weight"] for f in features] == sorted((f["weight"] for f in features), reverse=True)


def test_unknown_heads_are_skipped(bundle):
    assert set(bundle.explain(CommentInput("hi"), heads=("spam", "threat"))) == {"spam"}


def test_spans_by_head_is_the_cli_shape(bundle):
    explanation = bundle.explain(CommentInput(SPAMMY))
    spans = spans_by_head(explanation)
    assert set(spans) == {"spam", "toxicity"}
    assert spans["toxicity"] == []
    assert all(0 <= b < e <= len(SPAMMY) for b, e in spans["spam"]) and spans["spam"]
