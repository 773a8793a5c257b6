"""Hostile Unicode through validation and the submission API: a clean 202 or a 4xx naming the field."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from service.domain.errors import ValidationFailed
from service.domain.validation import validate_submission

ZALGO = "Z\u0351\u036b\u0343\u036a\u0302\u036b\u033d\u034f\u0334\u0319\u0324\u031e\u0349\u035a\u032f\u031e\u0320\u034da"
HOSTILE = [
    "nul\x00byte",
    "lone \ud800 surrogate",
    "\u202eevil right-to-left override\u202c",
    "\U0001f600" * 10_000,
    ZALGO * 300,
    "\ufeffzero\u200bwidth\u2060joiner",
    "<script>alert(1)</script>",
    "\u0000" * 5,
    "a\r\nb\tc",
]
hostile_text = st.one_of(st.sampled_from(HOSTILE), st.text(min_size=0, max_size=300),
                         st.text(alphabet=st.characters(codec=None), max_size=200))
BASE = {"content": "ok", "author_name": "Ana", "author_email": "ana@example.org", "thread": "https://x.example/t"}


@given(field=st.sampled_from(["content", "author_name", "thread", "user_agent", "language", "author_url"]),
       value=hostile_text)
@settings(max_examples=300, deadline=None)
def test_validation_accepts_or_names_the_field(field, value):
    try:
        submission = validate_submission({**BASE, field: value})
    except ValidationFailed as exc:
        assert {e.field for e in exc.errors} == {field}
        return
    stored = getattr(submission, field)
    if stored is not None:
        assert "\x00" not in stored
        stored.encode("utf-8")  # never a lone surrogate past validation


@pytest.fixture
def post(client, auth):
    def _post(payload):
        # Raw UTF-8 like a browser sends; lone surrogates only survive as JSON escapes.
        try:
            body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
        except UnicodeEncodeError:
            body = json.dumps(payload).encode("ascii")
        return client.post("/api/v1/comments", data=body, content_type="application/json", headers=auth)
    return _post


@given(value=hostile_text)
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_api_answers_hostile_content_without_5xx(post, value):
    response = post({**BASE, "content": value})
    assert response.status_code in (202, 422), response.get_json()
    if response.status_code == 422:
        assert [e["field"] for e in response.get_json()["errors"]] == ["content"]
    else:
        assert response.get_json()["content"] == value.strip()


@pytest.mark.parametrize("value", HOSTILE, ids=lambda v: repr(v[:12]))
def test_known_hostile_strings_score_within_bounds(model_bundle, value):
    from classifier import CommentInput

    clean = value.encode("utf-8", "replace").decode("utf-8")
    scores = model_bundle.score([CommentInput(text=clean)])[0]
    assert all(0.0 <= p <= 1.0 for p in scores.values())


def test_ten_thousand_emoji_fit_the_content_limit_and_are_accepted(post):
    # 10,000 astral code points are 10,000 characters (and 40,000 bytes, under the 64 KiB body limit).
    assert post({**BASE, "content": "\U0001f600" * 10_000}).status_code == 202
