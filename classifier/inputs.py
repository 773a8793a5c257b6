"""What the classifier scores: one comment and what its author told us about themselves."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class CommentInput:
    """One comment to score."""

    text: str
    author_name: str | None = None
    author_email: str | None = None
    author_url: str | None = None

    @classmethod
    def from_row(cls, row: dict) -> CommentInput:
        """Build from a data row ({"text", "author" or "author_name", "author_email", "author_url"})."""
        name = row.get("author_name", row.get("author"))
        return cls(
            text=_as_text(row.get("text")),
            author_name=_as_optional_text(name),
            author_email=_as_optional_text(row.get("author_email")),
            author_url=_as_optional_text(row.get("author_url")),
        )


def _as_text(value: object) -> str:
    return "" if value is None else str(value)


def _as_optional_text(value: object) -> str | None:
    return None if value is None else str(value)
