"""The held queue and comment pages, and the moderation actions posted from them."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from flask import flash, g, redirect, render_template, request, url_for

from service.domain import audit, moderation, queue
from service.domain.errors import FieldError, ValidationFailed
from service.domain.users import visible_sites
from service.extensions import db
from service.http.ui import ui_blueprint
from service.http.ui.security import login_required, safe_next
from service.tasks_app import enqueue_deliveries

bp = ui_blueprint("ui_queue", __name__)


# Text longer than this is cut to three lines in the queue (in full when selected, and on its page).
LONG_TEXT = 300


def _card(comment, site_names, summaries) -> dict:
    """What a template needs to show one comment; the text is split for highlighting, escaped by Jinja."""
    return {
        "c": comment,
        "site": site_names.get(comment.site_id, "?"),
        "segments": queue.highlight_segments(comment.content, comment.explanation),
        "long": len(comment.content) > LONG_TEXT or comment.content.count("\n") >= 3,
        "email": queue.mask_email(comment.author_email),
        "author_name": queue.reveal_controls(comment.author_name),
        "history": summaries.get(comment.author_email_hash or "", {}),
        "scores": queue.score_list(comment),
        "default_reason": moderation.default_reason_code(comment),
    }


@bp.get("/moderate", endpoint="queue")
@login_required
def queue_page():
    f = queue.parse_filter(request.args)
    with db().session() as s:
        sites = visible_sites(s, g.user)
        names = {site.id: site.name for site in sites}
        comments, total = queue.list_queue(s, g.user, f)
        summaries = queue.author_summaries(s, g.user, comments)
        by_site = queue.counts(s, g.user)
        cards = [_card(c, names, summaries) for c in comments]
        last = moderation.last_undoable(s, g.user)
    return render_template("queue.html", f=f, cards=cards, total=total, sites=sites, by_site=by_site,
                           totals=queue.queue_totals(by_site), queues=list(queue.QUEUES),
                           reasons=moderation.REASON_CODES, last=last, here=request.full_path.rstrip("?"))


@bp.get("/moderate/comments/<int:comment_id>")
@login_required
def comment_page(comment_id: int):
    with db().session() as s:
        comment = queue.get_for_user(s, g.user, comment_id)
        names = {site.id: site.name for site in visible_sites(s, g.user)}
        card = _card(comment, names, queue.author_summaries(s, g.user, [comment]))
        decisions = audit.history(s, comment.id)
        earlier = queue.author_history(s, g.user, comment)
        standing = moderation.author_standing(s, comment)
    return render_template("comment.html", card=card, decisions=decisions, earlier=earlier, standing=standing,
                           reasons=moderation.REASON_CODES, names=names, mask=queue.mask_email,
                           here=request.path)


def _back() -> str:
    return safe_next(request.form.get("next"), url_for("ui_queue.queue"))


def _done(outcome: moderation.Outcome, message: str, anchor: str = ""):
    enqueue_deliveries(outcome.delivery_ids)
    flash(message)
    return redirect(_back() + anchor)


def _stay(comment_id: int, status: str) -> str:
    """Where the moderator's selection goes after deciding a comment: the comment itself while the list
    still shows it, else the comment that followed it (the form's `neighbor`), as a `#c-<id>` fragment."""
    shown = queue.QUEUES.get(parse_qs(urlsplit(_back()).query).get("queue", ["held"])[0], ())
    if status in shown:
        return f"#c-{comment_id}"
    neighbor = request.form.get("neighbor", "")
    return f"#c-{int(neighbor)}" if neighbor.isdigit() else ""


@bp.post("/moderate/comments/<int:comment_id>/decision")
@login_required
def decide(comment_id: int):
    status = request.form.get("status")
    with db().session() as s:
        outcome = moderation.decide(s, g.user, comment_id, status, request.form.get("reason_code") or None)
        reason = outcome.decisions[0].reason_code
    return _done(outcome, f"Comment {comment_id} {status}" + (f" as {reason}." if reason else "."),
                 _stay(comment_id, status))


@bp.post("/moderate/bulk")
@login_required
def bulk():
    try:
        ids = [int(v) for v in request.form.getlist("ids")]
    except ValueError:
        raise ValidationFailed([FieldError("ids", "must be comment ids")]) from None
    status = request.form.get("status")
    # One form serves both buttons, so the reason select is always sent; it only means something for reject.
    reason_code = request.form.get("reason_code") or None if status == "rejected" else None
    with db().session() as s:
        outcome = moderation.bulk_decide(s, g.user, ids, status, reason_code)
    return _done(outcome, f"{len(outcome.decisions)} comment(s) {status}"
                          + (f", {len(outcome.skipped)} already were." if outcome.skipped else "."))


@bp.post("/moderate/undo")
@login_required
def undo():
    with db().session() as s:
        outcome = moderation.undo(s, g.user)
    d = outcome.decisions[0]
    return _done(outcome, f"Undone: comment {d.comment_id} is {d.to_status} again.", f"#c-{d.comment_id}")


@bp.post("/moderate/comments/<int:comment_id>/author")
@login_required
def author(comment_id: int):
    with db().session() as s:
        standing = moderation.set_author_standing(s, g.user, comment_id, request.form.get("standing", ""))
    flash({"trusted": "Author trusted on this site.", "banned": "Author banned on this site.",
           "none": "Author's standing cleared."}[standing])
    return redirect(_back())
