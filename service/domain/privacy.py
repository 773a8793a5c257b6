"""Personal data: export and erase one author's data (GDPR), and purge old spam and IPs (retention)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import delete, exists, or_, select, update
from sqlalchemy.orm import Session

from service.domain.errors import FieldError, ValidationFailed
from service.domain.secrets import email_hash
from service.storage.models import AuthorStanding, Comment, Decision, Label, Site, WebhookDelivery

# Comment columns that an export returns; the e-mail itself is echoed once at the top, not per comment.
_EXPORTED = ("id", "thread", "parent_id", "content", "author_name", "author_url", "user_ip", "user_agent",
             "referrer", "language", "status", "created_at", "decided_at")


@dataclass
class ErasureReport:
    """What an erasure removed and what it kept, in counts (never the data itself)."""

    comments_erased: int = 0
    labels_kept_anonymous: int = 0
    labels_deleted: int = 0
    standings_deleted: int = 0
    webhook_deliveries_deleted: int = 0
    sites: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return dict(vars(self))


def author_hash(email: str) -> str:
    """The stored hash of `email`, normalised the way submissions are; a malformed address is refused."""
    if not isinstance(email, str) or not email.strip():
        raise ValidationFailed([FieldError("email", "is required")])
    try:
        normalised = validate_email(email.strip(), check_deliverability=False).normalized
    except EmailNotValidError as exc:
        raise ValidationFailed([FieldError("email", str(exc))]) from None
    return email_hash(normalised)


def _author_comments(session: Session, hashed: str) -> list[Comment]:
    return list(session.scalars(select(Comment).where(Comment.author_email_hash == hashed).order_by(Comment.id)))


def export_author(session: Session, email: str) -> dict:
    """Everything stored about the author of `email`: comments per site and site standings."""
    hashed = author_hash(email)
    comments = _author_comments(session, hashed)
    site_names = dict(session.execute(select(Site.id, Site.name)).all())
    standings = session.execute(
        select(AuthorStanding.site_id, AuthorStanding.standing, AuthorStanding.created_at)
        .where(AuthorStanding.author_email_hash == hashed)
    ).all()
    return {
        "email": email.strip(),
        "exported_at": _iso(datetime.now(UTC)),
        "comments": [
            {"site": site_names.get(c.site_id), "email": c.author_email,
             **{name: _iso(v) if isinstance(v := getattr(c, name), datetime) else v for name in _EXPORTED}}
            for c in comments
        ],
        "standings": [{"site": site_names.get(s.site_id), "standing": s.standing, "created_at": _iso(s.created_at)}
                      for s in standings],
    }


def erase_author(session: Session, email: str) -> ErasureReport:
    """Delete the author's comments and personal data; keep anonymous training labels where the site allows."""
    hashed = author_hash(email)
    report = ErasureReport()
    comments = _author_comments(session, hashed)
    ids = [c.id for c in comments]
    keep_by_site = {
        site.id: bool((site.settings or {}).get("keep_anonymous_labels", False))
        for site in session.scalars(select(Site).where(Site.id.in_({c.site_id for c in comments})))
    }
    report.sites = sorted(s.name for s in session.scalars(select(Site).where(Site.id.in_(keep_by_site))))
    for chunk in _chunks(ids, 500):
        for label in session.scalars(select(Label).where(Label.comment_id.in_(chunk))):
            comment_site = label.site_id
            if keep_by_site.get(comment_site, False):
                # Only the text and the verdict stay: no link to the comment, author or request.
                label.comment_id = None
                label.author_name = None
                label.author_url = None
                label.provenance = {"source": label.source, "anonymised_at": _iso(datetime.now(UTC))}
                report.labels_kept_anonymous += 1
            else:
                session.delete(label)
                report.labels_deleted += 1
        # Webhook payloads carry the comment, so they go with it.
        report.webhook_deliveries_deleted += session.execute(
            delete(WebhookDelivery).where(WebhookDelivery.comment_id.in_(chunk))
        ).rowcount or 0
        session.execute(delete(Decision).where(Decision.comment_id.in_(chunk)))
        # Replies by others stay; they just lose their parent link.
        session.execute(update(Comment).where(Comment.parent_id.in_(chunk)).values(parent_id=None))
        session.flush()
        report.comments_erased += session.execute(delete(Comment).where(Comment.id.in_(chunk))).rowcount or 0
    report.standings_deleted = session.execute(
        delete(AuthorStanding).where(AuthorStanding.author_email_hash == hashed)
    ).rowcount or 0
    session.flush()
    return report


def purge_rejected_spam(session: Session, older_than_days: float, now: datetime | None = None) -> int:
    """Delete comments rejected as spam (automatically, or by a moderator giving reason spam) past the age."""
    cutoff = (now or datetime.now(UTC)) - timedelta(days=float(older_than_days))
    spam_decision = exists().where(
        Decision.comment_id == Comment.id,
        Decision.to_status == "rejected",
        or_(Decision.kind == "automatic", Decision.reason_code == "spam"),
    )
    ids = list(session.scalars(
        select(Comment.id).where(Comment.status == "rejected", Comment.created_at < cutoff, spam_decision)
    ))
    deleted = 0
    for chunk in _chunks(ids, 500):
        session.execute(delete(WebhookDelivery).where(WebhookDelivery.comment_id.in_(chunk)))
        session.execute(delete(Decision).where(Decision.comment_id.in_(chunk)))
        session.execute(update(Comment).where(Comment.parent_id.in_(chunk)).values(parent_id=None))
        deleted += session.execute(delete(Comment).where(Comment.id.in_(chunk))).rowcount or 0
    return deleted


def purge_ips(session: Session, older_than_days: float, now: datetime | None = None) -> int:
    """Forget the IP address (and user agent) of comments older than the age; returns how many."""
    cutoff = (now or datetime.now(UTC)) - timedelta(days=float(older_than_days))
    return session.execute(
        update(Comment)
        .where(Comment.created_at < cutoff, or_(Comment.user_ip.is_not(None), Comment.user_agent.is_not(None)),
               Comment.status != "pending")
        .values(user_ip=None, user_agent=None)
    ).rowcount or 0


def _chunks(items: list[int], size: int):
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _iso(value: datetime | None) -> str | None:
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.isoformat().replace("+00:00", "Z")
