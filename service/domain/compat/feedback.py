"""Feedback from compatibility clients (Akismet submit-spam/ham, Perspective suggestscore) as training labels."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.domain.labels import record_comment_label, record_example
from service.storage.models import Comment, Decision, Label, Site


def label_stored_comment(session: Session, comment: Comment, *, is_spam: bool, actor: str, source: str,
                         provenance: dict) -> Label:
    """Record a site's spam/ham verdict on a stored comment: a human decision plus its training label.

    The verdict only speaks about spam, so an existing toxicity label is kept.
    """
    to_status = "rejected" if is_spam else "approved"
    if comment.status != to_status:
        session.add(Decision(
            comment_id=comment.id, kind="human", actor=actor[:320], from_status=comment.status, to_status=to_status,
            reason_code="spam" if is_spam else None, reasons=[], model_version=comment.model_version,
            spam_score=comment.spam_score, toxicity_score=comment.toxicity_score,
            note=f"reported as {'spam' if is_spam else 'ham'} through {source}",
        ))
        comment.status = to_status
        comment.decided_at = datetime.now(UTC)
    existing = session.scalar(select(Label).where(Label.comment_id == comment.id))
    label = record_comment_label(
        session, comment, label_spam=1 if is_spam else 0,
        label_toxic=existing.label_toxic if existing is not None else None,
        source=source, provenance=provenance,
    )
    assert label is not None  # a spam verdict always teaches the spam head
    return label


def label_text(session: Session, site: Site, *, text: str, label_spam: int | None, label_toxic: int | None,
               source: str, provenance: dict, author_name: str | None = None,
               author_url: str | None = None) -> tuple[Label, bool]:
    """Record a labelled example for text Moderato never stored; returns (label, created)."""
    return record_example(
        session, text=text, label_spam=label_spam, label_toxic=label_toxic, source=source, provenance=provenance,
        site_id=site.id, author_name=(author_name or None) and author_name[:200],
        author_url=(author_url or None) and author_url[:2000],
    )
