"""The submission API: accepted comments, and a table of bad submissions that store nothing."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from service.storage.models import Comment

GOOD = {
    "content": "Thanks for the clear write-up on the council budget.",
    "author_name": "Ada",
    "author_email": "Ada@Example.com",
    "thread": "https://news.example/2026/budget",
}


def count_comments(app) -> int:
    with app.extensions["db"].session() as session:
        return session.scalar(select(func.count()).select_from(Comment))


def test_valid_json_comment_is_accepted_and_stored(app, client, auth):
    response = client.post("/api/v1/comments", json=GOOD, headers=auth)
    assert response.status_code == 202
    body = response.get_json()
    assert body["status"] == "pending"
    assert response.headers["Location"] == f"/api/v1/comments/{body['id']}"
    assert "author_email" not in body and "ada@" not in response.get_data(as_text=True).lower()
    with app.extensions["db"].session() as session:
        stored = session.get(Comment, body["id"])
        # email-validator's normalised form: the domain is lower-cased, the local part kept.
        assert stored.author_email == "Ada@example.com"
        assert stored.content == GOOD["content"]


def test_form_encoded_comment_is_accepted(app, client, auth):
    response = client.post("/api/v1/comments", data={**GOOD, "author_url": "https://ada.example/"}, headers=auth)
    assert response.status_code == 202, response.get_json()
    assert count_comments(app) == 1


def test_get_returns_decision_fields_but_never_the_email(client, auth):
    created = client.post("/api/v1/comments", json=GOOD, headers=auth).get_json()
    response = client.get(f"/api/v1/comments/{created['id']}", headers=auth)
    assert response.status_code == 200
    body = response.get_json()
    assert set(body) >= {"status", "scores", "reasons", "model_version", "decided_at"}
    assert "example.com" not in response.get_data(as_text=True).lower()


def test_another_sites_comment_is_not_found(app, client, auth):
    from service.domain.sites import create_site

    with app.extensions["db"].session() as session:
        other = create_site(session, "other", "https://other.example").key
    created = client.post("/api/v1/comments", json=GOOD, headers=auth).get_json()
    response = client.get(f"/api/v1/comments/{created['id']}", headers={"Authorization": f"Bearer {other}"})
    assert response.status_code == 404
    assert response.mimetype == "application/problem+json"


def test_parent_must_be_on_the_same_thread(app, client, auth):
    parent = client.post("/api/v1/comments", json=GOOD, headers=auth).get_json()
    reply = client.post("/api/v1/comments", json={**GOOD, "parent_id": parent["id"]}, headers=auth)
    assert reply.status_code == 202
    stray = client.post("/api/v1/comments", json={**GOOD, "thread": "elsewhere", "parent_id": parent["id"]},
                        headers=auth)
    assert stray.status_code == 422
    assert stray.get_json()["errors"][0]["field"] == "parent_id"
    assert count_comments(app) == 2


def _json(**changes):
    body = {**GOOD, **changes}
    return {k: v for k, v in body.items() if v is not _DROP}


_DROP = object()

# (id, kwargs for client.post, expected status, field named in errors (None: any))
BAD = [
    ("email-no-at", {"json": _json(author_email="ada.example.com")}, 422, "author_email"),
    ("email-two-ats", {"json": _json(author_email="ada@@example.com")}, 422, "author_email"),
    ("email-no-domain", {"json": _json(author_email="ada@")}, 422, "author_email"),
    ("email-bad-domain", {"json": _json(author_email="ada@exa mple.com")}, 422, "author_email"),
    ("email-dotdot", {"json": _json(author_email="a..da@example.com")}, 422, "author_email"),
    ("email-missing", {"json": _json(author_email=_DROP)}, 422, "author_email"),
    ("email-not-string", {"json": _json(author_email=42)}, 422, "author_email"),
    ("content-empty", {"json": _json(content="")}, 422, "content"),
    ("content-whitespace", {"json": _json(content="   \n\t ")}, 422, "content"),
    ("content-too-long", {"json": _json(content="x" * 10_001)}, 422, "content"),
    ("content-nul", {"json": _json(content="hello\x00world")}, 422, "content"),
    ("content-lone-surrogate", {"data": json.dumps(_json(content="a")).replace('"a"', '"\\ud800"'),
                                "content_type": "application/json"}, 422, "content"),
    ("content-wrong-type", {"json": _json(content=["a", "list"])}, 422, "content"),
    ("content-missing", {"json": _json(content=_DROP)}, 422, "content"),
    ("name-missing", {"json": _json(author_name=_DROP)}, 422, "author_name"),
    ("name-too-long", {"json": _json(author_name="n" * 101)}, 422, "author_name"),
    ("name-number", {"json": _json(author_name=7)}, 422, "author_name"),
    ("thread-missing", {"json": _json(thread=_DROP)}, 422, "thread"),
    ("url-javascript", {"json": _json(author_url="javascript:alert(1)")}, 422, "author_url"),
    ("url-data", {"json": _json(author_url="data:text/html,<script>alert(1)</script>")}, 422, "author_url"),
    ("url-too-long", {"json": _json(author_url="https://a.example/" + "p" * 2000)}, 422, "author_url"),
    ("url-no-host", {"json": _json(author_url="https://")}, 422, "author_url"),
    ("parent-not-int", {"json": _json(parent_id="abc")}, 422, "parent_id"),
    ("parent-unknown", {"json": _json(parent_id=999999)}, 422, "parent_id"),
    ("ip-invalid", {"json": _json(user_ip="999.1.1.1")}, 422, "user_ip"),
    ("language-invalid", {"json": _json(language="english please")}, 422, "language"),
    ("extra-field", {"json": _json(is_admin=True)}, 422, "is_admin"),
    ("invalid-json", {"data": b'{"content": ', "content_type": "application/json"}, 400, "body"),
    ("json-array", {"data": b"[1, 2]", "content_type": "application/json"}, 400, "body"),
    ("invalid-utf8", {"data": b'{"content": "\xff\xfe"}', "content_type": "application/json"}, 400, "body"),
    ("form-invalid-utf8", {"data": b"content=%ff%fe&author_name=a", "content_type":
                           "application/x-www-form-urlencoded"}, 400, "body"),
    ("duplicate-json-key", {"data": b'{"content": "a", "content": "b"}', "content_type": "application/json"},
     400, "body"),
    ("form-duplicate-field", {"data": "content=a&content=b&author_name=x&author_email=a%40example.com&thread=t",
                              "content_type": "application/x-www-form-urlencoded"}, 422, "content"),
    ("wrong-media-type", {"data": "content=hi", "content_type": "text/plain"}, 415, None),
    ("no-media-type", {"data": b"{}"}, 415, None),
    ("too-large", {"data": b'{"content": "' + b"a" * 70_000 + b'"}', "content_type": "application/json"},
     413, "body"),
]


@pytest.mark.parametrize(("case", "kwargs", "status", "field"), BAD, ids=[b[0] for b in BAD])
def test_bad_submission_is_refused_and_stores_nothing(app, client, auth, case, kwargs, status, field):
    response = client.post("/api/v1/comments", headers=auth, **kwargs)
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/problem+json"
    body = response.get_json()
    assert body["status"] == status and body["title"] and "errors" in body
    if field is not None:
        assert field in [e["field"] for e in body["errors"]], body
        assert all(e["message"] for e in body["errors"])
    assert count_comments(app) == 0


@pytest.mark.parametrize(
    "headers",
    [{}, {"Authorization": "Bearer nope"}, {"Authorization": "Basic abc"}, {"Authorization": "Bearer "}],
    ids=["missing", "unknown", "wrong-scheme", "empty"],
)
def test_missing_or_unknown_key_is_401_and_stores_nothing(app, client, site_key, headers):
    response = client.post("/api/v1/comments", json=GOOD, headers=headers)
    assert response.status_code == 401
    assert response.get_json()["errors"][0]["field"] == "Authorization"
    assert count_comments(app) == 0


def test_publishable_key_may_submit_from_a_form_but_not_read(app, client, site_key):
    from service.domain.sites import get_site_by_name, issue_key

    with app.extensions["db"].session() as session:
        public = issue_key(session, get_site_by_name(session, "news"), scope="submit").key
    posted = client.post("/api/v1/comments", data={**GOOD, "site_key": public})
    assert posted.status_code == 202
    read = client.get(posted.headers["Location"], headers={"Authorization": f"Bearer {public}"})
    assert read.status_code == 401
    full_in_form = client.post("/api/v1/comments", data={**GOOD, "site_key": site_key})
    assert full_in_form.status_code == 401
    assert count_comments(app) == 1
