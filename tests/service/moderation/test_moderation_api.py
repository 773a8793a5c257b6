"""The moderation JSON API (personal tokens) and the decisions feed (site keys)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from service.domain.users import issue_token
from service.storage.models import Comment, Label, User


@pytest.fixture
def token(app, make_user):
    """A personal API token of a moderator of `news` only."""
    make_user("mod@example.org", "moderator", ("news",))
    with app.extensions["db"].session() as s:
        user = s.scalar(select(User).where(User.email == "mod@example.org"))
        return {"Authorization": f"Bearer {issue_token(s, user, 'cli').secret}"}


def test_api_needs_a_personal_token(client, token, add_comment):
    comment_id = add_comment()
    for response in (client.get("/api/v1/moderation/comments"),
                     client.post(f"/api/v1/moderation/comments/{comment_id}/decision", json={"status": "approved"}),
                     client.get("/api/v1/moderation/comments", headers={"Authorization": "Bearer mod_tok_nope"})):
        assert response.status_code == 401
        assert response.mimetype == "application/problem+json"
        assert response.get_json()["errors"][0]["field"] == "Authorization"


def test_site_keys_are_not_moderation_tokens(client, sites, token):
    response = client.get("/api/v1/moderation/comments", headers={"Authorization": f"Bearer {sites['news']['key']}"})
    assert response.status_code == 401


def test_moderator_of_one_site_gets_404_for_another(client, token, add_comment):
    theirs = add_comment("blog")
    assert client.get(f"/api/v1/moderation/comments/{theirs}", headers=token).status_code == 404
    response = client.post(f"/api/v1/moderation/comments/{theirs}/decision", json={"status": "approved"},
                           headers=token)
    assert response.status_code == 404
    assert client.post("/api/v1/moderation/bulk", json={"ids": [theirs], "status": "approved"},
                       headers=token).status_code == 404
    assert client.get("/api/v1/moderation/sites/blog/settings", headers=token).status_code == 404
    listed = client.get("/api/v1/moderation/comments?queue=all", headers=token).get_json()
    assert listed["total"] == 0


def test_list_decide_and_history(app, client, token, add_comment):
    comment_id = add_comment(content="is this spam?", spam_score=0.7, user_ip="192.0.2.7")
    body = client.get("/api/v1/moderation/comments?queue=held", headers=token).get_json()
    assert body["total"] == 1
    item = body["items"][0]
    assert item["author_email_masked"] == "a***@example.org" and "author_email" not in item
    assert item["site"] == "news" and item["user_ip"] == "192.0.2.7"
    response = client.post(f"/api/v1/moderation/comments/{comment_id}/decision",
                           json={"status": "rejected", "reason_code": "spam"}, headers=token)
    assert response.status_code == 200
    decision = response.get_json()["decisions"][0]
    assert (decision["from_status"], decision["to_status"], decision["reason_code"]) == ("held", "rejected", "spam")
    again = client.post(f"/api/v1/moderation/comments/{comment_id}/decision",
                        json={"status": "rejected", "reason_code": "spam"}, headers=token)
    assert again.status_code == 409
    detail = client.get(f"/api/v1/moderation/comments/{comment_id}", headers=token).get_json()
    assert [d["to_status"] for d in detail["history"]] == ["rejected"]
    counts = client.get("/api/v1/moderation/counts", headers=token).get_json()
    assert counts["queues"]["rejected"] == 1 and counts["sites"] == {"news": {"rejected": 1}}


@pytest.mark.parametrize(("body", "field"), [
    ({"status": "deleted"}, "status"),
    ({"status": "rejected", "reason_code": "rude"}, "reason_code"),
    ({"status": "approved", "reason_code": "spam"}, "reason_code"),
    ({"status": "approved", "colour": "red"}, "colour"),
    ({"status": "approved", "note": "undo:1"}, "note"),
])
def test_bad_decisions_name_the_field(client, token, add_comment, body, field):
    comment_id = add_comment()
    response = client.post(f"/api/v1/moderation/comments/{comment_id}/decision", json=body, headers=token)
    assert response.status_code == 422
    assert field in [e["field"] for e in response.get_json()["errors"]]


def test_malformed_json_is_a_problem(client, token, add_comment):
    comment_id = add_comment()
    response = client.post(f"/api/v1/moderation/comments/{comment_id}/decision", data="{nope",
                           content_type="application/json", headers=token)
    assert response.status_code == 400 and response.get_json()["errors"][0]["field"] == "body"
    response = client.post("/api/v1/moderation/bulk", json={"ids": "1,2", "status": "approved"}, headers=token)
    assert response.status_code == 422 and response.get_json()["errors"][0]["field"] == "ids"
    assert client.get("/api/v1/moderation/comments?min_score=2", headers=token).get_json()["errors"][0][
        "field"] == "min_score"


def test_bulk_then_undo_restores_and_corrects_labels(app, client, token, add_comment):
    ids = [add_comment(content=f"c{i}") for i in range(3)]
    response = client.post("/api/v1/moderation/bulk", json={"ids": ids, "status": "approved"}, headers=token)
    assert len(response.get_json()["decisions"]) == 3
    assert client.post("/api/v1/moderation/bulk", json={"ids": ids, "status": "approved"},
                       headers=token).get_json()["skipped"] == ids
    undone = client.post("/api/v1/moderation/undo", headers=token).get_json()["decisions"][0]
    assert undone["comment_id"] == ids[2] and undone["to_status"] == "held"
    with app.extensions["db"].session() as s:
        assert [s.get(Comment, i).status for i in ids] == ["approved", "approved", "held"]
        assert s.scalar(select(Label).where(Label.comment_id == ids[2])) is None
        assert s.scalar(select(Label).where(Label.comment_id == ids[0])).label_spam == 0


def test_decisions_feed_pages_with_a_cursor(client, sites, token, add_comment):
    site_auth = {"Authorization": f"Bearer {sites['news']['key']}"}
    ids = [add_comment(content=f"c{i}") for i in range(3)]
    other = add_comment("blog")
    for comment_id in ids:
        client.post(f"/api/v1/moderation/comments/{comment_id}/decision", json={"status": "approved"},
                    headers=token)
    first = client.get("/api/v1/decisions?limit=2", headers=site_auth).get_json()
    assert [d["comment_id"] for d in first["decisions"]] == ids[:2]
    assert first["decisions"][0]["status"] == "approved" and "actor" not in first["decisions"][0]
    second = client.get(f"/api/v1/decisions?since={first['next_cursor']}", headers=site_auth).get_json()
    assert [d["comment_id"] for d in second["decisions"]] == ids[2:]
    empty = client.get(f"/api/v1/decisions?since={second['next_cursor']}", headers=site_auth).get_json()
    assert empty["decisions"] == [] and empty["next_cursor"] == second["next_cursor"]
    assert other not in [d["comment_id"] for d in first["decisions"] + second["decisions"]]
    bad = client.get("/api/v1/decisions?since=garbage!", headers=site_auth)
    assert bad.status_code == 422 and bad.get_json()["errors"][0]["field"] == "since"
    assert client.get("/api/v1/decisions").status_code == 401
    assert client.get("/api/v1/decisions", headers=token).status_code == 401


def test_settings_api_validates_and_only_admins_write(app, client, token, make_user):
    assert client.get("/api/v1/moderation/sites/news/settings", headers=token).get_json()["settings"] == {}
    forbidden = client.put("/api/v1/moderation/sites/news/settings", json={"max_links": 2}, headers=token)
    assert forbidden.status_code == 403
    make_user("admin@example.org", "admin")
    with app.extensions["db"].session() as s:
        admin = s.scalar(select(User).where(User.email == "admin@example.org"))
        admin_auth = {"Authorization": f"Bearer {issue_token(s, admin, 'ops').secret}"}
    bad = client.put("/api/v1/moderation/sites/news/settings",
                     json={"max_links": "x", "blocked_words": [1], "spam_hold_threshold": 3, "colour": 1},
                     headers=admin_auth)
    assert bad.status_code == 422
    assert {e["field"] for e in bad.get_json()["errors"]} == {"max_links", "blocked_words", "spam_hold_threshold",
                                                               "colour"}
    ok = client.put("/api/v1/moderation/sites/news/settings",
                    json={"max_links": 3, "moderation_words": ["press"]}, headers=admin_auth)
    assert ok.status_code == 200 and ok.get_json()["settings"] == {"max_links": 3, "moderation_words": ["press"]}


def test_revoked_token_stops_working(app, client, token):
    from service.domain.users import list_tokens, revoke_token

    assert client.get("/api/v1/moderation/counts", headers=token).status_code == 200
    with app.extensions["db"].session() as s:
        user = s.scalar(select(User).where(User.email == "mod@example.org"))
        revoke_token(s, user, list_tokens(s, user)[0].id)
    assert client.get("/api/v1/moderation/counts", headers=token).status_code == 401


def test_ban_and_trust_authors_through_the_api(app, client, token, add_comment):
    from service.storage.models import AuthorStanding

    mine, theirs = add_comment(email="eve@example.org"), add_comment("blog", email="eve@example.org")
    response = client.put(f"/api/v1/moderation/comments/{mine}/author", json={"standing": "banned"}, headers=token)
    assert response.status_code == 200 and response.get_json()["standing"] == "banned"
    assert client.get(f"/api/v1/moderation/comments/{mine}", headers=token).get_json()["author_standing"] == "banned"
    assert client.put(f"/api/v1/moderation/comments/{theirs}/author", json={"standing": "trusted"},
                      headers=token).status_code == 404
    bad = client.put(f"/api/v1/moderation/comments/{mine}/author", json={"standing": "loved"}, headers=token)
    assert bad.status_code == 422 and bad.get_json()["errors"][0]["field"] == "standing"
    client.put(f"/api/v1/moderation/comments/{mine}/author", json={"standing": "none"}, headers=token)
    with app.extensions["db"].session() as s:
        assert s.scalar(select(AuthorStanding)) is None


TOXIC = {"code": "toxic", "source": "model", "score": 0.91, "threshold": 0.5, "detail": "toxicity"}
SPAM = {"code": "spam", "source": "model", "score": 0.62, "threshold": 0.5, "detail": "spam"}


def test_a_reject_without_a_reason_takes_the_one_the_hold_reason_suggests(app, client, token, add_comment):
    """Held as toxic, rejected as toxic: the label must not teach the spam model that an insult is spam."""
    toxic = add_comment(content="You are an idiot", reasons=[TOXIC], toxicity_score=0.91, spam_score=0.1)
    both = add_comment(content="idiot, buy pills", reasons=[SPAM, TOXIC], toxicity_score=0.91, spam_score=0.62)
    spam = add_comment(content="cheap pills", reasons=[SPAM], spam_score=0.62)
    premod = add_comment(content="first!", reasons=[{"code": "premoderation", "source": "rule"}])
    listed = client.get("/api/v1/moderation/comments?queue=held", headers=token).get_json()["items"]
    defaults = {item["id"]: item["default_reason_code"] for item in listed}
    assert defaults == {toxic: "toxic", both: "toxic", spam: "spam", premod: "other"}

    response = client.post(f"/api/v1/moderation/comments/{toxic}/decision", json={"status": "rejected"},
                           headers=token)
    assert response.status_code == 200 and response.get_json()["decisions"][0]["reason_code"] == "toxic"
    with app.extensions["db"].session() as s:
        label = s.scalar(select(Label).where(Label.comment_id == toxic))
        assert (label.label_spam, label.label_toxic) == (None, 1)
    bulk = client.post("/api/v1/moderation/bulk", json={"ids": [both, spam, premod], "status": "rejected"},
                       headers=token).get_json()
    assert {d["comment_id"]: d["reason_code"] for d in bulk["decisions"]} == {
        both: "toxic", spam: "spam", premod: "other"}
    # An explicit reason still wins over the suggestion.
    spam_too = add_comment(content="more pills", reasons=[TOXIC])
    decided = client.post(f"/api/v1/moderation/comments/{spam_too}/decision",
                          json={"status": "rejected", "reason_code": "spam"}, headers=token).get_json()
    assert decided["decisions"][0]["reason_code"] == "spam"
