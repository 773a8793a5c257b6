"""Perspective comments:analyze and comments:suggestscore, with request shapes from Perspective's docs."""

from __future__ import annotations

import pytest
from compat_texts import BLATANT_SPAM, INSULT, ORDINARY, PROFANE
from sqlalchemy import func, select

from service.domain.compat.perspective import _sentence_spans, head_for
from service.storage.models import Comment, Label


def analyze(client, key, body, **params):
    return client.post("/v1alpha1/comments:analyze", query_string={"key": key, **params}, json=body)


def count(app, model) -> int:
    with app.extensions["db"].session() as session:
        return session.scalar(select(func.count()).select_from(model))


def test_analyze_returns_summary_and_sentence_span_scores(client, site_key):
    text = f"{ORDINARY} {INSULT}"
    response = analyze(client, site_key, {
        "comment": {"text": text},
        "languages": ["en"],
        "requestedAttributes": {"TOXICITY": {}, "INSULT": {}, "PROFANITY": {}, "SPAM": {}},
        "spanAnnotations": True,
        "clientToken": "req-1",
    })
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert set(body["attributeScores"]) == {"TOXICITY", "INSULT", "PROFANITY", "SPAM"}
    assert body["languages"] == ["en"] and body["clientToken"] == "req-1"
    toxicity = body["attributeScores"]["TOXICITY"]
    assert toxicity["summaryScore"]["type"] == "PROBABILITY" and toxicity["summaryScore"]["value"] > 0.5
    spans = toxicity["spanScores"]
    assert [text[s["begin"]:s["end"]] for s in spans] == [ORDINARY, INSULT]
    # The insult sentence, not the polite one, carries the toxicity.
    assert spans[1]["score"]["value"] > 0.5 > spans[0]["score"]["value"]
    assert all(s["score"]["type"] == "PROBABILITY" for s in spans)
    assert body["attributeScores"]["SPAM"]["summaryScore"]["value"] < 0.5


def test_spam_attribute_and_whole_text_span_without_annotations(client, site_key):
    body = analyze(client, site_key, {"comment": {"text": BLATANT_SPAM},
                                      "requestedAttributes": {"SPAM": {}, "PROFANITY": {}}}).get_json()
    spam = body["attributeScores"]["SPAM"]
    assert spam["summaryScore"]["value"] > 0.9
    assert spam["spanScores"] == [{"begin": 0, "end": len(BLATANT_SPAM), "score": spam["summaryScore"]}]
    assert body["languages"] == ["en"]


def test_score_threshold_leaves_out_low_attributes(client, site_key):
    body = analyze(client, site_key, {"comment": {"text": PROFANE}, "requestedAttributes": {
        "PROFANITY": {"scoreThreshold": 0.5}, "THREAT": {"scoreThreshold": 0.5}}}).get_json()
    assert set(body["attributeScores"]) == {"PROFANITY"}


@pytest.mark.parametrize("body, field, message", [
    ({"comment": {"text": "hi"}, "requestedAttributes": {"FLIRTATION": {}}},
     "requestedAttributes.FLIRTATION", "Unknown attribute: FLIRTATION"),
    ({"comment": {"text": "bonjour"}, "languages": ["fr"], "requestedAttributes": {"TOXICITY": {}}},
     "languages", "Attribute TOXICITY does not support request languages: fr"),
    ({"comment": {"text": ""}, "requestedAttributes": {"TOXICITY": {}}}, "comment.text", "Comment must be non-empty."),
    ({"comment": {"text": "hi"}, "requestedAttributes": {}}, "requestedAttributes", None),
    ({"comment": {"text": "hi"}, "requestedAttributes": {"TOXICITY": {"scoreType": "STD_DEV_SCORE"}}},
     "requestedAttributes.TOXICITY.scoreType", "Unsupported scoreType: STD_DEV_SCORE"),
    ({"comment": {"text": "hi"}, "requestedAttributes": {"TOXICITY": {}}, "colour": "red"}, "colour", None),
])
def test_unsupported_requests_get_perspective_style_errors(client, site_key, body, field, message):
    response = analyze(client, site_key, body)
    assert response.status_code == 400
    payload = response.get_json()
    assert payload["error"]["code"] == 400 and payload["error"]["status"] == "INVALID_ARGUMENT"
    if message:
        assert payload["error"]["message"] == message
    assert payload["errors"][0]["field"] == field


def test_keys_are_checked_like_google_apis(client, site_key):
    body = {"comment": {"text": "hi"}, "requestedAttributes": {"TOXICITY": {}}}
    missing = client.post("/v1alpha1/comments:analyze", json=body)
    assert missing.status_code == 403 and missing.get_json()["error"]["status"] == "PERMISSION_DENIED"
    wrong = analyze(client, "mod_key_wrong", body)
    assert wrong.status_code == 400 and wrong.get_json()["error"]["message"].startswith("API key not valid")
    header = client.post("/v1alpha1/comments:analyze", json=body, headers={"X-Goog-Api-Key": site_key})
    assert header.status_code == 200


def test_nothing_is_stored_unless_the_site_opts_in(app, client, site_key, configure_site):
    body = {"comment": {"text": INSULT}, "requestedAttributes": {"TOXICITY": {}}, "communityId": "forum-7"}
    analyze(client, site_key, body)
    assert count(app, Comment) == 0
    configure_site(perspective_store_comments=True)
    analyze(client, site_key, {**body, "doNotStore": True})
    assert count(app, Comment) == 0
    analyze(client, site_key, body)
    with app.extensions["db"].session() as session:
        (comment,) = session.scalars(select(Comment))
        assert (comment.status, comment.source, comment.thread) == ("held", "perspective", "forum-7")


def test_suggestscore_becomes_a_label(app, client, site_key):
    response = client.post("/v1alpha1/comments:suggestscore", query_string={"key": site_key}, json={
        "comment": {"text": "You absolute walnut."},
        "attributeScores": {"TOXICITY": {"summaryScore": {"value": 0.9}}, "SPAM": {"summaryScore": {"value": 0}}},
        "clientToken": "t-9", "communityId": "forum-7",
    })
    assert response.status_code == 200 and response.get_json() == {"clientToken": "t-9"}
    with app.extensions["db"].session() as session:
        (label,) = session.scalars(select(Label))
        assert (label.text, label.label_toxic, label.label_spam, label.source) == (
            "You absolute walnut.", 1, 0, "perspective")
        assert label.provenance["suggested"] == {"TOXICITY": 0.9, "SPAM": 0.0}
    bad = client.post("/v1alpha1/comments:suggestscore", query_string={"key": site_key}, json={
        "comment": {"text": "x"}, "attributeScores": {"TOXICITY": {"summaryScore": {"value": 7}}}})
    assert bad.status_code == 400
    assert bad.get_json()["errors"][0]["field"] == "attributeScores.TOXICITY.summaryScore.value"


def test_attributes_without_their_own_head_fall_back_to_toxicity():
    assert head_for("PROFANITY", {"spam": 0.1, "toxicity": 0.2, "obscene": 0.3}) == "obscene"
    assert head_for("PROFANITY", {"spam": 0.1, "toxicity": 0.2}) == "toxicity"
    assert head_for("SPAM", {"spam": 0.1, "toxicity": 0.2}) == "spam"


def test_sentence_spans_cover_each_sentence_without_whitespace():
    text = "First one.  Second one!\nThird"
    assert [text[b:e] for b, e in _sentence_spans(text)] == ["First one.", "Second one!", "Third"]
