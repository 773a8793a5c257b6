"""Coral Talk's external moderation phase: signature checks and decisions in Coral's response shape.

Coral signs the raw body with HMAC-SHA256 under the phase's signing secret and sends
`X-Coral-Signature: sha256=<hex>[,sha256=<hex>...]` (several while a rotated secret is still active).
Timestamped `t=<unix>,v1=<hex>` / `t=<unix>,sig=<hex>` headers over `"<t>.<body>"` are accepted too,
within a five-minute window, for proxies that re-sign requests that way.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy.orm import Session

from service.domain.compat.screening import Incoming, Screened, screen
from service.domain.errors import FieldError, NotFound, Unauthenticated, ValidationFailed
from service.domain.model_registry import ModelRegistry
from service.domain.sites import get_site_by_name
from service.storage.models import Site

SOURCE = "coral"
SECRET_SETTING = "coral_signing_secret"  # noqa: S105 - the name of a setting, not a secret
TOLERANCE_SECONDS = 300
ACTIONS = ("NEW", "EDIT")
# Staff write the publication's own comments; second-guessing them is not this phase's job.
TRUSTED_ROLES = ("STAFF", "MODERATOR", "ADMIN")
FLAG_REASONS = {"spam": "COMMENT_DETECTED_SPAM", "toxic": "COMMENT_DETECTED_TOXIC"}


@dataclass(frozen=True)
class CoralRequest:
    action: str
    body: str
    author_id: str | None
    author_role: str | None
    story_url: str | None
    story_id: str | None


def site_for_signed_request(session: Session, site_name: str, body: bytes, header: str | None,
                            now: float | None = None) -> Site:
    """The named site, once the body's signature checks out against its Coral signing secret."""
    try:
        site = get_site_by_name(session, site_name)
    except NotFound:
        raise Unauthenticated("the request is not signed with a known site's Coral signing secret") from None
    secret = (site.settings or {}).get(SECRET_SETTING)
    if not secret:
        raise Unauthenticated(f"this site has no Coral signing secret (set settings.{SECRET_SETTING})")
    if not header:
        raise Unauthenticated("the X-Coral-Signature header is missing")
    if not signature_valid(str(secret), body, header, now=now):
        raise Unauthenticated("the X-Coral-Signature header does not match the body")
    return site


def signature_valid(secret: str, body: bytes, header: str, *, now: float | None = None) -> bool:
    """Check Coral's `sha256=` signatures, or a timestamped `t=`/`v1=` (or `sig=`) signature, in constant time."""
    pairs = [part.strip().partition("=") for part in header.split(",")]
    values: dict[str, list[str]] = {}
    for name, sep, value in pairs:
        if sep and value:
            values.setdefault(name.strip().lower(), []).append(value.strip().lower())
    key = secret.encode("utf-8")
    candidates = []
    if values.get("sha256"):
        candidates.append((hmac.new(key, body, hashlib.sha256).hexdigest(), values["sha256"]))
    stamped = values.get("v1", []) + values.get("sig", [])
    if stamped and values.get("t"):
        stamp = values["t"][0]
        now = time.time() if now is None else now
        if stamp.isdigit() and abs(now - int(stamp)) <= TOLERANCE_SECONDS:
            signed = stamp.encode() + b"." + body
            candidates.append((hmac.new(key, signed, hashlib.sha256).hexdigest(), stamped))
    matched = False
    for expected, given in candidates:
        for signature in given:
            # Compare every candidate so timing does not reveal which one matched.
            matched |= hmac.compare_digest(expected, signature)
    return matched


def parse_request(body: Mapping) -> CoralRequest:
    """Validate an ExternalModerationRequest; raise ValidationFailed naming the offending field."""
    errors = []
    action = body.get("action")
    if action not in ACTIONS:
        errors.append(FieldError("action", "must be NEW or EDIT"))
    comment = body.get("comment")
    text = comment.get("body") if isinstance(comment, dict) else None
    if not isinstance(text, str):
        errors.append(FieldError("comment.body", "is required and must be a string"))
    elif "\x00" in text:
        errors.append(FieldError("comment.body", "must not contain NUL characters"))
    author = body.get("author") if isinstance(body.get("author"), dict) else {}
    story = body.get("story") if isinstance(body.get("story"), dict) else {}
    for field, value in (("author.id", author.get("id")), ("author.role", author.get("role")),
                         ("story.id", story.get("id")), ("story.url", story.get("url"))):
        if value is not None and not isinstance(value, str):
            errors.append(FieldError(field, "must be a string"))
    if errors:
        raise ValidationFailed(errors)
    return CoralRequest(action=action, body=text, author_id=author.get("id"), author_role=author.get("role"),
                        story_url=story.get("url"), story_id=story.get("id"))


def moderate(session: Session, registry: ModelRegistry, defaults: Mapping, site: Site,
             req: CoralRequest) -> dict | None:
    """Coral's ExternalModerationResponse for the comment, or None for "no opinion" (HTTP 204)."""
    if (req.author_role or "").upper() in TRUSTED_ROLES:
        return None
    incoming = Incoming(content=req.body, thread=req.story_url or req.story_id or site.url,
                        author_name=f"coral:{req.author_id}" if req.author_id else "coral")
    store = bool((site.settings or {}).get("coral_store_comments"))
    return response_for(screen(session, registry, defaults, site, incoming, store=store, source=SOURCE))


def response_for(screened: Screened) -> dict | None:
    """Map a routing to Coral's response; Coral refuses any key besides actions, status and tags."""
    status = screened.routing.status
    if status == "approved":
        return None
    codes = [reason.code for reason in screened.routing.reasons]
    actions = [{"actionType": "FLAG", "reason": FLAG_REASONS[code]}
               for code in dict.fromkeys(codes) if code in FLAG_REASONS]
    if status == "rejected":
        coral_status = "REJECTED"
    elif actions:
        coral_status = "SYSTEM_WITHHELD"
    else:
        coral_status = "PREMOD"  # held by a site rule (pre-moderation) rather than by a model
    return {"status": coral_status, "actions": actions, "tags": []}
