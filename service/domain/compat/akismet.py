"""Akismet 1.1 semantics: keys and blog URLs, comment-check verdicts, submit-spam/ham feedback."""

from __future__ import annotations

import ipaddress
import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlsplit

from email_validator import EmailNotValidError, validate_email
from sqlalchemy.orm import Session

from service.domain.compat.akismet_match import find_stored, make_guid
from service.domain.compat.akismet_wordpress import HELD_ANSWER, unslashed
from service.domain.compat.feedback import label_stored_comment, label_text
from service.domain.compat.screening import Incoming, screen
from service.domain.errors import FieldError, Unauthenticated, ValidationFailed
from service.domain.model_registry import ModelRegistry
from service.domain.policy import Reason, RuleFinding
from service.domain.sites import AKISMET_SCOPE, KEY_SCOPES, authenticate_key, normalise_presented_key
from service.storage.models import Comment, Site

SOURCE = "akismet"
REQUIRED = ("blog", "user_ip")
_LANGUAGE = re.compile(r"^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$")
_TRUE = ("1", "true", "yes", "on")
# Akismet documents that comment-check always answers `false` for an administrator's own content.
_ADMINISTRATOR = RuleFinding("approved", Reason("administrator", "rule", "the client says the author is an "
                                                "administrator of the site"), overrides=True)
_HONEYPOT = RuleFinding("rejected", Reason("honeypot", "rule", "the form's hidden honeypot field was filled in"))
SPAM_CODES = ("spam", "banned_author", "honeypot")


class KeyRejected(Unauthenticated):
    """The API key or blog URL cannot be used; Akismet answers `invalid` and says why in a debug header."""


@dataclass(frozen=True)
class AkismetComment:
    """A comment-check or submit-* request, validated and mapped to Moderato's fields."""

    incoming: Incoming
    is_test: bool
    comment_type: str | None
    user_role: str | None
    recheck_reason: str | None
    honeypot_filled: bool
    guid: str | None


@dataclass(frozen=True)
class CheckVerdict:
    """comment-check's answer: `body` ("true", "false" or HELD_ANSWER), `discard` the pro-tip header,
    `guid` the request id."""

    body: str
    discard: bool
    guid: str
    comment_id: int | None

    @property
    def is_spam(self) -> bool:
        return self.body == "true"


def authenticate(session: Session, key: str | None, blog: str | None, *, check_blog: bool = True) -> Site:
    """The site whose full or Akismet-format key `key` is, provided `blog` names the same host as its URL
    (the 1.2 account calls send no blog: `check_blog=False`)."""
    if not key:
        raise KeyRejected("Empty \"api_key\" value")
    try:
        site, scope = authenticate_key(session, normalise_presented_key(key), scopes=(*KEY_SCOPES, AKISMET_SCOPE))
    except Unauthenticated:
        raise KeyRejected("Invalid key") from None
    if scope == "submit":
        raise KeyRejected("Publishable (submit-scope) keys cannot be used as Akismet keys; use the site's full key "
                          "or an Akismet-format key")
    if check_blog and not same_host(blog or "", site.url):
        raise KeyRejected("The blog URL does not match the URL of the site this key belongs to")
    return site


def same_host(blog: str, site_url: str) -> bool:
    """Whether two URLs name the same host, ignoring scheme, port, case and a leading `www.`."""
    def host(url: str) -> str:
        try:
            name = urlsplit(url.strip()).hostname or ""
        except ValueError:
            return ""
        return name.removeprefix("www.")

    return bool(host(blog)) and host(blog) == host(site_url)


def parse_comment(form: Mapping[str, str], *, slashed: bool = False) -> AkismetComment:
    """Validate Akismet's form fields; raise ValidationFailed naming each missing or unusable one.

    With `slashed`, WordPress's added slashes are taken off the text fields first, so the comment is
    stored, shown and matched as its author wrote it."""
    if slashed:
        form = unslashed(form)
    errors = [FieldError(name, f"Missing required field: {name}.") for name in REQUIRED if not _get(form, name)]
    for name, value in form.items():
        if "\x00" in value:
            errors.append(FieldError(name[:100], "must not contain NUL characters"))
    ip = _get(form, "user_ip")
    if ip:
        try:
            ip = str(ipaddress.ip_address(ip))
        except ValueError:
            errors.append(FieldError("user_ip", "must be an IPv4 or IPv6 address"))
    if errors:
        raise ValidationFailed(errors)
    honeypot_name = _get(form, "honeypot_field_name")
    incoming = Incoming(
        content=form.get("comment_content", ""),
        thread=_get(form, "permalink") or form["blog"].strip(),
        author_name=_get(form, "comment_author") or "anonymous",
        author_email=_email(_get(form, "comment_author_email")),
        author_url=_http_url(_get(form, "comment_author_url")),
        user_ip=ip,
        user_agent=_get(form, "user_agent"),
        referrer=_http_url(_get(form, "referrer")),
        language=_language(_get(form, "blog_lang")),
    )
    return AkismetComment(
        incoming=incoming,
        is_test=(_get(form, "is_test") or "").lower() in _TRUE,
        comment_type=_get(form, "comment_type"),
        user_role=_get(form, "user_role"),
        recheck_reason=_get(form, "recheck_reason"),
        honeypot_filled=bool(honeypot_name and _get(form, honeypot_name)),
        guid=_get(form, "guid"),
    )


def comment_check(session: Session, registry: ModelRegistry, defaults: Mapping, site: Site, request: AkismetComment,
                  *, secret: str, can_hold: bool = False) -> CheckVerdict:
    """Score the comment now; store it with its decision unless it is a test or a re-check of a stored one.

    A re-check of a stored comment answers with what Moderato has decided since (a moderator may have).
    `can_hold`: the client (WordPress) understands HELD_ANSWER, so a comment held for a person, not for
    spam, is answered with it instead of `false`, and WordPress keeps it unpublished."""
    findings = []
    if (request.user_role or "").lower() == "administrator":
        findings.append(_ADMINISTRATOR)
    if request.honeypot_filled:
        findings.append(_HONEYPOT)
    existing = None
    if request.recheck_reason:
        # A re-check (after an outage, an edit, or of WordPress's queue) must not queue the comment twice.
        existing = find_stored(session, site, request.incoming, guid=request.guid, secret=secret)
    if existing is not None and existing.status in ("approved", "rejected", "held"):
        return CheckVerdict(body=_answer(existing.status, _stored_codes(existing), can_hold),
                            discard=False, guid=make_guid(secret, existing.id), comment_id=existing.id)
    store = not request.is_test and existing is None
    screened = screen(session, registry, defaults, site, request.incoming, store=store, source=SOURCE,
                      findings=tuple(findings))
    stored = screened.comment or existing
    spam = screened.scores.get("spam", 0.0)
    body = _answer(screened.routing.status, {r.code for r in screened.routing.reasons}, can_hold)
    return CheckVerdict(
        body=body,
        discard=body == "true" and (request.honeypot_filled or spam >= screened.thresholds.spam_reject),
        guid=make_guid(secret, stored.id) if stored is not None else str(uuid.uuid4()),
        comment_id=stored.id if stored is not None else None,
    )


def _answer(status: str, codes: set[str], can_hold: bool) -> str:
    if any(code in SPAM_CODES for code in codes) and status != "approved":
        return "true"
    if status == "rejected":
        return "true"  # Akismet has one way to say "do not publish": spam
    if status == "held" and can_hold:
        return HELD_ANSWER
    return "false"


def _stored_codes(comment: Comment) -> set[str]:
    return {str(reason.get("code")) for reason in (comment.reasons or []) if isinstance(reason, dict)}


def submit(session: Session, site: Site, request: AkismetComment, *, is_spam: bool, secret: str) -> str:
    """Turn submit-spam/ham into a label; returns what was labelled: "comment", "example" or "nothing"."""
    if request.is_test:
        return "nothing"
    endpoint = "submit-spam" if is_spam else "submit-ham"
    provenance = {
        "via": SOURCE, "endpoint": endpoint, "site": site.name, "comment_type": request.comment_type,
        "user_role": request.user_role, "received_at": datetime.now(UTC).isoformat(),
    }
    comment = find_stored(session, site, request.incoming, guid=request.guid, secret=secret)
    if comment is not None:
        label_stored_comment(session, comment, is_spam=is_spam, actor=f"{SOURCE}:{site.name}", source=SOURCE,
                             provenance={**provenance, "comment_id": comment.id})
        return "comment"
    if not request.incoming.content.strip():
        return "nothing"
    label_text(session, site, text=request.incoming.content, label_spam=1 if is_spam else 0, label_toxic=None,
               source=SOURCE, provenance=provenance, author_name=request.incoming.author_name,
               author_url=request.incoming.author_url)
    return "example"


def _get(form: Mapping[str, str], name: str) -> str | None:
    value = form.get(name)
    return value.strip() or None if isinstance(value, str) else None


def _email(value: str | None) -> str | None:
    if not value:
        return None
    try:
        return validate_email(value, check_deliverability=False).normalized
    except EmailNotValidError:
        # Akismet clients send whatever the form held; a malformed address is still worth matching bans on.
        return value.lower()


def _http_url(value: str | None) -> str | None:
    # Only http(s): these are shown to moderators as links, and a javascript: URL must never become one.
    if not value:
        return None
    try:
        parts = urlsplit(value)
    except ValueError:
        return None
    return value if parts.scheme.lower() in ("http", "https") and parts.hostname else None


def _language(value: str | None) -> str | None:
    # blog_lang is a comma-separated list of locales such as "en_us, fr_ca"; the first one is the blog's.
    if not value:
        return None
    first = value.split(",")[0].strip().replace("_", "-")
    return first if _LANGUAGE.match(first) else None
