"""The submission API: POST a comment, read back its decision."""

from __future__ import annotations

import logging
from contextlib import nullcontext

from flask import Blueprint, current_app, jsonify, request
from sqlalchemy.exc import IntegrityError

from service.domain import comments as comments_domain
from service.domain.errors import NotFound
from service.domain.validation import validate_submission
from service.extensions import db
from service.http import idempotency
from service.http.auth import site_from_request, submitting_site
from service.http.bodies import FORM, parse_body

log = logging.getLogger(__name__)
bp = Blueprint("comments_api", __name__, url_prefix="/api/v1")
MAX_ID = 2**63 - 1  # the largest BIGINT (PostgreSQL) and SQLite INTEGER


@bp.post("/comments")
def submit_comment():
    idem_key = idempotency.key_from_request(request)
    data, media_type = parse_body(request)
    form_key = data.pop("site_key", None) if media_type == FORM else None
    request_hash = idempotency.fingerprint(request) if idem_key else ""
    try:
        # Without an Idempotency-Key the only write is the comment's INSERT: it needs no transaction.
        with db().session() if idem_key else nullcontext() as session:
            site_id = submitting_site(form_key=form_key)
            if idem_key and (replayed := idempotency.replay(session, site_id, idem_key, request_hash)):
                return replayed
            submission = validate_submission(
                data, check_deliverability=bool(current_app.config["CHECK_EMAIL_DELIVERABILITY"])
            )
            comment = comments_domain.store_comment(session or db().comment_writer, site_id, submission)
            body = comments_domain.public_view(comment)
            location = {"Location": f"/api/v1/comments/{comment.id}"}
            if idem_key:
                idempotency.remember(session, site_id, idem_key, request_hash, 202, body, location)
    except IntegrityError:
        if not idem_key:
            raise
        # A concurrent retry with the same key committed first; ours rolled back whole. Answer as it did.
        with db().session() as session:
            site, _scope = site_from_request(session, form_key=form_key)
            replayed = idempotency.replay(session, site.id, idem_key, request_hash)
        if replayed is None:
            raise
        return replayed
    # Committed before enqueueing: if the broker is down the outbox relay picks the comment up later.
    enqueue_scoring(comment.id)
    response = jsonify(body)
    response.status_code = 202
    response.headers.update(location)
    return response


@bp.get("/comments/<int:comment_id>")
def get_comment(comment_id: int):
    with db().session() as session:
        site, _scope = site_from_request(session, need_full=True)
        if comment_id > MAX_ID:
            # Beyond a BIGINT no comment can exist; asking the database would fail (500), not miss.
            raise NotFound(f"no comment {comment_id}")
        comment = comments_domain.get_site_comment(session, site, comment_id)
        return jsonify(comments_domain.public_view(comment))


def enqueue_scoring(comment_id: int) -> bool:
    """Hand the comment to the scoring intake; a broker failure is logged, never raised to the client."""
    try:
        current_app.extensions["intake"].push([comment_id])
        return True
    except Exception as exc:  # noqa: BLE001 - any broker failure: the relay will enqueue it later
        log.warning("enqueue_failed", extra={"comment_id": comment_id, "error": type(exc).__name__})
        return False
