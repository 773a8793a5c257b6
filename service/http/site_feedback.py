"""Site feedback: a site reports its own moderators' actions (approve, hold, spam, not spam, trash) on a
comment it submitted, so Moderato's queue and training labels follow what the site decided."""

from __future__ import annotations

from flask import Blueprint, jsonify, request

from service.domain import comments as comments_domain
from service.domain.compat.feedback import FEEDBACK_ACTIONS, latest_decision_id, record_site_verdict
from service.domain.errors import FieldError, ValidationFailed
from service.extensions import db
from service.http.auth import site_from_request
from service.http.bodies import JSON, parse_body
from service.tasks_app import enqueue_deliveries

bp = Blueprint("site_feedback", __name__, url_prefix="/api/v1")
FIELDS = {"action", "actor"}
MAX_ACTOR = 100


@bp.post("/comments/<int:comment_id>/feedback")
def feedback(comment_id: int):
    data, media_type = parse_body(request)
    action, actor = _validate(data, media_type)
    with db().session() as session:
        site, _scope = site_from_request(session, need_full=True)
        comment = comments_domain.get_site_comment(session, site, comment_id)
        verdict = record_site_verdict(
            session, comment, action, actor=f"site:{site.name}" + (f":{actor}" if actor else ""), source="site",
            provenance={"via": "feedback", "site": site.name, "actor": actor})
        latest = verdict.decision.id if verdict.decision is not None else latest_decision_id(session, comment.id)
        body = {"comment_id": comment.id, "status": comment.status, "decision_id": latest,
                "changed": verdict.decision is not None}
    if verdict.delivery_id is not None:
        enqueue_deliveries([verdict.delivery_id])
    return jsonify(body)


def _validate(data: dict, media_type: str) -> tuple[str, str | None]:
    errors = [FieldError(name[:100], "unknown field") for name in data if name not in FIELDS]
    if media_type != JSON:
        errors.append(FieldError("Content-Type", f"must be {JSON}"))
    action = data.get("action")
    if action not in FEEDBACK_ACTIONS:
        errors.append(FieldError("action", f"must be one of {', '.join(FEEDBACK_ACTIONS)}"))
    actor = data.get("actor")
    if actor is not None and (not isinstance(actor, str) or not 1 <= len(actor.strip()) <= MAX_ACTOR
                              or not actor.isprintable()):
        errors.append(FieldError("actor", f"must be 1-{MAX_ACTOR} printable characters"))
    if errors:
        raise ValidationFailed(errors)
    return action, actor.strip() if actor else None
