"""Site API key authentication for the submission API."""

from __future__ import annotations

from flask import request

from service.domain.errors import Unauthenticated
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
