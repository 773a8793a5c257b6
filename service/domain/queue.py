"""The moderation queue: listing with filters, counts, author history, and safe display helpers."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import String, cast, func, select
from sqlalchemy.orm import Session

from service.domain.errors import FieldError, NotFound, ValidationFailed
from service.domain.users import site_ids_for
from service.storage.models import Comment, Site, User

QUEUES = {"held": ("held",), "approved": ("approved",), "rejected": ("rejected",),
          "pending": ("pending",), "all": ("pending", "held", "approved", "rejected")}
ORDERS = ("oldest", "newest", "score")
MAX_PAGE = 200
# How the queue lists scores: the two heads, then the toxicity sub-attributes, the most common first.
SCORE_ORDER = ("spam", "toxicity", "insult", "threat", "obscene", "identity_attack", "severe_toxic")
# Bidirectional controls can make text read differently from how it is stored; show them, never obey them.
_BIDI = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


@dataclass(frozen=True)
class QueueFilter:
    queue: str = "held"
    site: str | None = None
    thread: str | None = None
    reason: str | None = None
    min_score: float | None = None
    max_score: float | None = None
    text: str | None = None
    order: str = "oldest"
    limit: int = 50
    offset: int = 0


def parse_filter(args) -> QueueFilter:
    """Build a QueueFilter from query parameters, naming every bad one."""
    errors: list[FieldError] = []
    queue = args.get("queue") or "held"
    if queue not in QUEUES:
        errors.append(FieldError("queue", f"must be one of {', '.join(QUEUES)}"))
    order = args.get("order") or "oldest"
    if order not in ORDERS:
        errors.append(FieldError("order", f"must be one of {', '.join(ORDERS)}"))

    def number(name, kind, low, high):
        raw = args.get(name)
        if raw in (None, ""):
            return None
        try:
            value = kind(raw)
        except ValueError:
            errors.append(FieldError(name, f"must be a number between {low} and {high}"))
            return None
        if not low <= value <= high:
            errors.append(FieldError(name, f"must be between {low} and {high}"))
            return None
        return value

    result = QueueFilter(
        queue=queue, order=order,
        site=(args.get("site") or "").strip() or None,
        thread=(args.get("thread") or "").strip() or None,
        reason=(args.get("reason") or "").strip() or None,
        text=(args.get("q") or "").strip()[:200] or None,
        min_score=number("min_score", float, 0.0, 1.0),
        max_score=number("max_score", float, 0.0, 1.0),
        limit=number("limit", int, 1, MAX_PAGE) or 50,
        offset=number("offset", int, 0, 10**9) or 0,
    )
    if errors:
        raise ValidationFailed(errors)
    return result


def _visible(query, session: Session, user: User):
    allowed = site_ids_for(session, user)
    if allowed is not None:
        query = query.where(Comment.site_id.in_(allowed or {-1}))
    return query


def list_queue(session: Session, user: User, f: QueueFilter) -> tuple[list[Comment], int]:
    """The comments of a queue that `user` may see, filtered and ordered; and how many match in all."""
    query = _visible(select(Comment).where(Comment.status.in_(QUEUES[f.queue])), session, user)
    if f.site:
        query = query.join(Site, Site.id == Comment.site_id).where(Site.name == f.site)
    if f.thread:
        query = query.where(Comment.thread == f.thread)
    if f.reason:
        # Reasons are a JSON list of objects; the text form is the same on SQLite and PostgreSQL json.
        query = query.where(cast(Comment.reasons, String).like(f'%"code": "{_like_escape(f.reason)}"%',
                                                               escape="\\"))
    if f.min_score is not None:
        query = query.where(func.coalesce(Comment.spam_score, 0) >= f.min_score)
    if f.max_score is not None:
        query = query.where(func.coalesce(Comment.spam_score, 0) <= f.max_score)
    if f.text:
        query = query.where(Comment.content.ilike(f"%{_like_escape(f.text)}%", escape="\\"))
    total = session.scalar(select(func.count()).select_from(query.subquery()))
    if f.order == "score":
        query = query.order_by(func.coalesce(Comment.spam_score, -1).desc(),
                               func.coalesce(Comment.toxicity_score, -1).desc(), Comment.id)
    elif f.order == "newest":
        query = query.order_by(Comment.created_at.desc(), Comment.id.desc())
    else:
        query = query.order_by(Comment.created_at, Comment.id)
    return list(session.scalars(query.limit(f.limit).offset(f.offset))), total


def _like_escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def counts(session: Session, user: User) -> dict[str, dict[str, int]]:
    """Comments per site and status among the sites `user` may see: {site: {status: n}}."""
    query = _visible(
        select(Site.name, Comment.status, func.count()).join(Site, Site.id == Comment.site_id)
        .group_by(Site.name, Comment.status), session, user)
    out: dict[str, dict[str, int]] = {}
    for name, status, n in session.execute(query):
        out.setdefault(name, {})[status] = n
    return out


def queue_totals(by_site: dict[str, dict[str, int]]) -> dict[str, int]:
    totals = {q: 0 for q in QUEUES}
    for statuses in by_site.values():
        for status, n in statuses.items():
            totals[status] = totals.get(status, 0) + n
            totals["all"] += n
    return totals


def get_for_user(session: Session, user: User, comment_id: int) -> Comment:
    """The comment if `user` may see its site; another site's comment is NotFound, never Forbidden."""
    comment = session.get(Comment, comment_id)
    allowed = site_ids_for(session, user)
    if comment is None or (allowed is not None and comment.site_id not in allowed):
        raise NotFound(f"no comment {comment_id}")
    return comment


def author_history(session: Session, user: User, comment: Comment, limit: int = 20) -> list[Comment]:
    """Other comments by the same e-mail (matched by hash) on sites `user` may see, newest first."""
    if not comment.author_email_hash:
        return []
    query = _visible(
        select(Comment).where(Comment.author_email_hash == comment.author_email_hash, Comment.id != comment.id)
        .order_by(Comment.created_at.desc(), Comment.id.desc()).limit(limit), session, user)
    return list(session.scalars(query))


def mask_email(email: str | None) -> str:
    """`alice@example.org` -> `a***@example.org`: enough to recognise, not enough to harvest."""
    if not email or "@" not in email:
        return ""
    local, _, domain = email.rpartition("@")
    return f"{local[:1]}***@{domain}"


def reveal_controls(text: str) -> str:
    """Replace bidirectional control characters with visible `[U+202E]` markers."""
    return _BIDI.sub(lambda m: f"[U+{ord(m.group()):04X}]", text)


def highlight_segments(text: str, explanation: dict | None) -> list[tuple[str, str | None]]:
    """Split `text` at the explanation's span offsets: [(piece, head or None)], for the template to escape.

    Offsets are into the stored text; overlapping or out-of-range spans are skipped rather than trusted.
    """
    spans = []
    for head, detail in (explanation or {}).items():
        if not isinstance(detail, dict):
            continue
        for span in detail.get("spans") or []:
            try:
                begin, end = int(span["begin"]), int(span["end"])
            except (KeyError, TypeError, ValueError):
                continue
            if 0 <= begin < end <= len(text):
                spans.append((begin, end, head))
    spans.sort()
    segments: list[tuple[str, str | None]] = []
    at = 0
    for begin, end, head in spans:
        if begin < at:
            continue
        if begin > at:
            segments.append((reveal_controls(text[at:begin]), None))
        segments.append((reveal_controls(text[begin:end]), head))
        at = end
    if at < len(text):
        segments.append((reveal_controls(text[at:]), None))
    return segments


def score_list(comment: Comment) -> list[tuple[str, float]]:
    """The comment's scores for display: spam and toxicity first, then the toxicity sub-attributes."""
    scores = dict(comment.scores or {})
    for head, value in (("spam", comment.spam_score), ("toxicity", comment.toxicity_score)):
        if value is not None:
            scores.setdefault(head, value)
    known = [h for h in SCORE_ORDER if h in scores]
    return [(h, float(scores[h])) for h in known + sorted(set(scores) - set(known))]


def moderator_view(comment: Comment, site_name: str) -> dict:
    """A comment as a moderator's API client sees it: masked e-mail, scores, reasons, explanation."""
    from service.domain.audit import iso
    from service.domain.moderation import default_reason_code

    return {
        "id": comment.id,
        "site": site_name,
        "status": comment.status,
        "thread": comment.thread,
        "parent_id": comment.parent_id,
        "content": comment.content,
        "author_name": comment.author_name,
        "author_email_masked": mask_email(comment.author_email),
        "author_email_hash": comment.author_email_hash,
        "author_url": comment.author_url,
        "user_ip": comment.user_ip,
        "spam_score": comment.spam_score,
        "toxicity_score": comment.toxicity_score,
        "scores": comment.scores or {},
        "reasons": comment.reasons or [],
        "default_reason_code": default_reason_code(comment),
        "explanation": comment.explanation,
        "model_version": comment.model_version,
        "created_at": iso(comment.created_at),
        "decided_at": iso(comment.decided_at),
    }


def author_summaries(session: Session, user: User, comments: list[Comment]) -> dict[str, dict[str, int]]:
    """For each author on a page (by e-mail hash): how many of their comments `user` can see, by status."""
    hashes = {c.author_email_hash for c in comments if c.author_email_hash}
    if not hashes:
        return {}
    query = _visible(
        select(Comment.author_email_hash, Comment.status, func.count())
        .where(Comment.author_email_hash.in_(hashes)).group_by(Comment.author_email_hash, Comment.status),
        session, user)
    out: dict[str, dict[str, int]] = {}
    for digest, status, n in session.execute(query):
        out.setdefault(digest, {})[status] = n
    return out
