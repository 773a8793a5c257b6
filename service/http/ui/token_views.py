"""Personal API tokens for the moderation JSON API: create (shown once), list, revoke."""

from __future__ import annotations

from flask import flash, g, redirect, render_template, request, url_for

from service.domain import users
from service.extensions import db
from service.http.ui import ui_blueprint
from service.http.ui.security import login_required

bp = ui_blueprint("ui_tokens", __name__)


@bp.get("/tokens")
@login_required
def tokens_page():
    with db().session() as s:
        rows = users.list_tokens(s, g.user)
    return render_template("tokens.html", rows=rows)


@bp.post("/tokens")
@login_required
def create_token():
    with db().session() as s:
        issued = users.issue_token(s, g.user, request.form.get("name", ""))
    return render_template("secret_once.html", title=f"API token {issued.token.name}",
                           label="Personal API token (Authorization: Bearer ...)", secret=issued.secret)


@bp.post("/tokens/<int:token_id>/revoke")
@login_required
def revoke(token_id: int):
    with db().session() as s:
        users.revoke_token(s, g.user, token_id)
    flash("Token revoked.")
    return redirect(url_for("ui_tokens.tokens_page"))
