"""`/examples/comment-form`: the standard comment form a site embeds, wired to Moderato, to see the loop."""

from __future__ import annotations

from flask import abort, render_template, request
from sqlalchemy import select

from service.domain.errors import Unauthenticated
from service.domain.sites import authenticate_key
from service.extensions import db
from service.http.ui import ui_blueprint
from service.storage.models import Comment

bp = ui_blueprint("ui_examples", __name__)


@bp.get("/examples/comment-form")
def comment_form():
    """Render the form for the site owning the publishable `site_key`, with that thread's approved comments."""
    key = request.args.get("site_key", "")
    with db().session() as s:
        try:
            site, scope = authenticate_key(s, key)
        except Unauthenticated:
            abort(404)
        if scope != "submit":
            # Never echo a full key into a public page.
            abort(404)
        thread = (request.args.get("thread") or site.url.rstrip("/") + "/example-article")[:2000]
        approved = list(s.scalars(
            select(Comment).where(Comment.site_id == site.id, Comment.thread == thread, Comment.status == "approved")
            .order_by(Comment.created_at, Comment.id).limit(200)))
        site_name = site.name
    return render_template("examples/comment_form.html", site_name=site_name, site_key=key, thread=thread,
                           approved=approved)
