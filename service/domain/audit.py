"""Reading decisions back: a comment's history, and the ordered decisions feed with an opaque cursor."""

from __future__ import annotations

import base64
from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.domain.errors import FieldError, ValidationFailed
from service.storage.models import Comment, Decision, Site

MAX_FEED = 500


def history(session: Session, comment_id: int) -> list[Decision]:
    """Every decision about a comment, oldest first."""
    return list(session.scalars(select(Decision).where(Decision.comment_id == comment_id).order_by(Decision.id)))


def decision_view(decision: Decision) -> dict:
    """A decision as moderators see it (the actor is a staff e-mail, shown only to staff)."""
    return {
        "id": decision.id,
        "comment_id": decision.comment_id,
        "kind": decision.kind,
        "actor": decision.actor,
        "from_status": decision.from_status,
        "to_status": decision.to_status,
        "reason_code": decision.reason_code,
        "reasons": decision.reasons or [],
        "model_version": decision.model_version,
        "spam_score": decision.spam_score,
        "toxicity_score": decision.toxicity_score,
        "note": decision.note,
        "created_at": iso(decision.created_at),
    }


def encode_cursor(decision_id: int) -> str:
    return base64.urlsafe_b64encode(f"d:{decision_id}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> int:
    """The last decision id a cursor stands for; an empty cursor means from the start."""
    if not cursor:
        return 0
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        kind, _, value = raw.partition(":")
        if kind != "d" or not value.isdigit():
            raise ValueError
        return int(value)
    except (ValueError, UnicodeDecodeError):
        raise ValidationFailed([FieldError("since", "is not a cursor this API returned")]) from None


def decisions_feed(session: Session, site: Site, since: str | None, limit: int = 100,
                   settle_seconds: float = 0.0) -> tuple[list[dict], str]:
    """The site's decisions after the cursor in id order, and the cursor to ask with next time.

    Decisions younger than `settle_seconds` wait for the next call: a transaction that took a lower id
    may still be committing, and a reader must not step past it.
    """
    after = decode_cursor(since)
    query = (
        select(Decision, Comment.thread)
        .join(Comment, Comment.id == Decision.comment_id)
        .where(Comment.site_id == site.id, Decision.id > after)
        .order_by(Decision.id)
        .limit(limit)
    )
    if settle_seconds > 0:
        query = query.where(Decision.created_at <= datetime.now(UTC) - timedelta(seconds=settle_seconds))
    items = []
    last = after
    for decision, thread in session.execute(query):
        last = decision.id
        items.append({
            "id": decision.id,
            "comment_id": decision.comment_id,
            "thread": thread,
            "kind": decision.kind,
            "from_status": decision.from_status,
            "status": decision.to_status,
            "reason_code": decision.reason_code,
            "reasons": decision.reasons or [],
            "decided_at": iso(decision.created_at),
        })
    return items, encode_cursor(last)


def iso(value: datetime | None) -> str | None:
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.isoformat().replace("+00:00", "Z")
