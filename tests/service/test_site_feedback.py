"""POST /api/v1/comments/{id}/feedback: a site's own moderators' actions become decisions and labels."""

from __future__ import annotations

from sqlalchemy import select

from service.domain.sites import create_site
from service.storage.models import Comment, Decision, Label, Site, WebhookDelivery


def stored_comment(app, site_name: str = "news", status: str = "held") -> int:
    with app.extensions["db"].session() as session:
        site = session.scalar(select(Site).where(Site.name == site_name))
        comment = Comment(site_id=site.id, thread="https://news.example/a", content="Is this allowed here?",
                          author_name="Sam", status=status, source="api", enqueue_attempts=0)
        session.add(comment)
        session.flush()
        return comment.id


def label_of(app, comment_id: int):
    with app.extensions["db"].session() as session:
        label = session.scalar(select(Label).where(Label.comment_id == comment_id))
        return None if label is None else (label.label_spam, label.label_toxic, label.source)


def test_actions_set_status_labels_and_queue_webhooks(app, client, auth):
    with app.extensions["db"].session() as session:
        session.scalar(select(Site)).webhook_url = "https://news.example/hook"
    comment_id = stored_comment(app)
    url = f"/api/v1/comments/{comment_id}/feedback"
    spam = client.post(url, headers=auth, json={"action": "spam", "actor": "admin"})
    assert spam.status_code == 200
    body = spam.get_json()
    assert (body["status"], body["changed"]) == ("rejected", True)
    assert label_of(app, comment_id) == (1, None, "site")
    again = client.post(url, headers=auth, json={"action": "spam"}).get_json()
    assert (again["changed"], again["decision_id"]) == (False, body["decision_id"])
    assert client.post(url, headers=auth, json={"action": "not_spam"}).get_json()["status"] == "held"
    assert label_of(app, comment_id) == (0, None, "site")
    assert client.post(url, headers=auth, json={"action": "approve"}).get_json()["status"] == "approved"
    assert label_of(app, comment_id) == (0, 0, "site")
    assert client.post(url, headers=auth, json={"action": "trash"}).get_json()["status"] == "rejected"
    assert label_of(app, comment_id) == (0, 0, "site")  # trashing says nothing about spam or toxicity
    with app.extensions["db"].session() as session:
        decisions = session.scalars(select(Decision).where(Decision.comment_id == comment_id)
                                    .order_by(Decision.id)).all()
        assert [(d.kind, d.to_status, d.reason_code, d.actor) for d in decisions] == [
            ("human", "rejected", "spam", "site:news:admin"), ("human", "held", None, "site:news"),
            ("human", "approved", None, "site:news"), ("human", "rejected", "other", "site:news")]
        deliveries = session.scalars(select(WebhookDelivery.decision_id).order_by(WebhookDelivery.id)).all()
        assert deliveries == [d.id for d in decisions]


def test_refuses_bad_bodies_other_sites_and_weaker_keys(app, client, auth):
    comment_id = stored_comment(app)
    url = f"/api/v1/comments/{comment_id}/feedback"
    unknown = client.post(url, headers=auth, json={"action": "delete", "why": "x"})
    assert unknown.status_code == 422
    assert {e["field"] for e in unknown.get_json()["errors"]} == {"action", "why"}
    assert client.post(url, headers=auth, json={"action": "spam", "actor": "a\nb"}).status_code == 422
    with app.extensions["db"].session() as session:
        other = create_site(session, "blog", "https://blog.example").key
        from service.domain.sites import get_site_by_name, issue_key

        publishable = issue_key(session, get_site_by_name(session, "news"), scope="submit").key
    assert client.post(url, headers={"Authorization": f"Bearer {other}"},
                       json={"action": "spam"}).status_code == 404
    assert client.post(url, headers={"Authorization": f"Bearer {publishable}"},
                       json={"action": "spam"}).status_code == 401
    assert client.post(url, json={"action": "spam"}).status_code == 401
    with app.extensions["db"].session() as session:
        assert session.scalar(select(Comment.status).where(Comment.id == comment_id)) == "held"
        assert session.scalar(select(Decision.id)) is None
