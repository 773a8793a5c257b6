"""Webhooks: signatures, a real worker delivering to a local receiver, backoff to failure, re-send."""

from __future__ import annotations

import http.server
import json
import threading
import time

import pytest
from celery.contrib.testing.worker import start_worker
from sqlalchemy import select

from service.domain import webhooks
from service.storage.models import Comment, Site, User, WebhookDelivery
from tests.conftest import worker_celery

SECRET_HEADER = webhooks.SIGNATURE_HEADER


def test_signature_covers_timestamp_and_body():
    body = b'{"comment_id":1}'
    header = webhooks.signature_header("s3cret", body, timestamp=1_700_000_000)
    assert webhooks.verify_signature("s3cret", header, body, now=1_700_000_010)
    assert not webhooks.verify_signature("s3cret", header, body + b" ", now=1_700_000_010)
    assert not webhooks.verify_signature("other", header, body, now=1_700_000_010)
    # Replayed outside the window: refused even though the HMAC is right.
    assert not webhooks.verify_signature("s3cret", header, body, now=1_700_000_000 + 301)
    forged = header.replace("t=1700000000", "t=1700000100")
    assert not webhooks.verify_signature("s3cret", forged, body, now=1_700_000_100)


def test_backoff_doubles_and_is_capped():
    assert [webhooks.backoff_seconds(n) for n in (1, 2, 3, 4)] == [10, 20, 40, 80]
    assert webhooks.backoff_seconds(30) == webhooks.MAX_BACKOFF_SECONDS


class Receiver:
    """A local HTTP endpoint recording what it is sent and answering with `status`."""

    def __init__(self):
        self.status = 200
        self.received: list[tuple[dict, bytes]] = []
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                outer.received.append((dict(self.headers), body))
                self.send_response(outer.status)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    r = Receiver()
    yield r
    r.close()


def _wait(predicate, timeout=20.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    raise AssertionError("timed out")


@pytest.fixture
def webhook_app(database_url, redis_url, tmp_path):
    from tests.conftest import make_test_app

    app = make_test_app(database_url, tmp_path / "instance", BROKER_URL=redis_url, WEBHOOK_TIMEOUT_SECONDS=5)
    yield app
    app.extensions["db"].dispose()


@pytest.mark.redis
def test_decisions_reach_the_site_signed_and_failures_can_be_resent(webhook_app, receiver, monkeypatch):
    from service.domain.sites import create_site
    from service.domain.users import create_user, issue_token

    monkeypatch.setattr(webhooks, "FIRST_BACKOFF_SECONDS", 0)
    monkeypatch.setattr(webhooks, "MAX_ATTEMPTS", 3)
    database = webhook_app.extensions["db"]
    with database.session() as s:
        site = create_site(s, "news", "https://news.example").site
        secret = webhooks.set_webhook(s, site, receiver.url)
        ids = []
        for text in ("first", "second"):
            comment = Comment(site_id=site.id, thread="https://news.example/a", content=text, author_name="A",
                              status="held")
            s.add(comment)
            s.flush()
            ids.append(comment.id)
        user = create_user(s, "admin@example.org", "correct horse battery", "admin")
        auth = {"Authorization": f"Bearer {issue_token(s, user, 't').secret}"}
    client = webhook_app.test_client()
    with start_worker(worker_celery(webhook_app), pool="solo", perform_ping_check=False,
                      queues=["webhooks"]):
        response = client.post(f"/api/v1/moderation/comments/{ids[0]}/decision", json={"status": "approved"},
                               headers=auth)
        assert response.status_code == 200
        _wait(lambda: len(receiver.received) == 1)
        headers, body = receiver.received[0]
        assert webhooks.verify_signature(secret, headers[SECRET_HEADER], body)
        payload = json.loads(body)
        assert payload["comment_id"] == ids[0] and payload["status"] == "approved"
        assert payload["thread"] == "https://news.example/a" and payload["decided_at"].endswith("Z")
        assert payload["reasons"][0]["source"] == "moderator"

        receiver.status = 500
        client.post(f"/api/v1/moderation/comments/{ids[1]}/decision",
                    json={"status": "rejected", "reason_code": "spam"}, headers=auth)

        def failed():
            with database.session() as s:
                row = s.scalar(select(WebhookDelivery).where(WebhookDelivery.comment_id == ids[1]))
                return row is not None and row.status == "failed"

        _wait(failed)
        assert len(receiver.received) == 4  # one success, then three attempts
        with database.session() as s:
            row = s.scalar(select(WebhookDelivery).where(WebhookDelivery.comment_id == ids[1]))
            assert row.attempts == 3 and "500" in row.last_error
            delivery_id = row.id

        # Admins see the failure and re-send it once the site is fixed.
        receiver.status = 204
        with client.session_transaction() as session:
            session["uid"] = user.id
            session["csrf"] = "t0ken"
        page = client.get("/admin/webhooks")
        assert page.status_code == 200 and f"<td>{delivery_id}</td>" in page.text
        assert client.post(f"/admin/webhooks/{delivery_id}/resend", data={"csrf_token": "t0ken"}).status_code == 302

        def delivered():
            with database.session() as s:
                return s.get(WebhookDelivery, delivery_id).status == "delivered"

        _wait(delivered)
    assert len(receiver.received) == 5


def test_automatic_decisions_queue_a_delivery_that_the_sweep_finds(app, sites):
    from service.domain.policy import Routing
    from service.domain.scoring import record_automatic_decision

    database = app.extensions["db"]
    with database.session() as s:
        site = s.get(Site, sites["news"]["id"])
        webhooks.set_webhook(s, site, "https://news.example/hook")
        comment = Comment(site_id=site.id, thread="t", content="x", author_name="A", status="pending")
        s.add(comment)
        s.flush()
        record_automatic_decision(s, comment, Routing("approved", []), {"spam": 0.1}, None, "v1")
    with database.session() as s:
        row = s.scalar(select(WebhookDelivery))
        assert row.payload["status"] == "approved" and row.payload["kind"] == "automatic"
        assert webhooks.due_ids(s) == [row.id]
        # Claimed by one worker: invisible to the sweep and to a duplicate task until the lease runs out.
        assert webhooks.claim(s, row.id) is not None
        assert webhooks.claim(s, row.id) is None
        assert webhooks.due_ids(s) == []


def test_sites_without_webhook_get_no_deliveries(app, sites, add_comment):
    from service.domain.moderation import decide

    comment_id = add_comment()
    with app.extensions["db"].session() as s:
        user = User(email="x@example.org", password_hash="-", role="admin")
        s.add(user)
        s.flush()
        outcome = decide(s, user, comment_id, "approved")
        assert outcome.delivery_ids == []
        assert s.scalar(select(WebhookDelivery)) is None
