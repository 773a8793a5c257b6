"""Akismet 1.1 endpoints: form-encoded in, Akismet's exact plain-text answers and headers out."""

from __future__ import annotations

import logging
import re

from flask import Blueprint, Response, current_app, request

from service.domain.compat import akismet as domain
from service.domain.errors import MalformedInput, NoActiveModel, ValidationFailed
from service.extensions import db, models
from service.http.bodies import FORM, parse_form
from service.http.problems import problem

log = logging.getLogger(__name__)
bp = Blueprint("akismet", __name__, url_prefix="/1.1")
# The WordPress plugin also forwards the request's server variables, so real bodies carry many fields.
MAX_FIELDS = 400
THANKS = "Thanks for making the web a better place."


@bp.post("/verify-key")
def verify_key():
    form = _form()
    with db().session() as session:
        try:
            domain.authenticate(session, form.get("key") or form.get("api_key"), form.get("blog"))
        except domain.KeyRejected as exc:
            return _text("invalid", debug=str(exc))
    return _text("valid")


@bp.post("/comment-check")
def comment_check():
    form = _form()
    if not form.get("api_key"):
        return _text("invalid", debug='Empty "api_key" value')
    parsed = domain.parse_comment(form)
    with db().session() as session:
        try:
            site = domain.authenticate(session, form["api_key"], form.get("blog"))
        except domain.KeyRejected as exc:
            return _text("invalid", debug=str(exc))
        verdict = domain.comment_check(session, models(), current_app.config, site, parsed,
                                       secret=current_app.config["SECRET_KEY"])
    headers = {"X-akismet-guid": verdict.guid}
    if verdict.discard:
        headers["X-akismet-pro-tip"] = "discard"
    return _text("true" if verdict.is_spam else "false", headers=headers)


@bp.post("/submit-spam")
def submit_spam():
    return _submit(is_spam=True)


@bp.post("/submit-ham")
def submit_ham():
    return _submit(is_spam=False)


def _submit(*, is_spam: bool):
    form = _form()
    if not form.get("api_key"):
        return _text("invalid", debug='Empty "api_key" value')
    parsed = domain.parse_comment(form)
    with db().session() as session:
        try:
            site = domain.authenticate(session, form["api_key"], form.get("blog"))
        except domain.KeyRejected as exc:
            return _text("invalid", debug=str(exc))
        outcome = domain.submit(session, site, parsed, is_spam=is_spam, secret=current_app.config["SECRET_KEY"])
    log.info("akismet_feedback", extra={"site_id": site.id, "spam": is_spam, "labelled": outcome})
    return _text(THANKS)


_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@bp.errorhandler(ValidationFailed)
def _invalid(exc: ValidationFailed):
    # Akismet clients read the debug header; the body is still problem+json naming every field.
    first = exc.errors[0]
    debug = first.message if first.message.startswith("Missing") else f"{first.field}: {first.message}"
    return problem(400, debug, errors=[e.as_dict() for e in exc.errors],
                   headers={"X-akismet-debug-help": _header_safe(debug)})


@bp.errorhandler(MalformedInput)
def _malformed(exc: MalformedInput):
    return problem(400, str(exc), errors=[{"field": exc.field, "message": str(exc)}],
                   headers={"X-akismet-debug-help": _header_safe(str(exc))})


def _header_safe(text: str) -> str:
    """A header value from text that may quote the client's field names (which may hold CR or LF)."""
    return _CONTROL.sub("?", text)[:500]


@bp.errorhandler(NoActiveModel)
def _no_model(exc: NoActiveModel):
    # Akismet clients queue the comment and re-check later on any non-true/false answer.
    log.error("akismet_no_model", extra={"error": str(exc)})
    return problem(503, "No model is active; retry shortly.", headers={
        "Retry-After": "30", "X-akismet-debug-help": "Moderato has no active model; retry shortly"})


def _form() -> dict[str, str]:
    """Parse the url-encoded body; PHP-style `name[]` fields may repeat, any other field may not."""
    if request.mimetype != FORM:
        raise MalformedInput(f"Content-Type must be {FORM}", field="Content-Type")
    try:
        text = request.get_data(as_text=False).decode("utf-8")
    except UnicodeDecodeError:
        raise MalformedInput("the body is not valid UTF-8") from None
    return parse_form(text, max_fields=MAX_FIELDS, repeatable=("[]",))


def _text(body: str, *, debug: str | None = None, headers: dict | None = None) -> Response:
    response = Response(body, status=200, mimetype="text/plain")
    if debug:
        response.headers["X-akismet-debug-help"] = debug
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response
