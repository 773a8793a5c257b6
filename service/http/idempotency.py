"""Idempotency-Key for POST: a retry within 24 hours gets the first response back and stores nothing new."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta

from flask import Request, Response, jsonify
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from service.domain.errors import Conflict, MalformedInput
from service.storage.models import IdempotencyKey

HEADER = "Idempotency-Key"
TTL = timedelta(hours=24)
MAX_KEY_LENGTH = 255
REPLAYED_HEADER = "Idempotent-Replayed"


def key_from_request(request: Request) -> str | None:
    """The request's Idempotency-Key, or None; a malformed key is refused naming the header."""
    raw = request.headers.get(HEADER)
    if raw is None:
        return None
    key = raw.strip()
    if not key or len(key) > MAX_KEY_LENGTH or not all(33 <= ord(c) <= 126 for c in key):
        raise MalformedInput(f"{HEADER} must be 1-{MAX_KEY_LENGTH} visible ASCII characters", field=HEADER)
    return key


def fingerprint(request: Request) -> str:
    """A hash of what makes two requests the same: media type and body bytes."""
    digest = hashlib.sha256(request.mimetype.encode())
    digest.update(b"\0")
    digest.update(request.get_data(cache=True))
    return digest.hexdigest()


def replay(session: Session, site_id: int, key: str, request_hash: str) -> Response | None:
    """The stored first response for (site, key), or None; the same key with another body is a Conflict."""
    row = session.scalar(select(IdempotencyKey).where(IdempotencyKey.site_id == site_id, IdempotencyKey.key == key))
    if row is None:
        return None
    created = row.created_at if row.created_at.tzinfo else row.created_at.replace(tzinfo=UTC)
    if datetime.now(UTC) - created > TTL:
        # Expired: the key may be used afresh.
        session.delete(row)
        session.flush()
        return None
    if row.request_hash != request_hash:
        raise Conflict(f"this {HEADER} was already used with a different request body")
    response = jsonify(row.response_body)
    response.status_code = row.status_code
    for name, value in (row.headers or {}).items():
        response.headers[name] = value
    response.headers[REPLAYED_HEADER] = "true"
    return response


def remember(session: Session, site_id: int, key: str, request_hash: str, status: int, body: dict,
             headers: dict[str, str]) -> None:
    """Store the first response in the caller's transaction; a concurrent twin fails the unique index."""
    session.add(IdempotencyKey(site_id=site_id, key=key, request_hash=request_hash, status_code=status,
                               response_body=body, headers=headers))
    session.flush()


def purge_expired(session: Session, now: datetime | None = None) -> int:
    """Delete keys older than the replay window; returns how many."""
    cutoff = (now or datetime.now(UTC)) - TTL
    return session.execute(delete(IdempotencyKey).where(IdempotencyKey.created_at < cutoff)).rowcount or 0
