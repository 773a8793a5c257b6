"""The application factory: everything is built here, nothing at import."""

from __future__ import annotations

import os

from flask import Flask

from service import config as config_module


def create_app(test_config: dict | None = None, instance_path: str | None = None, *, web: bool = True) -> Flask:
    """Build the Flask app: config, database, Celery, blueprints and error handlers.

    With `web=False`, the app the command line uses: no HTTP layer (its blueprints import every domain
    module, scikit-learn and matplotlib included) and logs at WARNING unless LOG_LEVEL says otherwise, so a
    command answers quickly and says only what it has to say.
    """
    instance_path = instance_path or os.environ.get("MODERATO_INSTANCE_PATH") or None
    app = Flask("service", instance_path=instance_path, instance_relative_config=True)
    app.config.from_mapping(config_module.DEFAULTS)
    if not web:
        app.config["LOG_LEVEL"] = "WARNING"
    app.config.from_pyfile("moderato.cfg", silent=True)
    config_module.apply_env_aliases(app.config)
    app.config.from_prefixed_env("MODERATO")
    if test_config:
        app.config.from_mapping(test_config)
    os.makedirs(app.instance_path, exist_ok=True)
    config_module.finalise(app.config, app.instance_path)

    from service.logging_setup import configure_logging

    configure_logging(app)

    from service.extensions import init_extensions

    init_extensions(app, with_celery=web)

    from service.cli import register_commands

    register_commands(app)
    if web:
        init_web(app)
    return app


def init_web(app: Flask) -> None:
    """The HTTP layer: sessions, blueprints, error handlers, metrics and rate limits."""
    from service.http.sessions import CookieSessionInterface

    app.session_interface = CookieSessionInterface()
    from service.http import register_http
    from service.http.converters import BoundedIntConverter

    # Every <int:...> in a route is a 64-bit row id: larger numbers are 404, not a database overflow.
    app.url_map.converters["int"] = BoundedIntConverter

    register_http(app)

    from service.http.metrics import init_metrics
    from service.http.ratelimit import init_ratelimit

    init_metrics(app)
    init_ratelimit(app)

    from service.http.proxy import init_proxy

    init_proxy(app)
