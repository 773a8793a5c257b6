"""Wire-level: POST a comment, a real Celery worker decides it, GET shows the decision.

Runs on PostgreSQL + Redis and on the embedded default (SQLite + kombu's filesystem transport)."""

from __future__ import annotations

import time

import pytest
from celery.contrib.testing.worker import start_worker

from tests.conftest import make_test_app, worker_celery

SPAM = "Cheap meds, no prescription: http://pills.example"
INSULT = "You are a pathetic idiot and everyone here hates you."
ORDINARY = "Good piece on the new bus routes; the Sunday timetable change will help my commute."


def wait_decided(client, auth, comment_id, timeout=20.0) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        body = client.get(f"/api/v1/comments/{comment_id}", headers=auth).get_json()
        if body["status"] != "pending":
            return body
        time.sleep(0.05)
    raise AssertionError(f"comment {comment_id} still pending after {timeout}s")


def post(client, auth, content: str, **extra) -> int:
    response = client.post(
        "/api/v1/comments",
        json={"content": content, "author_name": "Sam", "author_email": "sam@example.org",
              "thread": "https://news.example/a", **extra},
        headers=auth,
    )
    assert response.status_code == 202, response.get_json()
    return response.get_json()["id"]


def run_flow(app) -> None:
    from service.domain.sites import create_site

    with app.extensions["db"].session() as session:
        key = create_site(session, "news", "https://news.example").key
    auth = {"Authorization": f"Bearer {key}"}
    client = app.test_client()
    celery = worker_celery(app)
    with start_worker(celery, pool="solo", perform_ping_check=False, queues=["scoring"]):
        started = time.monotonic()
        ids = {text: post(client, auth, text) for text in (SPAM, INSULT, ORDINARY)}
        decided = {text: wait_decided(client, auth, cid) for text, cid in ids.items()}
        elapsed = time.monotonic() - started
    assert decided[SPAM]["status"] == "held"
    assert any(r["code"] == "spam" for r in decided[SPAM]["reasons"])
    assert decided[INSULT]["status"] == "held"
    assert any(r["code"] == "toxic" for r in decided[INSULT]["reasons"])
    assert decided[ORDINARY]["status"] == "approved"
    for body in decided.values():
        assert body["model_version"] and body["decided_at"]
        assert 0.0 <= body["scores"]["spam"] <= 1.0 and 0.0 <= body["scores"]["toxicity"] <= 1.0
    # Generous: the issue asks for "within a second or two" per comment on a quiet machine.
    assert elapsed < 15


@pytest.mark.postgres
@pytest.mark.redis
def test_comment_is_decided_by_a_real_worker_on_postgres_and_redis(
    pg_database_url, redis_url, tmp_path, model_bundle, model_dir
):
    from tests.conftest import _truncate_pg

    _truncate_pg(pg_database_url)
    app = make_test_app(pg_database_url, tmp_path / "instance", model_bundle, model_dir, BROKER_URL=redis_url)
    try:
        run_flow(app)
    finally:
        app.extensions["db"].dispose()


def test_comment_is_decided_on_the_embedded_default(tmp_path, sqlite_template, model_bundle, model_dir):
    import shutil

    db_path = tmp_path / "moderato.sqlite3"
    shutil.copy(sqlite_template, db_path)
    app = make_test_app(f"sqlite:///{db_path}", tmp_path / "instance", model_bundle, model_dir)
    assert app.config["BROKER_URL"] == "filesystem://"
    try:
        run_flow(app)
    finally:
        app.extensions["db"].dispose()
