"""Coral's external moderation phase: signed requests shaped as Coral's docs describe."""

from __future__ import annotations

import hashlib
import hmac
import json

import pytest
from compat_texts import BLATANT_SPAM, INSULT, ORDINARY
from sqlalchemy import func, select

from service.domain.compat.coral import signature_valid
from service.storage.models import Comment

SECRET = "phsec_0f3b9c1d2e4a5b6c7d8e9f00112233445566778899aabbcc"
URL = "/coral/sites/news/moderation-phase"


def coral_request(text: str, role: str = "COMMENTER") -> bytes:
    """A request body as Coral serialises it (JSON.stringify(data, null, 2))."""
    return json.dumps({
        "action": "NEW",
        "comment": {"body": f"<p>{text}</p>", "parentID": None},
        "author": {"id": "baf4e943-3594-4fcc-b2ba-3e8de7a76352", "role": role},
        "story": {"id": "245b3856-b0a0-4d2f-a6bb-58c71f18d6a6", "url": "https://news.example/posts/a-story/"},
        "site": {"id": "a4bede88-2d2c-4424-bc18-4322a9e285a6"},
        "tenantID": "19ba5794-7eeb-4d46-a81b-c00c61672501",
        "tenantDomain": "news.example",
    }, indent=2).encode()


def sign(body: bytes, secret: str = SECRET) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def post(client, body: bytes, signature: str | None, url: str = URL):
    headers = {"Content-Type": "application/json"}
    if signature is not None:
        headers["X-Coral-Signature"] = signature
    return client.post(url, data=body, headers=headers)


@pytest.fixture
def coral_site(configure_site):
    configure_site(coral_signing_secret=SECRET)


def test_signed_spam_is_withheld_and_flagged(client, coral_site):
    body = coral_request(BLATANT_SPAM)
    response = post(client, body, sign(body))
    assert response.status_code == 200
    # Coral validates the response strictly: these three keys and nothing else.
    assert response.get_json() == {
        "status": "SYSTEM_WITHHELD",
        "actions": [{"actionType": "FLAG", "reason": "COMMENT_DETECTED_SPAM"}],
        "tags": [],
    }


def test_toxic_comment_is_flagged_toxic_and_auto_reject_rejects_spam(client, coral_site, configure_site):
    body = coral_request(INSULT)
    assert post(client, body, sign(body)).get_json()["actions"] == [
        {"actionType": "FLAG", "reason": "COMMENT_DETECTED_TOXIC"}]
    configure_site(auto_reject=True)
    body = coral_request(BLATANT_SPAM)
    assert post(client, body, sign(body)).get_json()["status"] == "REJECTED"


def test_ordinary_and_staff_comments_get_no_opinion(app, client, coral_site):
    body = coral_request(ORDINARY)
    response = post(client, body, sign(body))
    assert response.status_code == 204 and response.get_data() == b""
    staff = coral_request(BLATANT_SPAM, role="STAFF")
    assert post(client, staff, sign(staff)).status_code == 204
    with app.extensions["db"].session() as session:
        assert session.scalar(select(func.count()).select_from(Comment)) == 0


def test_unsigned_or_badly_signed_requests_are_refused(client, coral_site):
    body = coral_request(BLATANT_SPAM)
    assert post(client, body, None).status_code == 401
    assert post(client, body, sign(body, "another-secret")).status_code == 401
    assert post(client, body, sign(coral_request(ORDINARY))).status_code == 401
    assert post(client, body, "sha256=").status_code == 401
    assert post(client, body, sign(body), url="/coral/sites/nope/moderation-phase").status_code == 401
    refused = post(client, body, "garbage")
    assert refused.status_code == 401 and refused.mimetype == "application/problem+json"


def test_site_without_a_secret_refuses_everything(client, site_key):
    body = coral_request(BLATANT_SPAM)
    assert post(client, body, sign(body)).status_code == 401


def test_signed_but_malformed_requests_name_the_field(client, coral_site):
    body = json.dumps({"action": "DELETE", "comment": {"parentID": None}}).encode()
    response = post(client, body, sign(body))
    assert response.status_code == 422
    assert {e["field"] for e in response.get_json()["errors"]} == {"action", "comment.body"}
    broken = b'{"action": "NEW",'
    assert post(client, broken, sign(broken)).status_code == 400


def test_stored_when_the_site_opts_in(app, client, coral_site, configure_site):
    configure_site(coral_store_comments=True)
    body = coral_request(INSULT)
    post(client, body, sign(body))
    with app.extensions["db"].session() as session:
        (comment,) = session.scalars(select(Comment))
        assert (comment.status, comment.source, comment.thread) == (
            "held", "coral", "https://news.example/posts/a-story/")


def test_signature_formats():
    body = b'{"action": "NEW"}'
    mac = hmac.new(b"s3cret", body, hashlib.sha256).hexdigest()
    old = hmac.new(b"old-secret", body, hashlib.sha256).hexdigest()
    assert signature_valid("s3cret", body, f"sha256={mac}")
    assert signature_valid("s3cret", body, f"sha256={old},sha256={mac}")  # during a secret rotation
    assert not signature_valid("s3cret", body, f"sha256={old}")
    assert not signature_valid("s3cret", body + b" ", f"sha256={mac}")
    stamped = hmac.new(b"s3cret", b"1700000000." + body, hashlib.sha256).hexdigest()
    assert signature_valid("s3cret", body, f"t=1700000000,v1={stamped}", now=1700000100)
    assert signature_valid("s3cret", body, f"t=1700000000,sig={stamped}", now=1700000100)
    assert not signature_valid("s3cret", body, f"t=1700000000,v1={stamped}", now=1700001000)  # stale
    assert not signature_valid("s3cret", body, f"t=1700000001,v1={stamped}", now=1700000100)
    assert not signature_valid("s3cret", body, f"v1={stamped}", now=1700000100)
    assert not signature_valid("s3cret", body, "")
