"""Akismet 1.1 endpoints: form-encoded in, Akismet's exact plain-text answers and headers out."""

from __future__ import annotations

import json
import logging
import re

from flask import Blueprint, Response, current_app, request

from service.domain.compat import akismet as domain
from service.domain.compat import akismet_account as account
from service.domain.compat import akismet_wordpress as wordpress
from service.domain.errors import MalformedInput, NoActiveModel, ValidationFailed
from service.extensions import db, models
from service.http.bodies import FORM, parse_form
from service.http.compat.akismet_guard import guard, init_guard
from service.http.problems import problem

log = logging.getLogger(__name__)
bp = Blueprint("akismet", __name__, url_prefix="/1.1")
# Akismet documents its account calls (usage-limit, key-sites) under 1.2; they answer under 1.1 too.
bp_12 = Blueprint("akismet_12", __name__, url_prefix="/1.2")
bp.record_once(lambda state: init_guard(state.app))
# The WordPress plugin also forwards the request's server variables, so real bodies carry many fields.
MAX_FIELDS = 400
THANKS = "Thanks for making the web a better place."


@bp.route("/test", methods=["GET", "POST"])
def connectivity_test():
    """The plugin's connectivity check (Settings -> Akismet): any client that reaches us is connected."""
    return _text("connected")


@bp.post("/verify-key")
def verify_key():
    return _keyed(lambda session, site, form: _text("valid"))


@bp.post("/deactivate")
def deactivate():
    # The plugin calls this when it is deactivated; a Moderato key stays usable, nothing to undo.
    return _keyed(lambda session, site, form: _text("deactivated"))


@bp.post("/get-subscription")
def get_subscription():
    return _keyed(lambda session, site, form: _json(account.subscription()))


@bp.post("/get-stats")
def get_stats():
    return _keyed(lambda session, site, form: _json(account.stats(session, site, form.get("from"))))


@bp.post("/usage-limit")
@bp_12.post("/usage-limit")
def usage_limit():
    return _keyed(lambda session, site, form: _json(account.usage(session, site)), account_call=True)


@bp.post("/key-sites")
@bp_12.post("/key-sites")
def key_sites():
    def respond(session, site, form):
        document = account.key_sites(session, site, month=form.get("month"), order=form.get("order"),
                                     limit=form.get("limit"), offset=form.get("offset"))
        if (form.get("format") or "json") == "csv":
            return Response(account.key_sites_csv(document), mimetype="text/csv")
        return _json(document)

    return _keyed(respond, account_call=True)


def _keyed(respond, *, account_call: bool = False) -> Response:
    """Authenticate the form's key (and blog) and answer with `respond(session, site, form)`.

    The plugin's key calls send `key` (and, once a key is saved, the saved one as `api_key`: the new key
    wins); the 1.2 account calls send `api_key` and no blog."""
    form = _form()
    key = form.get("api_key") or form.get("key") if account_call else form.get("key") or form.get("api_key")
    with db().session() as session:
        site = _site(session, key, form.get("blog"), check_blog=not account_call)
        if isinstance(site, Response):
            return site
        return respond(session, site, form)


@bp.post("/comment-check")
def comment_check():
    form = _form()
    if not form.get("api_key"):
        return _text("invalid", debug='Empty "api_key" value')
    agent = request.headers.get("User-Agent")
    parsed = domain.parse_comment(form, slashed=wordpress.sent_slashed(form, agent, "comment-check"))
    with db().session() as session:
        site = _site(session, form["api_key"], form.get("blog"))
        if isinstance(site, Response):
            return site
        verdict = domain.comment_check(session, models(), current_app.config, site, parsed,
                                       secret=current_app.config["SECRET_KEY"],
                                       can_hold=wordpress.from_wordpress(agent))
    headers = {"X-akismet-guid": verdict.guid}
    if verdict.discard:
        headers["X-akismet-pro-tip"] = "discard"
    if verdict.body == wordpress.HELD_ANSWER:
        headers["X-akismet-debug-help"] = "Moderato holds this comment for a moderator; re-check it later"
    return _text(verdict.body, headers=headers)


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
        site = _site(session, form["api_key"], form.get("blog"))
        if isinstance(site, Response):
            return site
        outcome = domain.submit(session, site, parsed, is_spam=is_spam, secret=current_app.config["SECRET_KEY"])
    log.info("akismet_feedback", extra={"site_id": site.id, "spam": is_spam, "labelled": outcome})
    return _text(THANKS)


def _site(session, key: str | None, blog: str | None, *, check_blog: bool = True):
    """The key's site, or the response to send instead: `invalid`, or 429 while the address must wait."""
    wait = guard().retry_after()
    if wait is not None:
        message = f"Too many invalid keys from this address; retry after {wait} s"
        return problem(429, message, errors=[{"field": "api_key", "message": message}],
                       headers={"Retry-After": str(wait), "X-akismet-debug-help": message})
    try:
        return domain.authenticate(session, key, blog, check_blog=check_blog)
    except domain.KeyRejected as exc:
        guard().failed()
        return _text("invalid", debug=str(exc))


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


for _exc, _handler in ((ValidationFailed, _invalid), (MalformedInput, _malformed), (NoActiveModel, _no_model)):
    bp_12.register_error_handler(_exc, _handler)


def _form() -> dict[str, str]:
    """Parse the url-encoded body; PHP-style `name[]` fields may repeat, any other field may not."""
    if request.mimetype != FORM:
        raise MalformedInput(f"Content-Type must be {FORM}", field="Content-Type")
    try:
        text = request.get_data(as_text=False).decode("utf-8")
    except UnicodeDecodeError:
        raise MalformedInput("the body is not valid UTF-8") from None
    return parse_form(text, max_fields=MAX_FIELDS, repeatable=("[]",))


def _json(document: dict) -> Response:
    return Response(json.dumps(document), mimetype="application/json")


def _text(body: str, *, debug: str | None = None, headers: dict | None = None) -> Response:
    response = Response(body, status=200, mimetype="text/plain")
    if debug:
        response.headers["X-akismet-debug-help"] = debug
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response
