"""Human decisions: approve, reject with a reason, bulk, undo, reversal, author bans and trust.

Each decision is a new `decisions` row (history is never rewritten), corrects the comment's training
label, and queues a webhook delivery when the site has a webhook URL."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from service.domain import webhooks
from service.domain.errors import Conflict, FieldError, NotFound, ValidationFailed
from service.domain.labels import label_from_decision, record_comment_label
from service.domain.queue import get_for_user
from service.storage.models import AuthorStanding, Comment, Decision, Site, User

REASON_CODES = ("spam", "toxic", "off-topic", "other")
# Hold reasons that say what a comment is; any other (pre-moderation, first comment, word lists, flood)
# suggests "other", which teaches the models nothing, so an unchanged default never mislabels a comment.
SUGGESTED_REASON = {"spam": "spam", "too_many_links": "spam", "toxic": "toxic"}
DECIDABLE = ("approved", "rejected")
STANDINGS = ("trusted", "banned", "none")
MAX_BULK = 200
UNDO_NOTE = "undo:"


@dataclass
class Outcome:
    """What a moderation action did: the decisions it wrote and the webhook deliveries to enqueue."""

    decisions: list[Decision] = field(default_factory=list)
    delivery_ids: list[int] = field(default_factory=list)
    skipped: list[int] = field(default_factory=list)


def default_reason_code(comment: Comment) -> str:
    """The reject reason a comment's hold reasons suggest: held as toxic, rejected as toxic.

    The reason becomes the comment's training label, so rejecting an insult held for toxicity with
    "spam" would teach the spam model that insults are spam. When the spam and toxicity models both
    held it, the one further above its threshold wins.
    """
    suggested = {}
    for reason in comment.reasons or []:
        code = SUGGESTED_REASON.get(reason.get("code")) if isinstance(reason, dict) else None
        if code is not None:
            margin = (reason.get("score") or 0.0) - (reason.get("threshold") or 0.0)
            suggested[code] = max(margin, suggested.get(code, float("-inf")))
    return max(suggested, key=suggested.get) if suggested else "other"


def check_action(status: str | None, reason_code: str | None) -> tuple[str, str | None]:
    """Validate a requested status and reason code; a reject without one gets the comment's default later."""
    errors = []
    if status not in DECIDABLE:
        errors.append(FieldError("status", f"must be one of {', '.join(DECIDABLE)}"))
    if status == "rejected" and reason_code is not None and reason_code not in REASON_CODES:
        errors.append(FieldError("reason_code", f"must be one of {', '.join(REASON_CODES)} when rejecting"))
    if status == "approved" and reason_code:
        errors.append(FieldError("reason_code", "must be empty when approving"))
    if errors:
        raise ValidationFailed(errors)
    return status, reason_code if status == "rejected" else None


def decide(session: Session, user: User, comment_id: int, status: str, reason_code: str | None = None,
           note: str | None = None) -> Outcome:
    """Set a comment the moderator may see to approved or rejected (also reversing an earlier decision)."""
    status, reason_code = check_action(status, reason_code)
    comment = get_for_user(session, user, comment_id)
    if status == "rejected" and reason_code is None:
        reason_code = default_reason_code(comment)
    if comment.status == status and _current_reason(session, comment) == reason_code:
        raise Conflict(f"comment {comment_id} is already {status}")
    outcome = Outcome()
    _apply(session, user, comment, status, reason_code, note, outcome)
    return outcome


def bulk_decide(session: Session, user: User, ids: list[int], status: str,
                reason_code: str | None = None) -> Outcome:
    """Decide many comments at once; comments already in that state are skipped, unseen ones are NotFound."""
    status, reason_code = check_action(status, reason_code)
    if not ids:
        raise ValidationFailed([FieldError("ids", "select at least one comment")])
    if len(ids) > MAX_BULK:
        raise ValidationFailed([FieldError("ids", f"at most {MAX_BULK} comments at once")])
    comments = [get_for_user(session, user, int(i)) for i in dict.fromkeys(ids)]
    outcome = Outcome()
    for comment in comments:
        reason = default_reason_code(comment) if status == "rejected" and reason_code is None else reason_code
        if comment.status == status and _current_reason(session, comment) == reason:
            outcome.skipped.append(comment.id)
            continue
        _apply(session, user, comment, status, reason, None, outcome)
    return outcome


def undo(session: Session, user: User, decision_id: int | None = None) -> Outcome:
    """Undo `user`'s decision (default: their latest one not yet undone), restoring the earlier status."""
    candidates = _undoable(session, user)
    if decision_id is not None:
        candidates = [d for d in candidates if d.id == decision_id]
    if not candidates:
        raise NotFound("no decision of yours to undo")
    target = candidates[0]
    comment = get_for_user(session, user, target.comment_id)
    if comment.status != target.to_status:
        raise Conflict(f"comment {comment.id} has changed since; decide it again instead")
    earlier = session.scalar(
        select(Decision.reason_code).where(Decision.comment_id == comment.id, Decision.id < target.id,
                                           Decision.to_status == target.from_status)
        .order_by(Decision.id.desc()).limit(1))
    outcome = Outcome()
    _apply(session, user, comment, target.from_status, earlier, f"{UNDO_NOTE}{target.id}", outcome)
    return outcome


def _current_reason(session: Session, comment: Comment) -> str | None:
    return session.scalar(select(Decision.reason_code).where(Decision.comment_id == comment.id)
                          .order_by(Decision.id.desc()).limit(1))


def _apply(session: Session, user: User, comment: Comment, status: str, reason_code: str | None,
           note: str | None, outcome: Outcome) -> None:
    now = datetime.now(UTC)
    detail = "undone by a moderator" if (note or "").startswith(UNDO_NOTE) else f"{status} by a moderator"
    decision = Decision(
        comment_id=comment.id, kind="human", actor=user.email, user_id=user.id,
        from_status=comment.status, to_status=status, reason_code=reason_code,
        reasons=[{"code": reason_code or status, "source": "moderator", "detail": detail}],
        model_version=comment.model_version, spam_score=comment.spam_score,
        toxicity_score=comment.toxicity_score, note=note, created_at=now,
    )
    session.add(decision)
    comment.status = status
    comment.decided_at = now
    session.flush()
    label_spam, label_toxic = label_from_decision(status, reason_code)
    site = session.get(Site, comment.site_id)
    record_comment_label(session, comment, label_spam=label_spam, label_toxic=label_toxic, source="moderator",
                         provenance={"user_id": user.id, "decision_id": decision.id, "site": site.name})
    delivery = webhooks.create_delivery(session, comment, decision)
    outcome.decisions.append(decision)
    if delivery is not None:
        outcome.delivery_ids.append(delivery.id)


def set_author_standing(session: Session, user: User, comment_id: int, standing: str) -> str:
    """Trust or ban the author of a comment (by e-mail hash) on that comment's site; `none` clears it."""
    if standing not in STANDINGS:
        raise ValidationFailed([FieldError("standing", f"must be one of {', '.join(STANDINGS)}")])
    comment = get_for_user(session, user, comment_id)
    if not comment.author_email_hash:
        raise Conflict("this comment has no author e-mail to match on")
    session.execute(delete(AuthorStanding).where(AuthorStanding.site_id == comment.site_id,
                                                 AuthorStanding.author_email_hash == comment.author_email_hash))
    if standing != "none":
        session.add(AuthorStanding(site_id=comment.site_id, author_email_hash=comment.author_email_hash,
                                   standing=standing, created_by=user.email))
    session.flush()
    return standing


def author_standing(session: Session, comment: Comment) -> str | None:
    if not comment.author_email_hash:
        return None
    return session.scalar(select(AuthorStanding.standing).where(
        AuthorStanding.site_id == comment.site_id, AuthorStanding.author_email_hash == comment.author_email_hash))


def _undoable(session: Session, user: User) -> list[Decision]:
    """`user`'s recent decisions that are not undos and not undone yet, newest first."""
    mine = list(session.scalars(
        select(Decision).where(Decision.user_id == user.id, Decision.kind == "human")
        .order_by(Decision.id.desc()).limit(200)))
    undone = {int(d.note[len(UNDO_NOTE):]) for d in mine if (d.note or "").startswith(UNDO_NOTE)}
    return [d for d in mine if not (d.note or "").startswith(UNDO_NOTE) and d.id not in undone]


def last_undoable(session: Session, user: User) -> Decision | None:
    """The decision `undo` would reverse now, if any (the UI names it on the Undo button)."""
    candidates = _undoable(session, user)
    return candidates[0] if candidates else None
