"""Perspective-compatible endpoints: comments:analyze and comments:suggestscore, keyed by `?key=`."""

from __future__ import annotations

import logging

from flask import Blueprint, current_app, jsonify, request
from werkzeug.exceptions import UnsupportedMediaType

from service.domain.compat import perspective as domain
from service.domain.errors import MalformedInput, NoActiveModel, Unauthenticated, ValidationFailed
from service.domain.sites import authenticate_key
from service.extensions import db, models
from service.http.bodies import JSON, parse_body

log = logging.getLogger(__name__)
bp = Blueprint("perspective", __name__, url_prefix="/v1alpha1")


@bp.post("/comments:analyze")
def analyze():
    body = _json_body()
    parsed = domain.parse_analyze(body)
    with db().session() as session:
        site = _site(session)
        return jsonify(domain.analyze(session, models(), current_app.config, site, parsed))


@bp.post("/comments:suggestscore")
def suggest_score():
    body = _json_body()
    with db().session() as session:
        site = _site(session)
        return jsonify(domain.suggest_score(session, site, body))


def _json_body() -> dict:
    body, media_type = parse_body(request)
    if media_type != JSON:
        raise UnsupportedMediaType(f"Content-Type must be {JSON}")
    return body


def _site(session):
    key = request.args.get("key") or request.headers.get("X-Goog-Api-Key")
    if not key:
        raise _KeyMissing("The request is missing a valid API key.")
    try:
        site, scope = authenticate_key(session, key)
    except Unauthenticated:
        raise _KeyInvalid("API key not valid. Please pass a valid API key.") from None
    if scope != "full":
        raise _KeyInvalid("Publishable (submit-scope) keys cannot score text; use the site's full key.")
    return site


class _KeyMissing(Unauthenticated):
    pass


class _KeyInvalid(Unauthenticated):
    pass


def google_error(code: int, status: str, message: str, field: str, errors: list[dict] | None = None) -> tuple:
    """Google's error envelope (what Perspective clients parse) merged with our problem details fields."""
    body = {
        "error": {"code": code, "message": message, "status": status},
        "type": "about:blank", "title": status, "status": code, "detail": message,
        "errors": errors or [{"field": field, "message": message}],
    }
    # application/json, not problem+json: Google's client libraries only parse errors of that type.
    return jsonify(body), code


@bp.errorhandler(ValidationFailed)
def _invalid(exc: ValidationFailed):
    first = exc.errors[0]
    return google_error(400, "INVALID_ARGUMENT", first.message, first.field, [e.as_dict() for e in exc.errors])


@bp.errorhandler(MalformedInput)
def _malformed(exc: MalformedInput):
    return google_error(400, "INVALID_ARGUMENT", f"Invalid JSON payload received. {exc}", exc.field)


@bp.errorhandler(UnsupportedMediaType)
def _media_type(exc: UnsupportedMediaType):
    return google_error(400, "INVALID_ARGUMENT", str(exc.description), "Content-Type")


@bp.errorhandler(_KeyMissing)
def _key_missing(exc: _KeyMissing):
    return google_error(403, "PERMISSION_DENIED", str(exc), "key")


@bp.errorhandler(_KeyInvalid)
def _key_invalid(exc: _KeyInvalid):
    return google_error(400, "INVALID_ARGUMENT", str(exc), "key")


@bp.errorhandler(NoActiveModel)
def _no_model(exc: NoActiveModel):
    log.error("perspective_no_model", extra={"error": str(exc)})
    return google_error(503, "UNAVAILABLE", "No model is active; retry shortly.", "model")
