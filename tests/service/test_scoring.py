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


def test_a_batch_stores_every_decision_whole_and_webhooks_point_at_them(app, client, auth):
    from service.storage.models import Site, WebhookDelivery

    with app.extensions["db"].session() as session:
        site = session.scalar(select(Site).where(Site.name == "news"))
        site.webhook_url = "https://news.example/hook"
    ids = [submit(client, auth, SPAM), submit(client, auth, "A fine, ordinary remark about the match."),
           submit(client, auth, SPAM + " again")]
    outcomes = decide(app, ids)
    assert sum(outcomes.values()) == 3
    with app.extensions["db"].session() as session:
        decisions = {d.comment_id: d for d in session.scalars(select(Decision).where(Decision.comment_id.in_(ids)))}
        deliveries = list(session.scalars(select(WebhookDelivery).where(WebhookDelivery.comment_id.in_(ids))))
        comments = {c.id: c for c in session.scalars(select(Comment).where(Comment.id.in_(ids)))}
    assert set(decisions) == set(ids)
    for cid, decision in decisions.items():
        assert decision.kind == "automatic" and decision.actor == "system" and decision.from_status == "pending"
        assert decision.to_status == comments[cid].status
        assert decision.reasons == comments[cid].reasons  # JSON stored whole, the same as on the comment
        assert decision.spam_score == pytest.approx(comments[cid].spam_score)
        assert decision.model_version == comments[cid].model_version and decision.created_at is not None
    assert {d.comment_id: d.decision_id for d in deliveries} == {cid: decisions[cid].id for cid in ids}
