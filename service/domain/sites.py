"""Sites and their API keys."""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlsplit

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.domain.errors import Conflict, FieldError, NotFound, Unauthenticated, ValidationFailed
from service.domain.secrets import new_token, token_hash, token_prefix
from service.storage.models import ApiKey, Site

# Scopes every endpoint that takes a site key accepts (each then checks the one it needs).
KEY_SCOPES = ("full", "submit")
# An Akismet-format key: 12 lowercase hex characters, what WordPress's Akismet plugin lets an admin type in.
# Only the Akismet endpoints accept it: 48 bits are plenty against guessing at the rate those endpoints
# allow a client to fail (see service/http/compat/akismet_guard.py), but not for a bearer token anywhere else.
AKISMET_SCOPE = "akismet"
ISSUABLE_SCOPES = (*KEY_SCOPES, AKISMET_SCOPE)
AKISMET_KEY = re.compile(r"^[0-9a-f]{12}$")


@dataclass(frozen=True)
class IssuedKey:
    site: Site
    key: str  # shown once, never stored
    scope: str


def create_site(session: Session, name: str, url: str) -> IssuedKey:
    """Create a site and its first full-scope API key."""
    name = (name or "").strip()
    errors = []
    if not name or len(name) > 100:
        errors.append(FieldError("name", "must be 1-100 characters"))
    parts = urlsplit((url or "").strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        errors.append(FieldError("url", "must be an http or https URL"))
    if errors:
        raise ValidationFailed(errors)
    if session.scalar(select(Site).where(Site.name == name)) is not None:
        raise Conflict(f"a site named {name!r} already exists")
    site = Site(name=name, url=url.strip(), settings={})
    session.add(site)
    session.flush()
    return issue_key(session, site, scope="full", label="initial")


def issue_key(session: Session, site: Site, *, scope: str = "full", label: str | None = None) -> IssuedKey:
    """Create a new API key for `site`; the plain key is returned once and only its hash is stored."""
    if scope not in ISSUABLE_SCOPES:
        raise ValidationFailed([FieldError("scope", f"must be one of {', '.join(ISSUABLE_SCOPES)}")])
    if scope == AKISMET_SCOPE:
        key = _new_akismet_key(session)
        prefix = key[:4]  # the whole key would fit in a token prefix: show only a third of it
    else:
        key = new_token("mod_pub" if scope == "submit" else "mod_key")
        prefix = token_prefix(key)
    session.add(ApiKey(site_id=site.id, prefix=prefix, key_hash=token_hash(key), scope=scope, label=label))
    session.flush()
    return IssuedKey(site=site, key=key, scope=scope)


def _new_akismet_key(session: Session) -> str:
    """12 random lowercase hex characters no live or revoked key already hashes to."""
    while True:
        key = secrets.token_hex(6)
        if session.scalar(select(ApiKey.id).where(ApiKey.key_hash == token_hash(key))) is None:
            return key


def normalise_presented_key(key: str) -> str:
    """The form a presented key is hashed in: Akismet's plugin keeps the case an admin typed, keys are lowercase."""
    lowered = key.strip().lower()
    return lowered if AKISMET_KEY.match(lowered) else key


def revoke_keys(session: Session, site: Site, label: str) -> int:
    """Revoke every live key of `site` carrying `label`; returns how many."""
    return _revoke(session, site, ApiKey.label == label)


def revoke_all_keys(session: Session, site: Site, scope: str) -> int:
    """Revoke every live key of `site` with `scope` (rotating them); returns how many."""
    return _revoke(session, site, ApiKey.scope == scope)


def _revoke(session: Session, site: Site, condition) -> int:
    keys = session.scalars(
        select(ApiKey).where(ApiKey.site_id == site.id, condition, ApiKey.revoked_at.is_(None))
    ).all()
    for key in keys:
        key.revoked_at = datetime.now(UTC)
    return len(keys)


def authenticate_key(session: Session, key: str | None, scopes: tuple[str, ...] = KEY_SCOPES) -> tuple[Site, str]:
    """Return the site and scope a live API key belongs to, or raise Unauthenticated.

    Keys of a scope outside `scopes` are refused: Akismet-format keys work only where the caller
    (the Akismet endpoints) asks for them."""
    if not key:
        raise Unauthenticated("missing API key")
    row = session.execute(
        select(Site, ApiKey.scope)
        .join(ApiKey, ApiKey.site_id == Site.id)
        .where(ApiKey.key_hash == token_hash(key), ApiKey.revoked_at.is_(None))
    ).first()
    if row is None:
        raise Unauthenticated("unknown or revoked API key")
    check_scope_allowed(row[1], scopes)
    return row[0], row[1]


def check_scope_allowed(scope: str, scopes: tuple[str, ...] = KEY_SCOPES) -> None:
    """Refuse a key whose scope this endpoint does not take, saying where it does work."""
    if scope in scopes:
        return
    if scope == AKISMET_SCOPE:
        raise Unauthenticated("Akismet-format keys only work on the Akismet endpoints (/1.1/...); "
                              "use a full or publishable key here")
    raise Unauthenticated("unknown or revoked API key")


def get_site_by_name(session: Session, name: str) -> Site:
    site = session.scalar(select(Site).where(Site.name == name))
    if site is None:
        raise NotFound(f"no site named {name!r}")
    return site
