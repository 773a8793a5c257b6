"""Site API key authentication for the submission API."""

from __future__ import annotations

import time
from dataclasses import dataclass

from flask import current_app, request
from sqlalchemy import select

from service.domain.errors import Unauthenticated
from service.domain.secrets import token_hash
from service.domain.sites import authenticate_key, check_scope_allowed
from service.storage.models import ApiKey, Site


def bearer_token() -> str | None:
    """The token from `Authorization: Bearer <token>`, or None if absent or malformed."""
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


def _presented_key(form_key: str | None) -> tuple[str | None, bool]:
    """The key the caller presents, and whether it came from an HTML form (the bearer header wins)."""
    token = bearer_token()
    return (form_key, True) if token is None and form_key else (token, False)


def _check_form_scope(from_form: bool, scope: str) -> None:
    if from_form and scope != "submit":
        # A full key in a public HTML form would leak read access; only publishable keys go there.
        raise Unauthenticated("only publishable (submit-scope) keys may be sent as a form field")


def site_from_request(session, *, form_key: str | None = None, need_full: bool = False) -> tuple[Site, str]:
    """Authenticate the calling site by its bearer key (or a publishable key posted by an HTML form)."""
    key, from_form = _presented_key(form_key)
    site, scope = authenticate_key(session, key)
    _check_form_scope(from_form, scope)
    if need_full and scope != "full":
        raise Unauthenticated("this key may only submit comments")
    return site, scope


@dataclass(frozen=True)
class KnownKey:
    """What a live site key grants: its site, its scope, and the site's settings (rate limits read them)."""

    site_id: int
    scope: str
    settings: dict


class SiteKeyCache:
    """Per-process memory of looked-up site keys: key hash -> KnownKey (or None: unknown or revoked).

    The submission path is the hot one: authentication and the rate limiter's per-site limits share this
    one lookup instead of a query each per request. Entries live `ttl` seconds (AUTH_CACHE_SECONDS; 0
    turns the cache off), so a revoked key keeps working, and a site's new settings wait, for at most that
    long in a process that just used the key. Remembering unknown keys is safe: a key is a random secret,
    so nobody presents one before it is issued.
    """

    MAX_ENTRIES = 10_000

    def __init__(self, ttl: float):
        self.ttl = float(ttl)
        self._entries: dict[str, tuple[float, KnownKey | None]] = {}

    def lookup(self, key: str) -> KnownKey | None:
        """The live key's grant, from memory or the database (whose errors propagate)."""
        digest = token_hash(key)
        hit = self._entries.get(digest)
        if hit is not None and time.monotonic() - hit[0] < self.ttl:
            return hit[1]
        known = _load_key(digest)
        if self.ttl > 0:
            if len(self._entries) >= self.MAX_ENTRIES:
                self._entries.clear()
            self._entries[digest] = (time.monotonic(), known)
        return known

    def clear(self) -> None:
        self._entries.clear()


def _load_key(digest: str) -> KnownKey | None:
    with current_app.extensions["db"].session() as session:
        row = session.execute(
            select(ApiKey.site_id, ApiKey.scope, Site.settings)
            .join(Site, Site.id == ApiKey.site_id)
            .where(ApiKey.key_hash == digest, ApiKey.revoked_at.is_(None))
        ).first()
    return None if row is None else KnownKey(row[0], row[1], dict(row[2] or {}))


def submitting_site(*, form_key: str | None = None) -> int:
    """The id of the site a submission comes from, with `site_from_request`'s checks and SiteKeyCache."""
    key, from_form = _presented_key(form_key)
    if not key:
        raise Unauthenticated("missing API key")
    known: KnownKey | None = current_app.extensions["site_keys"].lookup(key)
    if known is None:
        raise Unauthenticated("unknown or revoked API key")
    check_scope_allowed(known.scope)
    _check_form_scope(from_form, known.scope)
    return known.site_id
