"""The admin retraining JSON API: start runs, follow progress, read reports, promote, roll back, shadow.

Authenticated by an admin's personal API token (Authorization: Bearer mod_tok_...)."""

from __future__ import annotations

from flask import Blueprint, Response, g, jsonify, request, url_for

from service.domain import users
from service.domain.errors import FieldError, Forbidden, MalformedInput, ValidationFailed
from service.domain.training import plots, promotion, runs, shadow
from service.extensions import db
from service.http.auth import bearer_token
from service.http.bodies import JSON, parse_body
from service.tasks_app import enqueue_rescore, enqueue_retrain

bp = Blueprint("training_api", __name__, url_prefix="/api/v1")


def _admin(session):
    """The admin behind the bearer personal API token: 401 without one, 403 for a moderator."""
    user = users.authenticate_token(session, bearer_token())
    if user.role != "admin":
        raise Forbidden("retraining and model versions are for admins")
    g.user = user
    return user


def _json_body(allowed: tuple[str, ...]) -> dict:
    """The JSON object sent (an empty body counts as {}); unknown fields are named in the error."""
    if not request.get_data(cache=True):
        return {}
    data, media_type = parse_body(request)
    if media_type != JSON:
        raise MalformedInput("send a JSON object (Content-Type: application/json)")
    unknown = sorted(set(data) - set(allowed))
    if unknown:
        raise ValidationFailed([FieldError(str(name)[:100], "unknown field") for name in unknown])
    return data


def _versions_response(rows) -> Response:
    return jsonify({"version": rows[0].version, "heads": {r.head: r.state for r in rows},
                    "versions": {r.head: r.version for r in rows}, "shadow": any(r.shadow for r in rows)})


@bp.post("/training/runs")
def start_run():
    data = _json_body(tuple(runs.DEFAULT_PARAMS))
    with db().session() as s:
        user = _admin(s)
        run = runs.start_run(s, created_by=user.email, params=data)
        run_id, body = run.id, runs.run_view(run)
    enqueue_retrain(run_id)
    response = jsonify(body)
    response.status_code = 202
    response.headers["Location"] = url_for("training_api.get_run", run_id=run_id)
    return response


@bp.get("/training/runs")
def list_runs():
    with db().session() as s:
        _admin(s)
        return jsonify({"items": [runs.run_view(r) for r in runs.list_runs(s)]})


@bp.get("/training/runs/<int:run_id>")
def get_run(run_id: int):
    with db().session() as s:
        _admin(s)
        return jsonify(runs.run_view(runs.get_run(s, run_id)))


@bp.get("/training/runs/<int:run_id>/report")
def get_report(run_id: int):
    with db().session() as s:
        _admin(s)
        return jsonify(runs.run_view(runs.get_run(s, run_id), with_report=True))


@bp.get("/training/runs/<int:run_id>/plots/<head>.<fmt>")
def get_plot(run_id: int, head: str, fmt: str):
    with db().session() as s:
        _admin(s)
        report = runs.get_run(s, run_id).report
    return Response(plots.pr_plot(report or {}, head, fmt), mimetype=plots.FORMATS.get(fmt))


@bp.get("/models/versions")
def list_versions():
    with db().session() as s:
        _admin(s)
        return jsonify({"items": promotion.list_versions(s)})


@bp.post("/models/versions/<version>/promote")
def promote(version: str):
    _json_body(())
    with db().session() as s:
        _admin(s)
        return _versions_response(promotion.promote(s, version))


@bp.post("/models/rollback")
def rollback():
    data = _json_body(("version",))
    version = data.get("version")
    if version is not None and (not isinstance(version, str) or not version.strip()):
        raise ValidationFailed([FieldError("version", "must be a version id string")])
    with db().session() as s:
        _admin(s)
        return _versions_response(promotion.rollback(s, version))


@bp.post("/models/versions/<version>/shadow")
def set_shadow(version: str):
    data = _json_body(("enabled",))
    if not isinstance(data.get("enabled"), bool):
        raise ValidationFailed([FieldError("enabled", "must be true or false")])
    with db().session() as s:
        _admin(s)
        return _versions_response(promotion.set_shadow(s, version, data["enabled"]))


@bp.get("/models/versions/<version>/shadow")
def shadow_report(version: str):
    with db().session() as s:
        _admin(s)
        promotion.version_rows(s, version)
        return jsonify(shadow.agreement(s, version))


@bp.post("/models/rescore-held")
def rescore_held():
    _json_body(())
    with db().session() as s:
        user = _admin(s)
        run = runs.start_run(s, created_by=user.email, kind="rescore_held")
        run_id, body = run.id, runs.run_view(run)
    enqueue_rescore(run_id)
    response = jsonify(body)
    response.status_code = 202
    response.headers["Location"] = url_for("training_api.get_run", run_id=run_id)
    return response
