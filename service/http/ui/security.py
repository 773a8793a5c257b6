"""Browser-facing safety: the logged-in user, CSRF tokens on every form, and strict security headers."""

from __future__ import annotations

import functools
import secrets
from urllib.parse import urlsplit

from flask import abort, g, redirect, request, session, url_for

from service.domain import users
from service.extensions import db

CSRF_FIELD = "csrf_token"
# No inline script or style anywhere: templates link /static files only.
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
       "form-action 'self'; frame-ancestors 'none'; base-uri 'none'")


def csrf_token() -> str:
    """The session's CSRF token, created on first use (templates put it in every form)."""
    token = session.get("csrf")
    if not token:
        token = session["csrf"] = secrets.token_urlsafe(32)
    return token


def check_csrf() -> None:
    """Refuse a state-changing request whose form does not carry the session's CSRF token."""
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return
    expected = session.get("csrf")
    sent = request.form.get(CSRF_FIELD, "")
    if not expected or not sent or not secrets.compare_digest(expected, sent):
        abort(400, description="The form's CSRF token is missing or out of date; reload the page and retry.")


def load_user() -> None:
    """Put the session's active account (or None) in `g.user`."""
    with db().session() as s:
        user = users.active_user(s, session.get("uid"))
        if user is not None:
            s.expunge(user)
    g.user = user


def login_required(view):
    """Send anonymous visitors to /login, remembering where they were going."""

    @functools.wraps(view)
    def wrapped(*args, **kwargs):
        if g.get("user") is None:
            return redirect(url_for("ui_auth.login", next=request.full_path.rstrip("?")))
        return view(*args, **kwargs)

    return wrapped


def admin_required(view):
    """Anonymous visitors go to /login; moderators get 404 (admin pages do not exist for them)."""

    @functools.wraps(view)
    @login_required
    def wrapped(*args, **kwargs):
        if g.user.role != "admin":
            abort(404)
        return view(*args, **kwargs)

    return wrapped


def safe_next(target: str | None, default: str) -> str:
    """A local path to go back to; anything pointing off-site becomes `default`."""
    if not target:
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return default
    return target


def security_headers(response):
    """Strict headers on every HTML page the UI serves."""
    if response.mimetype == "text/html":
        response.headers["Content-Security-Policy"] = CSP
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Referrer-Policy"] = "same-origin"
        response.headers.setdefault("Cache-Control", "no-store")
    return response
