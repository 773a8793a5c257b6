"""Map domain errors and HTTP exceptions to problem+json; nothing else knows status codes."""

from __future__ import annotations

import logging

from flask import Flask, request
from sqlalchemy.exc import DBAPIError, OperationalError
from werkzeug.exceptions import HTTPException

from service.domain.errors import (
    Conflict,
    Forbidden,
    MalformedInput,
    NotFound,
    Unauthenticated,
    ValidationFailed,
)
from service.http.problems import problem

log = logging.getLogger(__name__)


def _wants_problem_json() -> bool:
    return request.path.startswith(("/api/", "/1.1/", "/v1alpha1/")) or request.accept_mimetypes.best in (
        "application/json",
        "application/problem+json",
    )


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(ValidationFailed)
    def _invalid(exc: ValidationFailed):
        return problem(422, "One or more fields are invalid.", errors=[e.as_dict() for e in exc.errors])

    @app.errorhandler(MalformedInput)
    def _malformed(exc: MalformedInput):
        return problem(400, str(exc), errors=[{"field": exc.field, "message": str(exc)}])

    @app.errorhandler(Unauthenticated)
    def _unauthenticated(exc: Unauthenticated):
        return problem(401, str(exc), errors=[{"field": "Authorization", "message": str(exc)}])

    @app.errorhandler(Forbidden)
    def _forbidden(exc: Forbidden):
        return problem(403, str(exc))

    @app.errorhandler(NotFound)
    def _not_found(exc: NotFound):
        return problem(404, str(exc))

    @app.errorhandler(Conflict)
    def _conflict(exc: Conflict):
        return problem(409, str(exc))

    @app.errorhandler(OperationalError)
    def _database_down(exc: OperationalError):
        # Connection refused, server gone, database locked: the client should retry shortly.
        log.error("database_unavailable", extra={"error": type(exc.orig).__name__ if exc.orig else "unknown"})
        return problem(503, "The database is unavailable; retry shortly.", headers={"Retry-After": "5"})

    @app.errorhandler(DBAPIError)
    def _database_error(exc: DBAPIError):
        if exc.connection_invalidated:
            return problem(503, "The database connection was lost; retry shortly.", headers={"Retry-After": "5"})
        log.exception("database_error")
        return problem(500, "An internal error occurred.")

    @app.errorhandler(HTTPException)
    def _http(exc: HTTPException):
        if not _wants_problem_json():
            return exc
        status = exc.code or 500
        detail = exc.description or ""
        errors = []
        if status == 413:
            limit = app.config["MAX_CONTENT_LENGTH"]
            detail = f"The request body is larger than {limit:,} bytes."
            errors = [{"field": "body", "message": f"must be at most {limit:,} bytes"}]
        response = problem(status, detail, errors=errors)
        if status == 405 and exc.valid_methods:
            response.headers["Allow"] = ", ".join(exc.valid_methods)
        return response
