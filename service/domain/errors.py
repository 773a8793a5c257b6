"""Domain errors: plain exception classes; only HTTP error handlers map them to status codes."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FieldError:
    field: str
    message: str

    def as_dict(self) -> dict[str, str]:
        return {"field": self.field, "message": self.message}


class DomainError(Exception):
    """Base class of every error the domain raises on purpose."""


class ValidationFailed(DomainError):
    """The input was well-formed but some fields are invalid."""

    def __init__(self, errors: list[FieldError]):
        super().__init__("; ".join(f"{e.field}: {e.message}" for e in errors))
        self.errors = errors


class MalformedInput(DomainError):
    """The input could not be parsed at all (bad JSON, bad encoding, not an object)."""

    def __init__(self, message: str, field: str = "body"):
        super().__init__(message)
        self.field = field


class NotFound(DomainError):
    """The thing does not exist, or the caller may not know it exists."""


class Unauthenticated(DomainError):
    """No usable credentials were presented."""


class Forbidden(DomainError):
    """The credentials are valid but do not allow this action."""


class Conflict(DomainError):
    """The request clashes with the current state."""


class NoActiveModel(DomainError):
    """No usable model version is active for a head that scoring needs."""
