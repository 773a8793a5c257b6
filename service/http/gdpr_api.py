"""Admin API for GDPR requests: export or erase one author (personal API token of an admin)."""

from __future__ import annotations

from flask import Blueprint, jsonify, request

from service.domain import privacy
from service.domain.errors import FieldError, Forbidden, ValidationFailed
from service.domain.users import authenticate_token
from service.extensions import db
from service.http.auth import bearer_token
from service.http.bodies import parse_body

bp = Blueprint("gdpr_api", __name__, url_prefix="/api/v1/admin/gdpr")


def _email_from_body() -> str:
    # The address travels in the body, never the URL, so it cannot land in access logs.
    data, _ = parse_body(request)
    unknown = sorted(set(data) - {"email"})
    if unknown:
        raise ValidationFailed([FieldError(str(name)[:100], "unknown field") for name in unknown])
    email = data.get("email")
    if not isinstance(email, str):
        raise ValidationFailed([FieldError("email", "is required and must be a string")])
    return email


def _require_admin(session) -> None:
    user = authenticate_token(session, bearer_token())
    if user.role != "admin":
        raise Forbidden("only admins may export or erase personal data")


@bp.post("/export")
def export_author():
    with db().session() as session:
        _require_admin(session)
        email = _email_from_body()
        return jsonify(privacy.export_author(session, email))


@bp.post("/erase")
def erase_author():
    with db().session() as session:
        _require_admin(session)
        email = _email_from_body()
        report = privacy.erase_author(session, email)
    return jsonify(report.as_dict())
