"""GDPR export and erase (CLI and admin API) and retention of spam and IPs."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select, update

from service.domain import privacy
from service.domain.labels import record_comment_label
from service.storage.models import Comment, Decision, Label, Site

AUTHOR = "Ana.Author@Example.org"


def submit(client, auth, email=AUTHOR, content="My comment", ip="203.0.113.8") -> int:
    response = client.post("/api/v1/comments", headers=auth, json={
        "content": content, "author_name": "Ana", "author_email": email, "thread": "https://news.example/a",
        "user_ip": ip, "author_url": "https://ana.example"})
    assert response.status_code == 202
    return response.get_json()["id"]


def label(app, comment_id: int) -> None:
    with app.extensions["db"].session() as session:
        comment = session.get(Comment, comment_id)
        record_comment_label(session, comment, label_spam=1, label_toxic=None, source="moderator",
                             provenance={"moderator": "mod@example.org"})


def allow_anonymous_labels(app, allow: bool) -> None:
    with app.extensions["db"].session() as session:
        site = session.scalar(select(Site).where(Site.name == "news"))
        site.settings = {**(site.settings or {}), "keep_anonymous_labels": allow}


def count(app, model) -> int:
    with app.extensions["db"].session() as session:
        return session.scalar(select(func.count()).select_from(model))


def test_cli_export_lists_every_comment_of_the_author(app, client, auth, runner):
    ids = [submit(client, auth), submit(client, auth, content="Second")]
    submit(client, auth, email="someone.else@example.org")
    result = runner.invoke(args=["gdpr", "export", "ana.author@example.org"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert sorted(c["id"] for c in data["comments"]) == ids
    assert {c["user_ip"] for c in data["comments"]} == {"203.0.113.8"}
    assert data["comments"][1]["content"] == "Second"


@pytest.mark.parametrize("keep", [True, False])
def test_cli_erase_removes_content_and_keeps_labels_only_if_the_site_allows(app, client, auth, runner, keep):
    mine = submit(client, auth)
    other = submit(client, auth, email="bob@example.org")
    label(app, mine)
    allow_anonymous_labels(app, keep)
    result = runner.invoke(args=["gdpr", "erase", AUTHOR, "--yes"])
    assert result.exit_code == 0, result.output
    assert "Erased 1 comment(s)" in result.output
    with app.extensions["db"].session() as session:
        assert session.get(Comment, mine) is None
        assert session.get(Comment, other) is not None
        labels = session.scalars(select(Label)).all()
        if keep:
            (kept,) = labels
            assert kept.comment_id is None and kept.author_name is None and kept.author_url is None
            assert "mod@example.org" not in json.dumps(kept.provenance)
            assert kept.text == "My comment" and kept.label_spam == 1
        else:
            assert labels == []
    assert json.loads(runner.invoke(args=["gdpr", "export", AUTHOR]).output)["comments"] == []


def test_cli_rejects_a_malformed_address(runner):
    result = runner.invoke(args=["gdpr", "export", "not-an-email"])
    assert result.exit_code != 0 and "EMAIL" in result.output


def admin_token(app, role="admin") -> dict:
    from service.domain.users import create_user, issue_token

    with app.extensions["db"].session() as session:
        user = create_user(session, f"{role}@example.org", "a long enough password 123", role,
                           [] if role == "admin" else ["news"])
        return {"Authorization": f"Bearer {issue_token(session, user, 'gdpr').secret}"}


def test_admin_api_exports_and_erases(app, client, auth):
    submit(client, auth)
    headers = admin_token(app)
    exported = client.post("/api/v1/admin/gdpr/export", headers=headers, json={"email": AUTHOR})
    assert exported.status_code == 200 and len(exported.get_json()["comments"]) == 1
    erased = client.post("/api/v1/admin/gdpr/erase", headers=headers, json={"email": AUTHOR})
    assert erased.status_code == 200 and erased.get_json()["comments_erased"] == 1
    assert count(app, Comment) == 0


def test_admin_api_refuses_moderators_sites_and_bad_bodies(app, client, auth):
    submit(client, auth)
    assert client.post("/api/v1/admin/gdpr/erase", headers=auth, json={"email": AUTHOR}).status_code == 401
    moderator = admin_token(app, role="moderator")
    assert client.post("/api/v1/admin/gdpr/erase", headers=moderator, json={"email": AUTHOR}).status_code == 403
    admin = admin_token(app)
    bad = client.post("/api/v1/admin/gdpr/erase", headers=admin, json={"email": "nope"})
    assert bad.status_code == 422 and bad.get_json()["errors"][0]["field"] == "email"
    assert count(app, Comment) == 1


def age(app, comment_id: int, days: float, status: str | None = None, kind: str = "automatic",
        reason_code: str | None = None) -> None:
    with app.extensions["db"].session() as session:
        values = {"created_at": datetime.now(UTC) - timedelta(days=days)}
        if status:
            values["status"] = status
            session.add(Decision(comment_id=comment_id, kind=kind, actor="system", from_status="pending",
                                 to_status=status, reason_code=reason_code))
        session.execute(update(Comment).where(Comment.id == comment_id).values(**values))


def test_retention_purges_old_rejected_spam_and_old_ips_only(app, client, auth):
    old_spam = submit(client, auth)
    new_spam = submit(client, auth)
    old_toxic_by_human = submit(client, auth)
    old_approved = submit(client, auth)
    fresh = submit(client, auth)
    age(app, old_spam, 16, "rejected")
    age(app, new_spam, 3, "rejected")
    age(app, old_toxic_by_human, 40, "rejected", kind="human", reason_code="toxic")
    age(app, old_approved, 40, "approved")
    age(app, fresh, 1, "approved")
    with app.extensions["db"].session() as session:
        assert privacy.purge_rejected_spam(session, 15) == 1
        assert privacy.purge_ips(session, 30) == 2
    with app.extensions["db"].session() as session:
        remaining = {c.id: c for c in session.scalars(select(Comment))}
    assert old_spam not in remaining and {new_spam, old_toxic_by_human, old_approved, fresh} <= set(remaining)
    assert remaining[old_approved].user_ip is None and remaining[old_toxic_by_human].user_ip is None
    assert remaining[fresh].user_ip == "203.0.113.8" and remaining[new_spam].user_ip == "203.0.113.8"


def test_retention_task_reads_its_settings(app, client, auth):
    from worker.maintenance_tasks import purge_retention

    spam = submit(client, auth)
    age(app, spam, 6, "rejected")
    app.config["RETENTION_SPAM_DAYS"] = 5
    with app.app_context():
        result = purge_retention.run()
    assert result["spam_deleted"] == 1 and count(app, Comment) == 0
