"""Site rules evaluated before routing: trusted and banned authors (more rules live in site settings)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.domain.policy import Reason, RuleFinding
from service.domain.site_rules import evaluate_site_rules
from service.storage.models import AuthorStanding, Comment, Site


def evaluate_rules(session: Session, comment: Comment, site: Site) -> list[RuleFinding]:
    """Return every rule finding for `comment` under `site`'s settings."""
    findings: list[RuleFinding] = []
    if comment.author_email_hash:
        standing = session.scalar(
            select(AuthorStanding.standing).where(
                AuthorStanding.site_id == site.id, AuthorStanding.author_email_hash == comment.author_email_hash
            )
        )
        if standing == "banned":
            findings.append(RuleFinding("rejected", Reason("banned_author", "rule", "the author is banned"), True))
        elif standing == "trusted":
            findings.append(RuleFinding("approved", Reason("trusted_author", "rule", "the author is trusted"), True))
    if (site.settings or {}).get("premoderate"):
        findings.append(RuleFinding("held", Reason("premoderation", "rule", "the site pre-moderates comments")))
    findings.extend(evaluate_site_rules(session, comment, site))
    return findings
