"""Trusting a reverse proxy's X-Forwarded-* headers, only as far as configured (werkzeug's ProxyFix).

Each PROXY_FIX_X_* setting is the number of proxies in front of Moderato that set that header (0, the
default, ignores it): behind one nginx that sets X-Forwarded-For, -Proto and -Host, set PROXY_FIX_X_FOR,
PROXY_FIX_X_PROTO and PROXY_FIX_X_HOST to 1. Trusting a header no proxy of yours sets would let any client
choose the address rate limits count and the URLs Moderato writes into documents (the Perspective
discovery document's rootUrl).
"""

from __future__ import annotations

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from service.config import ConfigError

SETTINGS = {"x_for": "PROXY_FIX_X_FOR", "x_proto": "PROXY_FIX_X_PROTO", "x_host": "PROXY_FIX_X_HOST",
            "x_port": "PROXY_FIX_X_PORT", "x_prefix": "PROXY_FIX_X_PREFIX"}


def init_proxy(app: Flask) -> None:
    """Wrap the WSGI app in ProxyFix when any PROXY_FIX_X_* setting is above 0."""
    counts = {}
    for argument, name in SETTINGS.items():
        value = app.config.get(name, 0)
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ConfigError(f"{name} must be a whole number of proxies (0 or more), got {value!r}")
        counts[argument] = value
    if any(counts.values()):
        app.wsgi_app = ProxyFix(app.wsgi_app, **counts)
