"""HTTP layer: blueprints and error handlers. Views translate requests; the domain decides."""

from __future__ import annotations

from flask import Flask


def register_http(app: Flask) -> None:
    from service.http import comments_api, compat, errors, gdpr_api, health, moderation_api, openapi, site_feedback, ui

    errors.register_error_handlers(app)
    app.register_blueprint(comments_api.bp)
    app.register_blueprint(site_feedback.bp)
    app.register_blueprint(health.bp)
    app.register_blueprint(gdpr_api.bp)
    app.register_blueprint(openapi.bp)
    app.register_blueprint(compat.bp)
    app.register_blueprint(moderation_api.bp)
    ui.register_ui(app)
    register_training(app)


def register_training(app: Flask) -> None:
    from service.http import training_api
    from service.http.ui import training as training_ui

    app.register_blueprint(training_api.bp)
    app.register_blueprint(training_ui.bp)
