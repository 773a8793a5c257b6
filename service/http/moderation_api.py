"""The moderation JSON API (personal API tokens) and the decisions feed for sites (site API keys)."""

from __future__ import annotations

from flask import Blueprint, current_app, g, jsonify, request

from service.domain import audit, moderation, queue, site_rules, users
from service.domain.errors import FieldError, Forbidden, MalformedInput, ValidationFailed
from service.extensions import db
from service.http.auth import bearer_token, site_from_request
from service.http.bodies import JSON, parse_body
from service.tasks_app import enqueue_deliveries

bp = Blueprint("moderation_api", __name__, url_prefix="/api/v1")


def _user(session):
    """The account behind the bearer personal API token (401 otherwise)."""
    g.user = users.authenticate_token(session, bearer_token())
    return g.user


def _json_body() -> dict:
    data, media_type = parse_body(request)
    if media_type != JSON:
        raise MalformedInput("send a JSON object (Content-Type: application/json)")
    return data


def _fields(data: dict, allowed: tuple[str, ...]) -> None:
    unknown = sorted(set(data) - set(allowed))
    if unknown:
        raise ValidationFailed([FieldError(str(name)[:100], "unknown field") for name in unknown])


def _outcome(outcome: moderation.Outcome, status: int = 200):
    enqueue_deliveries(outcome.delivery_ids)
    body = {"decisions": [audit.decision_view(d) for d in outcome.decisions], "skipped": outcome.skipped}
    return jsonify(body), status


@bp.get("/moderation/comments")
def list_comments():
    f = queue.parse_filter(request.args)
    with db().session() as s:
        user = _user(s)
        names = {site.id: site.name for site in users.visible_sites(s, user)}
        comments, total = queue.list_queue(s, user, f)
        items = [queue.moderator_view(c, names.get(c.site_id, "")) for c in comments]
    return jsonify({"items": items, "total": total, "limit": f.limit, "offset": f.offset})


@bp.get("/moderation/counts")
def counts():
    with db().session() as s:
        by_site = queue.counts(s, _user(s))
    return jsonify({"queues": queue.queue_totals(by_site), "sites": by_site})


@bp.get("/moderation/comments/<int:comment_id>")
def get_comment(comment_id: int):
    with db().session() as s:
        user = _user(s)
        comment = queue.get_for_user(s, user, comment_id)
        names = {site.id: site.name for site in users.visible_sites(s, user)}
        body = queue.moderator_view(comment, names.get(comment.site_id, ""))
        body["history"] = [audit.decision_view(d) for d in audit.history(s, comment.id)]
        body["author_history"] = [
            {"id": c.id, "site": names.get(c.site_id, ""), "status": c.status, "thread": c.thread,
             "created_at": audit.iso(c.created_at)}
            for c in queue.author_history(s, user, comment)]
        body["author_standing"] = moderation.author_standing(s, comment)
    return jsonify(body)


@bp.post("/moderation/comments/<int:comment_id>/decision")
def decide(comment_id: int):
    data = _json_body()
    _fields(data, ("status", "reason_code", "note"))
    with db().session() as s:
        outcome = moderation.decide(s, _user(s), comment_id, data.get("status"), data.get("reason_code"),
                                    _note(data))
    return _outcome(outcome)


@bp.post("/moderation/bulk")
def bulk():
    data = _json_body()
    _fields(data, ("ids", "status", "reason_code"))
    ids = data.get("ids")
    if not isinstance(ids, list) or not all(
        isinstance(i, int) and not isinstance(i, bool) and 0 < i < 2**63 for i in ids
    ):
        raise ValidationFailed([FieldError("ids", "must be a list of comment ids")])
    with db().session() as s:
        outcome = moderation.bulk_decide(s, _user(s), ids, data.get("status"), data.get("reason_code"))
    return _outcome(outcome)


@bp.post("/moderation/undo")
def undo():
    data = _json_body() if request.content_length else {}
    _fields(data, ("decision_id",))
    decision_id = data.get("decision_id")
    if decision_id is not None and (not isinstance(decision_id, int) or isinstance(decision_id, bool)):
        raise ValidationFailed([FieldError("decision_id", "must be a decision id")])
    with db().session() as s:
        outcome = moderation.undo(s, _user(s), decision_id)
    return _outcome(outcome)


@bp.put("/moderation/comments/<int:comment_id>/author")
def author(comment_id: int):
    data = _json_body()
    _fields(data, ("standing",))
    with db().session() as s:
        standing = moderation.set_author_standing(s, _user(s), comment_id, data.get("standing"))
    return jsonify({"comment_id": comment_id, "standing": standing})


@bp.get("/moderation/sites/<name>/settings")
def get_settings(name: str):
    with db().session() as s:
        site = users.site_for_user(s, _user(s), name)
        return jsonify({"site": site.name, "settings": site.settings or {}})


@bp.put("/moderation/sites/<name>/settings")
def put_settings(name: str):
    data = _json_body()
    with db().session() as s:
        user = _user(s)
        site = users.site_for_user(s, user, name)
        if user.role != "admin":
            raise Forbidden("only admins change a site's rules")
        stored = site_rules.update_site_settings(s, site, data)
        return jsonify({"site": site.name, "settings": stored})


@bp.get("/decisions")
def decisions_feed():
    """A site's decisions in order, for sites that cannot receive webhooks: `since` is the last cursor."""
    limit_raw = request.args.get("limit", "100")
    if not limit_raw.isdigit() or not 1 <= int(limit_raw) <= audit.MAX_FEED:
        raise ValidationFailed([FieldError("limit", f"must be an integer between 1 and {audit.MAX_FEED}")])
    with db().session() as s:
        site, _scope = site_from_request(s, need_full=True)
        items, cursor = audit.decisions_feed(
            s, site, request.args.get("since"), int(limit_raw),
            float(current_app.config.get("DECISIONS_FEED_SETTLE_SECONDS", 2.0)))
    return jsonify({"decisions": items, "next_cursor": cursor})


def _note(data: dict) -> str | None:
    note = data.get("note")
    if note is None:
        return None
    if not isinstance(note, str) or len(note) > 2000:
        raise ValidationFailed([FieldError("note", "must be a string of at most 2000 characters")])
    if note.startswith(moderation.UNDO_NOTE):
        raise ValidationFailed([FieldError("note", f"must not start with {moderation.UNDO_NOTE!r}")])
    return note
