"""Telling a site about decisions: signed webhook deliveries with backoff, claimed so none is sent twice
at once, and failures an admin can re-send."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import urllib.request
from datetime import UTC, datetime, timedelta

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from service.domain.errors import Conflict, FieldError, NotFound, ValidationFailed
from service.domain.secrets import new_token
from service.storage.models import Comment, Decision, Site, WebhookDelivery

SIGNATURE_HEADER = "Moderato-Signature"
MAX_ATTEMPTS = 8
FIRST_BACKOFF_SECONDS = 10
MAX_BACKOFF_SECONDS = 3600
# A claimed delivery is someone's for this long; if its worker died, the sweep picks it up afterwards.
LEASE_SECONDS = 120
# Receivers should refuse signatures older than this (documented in docs/api.md under "Telling your site: webhooks").
REPLAY_WINDOW_SECONDS = 300


def payload_for(comment: Comment, decision: Decision) -> dict:
    """The JSON a site receives: what happened to which comment, and why. Never the author's e-mail."""
    decided = decision.created_at or datetime.now(UTC)
    if decided.tzinfo is None:
        decided = decided.replace(tzinfo=UTC)
    return {
        "comment_id": comment.id,
        "thread": comment.thread,
        "status": decision.to_status,
        "reasons": decision.reasons or [],
        "decided_at": decided.isoformat().replace("+00:00", "Z"),
        "decision_id": decision.id,
        "kind": decision.kind,
        "reason_code": decision.reason_code,
    }


def create_delivery(session: Session, comment: Comment, decision: Decision,
                    flush: bool = True) -> WebhookDelivery | None:
    """Queue a delivery of `decision` in the caller's transaction, if the site has a webhook URL.

    A batch passes `flush=False` and lets its commit insert every delivery at once."""
    site = comment.site or session.get(Site, comment.site_id)
    if not site.webhook_url or decision.to_status not in ("approved", "held", "rejected"):
        return None
    delivery = WebhookDelivery(site_id=site.id, comment_id=comment.id, decision_id=decision.id,
                               payload=payload_for(comment, decision), status="pending", attempts=0)
    session.add(delivery)
    if flush:
        session.flush()
    return delivery


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """HMAC-SHA256 over `<timestamp>.<body>`, hex encoded."""
    message = str(timestamp).encode() + b"." + body
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def signature_header(secret: str, body: bytes, timestamp: int | None = None) -> str:
    """The header value `t=<unix seconds>,v1=<hex signature>`."""
    timestamp = int(time.time()) if timestamp is None else timestamp
    return f"t={timestamp},v1={sign(secret, timestamp, body)}"


def verify_signature(secret: str, header: str, body: bytes, now: int | None = None,
                     window: int = REPLAY_WINDOW_SECONDS) -> bool:
    """Check a signature header as a receiving site should: right HMAC and a fresh timestamp."""
    parts = dict(p.split("=", 1) for p in header.split(",") if "=" in p)
    try:
        timestamp = int(parts["t"])
    except (KeyError, ValueError):
        return False
    now = int(time.time()) if now is None else now
    if abs(now - timestamp) > window:
        return False
    return hmac.compare_digest(parts.get("v1", ""), sign(secret, timestamp, body))


def body_bytes(payload: dict) -> bytes:
    return json.dumps(payload, separators=(",", ":"), sort_keys=True).encode()


def backoff_seconds(attempts: int) -> int:
    """Wait before attempt `attempts + 1`: 10 s, 20 s, 40 s, ... capped at an hour."""
    return min(FIRST_BACKOFF_SECONDS * 2 ** max(attempts - 1, 0), MAX_BACKOFF_SECONDS)


def claim(session: Session, delivery_id: int, now: datetime | None = None) -> WebhookDelivery | None:
    """Take a pending, due delivery for one attempt (None if delivered, failed, or someone holds it)."""
    now = now or datetime.now(UTC)
    result = session.execute(
        update(WebhookDelivery)
        .where(WebhookDelivery.id == delivery_id, WebhookDelivery.status == "pending",
               or_(WebhookDelivery.next_attempt_at.is_(None), WebhookDelivery.next_attempt_at <= now))
        .values(next_attempt_at=now + timedelta(seconds=LEASE_SECONDS),
                attempts=WebhookDelivery.attempts + 1)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        return None
    delivery = session.get(WebhookDelivery, delivery_id)
    session.refresh(delivery)
    return delivery


def record_success(session: Session, delivery_id: int) -> None:
    delivery = session.get(WebhookDelivery, delivery_id)
    delivery.status = "delivered"
    delivery.delivered_at = datetime.now(UTC)
    delivery.next_attempt_at = None
    delivery.last_error = None


def record_failure(session: Session, delivery_id: int, error: str) -> int | None:
    """Note a failed attempt; returns the seconds until the next one, or None when it has given up."""
    delivery = session.get(WebhookDelivery, delivery_id)
    delivery.last_error = error[:2000]
    if delivery.attempts >= MAX_ATTEMPTS:
        delivery.status = "failed"
        delivery.next_attempt_at = None
        return None
    wait = backoff_seconds(delivery.attempts)
    delivery.next_attempt_at = datetime.now(UTC) + timedelta(seconds=wait)
    return wait


def due_ids(session: Session, now: datetime | None = None, limit: int = 500) -> list[int]:
    """Pending deliveries nobody holds and whose time has come (the sweep's work; nothing is lost)."""
    now = now or datetime.now(UTC)
    return list(session.scalars(
        select(WebhookDelivery.id)
        .where(WebhookDelivery.status == "pending",
               or_(WebhookDelivery.next_attempt_at.is_(None), WebhookDelivery.next_attempt_at <= now))
        .order_by(WebhookDelivery.id).limit(limit)
    ))


def resend(session: Session, delivery_id: int) -> WebhookDelivery:
    """Put a failed (or delivered) delivery back in the queue with a fresh attempt budget."""
    delivery = session.get(WebhookDelivery, delivery_id)
    if delivery is None:
        raise NotFound(f"no webhook delivery {delivery_id}")
    if delivery.status == "pending":
        raise Conflict("this delivery is still pending")
    delivery.status = "pending"
    delivery.attempts = 0
    delivery.next_attempt_at = None
    delivery.last_error = None
    session.flush()
    return delivery


def list_deliveries(session: Session, status: str | None = None, limit: int = 200) -> list[tuple]:
    """Recent deliveries with their site's name, newest first (the admin's view)."""
    query = (select(WebhookDelivery, Site.name).join(Site, Site.id == WebhookDelivery.site_id)
             .order_by(WebhookDelivery.id.desc()).limit(limit))
    if status:
        query = query.where(WebhookDelivery.status == status)
    return list(session.execute(query).all())


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    # A redirected POST would turn into a GET elsewhere; a receiver that redirects has not accepted it.
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


def post_signed(url: str, secret: str, payload: dict, timeout: float) -> None:
    """POST the payload with its signature header; raise OSError (or HTTPError) unless a 2xx comes back."""
    if not url.startswith(("http://", "https://")):
        raise ValueError("the webhook URL must be http or https")
    body = body_bytes(payload)
    request = urllib.request.Request(url, data=body, method="POST", headers={  # noqa: S310 - scheme checked
        "Content-Type": "application/json",
        "User-Agent": "Moderato-Webhook/1",
        SIGNATURE_HEADER: signature_header(secret, body),
    })
    opener = urllib.request.build_opener(_NoRedirects)
    with opener.open(request, timeout=timeout) as response:
        if not 200 <= response.status < 300:
            raise OSError(f"HTTP {response.status}")


def attempt(database, delivery_id: int, timeout: float) -> int | None:
    """Make one delivery attempt; return seconds until the next try, or None (delivered, given up, or busy)."""
    with database.session() as session:
        delivery = claim(session, delivery_id)
        if delivery is None:
            return None
        site = session.get(Site, delivery.site_id)
        url, secret, payload = site.webhook_url, site.webhook_secret or "", dict(delivery.payload)
    try:
        if not url:
            raise OSError("the site no longer has a webhook URL")
        post_signed(url, secret, payload, timeout)
    except (OSError, ValueError) as exc:
        with database.session() as session:
            return record_failure(session, delivery_id, f"{type(exc).__name__}: {exc}")
    with database.session() as session:
        record_success(session, delivery_id)
    return None


def set_webhook(session: Session, site: Site, url: str | None) -> str | None:
    """Set or clear a site's webhook URL; a new secret is made when none exists and returned (else None)."""
    url = (url or "").strip()
    if not url:
        site.webhook_url = None
        return None
    if not url.startswith(("http://", "https://")) or len(url) > 2000:
        raise ValidationFailed([FieldError("webhook_url", "must be an http or https URL")])
    site.webhook_url = url
    if site.webhook_secret:
        return None
    site.webhook_secret = new_token("whsec")
    return site.webhook_secret


def rotate_secret(session: Session, site: Site) -> str:
    """Replace a site's webhook signing secret; the new one is returned once."""
    site.webhook_secret = new_token("whsec")
    return site.webhook_secret
