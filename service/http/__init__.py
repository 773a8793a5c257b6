"""HTTP layer: blueprints and error handlers. Views translate requests; the domain decides."""

from __future__ import annotations

from flask import Flask


def register_http(app: Flask) -> None:
    from service.http import comments_api, errors, health

    errors.register_error_handlers(app)
    app.register_blueprint(comments_api.bp)
    app.register_blueprint(health.bp)
