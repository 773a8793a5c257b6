"""Storing submitted comments and reading them back for the site that sent them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from service.domain.errors import FieldError, NotFound, ValidationFailed
from service.domain.secrets import email_hash
from service.domain.validation import Submission
from service.storage.comment_writer import CommentWriter
from service.storage.models import Comment, Site


@dataclass(frozen=True, slots=True)
class NewComment:
    """A comment as just stored: the row's values, read by `public_view` like a Comment's attributes."""

    id: int
    site_id: int
    thread: str
    parent_id: int | None
    content: str
    author_name: str
    author_email: str
    author_email_hash: str
    author_url: str | None
    user_ip: str | None
    user_agent: str | None
    referrer: str | None
    language: str | None
    status: str
    source: str
    created_at: datetime
    scores: dict | None = None
    reasons: list | None = None
    explanation: dict | None = None
    model_version: str | None = None
    decided_at: datetime | None = None
    enqueue_attempts: int = 0


def store_comment(target: Session | CommentWriter, site_id: int, submission: Submission, *,
                  source: str = "api") -> NewComment:
    """Insert a pending comment for the site; the parent must be a comment of the same site and thread.

    `target` is the request's session (the INSERT joins its transaction) or, for a request whose only
    write is this one, the database's CommentWriter (committed on its own, on the cheapest path: this is
    the hottest write of the service). Either way no ORM object is built (that cost as much CPU as Core's
    own execution); the NewComment returned carries the stored values.
    """
    if submission.parent_id is not None:
        _check_parent(target, site_id, submission)
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
        "enqueue_attempts": 0,
    }
    if isinstance(target, CommentWriter):
        comment_id = target.insert(values)
    else:
        comment_id = target.execute(_INSERT_RETURNING_ID, values).scalar_one()
    return NewComment(id=comment_id, **values)


def _check_parent(target: Session | CommentWriter, site_id: int, submission: Submission) -> None:
    query = select(Comment.site_id, Comment.thread).where(Comment.id == submission.parent_id)
    if isinstance(target, CommentWriter):
        with target.database.autocommit_connection() as connection:
            parent = connection.execute(query).first()
    else:
        parent = target.execute(query).first()
    if parent is None or parent.site_id != site_id or parent.thread != submission.thread:
        raise ValidationFailed([FieldError("parent_id", "must be the id of a comment on the same site and thread")])


_INSERT_RETURNING_ID = insert(Comment.__table__).returning(Comment.__table__.c.id)


def get_site_comment(session: Session, site: Site, comment_id: int) -> Comment:
    """Return the comment if it belongs to `site`; another site's comment is NotFound, not Forbidden."""
    comment = session.get(Comment, comment_id)
    if comment is None or comment.site_id != site.id:
        raise NotFound(f"no comment {comment_id}")
    return comment


def public_view(comment: Comment | NewComment) -> dict:
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
