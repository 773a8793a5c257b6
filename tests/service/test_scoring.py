"""Scoring a comment records exactly one automatic decision and never overrides a moderator."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from service.domain.scoring import decide_comments
from service.storage.models import Comment, Decision

SPAM = "Cheap meds, no prescription: http://pills.example"


def submit(client, auth, content: str) -> int:
    body = {"content": content, "author_name": "Lee", "author_email": "lee@example.org", "thread": "t1"}
    response = client.post("/api/v1/comments", json=body, headers=auth)
    assert response.status_code == 202
    return response.get_json()["id"]


def decide(app, ids):
    return decide_comments(app.extensions["db"], app.extensions["models"], app.config, ids)


def decisions_for(app, comment_id) -> list[Decision]:
    with app.extensions["db"].session() as session:
        return list(session.scalars(select(Decision).where(Decision.comment_id == comment_id)))


def test_deciding_twice_records_one_automatic_decision(app, client, auth):
    cid = submit(client, auth, SPAM)
    assert decide(app, [cid]) == {"held": 1}
    assert decide(app, [cid]) == {"skipped": 1}
    rows = decisions_for(app, cid)
    assert len(rows) == 1 and rows[0].kind == "automatic" and rows[0].to_status == "held"
    assert rows[0].model_version


def test_unique_index_refuses_a_second_automatic_decision(app, client, auth):
    cid = submit(client, auth, "A fine, ordinary remark about the match.")
    decide(app, [cid])
    with pytest.raises(IntegrityError), app.extensions["db"].session() as session:
        session.add(Decision(comment_id=cid, kind="automatic", actor="system", from_status="pending",
                             to_status="approved", reasons=[]))
        session.flush()


def test_automatic_score_never_overrides_a_moderator(app, client, auth):
    cid = submit(client, auth, SPAM)
    with app.extensions["db"].session() as session:
        comment = session.get(Comment, cid)
        session.add(Decision(comment_id=cid, kind="human", actor="mod@example.org", from_status="pending",
                             to_status="approved", reasons=[]))
        comment.status = "approved"
    assert decide(app, [cid]) == {"skipped": 1}
    with app.extensions["db"].session() as session:
        assert session.get(Comment, cid).status == "approved"
        assert session.scalar(select(func.count()).select_from(Decision)) == 1


def test_held_comment_stores_explanations_with_spans_in_the_original_text(app, client, auth):
    cid = submit(client, auth, SPAM)
    decide(app, [cid])
    with app.extensions["db"].session() as session:
        comment = session.get(Comment, cid)
        spans = comment.explanation["spam"]["spans"]
    assert spans, comment.explanation
    for span in spans:
        assert SPAM[span["begin"]:span["end"]] == span["text"]
