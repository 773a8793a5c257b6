"""Rate limits on submissions, per API key and per client IP (Flask-Limiter; Redis storage when configured).

A site may set its own limits in `sites.settings`: `rate_limit_per_key` and `rate_limit_per_ip`, in
Flask-Limiter notation such as "30/minute;500/hour". Over the limit: 429 problem+json with Retry-After.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import math
import time
from dataclasses import dataclass
from urllib.parse import parse_qsl

from flask import Flask, current_app, request
from flask_limiter import Limiter
from flask_limiter.errors import RateLimitExceeded
from limits import RateLimitItem, parse_many
from limits.storage import MemoryStorage, RedisStorage
from limits.strategies import FixedWindowRateLimiter
from redis.exceptions import NoScriptError

from service.domain.secrets import token_hash
from service.http.auth import bearer_token
from service.http.problems import problem
from service.storage.redis_direct import DirectRedis

LIMITED_ENDPOINTS = ("comments_api.submit_comment",)
KEY_PREFIX = "moderato-rl"
log = logging.getLogger(__name__)


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
    return _key_bucket(_presented_key())


def _key_bucket(token: str | None) -> str:
    return "key:" + (token_hash(token)[:32] if token else "anonymous")


def client_ip_identity() -> str:
    return "ip:" + (request.remote_addr or "unknown")


def _site_settings(token: str | None) -> dict:
    """The presenting site's settings (from the shared SiteKeyCache), or {} for an unknown caller."""
    if not token:
        return {}
    try:
        known = current_app.extensions["site_keys"].lookup(token)
    except Exception:  # noqa: BLE001 - a database outage is reported by the view itself, not here
        return {}
    return known.settings if known is not None else {}


@dataclass(frozen=True)
class Breach:
    """A limit the request went over: which one, whose bucket, and when its window resets (epoch s)."""

    limit: RateLimitItem
    scope: str  # "API key" or "client IP"
    reset_at: float


class SubmissionLimits:
    """The per-key and per-IP limits of the submission endpoint, counted with the Flask-Limiter instance's
    own storage (Redis when configured) and fixed-window strategy, but checked directly: Flask-Limiter's
    per-decorator request bookkeeping cost as much CPU as validating and storing the comment
    (bench/ingest.py, `full` against `no_limits`). All of a request's counters are incremented in one
    Redis round trip, including those of a limit another one already breached (a refused request still
    counts). If the storage fails, counting falls back to this process's memory for a few seconds, so a Redis outage
    never refuses submissions."""

    RETRY_STORAGE_SECONDS = 5.0

    def __init__(self, limiter: Limiter):
        self.limiter = limiter
        self.fallback = FixedWindowRateLimiter(MemoryStorage())
        self._parsed: dict[str, list[RateLimitItem]] = {}
        self._storage_down_until = 0.0
        self._direct: DirectRedis | None = None

    def items(self, value: str) -> list[RateLimitItem]:
        parsed = self._parsed.get(value)
        if parsed is None:
            if len(self._parsed) > 1000:
                self._parsed.clear()
            parsed = self._parsed[value] = list(parse_many(value))
        return parsed

    def check(self) -> Breach | None:
        """Count this request against every limit; the first one it went over, or None."""
        token = _presented_key()
        settings = _site_settings(token)
        hits = [(item, identity, scope)
                for setting, config_key, identity, scope in (
                    ("rate_limit_per_key", "RATELIMIT_PER_KEY", _key_bucket(token), "API key"),
                    ("rate_limit_per_ip", "RATELIMIT_PER_IP", client_ip_identity(), "client IP"))
                for item in self.site_items(settings.get(setting), config_key)]
        strategy, counts = self._count(hits)
        for (item, identity, scope), count in zip(hits, counts, strict=True):
            if count > item.amount:
                reset = strategy.get_window_stats(item, KEY_PREFIX, identity).reset_time
                return Breach(item, scope, reset)
        return None

    def site_items(self, value, config_key: str) -> list[RateLimitItem]:
        """A site's own limits where it set valid ones, else the configured default."""
        if isinstance(value, str):
            try:
                return self.items(value)
            except ValueError:
                pass  # a bad site setting must not disable limiting: fall back to the default
        return self.items(str(current_app.config.get(config_key)))

    def _count(self, hits: list[tuple[RateLimitItem, str, str]]) -> tuple[FixedWindowRateLimiter, list[int]]:
        """Increment every (limit, bucket) counter; returns the strategy that counted and the new counts."""
        if time.monotonic() >= self._storage_down_until:
            strategy = self.limiter.limiter
            try:
                return strategy, _increment(strategy.storage, hits, self._direct_redis(strategy.storage))
            except Exception as exc:  # noqa: BLE001 - any storage failure: count in memory for a while
                log.warning("ratelimit_storage_unavailable", extra={"error": type(exc).__name__})
                self._storage_down_until = time.monotonic() + self.RETRY_STORAGE_SECONDS
        return self.fallback, _increment(self.fallback.storage, hits)

    def _direct_redis(self, storage) -> DirectRedis | None:
        """The Redis storage's server, one connection per thread (made once: the storage lives with the app)."""
        if self._direct is None and isinstance(storage, RedisStorage):
            self._direct = DirectRedis(storage.get_connection())
        return self._direct


# Every counter of a request in one script call: INCR each key, give a new key its window's expiry (the
# same semantics, keys and values as the `limits` storage's own INCR-and-EXPIRE script, one key at a time).
_INCR_EXPIRE_ALL = """
local counts = {}
for i, key in ipairs(KEYS) do
    local current = redis.call("incrby", key, 1)
    if current == 1 then
        redis.call("expire", key, ARGV[i])
    end
    counts[i] = current
end
return counts
"""
# SHA-1 because EVALSHA names scripts by it; nothing here depends on its strength.
_INCR_EXPIRE_ALL_SHA = hashlib.sha1(_INCR_EXPIRE_ALL.encode(), usedforsecurity=False).hexdigest()


def _increment(storage, hits: list[tuple[RateLimitItem, str, str]], redis: DirectRedis | None = None) -> list[int]:
    """The fixed-window counters' new values; on Redis one EVALSHA round trip for all of them (the
    default limits are four counters per request; one command each cost four times the client CPU)."""
    keys = [(item.key_for(KEY_PREFIX, identity), item.get_expiry()) for item, identity, _ in hits]
    if redis is None:
        return [storage.incr(key, expiry) for key, expiry in keys]
    args = [storage.prefixed_key(key) for key, _ in keys] + [expiry for _, expiry in keys]
    try:
        counts = redis.execute("EVALSHA", _INCR_EXPIRE_ALL_SHA, len(keys), *args)
    except NoScriptError:
        # A fresh or restarted Redis has no scripts cached. NOSCRIPT means nothing ran: counted once.
        counts = redis.execute("EVAL", _INCR_EXPIRE_ALL, len(keys), *args)
    return [int(count) for count in counts]


def _too_many(breach: Breach):
    # Never more than the window: the storage's reset time is rounded up to a whole second.
    retry_after = min(max(1, math.ceil(breach.reset_at - time.time())), breach.limit.get_expiry())
    return problem(
        429,
        f"Too many requests for this {breach.scope}: the limit is {breach.limit}. Retry after {retry_after} s.",
        errors=[{"field": "Authorization" if breach.scope == "API key" else "client_ip",
                 "message": f"over the limit of {breach.limit}"}],
        headers={"Retry-After": str(retry_after)},
    )


def _limited(original, limits: SubmissionLimits):
    """A fresh function per app around a blueprint's view that answers 429 over any limit."""

    def view(*args, **kwargs):
        breach = limits.check()
        if breach is not None:
            return _too_many(breach)
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
        # X-RateLimit-* headers would cost two more Redis round trips per request; 429s carry Retry-After.
        headers_enabled=False,
        key_prefix=KEY_PREFIX,
        enabled=bool(app.config["RATELIMIT_ENABLED"]),
    )
    # A disabled Limiter does not register itself in app.extensions; SubmissionLimits uses its storage.
    app.extensions["ratelimit_limiter"] = limiter

    @app.errorhandler(RateLimitExceeded)
    def _rate_limited(exc: RateLimitExceeded):
        # Limits declared with Flask-Limiter's decorators (none today) end here, as problem+json.
        return exc.response or problem(429, f"Too many requests: the limit is {exc.description}.",
                                       headers={"Retry-After": "60"})

    if not app.config["RATELIMIT_ENABLED"]:
        return limiter
    _unhook_undeclared(app, limiter)
    limits = SubmissionLimits(limiter)
    app.extensions["ratelimit_submissions"] = limits
    for endpoint in LIMITED_ENDPOINTS:
        app.view_functions[endpoint] = _limited(app.view_functions[endpoint], limits)
    return limiter


def _unhook_undeclared(app: Flask, limiter: Limiter) -> None:
    """Take Flask-Limiter's per-request hooks off the app while no route declares a limit with it.

    SubmissionLimits counts the submission endpoint itself; with nothing declared, the extension's hooks
    only resolve empty limit sets, on every request of the app, at about 5% of the submission endpoint's
    CPU (bench/ingest.py). Declaring a limit (`@limiter.limit`, default or application limits) keeps them.
    """
    manager = limiter.limit_manager
    if limiter._marked_for_limiting or manager._default_limits or manager._application_limits:
        return
    hooks = {getattr(limiter, "_check_request_limit", None),
             getattr(limiter, "_Limiter__release_context", None)}
    app.before_request_funcs[None] = [f for f in app.before_request_funcs.get(None, []) if f not in hooks]
    app.teardown_request_funcs[None] = [f for f in app.teardown_request_funcs.get(None, []) if f not in hooks]
    app.after_request_funcs[None] = [
        f for f in app.after_request_funcs.get(None, [])
        if not (isinstance(f, functools.partial) and f.args[:1] == (limiter,))
    ]
