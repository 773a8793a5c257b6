"""Akismet key guessing: a client address that presents too many wrong keys is refused for a while.

An Akismet-format key has 48 bits. At AKISMET_KEY_FAILURE_LIMIT's default of 20 wrong keys an hour per
address (per /64 for IPv6, since one host holds a whole /64), finding one key of a site takes about
10^12 address-hours. While an address is over the limit every key it presents is refused, right or
wrong, so the refusal itself tells a guesser nothing. Counted in the rate limiter's storage (Redis when
configured); when that storage fails the guard counts in this process's memory for a few seconds.
"""

from __future__ import annotations

import ipaddress
import logging
import math
import time

from flask import Flask, current_app, request
from limits import RateLimitItem, parse
from limits.storage import MemoryStorage, storage_from_string
from limits.strategies import FixedWindowRateLimiter

from service.config import ConfigError

log = logging.getLogger(__name__)
PREFIX = "moderato-akismet-keys"
RETRY_STORAGE_SECONDS = 5.0


class KeyGuard:
    """Counts wrong Akismet keys per client address and says when an address must wait."""

    def __init__(self, limit: str | None, storage_uri: str | None):
        try:
            self.item: RateLimitItem | None = parse(limit) if limit else None
        except ValueError:
            raise ConfigError(f"AKISMET_KEY_FAILURE_LIMIT must be a limit such as 20/hour, got {limit!r}") from None
        self.storage_uri = storage_uri or "memory://"
        self._strategy: FixedWindowRateLimiter | None = None
        self._fallback = FixedWindowRateLimiter(MemoryStorage())
        self._down_until = 0.0

    def retry_after(self) -> int | None:
        """Seconds the calling address must wait before presenting keys again, or None."""
        if self.item is None:
            return None
        strategy = self._pick()
        identity = client_bucket()
        try:
            if strategy.test(self.item, PREFIX, identity):
                return None
            reset = strategy.get_window_stats(self.item, PREFIX, identity).reset_time
        except Exception as exc:  # noqa: BLE001 - storage failure: count in memory for a while
            self._storage_failed(exc)
            return None
        return max(1, min(math.ceil(reset - time.time()), self.item.get_expiry()))

    def failed(self) -> None:
        """Count one wrong key from the calling address."""
        if self.item is None:
            return
        try:
            self._pick().hit(self.item, PREFIX, client_bucket())
        except Exception as exc:  # noqa: BLE001
            self._storage_failed(exc)
            self._fallback.hit(self.item, PREFIX, client_bucket())

    def _pick(self) -> FixedWindowRateLimiter:
        if time.monotonic() < self._down_until:
            return self._fallback
        if self._strategy is None:
            options = {"socket_connect_timeout": 0.5, "socket_timeout": 0.5} if self.storage_uri.startswith(
                "redis") else {}
            self._strategy = FixedWindowRateLimiter(storage_from_string(self.storage_uri, **options))
        return self._strategy

    def _storage_failed(self, exc: Exception) -> None:
        log.warning("akismet_guard_storage_unavailable", extra={"error": type(exc).__name__})
        self._down_until = time.monotonic() + RETRY_STORAGE_SECONDS


def client_bucket() -> str:
    """The calling address, IPv6 cut to its /64."""
    raw = request.remote_addr or "unknown"
    try:
        address = ipaddress.ip_address(raw)
    except ValueError:
        return raw
    if address.version == 6:
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(address)


def init_guard(app: Flask) -> None:
    """Attach the key guard to `app` (nothing connects until the first Akismet request)."""
    storage = app.config.get("RATELIMIT_STORAGE_URI") or app.config.get("REDIS_URL")
    app.extensions["akismet_key_guard"] = KeyGuard(app.config.get("AKISMET_KEY_FAILURE_LIMIT"), storage)


def guard() -> KeyGuard:
    return current_app.extensions["akismet_key_guard"]
