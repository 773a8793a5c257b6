"""Structured JSON logs with a request id; e-mail addresses and IP addresses are redacted below DEBUG."""

from __future__ import annotations

import json
import logging
import re
import sys
import uuid
from datetime import UTC, datetime

from flask import Flask, g, has_request_context, request

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_IPV4 = re.compile(r"\b(?:\d{1,3}\.){3}\d{1,3}\b")
# Full and compressed IPv6 forms (at least two colons between hex groups).
_IPV6 = re.compile(r"\b(?:[0-9A-Fa-f]{1,4}:){2,7}[0-9A-Fa-f]{0,4}\b|\b[0-9A-Fa-f]{1,4}::(?:[0-9A-Fa-f]{1,4}:?)*")
# LogRecord attributes that are not `extra=` fields.
_RESERVED = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime", "taskName"}
REQUEST_ID_HEADER = "X-Request-ID"
_HANDLER_NAME = "moderato-json"


def redact(text: str) -> str:
    """Replace e-mail and IP addresses in `text` with placeholders."""
    text = _EMAIL.sub("[email]", text)
    text = _IPV4.sub("[ip]", text)
    return _IPV6.sub("[ip]", text)


def _redact_value(value):
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, dict):
        return {k: _redact_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_redact_value(v) for v in value]
    return value


class RedactingFilter(logging.Filter):
    """Strip personal data from every record at INFO and above, message, arguments and extras alike."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno < logging.INFO:
            return True
        record.msg = redact(record.getMessage())
        record.args = ()
        for key, value in list(vars(record).items()):
            if key not in _RESERVED:
                setattr(record, key, _redact_value(value))
        if record.exc_info and not record.exc_text:
            record.exc_text = redact(logging.Formatter().formatException(record.exc_info))
        return True


class RequestIdFilter(logging.Filter):
    """Attach the current request's id (if any) to every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = g.get("request_id") if has_request_context() else None
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, event, request id and the record's extras."""

    def format(self, record: logging.LogRecord) -> str:
        payload = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "event": record.getMessage(),
        }
        for key, value in vars(record).items():
            if key not in _RESERVED and value is not None:
                payload[key] = value
        if record.exc_info:
            payload["exc"] = record.exc_text or self.formatException(record.exc_info)
        return json.dumps(payload, default=str, ensure_ascii=False)


def make_handler(stream=None) -> logging.Handler:
    """A stream handler that redacts, tags the request id and writes JSON lines."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.set_name(_HANDLER_NAME)
    handler.addFilter(RequestIdFilter())
    handler.addFilter(RedactingFilter())
    handler.setFormatter(JsonFormatter())
    return handler


def configure_logging(app: Flask) -> None:
    """Install the JSON handler on the root logger once, and give every request an id."""
    root = logging.getLogger()
    if not any(h.get_name() == _HANDLER_NAME for h in root.handlers):
        root.addHandler(make_handler())
    root.setLevel(str(app.config.get("LOG_LEVEL", "INFO")).upper())
    # Alembic logs every plugin it sets up and every migration step at INFO: seven lines on each command
    # that migrates. `moderato db upgrade` says in one line what changed; its warnings still come through.
    logging.getLogger("alembic").setLevel(logging.WARNING)

    @app.before_request
    def _assign_request_id():
        incoming = request.headers.get(REQUEST_ID_HEADER, "")
        # Accept a caller's id only if it is short and plain, so it cannot inject into log lines.
        ok = 0 < len(incoming) <= 64 and all(c.isalnum() or c in "-_." for c in incoming)
        g.request_id = incoming if ok else uuid.uuid4().hex

    @app.after_request
    def _echo_request_id(response):
        if "request_id" in g:
            response.headers[REQUEST_ID_HEADER] = g.request_id
        return response
