"""Parse request bodies strictly: JSON objects or url-encoded forms, valid UTF-8, no duplicate fields."""

from __future__ import annotations

import json
from urllib.parse import parse_qsl

from flask import Request
from werkzeug.exceptions import UnsupportedMediaType

from service.domain.errors import FieldError, MalformedInput, ValidationFailed

JSON = "application/json"
FORM = "application/x-www-form-urlencoded"
MAX_FORM_FIELDS = 50


def parse_body(request: Request) -> tuple[dict, str]:
    """Return the body as a dict and its media type; raise on anything that is not a clean object."""
    mimetype = request.mimetype
    if mimetype not in (JSON, FORM) and not (mimetype.startswith("application/") and mimetype.endswith("+json")):
        raise UnsupportedMediaType(f"Content-Type must be {JSON} or {FORM}, got {mimetype or 'none'}")
    charset = request.mimetype_params.get("charset", "utf-8").lower()
    if charset not in ("utf-8", "utf8"):
        raise UnsupportedMediaType("only the utf-8 charset is accepted")
    raw = request.get_data(cache=True)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise MalformedInput(f"the body is not valid UTF-8 (byte {exc.start})") from None
    if mimetype == FORM:
        return parse_form(text), FORM
    return _parse_json(text), JSON


def _parse_json(text: str) -> dict:
    if not text.strip():
        raise MalformedInput("the body is empty; send a JSON object")
    try:
        data = json.loads(text, object_pairs_hook=_no_duplicates, parse_constant=_no_constants)
    except _DuplicateKey as exc:
        raise MalformedInput(f"the JSON object has the key {exc.args[0]!r} more than once") from None
    except (ValueError, RecursionError) as exc:
        raise MalformedInput(f"the body is not valid JSON: {exc}") from None
    if not isinstance(data, dict):
        raise MalformedInput("the body must be a JSON object")
    return data


def parse_form(text: str, *, max_fields: int = MAX_FORM_FIELDS, repeatable: tuple[str, ...] = ()) -> dict:
    """Parse a url-encoded body; a field may repeat only if its name ends with one of `repeatable`."""
    try:
        pairs = parse_qsl(text, keep_blank_values=True, strict_parsing=False, encoding="utf-8",
                          errors="strict", max_num_fields=max_fields)
    except UnicodeDecodeError:
        raise MalformedInput("a form field is not valid UTF-8 after percent-decoding") from None
    except ValueError as exc:
        raise MalformedInput(f"the form body could not be parsed: {exc}") from None
    data: dict[str, str] = {}
    duplicates = []
    for key, value in pairs:
        if key in data and not (repeatable and key.endswith(repeatable)):
            duplicates.append(FieldError(key[:100], "was given more than once"))
        data[key] = value
    if duplicates:
        raise ValidationFailed(duplicates)
    return data


class _DuplicateKey(ValueError):
    pass


def _no_duplicates(pairs: list[tuple[str, object]]) -> dict:
    out: dict = {}
    for key, value in pairs:
        if key in out:
            raise _DuplicateKey(key)
        out[key] = value
    return out


def _no_constants(name: str):
    raise ValueError(f"{name} is not valid JSON")
