"""The moderator and admin web UI: server-rendered pages, CSRF on every form, strict CSP."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Blueprint, Flask, g, render_template
from markupsafe import Markup

from service.domain.errors import Conflict, NotFound, Unauthenticated, ValidationFailed
from service.http.ui import security


def ui_blueprint(name: str, import_name: str, **kwargs) -> Blueprint:
    """A blueprint whose requests load the user, check CSRF and render domain errors as pages."""
    bp = Blueprint(name, import_name, **kwargs)
    bp.before_request(security.load_user)
    bp.before_request(security.check_csrf)

    @bp.errorhandler(NotFound)
    def _not_found(exc):
        return render_template("error.html", status=404, message="Not found."), 404

    @bp.errorhandler(ValidationFailed)
    def _invalid(exc):
        return render_template("error.html", status=422, message="Some fields are invalid.",
                               errors=exc.errors), 422

    @bp.errorhandler(Conflict)
    def _conflict(exc):
        return render_template("error.html", status=409, message=str(exc)), 409

    @bp.errorhandler(Unauthenticated)
    def _unauthenticated(exc):
        return render_template("error.html", status=401, message=str(exc)), 401

    return bp


def when(value) -> Markup:
    """One date format on every page: `2026-12-02 05:16 UTC`, the exact instant in the element's datetime."""
    if value is None or value == "":
        return Markup("–")
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    value = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    return Markup('<time datetime="{}">{}</time>').format(value.isoformat(timespec="seconds"),
                                                          value.strftime("%Y-%m-%d %H:%M UTC"))


def register_ui(app: Flask) -> None:
    """Register the UI blueprints, template helpers and security headers on `app`."""
    from service.http.ui import admin_views, auth_views, example_views, queue_views, token_views

    for module in (auth_views, queue_views, admin_views, token_views, example_views):
        app.register_blueprint(module.bp)
    app.jinja_env.globals["csrf_token"] = security.csrf_token
    app.jinja_env.filters["when"] = when
    app.jinja_env.globals["current_user"] = lambda: g.get("user")
    app.after_request(security.security_headers)
