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


def test_fault_unscorable_comment_is_held_alone_and_its_batch_is_decided(app, client, auth, monkeypatch):
    from service.domain import scoring
    from service.domain.scoring import decide_isolating_failures

    poison = "a comment that trips a bug in scoring"
    ids = [submit(client, auth, f"An ordinary remark number {n}.") for n in range(3)]
    ids.insert(2, submit(client, auth, poison))
    real_input = scoring.comment_input

    def tripping_input(comment):
        if comment.content == poison:
            raise ValueError("bug")
        return real_input(comment)

    monkeypatch.setattr(scoring, "comment_input", tripping_input)
    outcomes = decide_isolating_failures(app.extensions["db"], app.extensions["models"], app.config, ids)
    assert sum(outcomes.values()) == 4 and outcomes["held"] >= 1
    with app.extensions["db"].session() as session:
        statuses = {c.id: c for c in session.scalars(select(Comment).where(Comment.id.in_(ids)))}
    held = statuses[ids[2]]
    assert held.status == "held" and held.reasons[0]["code"] == "scoring_failed"
    assert all(statuses[i].status != "pending" and statuses[i].model_version for i in ids if i != ids[2])
    assert [d.to_status for d in decisions_for(app, ids[2])] == ["held"]
    # Sent again (redelivery, relay): nothing is decided twice.
    assert decide_isolating_failures(app.extensions["db"], app.extensions["models"], app.config, ids) == {
        "skipped": 4}


def test_a_transient_failure_is_not_mistaken_for_an_unscorable_comment(app, client, auth, monkeypatch):
    from sqlalchemy.exc import OperationalError

    from service.domain import scoring
    from service.domain.scoring import decide_isolating_failures

    cid = submit(client, auth, "An ordinary remark.")

    def database_down(*_args, **_kwargs):
        raise OperationalError("SELECT", None, Exception("down"))

    monkeypatch.setattr(scoring, "_decide_batch", database_down)
    with pytest.raises(OperationalError):
        decide_isolating_failures(app.extensions["db"], app.extensions["models"], app.config, [cid])
    assert decisions_for(app, cid) == []
