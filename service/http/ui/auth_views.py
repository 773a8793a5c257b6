"""Log in and out."""

from __future__ import annotations

from flask import g, redirect, render_template, request, session, url_for

from service.domain import users
from service.domain.errors import Unauthenticated
from service.extensions import db
from service.http.ui import ui_blueprint
from service.http.ui.security import safe_next

bp = ui_blueprint("ui_auth", __name__)


@bp.get("/")
def index():
    """The front door: the queue for a logged-in account, the login page for anyone else."""
    return redirect(url_for("ui_queue.queue") if g.get("user") else url_for("ui_auth.login"))


@bp.get("/favicon.ico")
def favicon():
    # Browsers ask for /favicon.ico wherever a page names no icon (the JSON API, error pages).
    return redirect(url_for("static", filename="favicon.svg"), code=301)


@bp.get("/login")
def login():
    if g.get("user"):
        return redirect(safe_next(request.args.get("next"), url_for("ui_queue.queue")))
    return render_template("login.html", next=safe_next(request.args.get("next"), ""), error=None)


@bp.post("/login")
def login_post():
    target = safe_next(request.form.get("next"), url_for("ui_queue.queue"))
    failure = None
    with db().session() as s:
        # Catch inside the transaction: the failed-login count must be committed, not rolled back.
        try:
            user_id = users.authenticate_password(s, request.form.get("email", ""),
                                                  request.form.get("password", "")).id
        except Unauthenticated as exc:
            failure = exc
    if isinstance(failure, users.LockedOut):
        return render_template("login.html", next=target, error="Too many failed attempts. Try again later."), 429
    if failure is not None:
        return render_template("login.html", next=target, error="Wrong e-mail or password."), 401
    # A fresh session (and CSRF token) on login, so nothing planted before it survives.
    session.clear()
    session["uid"] = user_id
    session.permanent = False
    return redirect(target)


@bp.post("/logout")
def logout():
    session.clear()
    return redirect(url_for("ui_auth.login"))
