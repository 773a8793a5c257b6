"""A corrupt model file is refused while the previous model keeps serving; webhook receiver down."""

from __future__ import annotations

import http.server
import json
import shutil
import threading
from datetime import UTC, datetime

import pytest
from celery.contrib.testing.worker import start_worker
from sqlalchemy import select

from service.domain.model_versions import activate_version
from service.storage.models import ModelVersion, WebhookDelivery
from tests.conftest import make_test_app, worker_celery
from tests.faults.conftest import free_port
from tests.faults.fault_helpers import make_site, status_counts, submit, wait_until

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.slow]


def register_copy_as(app, model_dir, target, version: str) -> None:
    """Register a copy of the model folder under another version name (as a retrain would)."""
    shutil.copytree(model_dir, target)
    with app.extensions["db"].session() as session:
        for row in session.scalars(select(ModelVersion).where(ModelVersion.state == "active")).all():
            session.add(ModelVersion(version=version, head=row.head, path=str(target), sha256=row.sha256,
                                     state="candidate", metrics={}, thresholds=row.thresholds))


def test_fault_corrupt_model_is_refused_previous_keeps_serving_admin_sees_why(
    pg_url, redis_url, tmp_path, model_bundle, model_dir
):
    app = make_test_app(pg_url, tmp_path / "instance", model_bundle, model_dir, BROKER_URL=redis_url,
                        MODEL_REFRESH_SECONDS=0)
    try:
        auth = make_site(app)
        client = app.test_client()
        with app.app_context():
            good_version = app.extensions["models"].get().version
        corrupt_dir = tmp_path / "models" / "corrupt"
        register_copy_as(app, model_dir, corrupt_dir, "corrupt-1")
        for path in corrupt_dir.glob("*.skops"):
            path.write_bytes(b"\x00not a model" * 100)  # replaced on disk by garbage
        with app.extensions["db"].session() as session:
            activate_version(session, "corrupt-1")

        with start_worker(worker_celery(app), pool="solo", perform_ping_check=False, queues=["scoring"]):
            comment_id = submit(client, auth, 1).get_json()["id"]
            assert wait_until(lambda: status_counts(app).get("pending", 0) == 0, timeout=60)
        body = client.get(f"/api/v1/comments/{comment_id}", headers=auth).get_json()
        assert body["model_version"] == good_version  # the previous model decided it

        with app.extensions["db"].session() as session:
            errors = session.scalars(select(ModelVersion.error).where(ModelVersion.version == "corrupt-1")).all()
        assert errors and all(errors), "the refused version must carry the reason for the admin"
        ready = client.get("/readyz").get_json()
        assert ready["checks"]["model"].startswith(f"ok: {good_version}")
        assert "refused model files" in ready["checks"]["model"]
    finally:
        app.extensions["db"].dispose()


class _Receiver(http.server.BaseHTTPRequestHandler):
    received: list[dict] = []

    def do_POST(self):  # noqa: N802 - http.server's naming
        length = int(self.headers.get("Content-Length", 0))
        type(self).received.append(json.loads(self.rfile.read(length)))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args):
        pass


def test_fault_webhook_receiver_down_retries_with_backoff_and_delivers(
    pg_url, redis_url, tmp_path, model_bundle, model_dir
):
    from worker.webhook_tasks import sweep_webhooks

    port = free_port()  # nothing listens yet: the receiver is down
    app = make_test_app(pg_url, tmp_path / "instance", model_bundle, model_dir, BROKER_URL=redis_url,
                        WEBHOOK_TIMEOUT_SECONDS=2)
    _Receiver.received = []
    server = None
    try:
        auth = make_site(app, webhook_url=f"http://127.0.0.1:{port}/hook", webhook_secret="s3cret")
        client = app.test_client()
        celery = worker_celery(app)
        with start_worker(celery, pool="solo", perform_ping_check=False, queues=["scoring", "webhooks"]):
            comment_id = submit(client, auth, 1).get_json()["id"]
            assert wait_until(lambda: status_counts(app).get("pending", 0) == 0, timeout=60)
            with app.app_context():
                sweep_webhooks.run()

            def failed_once():
                with app.extensions["db"].session() as session:
                    row = session.scalar(select(WebhookDelivery))
                    return row is not None and row.attempts >= 1 and row.last_error is not None

            assert wait_until(failed_once, timeout=30)
            with app.extensions["db"].session() as session:
                row = session.scalar(select(WebhookDelivery))
                assert row.status == "pending"  # kept, not dropped
                wait = (row.next_attempt_at.replace(tzinfo=UTC) - datetime.now(UTC)).total_seconds()
                assert 3 < wait <= 10.5, "the retry waits out a backoff"

            server = http.server.ThreadingHTTPServer(("127.0.0.1", port), _Receiver)
            threading.Thread(target=server.serve_forever, daemon=True).start()

            def delivered():
                with app.extensions["db"].session() as session:
                    return session.scalar(select(WebhookDelivery.status)) == "delivered"

            assert wait_until(delivered, timeout=60)
        assert [p["comment_id"] for p in _Receiver.received] == [comment_id]
        with app.extensions["db"].session() as session:
            assert session.scalar(select(WebhookDelivery.attempts)) >= 2
    finally:
        if server is not None:
            server.shutdown()
            server.server_close()
        app.extensions["db"].dispose()
