"""Sites and their API keys."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlsplit

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.domain.errors import Conflict, FieldError, NotFound, Unauthenticated, ValidationFailed
from service.domain.secrets import new_token, token_hash, token_prefix
from service.storage.models import ApiKey, Site

KEY_SCOPES = ("full", "submit")


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
    if scope not in KEY_SCOPES:
        raise ValidationFailed([FieldError("scope", f"must be one of {', '.join(KEY_SCOPES)}")])
    key = new_token("mod_pub" if scope == "submit" else "mod_key")
    session.add(ApiKey(site_id=site.id, prefix=token_prefix(key), key_hash=token_hash(key), scope=scope,
                       label=label))
    session.flush()
    return IssuedKey(site=site, key=key, scope=scope)


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


def authenticate_key(session: Session, key: str | None) -> tuple[Site, str]:
    """Return the site and scope a live API key belongs to, or raise Unauthenticated."""
    if not key:
        raise Unauthenticated("missing API key")
    row = session.execute(
        select(Site, ApiKey.scope)
        .join(ApiKey, ApiKey.site_id == Site.id)
        .where(ApiKey.key_hash == token_hash(key), ApiKey.revoked_at.is_(None))
    ).first()
    if row is None:
        raise Unauthenticated("unknown or revoked API key")
    return row[0], row[1]


def get_site_by_name(session: Session, name: str) -> Site:
    site = session.scalar(select(Site).where(Site.name == name))
    if site is None:
        raise NotFound(f"no site named {name!r}")
    return site
