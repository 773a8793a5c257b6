"""Feedback from sites and compatibility clients (the feedback API, Akismet submit-spam/ham, Perspective
suggestscore) as decisions and training labels."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.domain import webhooks
from service.domain.labels import record_comment_label, record_example
from service.storage.models import Comment, Decision, Label, Site

# Keep the label a head already has: a verdict that says nothing about that head must not erase it.
KEEP = "keep"
# What a site's own moderation action means: (status, reason code, spam label, toxicity label).
# The native feedback API takes the first five (named after the buttons CMSs have); Akismet's
# submit-spam is `spam` and submit-ham `ham`.
SITE_ACTIONS: dict[str, tuple[str, str | None, int | str | None, int | str | None]] = {
    "approve": ("approved", None, 0, 0),
    "hold": ("held", None, KEEP, KEEP),
    "spam": ("rejected", "spam", 1, KEEP),
    "not_spam": ("held", None, 0, KEEP),
    "trash": ("rejected", "other", KEEP, KEEP),
    "ham": ("approved", None, 0, KEEP),
}
FEEDBACK_ACTIONS = ("approve", "hold", "spam", "not_spam", "trash")


@dataclass(frozen=True)
class Verdict:
    """What recording a site's verdict did: the new decision (None when the comment already had that
    status and reason) and the webhook delivery it queued."""

    decision: Decision | None
    delivery_id: int | None


def record_site_verdict(session: Session, comment: Comment, action: str, *, actor: str, source: str,
                        provenance: dict) -> Verdict:
    """Record a site's own moderation action on a stored comment: a human decision (when it changes the
    comment's status or reason), the training label it implies, and a webhook delivery as for any decision."""
    status, reason_code, spam, toxic = SITE_ACTIONS[action]
    decision = delivery = None
    latest_reason = session.scalar(select(Decision.reason_code).where(Decision.comment_id == comment.id)
                                   .order_by(Decision.id.desc()).limit(1))
    if comment.status != status or latest_reason != reason_code:
        now = datetime.now(UTC)
        decision = Decision(
            comment_id=comment.id, kind="human", actor=actor[:320], from_status=comment.status, to_status=status,
            reason_code=reason_code, reasons=[{"code": action, "source": "site", "detail": f"{action} by {actor}"}],
            model_version=comment.model_version, spam_score=comment.spam_score,
            toxicity_score=comment.toxicity_score, note=f"reported through {source}", created_at=now,
        )
        session.add(decision)
        comment.status = status
        comment.decided_at = now
        session.flush()
        delivery = webhooks.create_delivery(session, comment, decision)
    existing = session.scalar(select(Label).where(Label.comment_id == comment.id))
    label_spam = _label(spam, existing.label_spam if existing is not None else None)
    label_toxic = _label(toxic, existing.label_toxic if existing is not None else None)
    if label_spam is not None or label_toxic is not None:
        record_comment_label(session, comment, label_spam=label_spam, label_toxic=label_toxic, source=source,
                             provenance={**provenance, "action": action,
                                         "decision_id": decision.id if decision is not None else None})
    return Verdict(decision, delivery.id if delivery is not None else None)


def latest_decision_id(session: Session, comment_id: int) -> int | None:
    """The id of the comment's newest decision, if it has any."""
    return session.scalar(select(Decision.id).where(Decision.comment_id == comment_id)
                          .order_by(Decision.id.desc()).limit(1))


def _label(rule: int | str | None, existing: int | None) -> int | None:
    return existing if rule == KEEP else rule


def label_stored_comment(session: Session, comment: Comment, *, is_spam: bool, actor: str, source: str,
                         provenance: dict) -> Verdict:
    """Record a site's spam/ham report on a stored comment (Akismet's submit-spam/submit-ham).

    The report only speaks about spam, so an existing toxicity label is kept."""
    return record_site_verdict(session, comment, "spam" if is_spam else "ham", actor=actor, source=source,
                               provenance=provenance)


def label_text(session: Session, site: Site, *, text: str, label_spam: int | None, label_toxic: int | None,
               source: str, provenance: dict, author_name: str | None = None,
               author_url: str | None = None) -> tuple[Label, bool]:
    """Record a labelled example for text Moderato never stored; returns (label, created)."""
    return record_example(
        session, text=text, label_spam=label_spam, label_toxic=label_toxic, source=source, provenance=provenance,
        site_id=site.id, author_name=(author_name or None) and author_name[:200],
        author_url=(author_url or None) and author_url[:2000],
    )
