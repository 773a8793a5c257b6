"""Rate limits on submissions, per API key and per client IP (Flask-Limiter; Redis storage when configured).

A site may set its own limits in `sites.settings`: `rate_limit_per_key` and `rate_limit_per_ip`, in
Flask-Limiter notation such as "30/minute;500/hour". Over the limit: 429 problem+json with Retry-After.
"""

from __future__ import annotations

import functools
import math
import threading
import time
from urllib.parse import parse_qsl

from flask import Flask, current_app, request
from flask_limiter import Limiter, RequestLimit
from flask_limiter.errors import RateLimitExceeded
from limits import parse_many
from sqlalchemy import select

from service.domain.secrets import token_hash
from service.http.auth import bearer_token
from service.http.problems import problem
from service.storage.models import ApiKey, Site

LIMITED_ENDPOINTS = ("comments_api.submit_comment",)
_SETTINGS_TTL = 30.0


class _SiteLimitCache:
    """Per-process cache of each key's site limits, so a limit check costs no query most of the time."""

    def __init__(self):
        self._lock = threading.Lock()
        self._entries: dict[str, tuple[float, dict]] = {}

    def settings_for(self, key_hash: str) -> dict:
        now = time.monotonic()
        with self._lock:
            hit = self._entries.get(key_hash)
        if hit and now - hit[0] < _SETTINGS_TTL:
            return hit[1]
        settings = _load_site_settings(key_hash)
        with self._lock:
            if len(self._entries) > 10_000:
                self._entries.clear()
            self._entries[key_hash] = (now, settings)
        return settings


def _load_site_settings(key_hash: str) -> dict:
    try:
        with current_app.extensions["db"].session() as session:
            settings = session.scalar(
                select(Site.settings).join(ApiKey, ApiKey.site_id == Site.id).where(ApiKey.key_hash == key_hash)
            )
    except Exception:  # noqa: BLE001 - a database outage is reported by the view itself, not here
        return {}
    return dict(settings or {})


def _presented_key() -> str | None:
    token = bearer_token()
    if token is None and request.mimetype == "application/x-www-form-urlencoded":
        # Read the cached raw body: touching request.form would consume the stream the view parses.
        raw = request.get_data(cache=True).decode("utf-8", "replace")
        try:
            token = dict(parse_qsl(raw, max_num_fields=50)).get("site_key") or None
        except ValueError:
            token = None  # the view answers the malformed body
    return token


def api_key_identity() -> str:
    """Rate-limit bucket of the calling API key (its hash, never the key); anonymous calls share one."""
    token = _presented_key()
    return "key:" + (token_hash(token)[:32] if token else "anonymous")


def client_ip_identity() -> str:
    return "ip:" + (request.remote_addr or "unknown")


def _site_limit(setting: str, config_key: str) -> str:
    default = str(current_app.config.get(config_key))
    token = _presented_key()
    if not token:
        return default
    value = current_app.extensions["ratelimit_sites"].settings_for(token_hash(token)).get(setting)
    if isinstance(value, str):
        try:
            parse_many(value)
            return value
        except ValueError:
            pass  # a bad site setting must not disable limiting: fall back to the default
    return default


def per_key_limit() -> str:
    return _site_limit("rate_limit_per_key", "RATELIMIT_PER_KEY")


def per_ip_limit() -> str:
    return _site_limit("rate_limit_per_ip", "RATELIMIT_PER_IP")


def _too_many(limit: RequestLimit):
    # Never more than the window: the storage's reset time is rounded up to a whole second.
    retry_after = min(max(1, math.ceil(limit.reset_at - time.time())), limit.limit.get_expiry())
    scope = "API key" if limit.key.find("key:") >= 0 else "client IP"
    return problem(
        429,
        f"Too many requests for this {scope}: the limit is {limit.limit}. Retry after {retry_after} s.",
        errors=[{"field": "Authorization" if scope == "API key" else "client_ip",
                 "message": f"over the limit of {limit.limit}"}],
        headers={"Retry-After": str(retry_after)},
    )


def _per_app_view(original):
    """A fresh function per app around a blueprint's view: the limiter marks the functions it wraps, and
    the blueprint's function object is shared by every app built in this process (tests build many)."""

    def view(*args, **kwargs):
        return original(*args, **kwargs)

    functools.update_wrapper(view, original, updated=())
    return view


def init_ratelimit(app: Flask) -> Limiter:
    """Attach a limiter to `app` and limit the submission endpoint per key and per IP."""
    # Defaults for RATELIMIT_ENABLED, _PER_KEY and _PER_IP live in service.config.DEFAULTS.
    redis_url = app.config.get("RATELIMIT_STORAGE_URI") or app.config.get("REDIS_URL")
    limiter = Limiter(
        api_key_identity,
        app=app,
        storage_uri=redis_url or "memory://",
        # Never let a Redis outage take submissions down with it: fall back to per-process counting.
        storage_options={"socket_connect_timeout": 0.5, "socket_timeout": 0.5} if redis_url else {},
        swallow_errors=True,
        in_memory_fallback_enabled=True,
        strategy="fixed-window",
        headers_enabled=bool(app.config["RATELIMIT_HEADERS_ENABLED"]),
        key_prefix="moderato-rl",
        enabled=bool(app.config["RATELIMIT_ENABLED"]),
    )
    app.extensions["ratelimit_sites"] = _SiteLimitCache()
    # The wrapped views hold the limiter only weakly, and a disabled Limiter does not register itself in
    # app.extensions: without this reference it is garbage-collected and every limited request raises.
    app.extensions["ratelimit_limiter"] = limiter

    @app.errorhandler(RateLimitExceeded)
    def _rate_limited(exc: RateLimitExceeded):
        # The problem+json built by `_too_many` rides on the exception; the generic HTTP handler would drop it.
        return exc.response or problem(429, f"Too many requests: the limit is {exc.description}.",
                                       headers={"Retry-After": "60"})

    if not app.config["RATELIMIT_ENABLED"]:
        return limiter
    for endpoint in LIMITED_ENDPOINTS:
        view = _per_app_view(app.view_functions[endpoint])
        view = limiter.limit(per_key_limit, key_func=api_key_identity, on_breach=_too_many)(view)
        view = limiter.limit(per_ip_limit, key_func=client_ip_identity, on_breach=_too_many)(view)
        app.view_functions[endpoint] = view
    return limiter
