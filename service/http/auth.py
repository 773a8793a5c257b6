"""Site API key authentication for the submission API."""

from __future__ import annotations

import time

from flask import current_app, request

from service.domain.errors import Unauthenticated
from service.domain.secrets import token_hash
from service.domain.sites import authenticate_key
from service.storage.models import Site


def bearer_token() -> str | None:
    """The token from `Authorization: Bearer <token>`, or None if absent or malformed."""
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


def site_from_request(session, *, form_key: str | None = None, need_full: bool = False) -> tuple[Site, str]:
    """Authenticate the calling site by its bearer key (or a publishable key posted by an HTML form)."""
    token = bearer_token()
    if token is None and form_key:
        site, scope = authenticate_key(session, form_key)
        if scope != "submit":
            # A full key in a public HTML form would leak read access; only publishable keys go there.
            raise Unauthenticated("only publishable (submit-scope) keys may be sent as a form field")
        return site, scope
    site, scope = authenticate_key(session, token)
    if need_full and scope != "full":
        raise Unauthenticated("this key may only submit comments")
    return site, scope


class SiteKeyCache:
    """Per-process memory of recently authenticated keys: key hash -> (site id, scope), for ttl seconds.

    The submission path is the hot one; this saves it a query per request. Only successful lookups are
    kept, so a new key works at once; a revoked key keeps working for at most `ttl` seconds in a process
    that saw it just before (AUTH_CACHE_SECONDS; 0 turns the cache off).
    """

    MAX_ENTRIES = 10_000

    def __init__(self, ttl: float):
        self.ttl = float(ttl)
        self._entries: dict[str, tuple[float, int, str]] = {}

    def get(self, key_hash: str) -> tuple[int, str] | None:
        hit = self._entries.get(key_hash)
        if hit is None or time.monotonic() - hit[0] >= self.ttl:
            return None
        return hit[1], hit[2]

    def put(self, key_hash: str, site_id: int, scope: str) -> None:
        if self.ttl <= 0:
            return
        if len(self._entries) >= self.MAX_ENTRIES:
            self._entries.clear()
        self._entries[key_hash] = (time.monotonic(), site_id, scope)

    def clear(self) -> None:
        self._entries.clear()


def submitting_site(session, *, form_key: str | None = None) -> int:
    """The id of the site a submission comes from: `site_from_request`'s checks, with SiteKeyCache."""
    token = bearer_token()
    key, from_form = (form_key, True) if token is None and form_key else (token, False)
    if not key:
        raise Unauthenticated("missing API key")
    cache: SiteKeyCache = current_app.extensions["site_keys"]
    digest = token_hash(key)
    hit = cache.get(digest)
    if hit is None:
        site, scope = site_from_request(session, form_key=form_key)
        cache.put(digest, site.id, scope)
        return site.id
    site_id, scope = hit
    if from_form and scope != "submit":
        raise Unauthenticated("only publishable (submit-scope) keys may be sent as a form field")
    return site_id
