"""Explanations point at the right spans of the original text."""

from __future__ import annotations

import json

from classifier import CommentInput


def test_spans_point_at_the_obfuscated_insult_in_the_original_text(bundle):
    text = "<b>Well</b> &amp; you are an ＩＤ1ＯＴ!!!!"
    explanation = bundle.explain(CommentInput(text), heads=("toxicity",))["toxicity"]
    top = explanation["spans"][0]
    assert top["text"] == text[top["begin"]:top["end"]]
    assert "ＩＤ1ＯＴ" in top["text"]
    assert explanation["score"] > 0.5


def test_spam_explanation_names_links_and_metadata(bundle):
    text = "Free followers!! visit http://free-money.xyz/win now"
    item = CommentInput(text, author_name="Cheap SEO Pro")
    explanation = bundle.explain(item, heads=("spam",), top_k=3)
    json.dumps(explanation)
    spam = explanation["spam"]
    assert len(spam["spans"]) <= 3
    assert all(s["score"] > 0 for s in spam["spans"])
    assert all(s["text"] == text[s["begin"]:s["end"]] for s in spam["spans"])
    names = {f["name"] for f in spam["features"]}
    assert names <= {"links", "link_domains", "author_name_spam_keyword", "length", "repeated_punctuation",
                     "capitals_share", "author_name_has_url", "emails_in_text", "long_digit_runs", "currency_signs",
                     "author_url", "author_url_matches_link", "disposable_email"}
    assert spam["score"] == bundle.score([item])[0]["spam"]


def test_unknown_heads_are_skipped(bundle):
    assert set(bundle.explain(CommentInput("hi"), heads=("spam", "threat"))) == {"spam"}
