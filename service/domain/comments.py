"""Storing submitted comments and reading them back for the site that sent them."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from service.domain.errors import FieldError, NotFound, ValidationFailed
from service.domain.secrets import email_hash
from service.domain.validation import Submission
from service.storage.models import Comment, Site


def store_comment(session: Session, site_id: int, submission: Submission, *, source: str = "api") -> Comment:
    """Insert a pending comment for the site; the parent must be a comment of the same site and thread.

    One Core INSERT ... RETURNING (no unit-of-work flush): this is the hottest write of the service. The
    returned Comment is not attached to the session; it carries the stored values for the response.
    """
    if submission.parent_id is not None:
        parent = session.get(Comment, submission.parent_id)
        if parent is None or parent.site_id != site_id or parent.thread != submission.thread:
            raise ValidationFailed(
                [FieldError("parent_id", "must be the id of a comment on the same site and thread")]
            )
    values = {
        "site_id": site_id,
        "thread": submission.thread,
        "parent_id": submission.parent_id,
        "content": submission.content,
        "author_name": submission.author_name,
        "author_email": submission.author_email,
        "author_email_hash": email_hash(submission.author_email),
        "author_url": submission.author_url,
        "user_ip": submission.user_ip,
        "user_agent": submission.user_agent,
        "referrer": submission.referrer,
        "language": submission.language,
        "status": "pending",
        "source": source,
        "created_at": datetime.now(UTC),
    }
    table = Comment.__table__
    comment_id = session.execute(insert(table).returning(table.c.id), values).scalar_one()
    return Comment(id=comment_id, **values)


def get_site_comment(session: Session, site: Site, comment_id: int) -> Comment:
    """Return the comment if it belongs to `site`; another site's comment is NotFound, not Forbidden."""
    comment = session.get(Comment, comment_id)
    if comment is None or comment.site_id != site.id:
        raise NotFound(f"no comment {comment_id}")
    return comment


def public_view(comment: Comment) -> dict:
    """The comment as its site may read it: never the e-mail address or IP."""
    return {
        "id": comment.id,
        "status": comment.status,
        "thread": comment.thread,
        "parent_id": comment.parent_id,
        "author_name": comment.author_name,
        "author_url": comment.author_url,
        "content": comment.content,
        "scores": comment.scores or {},
        "reasons": comment.reasons or [],
        "explanation": comment.explanation,
        "model_version": comment.model_version,
        "created_at": _iso(comment.created_at),
        "decided_at": _iso(comment.decided_at),
    }


def pending_ids(session: Session, older_than: datetime, limit: int = 500) -> list[int]:
    """Ids of comments still pending that were created before `older_than` (the outbox relay's work)."""
    return list(
        session.scalars(
            select(Comment.id)
            .where(Comment.status == "pending", Comment.created_at < older_than)
            .order_by(Comment.id)
            .limit(limit)
        )
    )


def _iso(value: datetime | None) -> str | None:
    if value is None:
        return None
    if value.tzinfo is None:  # SQLite hands back naive datetimes; we only ever store UTC.
        value = value.replace(tzinfo=UTC)
    return value.isoformat().replace("+00:00", "Z")
