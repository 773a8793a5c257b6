"""Liveness and readiness probes."""

from __future__ import annotations

from flask import Blueprint, jsonify
from sqlalchemy import text

from service.extensions import db, models

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    return jsonify({"status": "ok"})


@bp.get("/readyz")
def readyz():
    checks: dict[str, str] = {}
    try:
        with db().session() as session:
            session.execute(text("SELECT 1"))
        checks["database"] = "ok"
    except Exception as exc:  # noqa: BLE001 - readiness reports, it does not raise
        checks["database"] = f"error: {type(exc).__name__}"
    registry = models()
    try:
        checks["model"] = f"ok: {registry.get().version}"
    except Exception as exc:  # noqa: BLE001
        checks["model"] = f"error: {exc}"
    if registry.last_error and checks["model"].startswith("ok"):
        # The previous model keeps serving; say why the newly activated one was refused.
        checks["model"] += f" (kept; {registry.last_error})"
    try:
        from flask import current_app

        with current_app.extensions["celery"].connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        checks["broker"] = "ok"
    except Exception as exc:  # noqa: BLE001
        checks["broker"] = f"error: {type(exc).__name__}"
    ready = all(v.startswith("ok") for v in checks.values())
    return jsonify({"status": "ready" if ready else "not ready", "checks": checks}), 200 if ready else 503
