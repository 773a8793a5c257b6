"""Coral Talk's external moderation phase: a signed JSON request in, 204 or a moderation action out."""

from __future__ import annotations

import logging

from flask import Blueprint, Response, current_app, jsonify, request
from werkzeug.exceptions import UnsupportedMediaType

from service.domain.compat import coral as domain
from service.domain.errors import NoActiveModel
from service.extensions import db, models
from service.http.bodies import JSON, parse_body
from service.http.problems import problem

log = logging.getLogger(__name__)
bp = Blueprint("coral", __name__, url_prefix="/coral")


@bp.post("/sites/<site_name>/moderation-phase")
def moderation_phase(site_name: str):
    raw = request.get_data(cache=True)
    with db().session() as session:
        # Signature first: nothing of an unsigned body is parsed, let alone scored.
        site = domain.site_for_signed_request(session, site_name, raw, request.headers.get("X-Coral-Signature"))
        body, media_type = parse_body(request)
        if media_type != JSON:
            raise UnsupportedMediaType(f"Content-Type must be {JSON}")
        parsed = domain.parse_request(body)
        decision = domain.moderate(session, models(), current_app.config, site, parsed)
    if decision is None:
        return Response(status=204)
    log.info("coral_decision", extra={"site_id": site.id, "status": decision["status"]})
    return jsonify(decision)


@bp.errorhandler(NoActiveModel)
def _no_model(exc: NoActiveModel):
    # Coral skips a phase that fails or times out, so the comment is not held up by our outage.
    log.error("coral_no_model", extra={"error": str(exc)})
    return problem(503, "No model is active; Coral will skip this phase.", headers={"Retry-After": "30"})
