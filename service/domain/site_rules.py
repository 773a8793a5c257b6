"""Per-site rules beyond author standing: links, word lists, prior approval, flood control; and the
validation of a site's settings (rules and thresholds) as an admin edits them."""

from __future__ import annotations

import re
import unicodedata
from datetime import UTC, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from service.domain.errors import FieldError, ValidationFailed
from service.domain.policy import Reason, RuleFinding
from service.storage.models import Comment, Site

# Every key a site's settings may hold, with its kind; anything else is refused when saving.
SETTINGS = {
    "premoderate": bool,
    "max_links": int,  # hold when the comment has at least this many links (0 or absent: off)
    "moderation_words": list,  # hold on a whole-word match
    "blocked_words": list,  # reject on a whole-word match
    "require_prior_approval": bool,  # hold unless the author has an approved comment on this site
    "flood_seconds": int,  # hold a comment by the same author within this many seconds of their last
    "spam_hold_threshold": float,
    "spam_reject_threshold": float,
    "toxicity_hold_threshold": float,
    "auto_reject": bool,
}
MAX_WORDS = 500
_URL = re.compile(r"(?i)\b(?:https?://|www\.)\S+")


def normalise_text(text: str) -> str:
    """Fold text as the classifier does (look-alikes, leetspeak, NFKC, casefold), else NFKC + casefold."""
    try:
        from classifier.normalise import normalise
    except ImportError:
        return " ".join(unicodedata.normalize("NFKC", text).casefold().split())
    return normalise(text).text.replace("\n", " ")


def count_links(text: str) -> int:
    """How many links the comment holds (as the classifier counts them when it can)."""
    try:
        from classifier.normalise import normalise
    except ImportError:
        return len(_URL.findall(text))
    return normalise(text).n_links


def match_words(text: str, words: list[str]) -> list[str]:
    """The words of `words` found in `text` as whole words after normalising both sides.

    Unlike a substring test, "press" does not match "WordPress"; a phrase matches across one space.
    """
    if not words:
        return []  # most sites list none: skip normalising the text (a tenth of a scoring worker's CPU)
    folded = normalise_text(text)
    hits = []
    for word in words:
        needle = normalise_text(word)
        if needle and re.search(rf"(?<!\w){re.escape(needle)}(?!\w)", folded):
            hits.append(word)
    return hits


def evaluate_site_rules(session: Session, comment: Comment, site: Site,
                        approved_authors: set[tuple[int, str]] | frozenset = frozenset()) -> list[RuleFinding]:
    """Findings of the link, word, prior-approval and flood rules for `comment` under `site`'s settings.

    `approved_authors` holds (site id, e-mail hash) pairs approved earlier in the same scoring batch,
    which the database does not show yet.
    """
    settings = site.settings or {}
    findings: list[RuleFinding] = []
    max_links = int(settings.get("max_links") or 0)
    if max_links > 0:
        links = count_links(comment.content)
        if links >= max_links:
            findings.append(RuleFinding("held", Reason(
                "too_many_links", "rule", f"{links} links (the site holds {max_links} or more)")))
    blocked = match_words(comment.content, settings.get("blocked_words") or [])
    if blocked:
        findings.append(RuleFinding("rejected", Reason(
            "blocked_word", "rule", f"contains blocked word(s): {', '.join(blocked[:5])}")))
    held = match_words(comment.content, settings.get("moderation_words") or [])
    if held:
        findings.append(RuleFinding("held", Reason(
            "moderation_word", "rule", f"contains moderation word(s): {', '.join(held[:5])}")))
    if settings.get("require_prior_approval") and not _has_approved(session, comment, approved_authors):
        findings.append(RuleFinding("held", Reason(
            "first_comment", "rule", "the author has no previously approved comment on this site")))
    flood = int(settings.get("flood_seconds") or 0)
    if flood > 0 and _recent_by_author(session, comment, flood):
        findings.append(RuleFinding("held", Reason(
            "flood", "rule", f"the author commented less than {flood} seconds earlier")))
    return findings


def _has_approved(session: Session, comment: Comment, approved_authors=frozenset()) -> bool:
    if not comment.author_email_hash:
        return False
    if (comment.site_id, comment.author_email_hash) in approved_authors:
        return True
    return session.scalar(
        select(func.count()).select_from(Comment).where(
            Comment.site_id == comment.site_id, Comment.author_email_hash == comment.author_email_hash,
            Comment.status == "approved", Comment.id != comment.id)
    ) > 0


def _recent_by_author(session: Session, comment: Comment, seconds: int) -> bool:
    if not comment.author_email_hash:
        return False
    created = comment.created_at
    if created.tzinfo is None:
        created = created.replace(tzinfo=UTC)
    return session.scalar(
        select(func.count()).select_from(Comment).where(
            Comment.site_id == comment.site_id, Comment.author_email_hash == comment.author_email_hash,
            Comment.id < comment.id, Comment.created_at >= created - timedelta(seconds=seconds))
    ) > 0


def validate_settings(data: dict) -> dict:
    """Check and coerce a site's settings (from JSON or a form); raise ValidationFailed naming each field."""
    errors: list[FieldError] = []
    out: dict = {}
    for name in sorted(set(data) - set(SETTINGS)):
        errors.append(FieldError(str(name)[:100], "unknown setting"))
    for name, kind in SETTINGS.items():
        if name not in data or data[name] is None or data[name] == "":
            continue
        value = data[name]
        try:
            out[name] = _coerce(kind, value)
        except ValueError as exc:
            errors.append(FieldError(name, str(exc)))
            continue
        if kind is float and not 0.0 <= out[name] <= 1.0:
            errors.append(FieldError(name, "must be between 0 and 1"))
        if kind is int and not 0 <= out[name] <= 86_400:
            errors.append(FieldError(name, "must be between 0 and 86400"))
        if kind is list and len(out[name]) > MAX_WORDS:
            errors.append(FieldError(name, f"must hold at most {MAX_WORDS} entries"))
    hold, reject = out.get("spam_hold_threshold"), out.get("spam_reject_threshold")
    if hold is not None and reject is not None and reject < hold:
        errors.append(FieldError("spam_reject_threshold", "must be at least spam_hold_threshold"))
    if errors:
        raise ValidationFailed(errors)
    return out


def _coerce(kind, value):
    if kind is bool:
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.lower() in ("1", "true", "on", "yes", "0", "false", "off", "no"):
            return value.lower() in ("1", "true", "on", "yes")
        raise ValueError("must be a boolean")
    if kind is int:
        if isinstance(value, bool) or not isinstance(value, int | str):
            raise ValueError("must be an integer")
        try:
            return int(value)
        except ValueError:
            raise ValueError("must be an integer") from None
    if kind is float:
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            raise ValueError("must be a number")
        try:
            return float(value)
        except ValueError:
            raise ValueError("must be a number") from None
    # Word lists: a JSON array of strings, or text with one entry per line (the settings form).
    if isinstance(value, str):
        value = value.splitlines()
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValueError("must be a list of strings")
    words = [v.strip() for v in value if v.strip()]
    if any(len(w) > 100 for w in words):
        raise ValueError("entries must be at most 100 characters")
    return words


def update_site_settings(session: Session, site: Site, data: dict) -> dict:
    """Replace `site`'s settings with the validated `data`; returns the stored settings."""
    site.settings = validate_settings(data)
    session.flush()
    return site.settings
