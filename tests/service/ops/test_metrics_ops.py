"""Prometheus /metrics and readiness."""

from __future__ import annotations

import re

from prometheus_client.parser import text_string_to_metric_families


def samples(client) -> dict[str, list]:
    response = client.get("/metrics")
    assert response.status_code == 200 and response.mimetype == "text/plain"
    out: dict[str, list] = {}
    for family in text_string_to_metric_families(response.get_data(as_text=True)):
        for sample in family.samples:
            out.setdefault(sample.name, []).append(sample)
    return out


def test_metrics_count_requests_by_route_and_status(client, auth):
    client.post("/api/v1/comments", headers=auth, json={"content": "x"})
    client.get("/api/v1/comments/99999", headers=auth)
    found = samples(client)
    requests = {(s.labels["route"], s.labels["status"]): s.value for s in found["moderato_http_requests_total"]}
    assert requests[("/api/v1/comments", "422")] == 1
    assert requests[("/api/v1/comments/<int:comment_id>", "404")] == 1
    assert any(s.labels["route"] == "/api/v1/comments" for s in found["moderato_http_request_duration_seconds_bucket"])


def test_metrics_report_comments_by_status_and_active_models(client, auth):
    for _ in range(2):
        client.post("/api/v1/comments", headers=auth, json={
            "content": "hi", "author_name": "A", "author_email": "a@example.org", "thread": "https://n.example/t"})
    found = samples(client)
    assert {s.labels["status"]: s.value for s in found["moderato_comments"]} == {
        "pending": 2, "approved": 0, "held": 0, "rejected": 0}
    assert found["moderato_oldest_pending_seconds"][0].value >= 0
    active = found["moderato_active_model_version"]
    assert {s.labels["head"] for s in active} >= {"spam", "toxicity"}


def test_readyz_reports_each_dependency(client):
    body = client.get("/readyz").get_json()
    assert set(body["checks"]) == {"database", "model", "broker"}
    assert body["checks"]["database"] == "ok"
    assert re.match(r"ok: \S+", body["checks"]["model"])


def test_queue_depth_and_intake_backlog_have_values_on_the_embedded_broker(client, auth):
    """The filesystem broker's waiting messages are counted per queue (the one comment's scoring task)."""
    client.post("/api/v1/comments", headers=auth, json={
        "content": "hi", "author_name": "A", "author_email": "a@example.org", "thread": "https://n.example/t"})
    found = samples(client)
    depth = {s.labels["queue"]: s.value for s in found["moderato_queue_depth"]}
    assert depth == {"scoring": 1, "training": 0, "webhooks": 0, "maintenance": 0}
    assert [s.value for s in found["moderato_intake_backlog"]] == [0]


def test_queue_depth_and_intake_backlog_on_redis(tmp_path, redis_url, database_url, model_bundle, model_dir):
    """On Redis: Celery queue lengths, and ids waiting in the intake list for the pump."""
    import redis

    from tests.conftest import make_test_app

    app = make_test_app(database_url, tmp_path / "instance", model_bundle, model_dir, BROKER_URL=redis_url)
    try:
        client = redis.Redis.from_url(redis_url)
        client.lpush("webhooks", "a", "b")
        app.extensions["intake"].push([1, 2, 3])
        found = samples(app.test_client())
        depth = {s.labels["queue"]: s.value for s in found["moderato_queue_depth"]}
        assert depth == {"scoring": 0, "training": 0, "webhooks": 2, "maintenance": 0}
        assert [s.value for s in found["moderato_intake_backlog"]] == [3]
    finally:
        app.extensions["db"].dispose()
