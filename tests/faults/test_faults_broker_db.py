"""Broker down when a comment arrives; database down."""

from __future__ import annotations

import time

import pytest
import redis
from celery.contrib.testing.worker import start_worker

from service.intake import INTAKE_KEY
from tests.conftest import make_test_app, worker_celery
from tests.faults.conftest import free_port
from tests.faults.fault_helpers import (
    automatic_decisions_per_comment,
    make_site,
    relay_now,
    status_counts,
    submit,
    wait_until,
)

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.slow]


def test_fault_broker_down_comment_accepted_then_relayed_once_broker_is_back(
    pg_url, private_redis, tmp_path, model_bundle, model_dir
):
    # Nothing listens on the private port yet: "the broker is down".
    app = make_test_app(pg_url, tmp_path / "instance", model_bundle, model_dir, BROKER_URL=private_redis.url,
                        RELAY_AFTER_SECONDS=0)
    try:
        auth = make_site(app)
        client = app.test_client()
        started = time.monotonic()
        responses = [submit(client, auth, n) for n in range(3)]
        assert [r.status_code for r in responses] == [202, 202, 202]
        assert time.monotonic() - started < 15, "publishing must fail fast while the broker is down"
        assert status_counts(app) == {"pending": 3}  # committed before the broker was tried

        private_redis.start()  # the broker is back, empty
        assert relay_now(app) == 3
        with start_worker(worker_celery(app), pool="solo", perform_ping_check=False, queues=["scoring"]):
            assert wait_until(lambda: status_counts(app).get("pending", 0) == 0, timeout=60)
        assert sum(status_counts(app).values()) == 3
        assert set(automatic_decisions_per_comment(app).values()) == {1}
    finally:
        app.extensions["db"].dispose()


def test_fault_relay_resends_a_backlog_once_and_again_after_redis_loses_it(
    pg_url, private_redis, tmp_path, model_bundle, model_dir
):
    private_redis.start()
    app = make_test_app(pg_url, tmp_path / "instance", model_bundle, model_dir, BROKER_URL=private_redis.url,
                        RELAY_AFTER_SECONDS=0, RELAY_MARKER_SECONDS=60)
    try:
        auth = make_site(app)
        client = app.test_client()
        assert all(submit(client, auth, n).status_code == 202 for n in range(3))
        queue = redis.Redis.from_url(private_redis.url)
        assert queue.llen(INTAKE_KEY) == 3
        # No worker: the comments stay pending. The relay re-sends them once, not on every tick.
        assert relay_now(app) == 3
        assert relay_now(app) == 0
        assert queue.llen(INTAKE_KEY) == 6
        queue.close()

        private_redis.stop()  # restarted without persistence: messages and the relay's marks are gone
        private_redis.start()
        assert relay_now(app) == 3
        with start_worker(worker_celery(app), pool="solo", perform_ping_check=False, queues=["scoring"]):
            assert wait_until(lambda: status_counts(app).get("pending", 0) == 0, timeout=60)
        assert automatic_decisions_per_comment(app) and set(automatic_decisions_per_comment(app).values()) == {1}
    finally:
        app.extensions["db"].dispose()


def test_fault_database_down_is_503_with_retry_after_and_nothing_enqueued(tmp_path, redis_url):
    dead = f"postgresql://postgres@127.0.0.1:{free_port()}/moderato"
    app = make_test_app(dead, tmp_path / "instance", BROKER_URL=redis_url, REDIS_URL=redis_url)
    client = app.test_client()
    response = client.post("/api/v1/comments", headers={"Authorization": "Bearer mod_key_whatever"}, json={
        "content": "hi", "author_name": "A", "author_email": "a@example.org", "thread": "https://n.example/t"})
    assert response.status_code == 503
    assert response.mimetype == "application/problem+json"
    assert int(response.headers["Retry-After"]) > 0
    assert redis.Redis.from_url(redis_url).llen(INTAKE_KEY) == 0  # nothing half-done reached the queue
    ready = client.get("/readyz")
    assert ready.status_code == 503 and ready.get_json()["checks"]["database"].startswith("error")
    app.extensions["db"].dispose()


def test_fault_database_failure_mid_request_leaves_no_comment_or_key(pg_url, tmp_path, redis_url, monkeypatch):
    # The comment insert succeeds, then the idempotency record fails: the whole transaction rolls back.
    from sqlalchemy import func, select
    from sqlalchemy.exc import OperationalError

    from service.http import idempotency
    from service.storage.models import Comment, IdempotencyKey

    app = make_test_app(pg_url, tmp_path / "instance", BROKER_URL=redis_url)
    auth = make_site(app)

    def broken_remember(*args, **kwargs):
        raise OperationalError("INSERT", {}, ConnectionError("server closed the connection"))

    monkeypatch.setattr(idempotency, "remember", broken_remember)
    response = app.test_client().post("/api/v1/comments", headers={**auth, "Idempotency-Key": "k"}, json={
        "content": "hi", "author_name": "A", "author_email": "a@example.org", "thread": "https://n.example/t"})
    assert response.status_code == 503 and "Retry-After" in response.headers
    with app.extensions["db"].session() as session:
        assert session.scalar(select(func.count()).select_from(Comment)) == 0
        assert session.scalar(select(func.count()).select_from(IdempotencyKey)) == 0
    assert redis.Redis.from_url(redis_url).llen(INTAKE_KEY) == 0
    app.extensions["db"].dispose()
