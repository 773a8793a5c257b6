"""Site rules evaluated before routing: trusted and banned authors (more rules live in site settings)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.domain.policy import Reason, RuleFinding
from service.domain.site_rules import evaluate_site_rules
from service.storage.models import AuthorStanding, Comment, Site

_LOOKUP = object()


def evaluate_rules(session: Session, comment: Comment, site: Site, *, standing: str | None | object = _LOOKUP,
                   approved_authors: set[tuple[int, str]] | frozenset = frozenset()) -> list[RuleFinding]:
    """Return every rule finding for `comment` under `site`'s settings.

    A batch passes the author's `standing` it loaded for all its comments at once (None: neither trusted
    nor banned) and the authors it approved so far, which count as previously approved.
    """
    findings: list[RuleFinding] = []
    if comment.author_email_hash and standing is _LOOKUP:
        standing = session.scalar(
            select(AuthorStanding.standing).where(
                AuthorStanding.site_id == site.id, AuthorStanding.author_email_hash == comment.author_email_hash
            )
        )
    if comment.author_email_hash:
        if standing == "banned":
            findings.append(RuleFinding("rejected", Reason("banned_author", "rule", "the author is banned"), True))
        elif standing == "trusted":
            findings.append(RuleFinding("approved", Reason("trusted_author", "rule", "the author is trusted"), True))
    if (site.settings or {}).get("premoderate"):
        findings.append(RuleFinding("held", Reason("premoderation", "rule", "the site pre-moderates comments")))
    findings.extend(evaluate_site_rules(session, comment, site, approved_authors))
    return findings
