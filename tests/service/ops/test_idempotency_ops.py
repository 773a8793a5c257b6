"""Idempotency-Key: a retry within 24 hours returns the first response and stores nothing new."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select, update

from service.storage.models import Comment, IdempotencyKey

BODY = {"content": "First!", "author_name": "Ana", "author_email": "ana@example.org",
        "thread": "https://news.example/a"}


def count_comments(app) -> int:
    with app.extensions["db"].session() as session:
        return session.scalar(select(func.count()).select_from(Comment))


def test_retry_with_the_same_key_replays_the_first_response(app, client, auth):
    headers = {**auth, "Idempotency-Key": "order-42"}
    first = client.post("/api/v1/comments", json=BODY, headers=headers)
    second = client.post("/api/v1/comments", json=BODY, headers=headers)
    assert first.status_code == second.status_code == 202
    assert second.get_json() == first.get_json()
    assert second.headers["Location"] == first.headers["Location"]
    assert second.headers.get("Idempotent-Replayed") == "true"
    assert count_comments(app) == 1


def test_without_a_key_each_post_is_a_new_comment(app, client, auth):
    client.post("/api/v1/comments", json=BODY, headers=auth)
    client.post("/api/v1/comments", json=BODY, headers=auth)
    assert count_comments(app) == 2


def test_same_key_with_another_body_is_a_conflict_and_stores_nothing(app, client, auth):
    headers = {**auth, "Idempotency-Key": "k1"}
    assert client.post("/api/v1/comments", json=BODY, headers=headers).status_code == 202
    other = client.post("/api/v1/comments", json={**BODY, "content": "Edited"}, headers=headers)
    assert other.status_code == 409
    assert other.mimetype == "application/problem+json"
    assert count_comments(app) == 1


def test_a_key_older_than_24_hours_no_longer_replays(app, client, auth):
    headers = {**auth, "Idempotency-Key": "old"}
    client.post("/api/v1/comments", json=BODY, headers=headers)
    with app.extensions["db"].session() as session:
        session.execute(update(IdempotencyKey).values(created_at=datetime.now(UTC) - timedelta(hours=25)))
    again = client.post("/api/v1/comments", json=BODY, headers=headers)
    assert again.status_code == 202 and "Idempotent-Replayed" not in again.headers
    assert count_comments(app) == 2


def test_keys_are_per_site(app, client, auth):
    from service.domain.sites import create_site

    with app.extensions["db"].session() as session:
        other_key = create_site(session, "blog", "https://blog.example").key
    client.post("/api/v1/comments", json=BODY, headers={**auth, "Idempotency-Key": "shared"})
    other = client.post("/api/v1/comments", json=BODY,
                        headers={"Authorization": f"Bearer {other_key}", "Idempotency-Key": "shared"})
    assert other.status_code == 202 and "Idempotent-Replayed" not in other.headers
    assert count_comments(app) == 2


def test_a_malformed_key_is_refused_naming_the_header(app, client, auth):
    response = client.post("/api/v1/comments", json=BODY, headers={**auth, "Idempotency-Key": "x" * 300})
    assert response.status_code == 400
    assert response.get_json()["errors"][0]["field"] == "Idempotency-Key"
    assert count_comments(app) == 0


def test_an_invalid_submission_is_not_remembered(app, client, auth):
    headers = {**auth, "Idempotency-Key": "retry-after-fix"}
    bad = client.post("/api/v1/comments", json={**BODY, "author_email": "nope"}, headers=headers)
    assert bad.status_code == 422
    good = client.post("/api/v1/comments", json={**BODY, "author_email": "nope@example.org"}, headers=headers)
    assert good.status_code == 202
    assert count_comments(app) == 1
