"""Score one comment synchronously, inside the request, and optionally store it with its decision."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy.orm import Session

from service.domain.model_registry import ModelRegistry
from service.domain.policy import Routing, RuleFinding, Thresholds, route
from service.domain.rules import evaluate_rules
from service.domain.scoring import comment_input, record_automatic_decision
from service.domain.secrets import email_hash
from service.storage.models import Comment, Site

# Column widths of `comments`: metadata that does not fit is cut, never refused (clients send what they have).
LIMITS = {"thread": 2000, "author_name": 100, "author_email": 320, "author_url": 2000, "user_ip": 45,
          "user_agent": 1000, "referrer": 2000, "language": 35}


@dataclass(frozen=True)
class Incoming:
    """A comment arriving through a compatibility API, already mapped to Moderato's fields."""

    content: str
    thread: str
    author_name: str
    author_email: str | None = None
    author_url: str | None = None
    user_ip: str | None = None
    user_agent: str | None = None
    referrer: str | None = None
    language: str | None = None


@dataclass(frozen=True)
class Screened:
    """What the models and the site's policy made of one comment; `comment` is set when it was stored."""

    scores: dict[str, float]
    routing: Routing
    thresholds: Thresholds
    model_version: str
    comment: Comment | None = None

    def has_reason(self, *codes: str) -> bool:
        return any(reason.code in codes for reason in self.routing.reasons)


def screen(session: Session, registry: ModelRegistry, defaults: Mapping, site: Site, incoming: Incoming, *,
           store: bool, source: str, findings: tuple[RuleFinding, ...] = ()) -> Screened:
    """Score `incoming` with the active models and route it by `site`'s policy.

    With `store`, the comment is inserted and its automatic decision recorded in the caller's
    transaction, so it appears in the moderation queue exactly as a comment scored by the worker would.
    `findings` are verdicts the calling protocol adds to the site's rules (an Akismet honeypot, say).
    """
    active = registry.get()
    comment = _new_comment(site, incoming, source)
    item = comment_input(comment)
    scores = active.score_many([item])[0]
    thresholds = Thresholds.for_site(site.settings, dict(defaults))
    routing = route(scores, thresholds, [*evaluate_rules(session, comment, site), *findings])
    if not store:
        return Screened(scores, routing, thresholds, active.version)
    session.add(comment)
    session.flush()
    explanation = active.explain(item, thresholds=thresholds.hold_by_head()) if routing.status != "approved" else None
    record_automatic_decision(session, comment, routing, scores, explanation, active.version)
    return Screened(scores, routing, thresholds, active.version, comment)


def stored_fields(site: Site, incoming: Incoming) -> dict[str, str | None]:
    """The metadata columns `incoming` is stored with (cut to fit, defaults filled): what matching compares."""
    fields = {name: _fit(name, getattr(incoming, name)) for name in LIMITS}
    fields["thread"] = fields["thread"] or site.url
    fields["author_name"] = fields["author_name"] or "anonymous"
    return fields


def _new_comment(site: Site, incoming: Incoming, source: str) -> Comment:
    # A transient row: rules read it before we know whether it will be stored at all.
    fields = stored_fields(site, incoming)
    return Comment(
        site_id=site.id,
        content=incoming.content,
        status="pending",
        source=source,
        enqueue_attempts=0,
        author_email_hash=email_hash(fields["author_email"]) if fields["author_email"] else None,
        **fields,
    )


def _fit(name: str, value: str | None) -> str | None:
    if value is None:
        return None
    value = value.strip()
    return value[: LIMITS[name]] or None
