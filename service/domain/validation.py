"""Validate a comment submission field by field; pure code, no database."""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from email_validator import EmailNotValidError, validate_email

from service.domain.errors import FieldError, ValidationFailed

MAX_CONTENT = 10_000
REQUIRED = ("content", "author_name", "author_email", "thread")
OPTIONAL = ("author_url", "parent_id", "user_ip", "user_agent", "referrer", "language")
FIELDS = REQUIRED + OPTIONAL
_LANGUAGE = re.compile(r"^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$")
# C0 controls other than tab, newline and carriage return, plus DEL: never meaningful in a comment.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")


@dataclass(frozen=True)
class Submission:
    """A validated comment submission, normalised and ready to store."""

    content: str
    author_name: str
    author_email: str
    thread: str
    author_url: str | None = None
    parent_id: int | None = None
    user_ip: str | None = None
    user_agent: str | None = None
    referrer: str | None = None
    language: str | None = None


def validate_submission(data: dict, *, check_deliverability: bool = False) -> Submission:
    """Return a Submission or raise ValidationFailed listing every bad field at once."""
    errors: list[FieldError] = []
    for name in sorted(set(data) - set(FIELDS)):
        errors.append(FieldError(str(name)[:100], "unknown field"))
    values: dict[str, object] = {}

    def text(name: str, *, required: bool, max_len: int, multiline: bool = False) -> str | None:
        raw = data.get(name)
        if raw is None or (not required and isinstance(raw, str) and not raw.strip()):
            if required:
                errors.append(FieldError(name, "is required"))
            return None
        if not isinstance(raw, str):
            errors.append(FieldError(name, f"must be a string, not {_json_type(raw)}"))
            return None
        problem = _text_problem(raw, multiline=multiline)
        if problem:
            errors.append(FieldError(name, problem))
            return None
        value = raw.strip()
        if required and not value:
            errors.append(FieldError(name, "must not be empty or only whitespace"))
            return None
        if len(value) > max_len:
            errors.append(FieldError(name, f"must be at most {max_len:,} characters (got {len(value):,})"))
            return None
        return value

    values["content"] = text("content", required=True, max_len=MAX_CONTENT, multiline=True)
    values["author_name"] = text("author_name", required=True, max_len=100)
    values["thread"] = text("thread", required=True, max_len=2000)
    email = text("author_email", required=True, max_len=320)
    if email is not None:
        try:
            values["author_email"] = validate_email(
                email, check_deliverability=check_deliverability
            ).normalized
        except EmailNotValidError as exc:
            errors.append(FieldError("author_email", str(exc)))
    url = text("author_url", required=False, max_len=2000)
    if url is not None:
        problem = _url_problem(url)
        if problem:
            errors.append(FieldError("author_url", problem))
        else:
            values["author_url"] = url
    values["parent_id"] = _parent_id(data.get("parent_id"), errors)
    ip = text("user_ip", required=False, max_len=45)
    if ip is not None:
        try:
            values["user_ip"] = str(ipaddress.ip_address(ip))
        except ValueError:
            errors.append(FieldError("user_ip", "must be an IPv4 or IPv6 address"))
    values["user_agent"] = text("user_agent", required=False, max_len=1000)
    referrer = text("referrer", required=False, max_len=2000)
    if referrer is not None:
        problem = _url_problem(referrer)
        if problem:
            errors.append(FieldError("referrer", problem))
        else:
            values["referrer"] = referrer
    language = text("language", required=False, max_len=35)
    if language is not None:
        if _LANGUAGE.match(language):
            values["language"] = language
        else:
            errors.append(FieldError("language", "must be a language tag such as 'en' or 'pt-BR'"))
    if errors:
        raise ValidationFailed(errors)
    return Submission(**{k: v for k, v in values.items() if v is not None})


def _text_problem(value: str, *, multiline: bool) -> str | None:
    if "\x00" in value:
        return "must not contain NUL characters"
    if _SURROGATE.search(value):
        return "must be valid Unicode (it contains a lone surrogate)"
    if _CONTROL.search(value):
        return "must not contain control characters"
    if not multiline and ("\n" in value or "\r" in value):
        return "must be a single line"
    return None


def _url_problem(url: str) -> str | None:
    if any(ch.isspace() for ch in url):
        return "must not contain whitespace"
    try:
        parts = urlsplit(url)
    except ValueError:
        return "is not a valid URL"
    if parts.scheme.lower() not in ("http", "https"):
        return "must be an http or https URL"
    if not parts.hostname:
        return "must include a host name"
    return None


def _parent_id(raw: object, errors: list[FieldError]) -> int | None:
    if raw is None or raw == "":
        return None
    if isinstance(raw, bool):
        errors.append(FieldError("parent_id", "must be an integer comment id, not boolean"))
        return None
    if isinstance(raw, str) and raw.strip().isdigit():
        raw = int(raw.strip())
    if not isinstance(raw, int) or raw <= 0 or raw >= 2**63:
        errors.append(FieldError("parent_id", "must be a positive integer comment id"))
        return None
    return raw


def _json_type(value: object) -> str:
    return {bool: "boolean", int: "number", float: "number", list: "array", dict: "object"}.get(
        type(value), type(value).__name__
    )
