"""Turn a failed command into one line on stderr that says what went wrong and what to do about it."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable

DEBUG_HINT = "set MODERATO_LOG_LEVEL=DEBUG to see the traceback"


def describe(exc: BaseException) -> str:
    """One line for `exc`: known failures say what to do next; anything else names its type."""
    from service.config import ConfigError
    from service.domain.errors import DomainError

    if isinstance(exc, ConfigError | DomainError):
        return str(exc)
    database = _database_problem(exc)
    if database:
        return database
    broker = _broker_problem(exc)
    if broker:
        return broker
    first_line = (str(exc).strip().splitlines() or [""])[0]
    return f"{type(exc).__name__}: {first_line} ({DEBUG_HINT})"


def _database_problem(exc: BaseException) -> str | None:
    from sqlalchemy.exc import DBAPIError

    if not isinstance(exc, DBAPIError):
        return None
    detail = (str(exc.orig).strip().splitlines() or [""])[0]
    lowered = detail.lower()
    if "no such table" in lowered or ("relation" in lowered and "does not exist" in lowered):
        return f"the database has no Moderato tables yet ({detail}): run `moderato db upgrade` first"
    if exc.connection_invalidated or "connect" in lowered or "unable to open" in lowered:
        return f"cannot reach the database ({detail}): check DATABASE_URL"
    return f"database error: {detail} ({DEBUG_HINT})"


def _broker_problem(exc: BaseException) -> str | None:
    from kombu.exceptions import OperationalError

    if isinstance(exc, OperationalError | ConnectionError):
        return f"cannot reach the broker ({exc}): check REDIS_URL / BROKER_URL"
    return None


def run_reporting_errors(run: Callable[[], object]) -> None:
    """Run the command line; an exception click did not report becomes `Error: ...` (as click words its own
    errors) and exit status 1."""
    try:
        run()
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception as exc:  # noqa: BLE001 - every failure gets its one line
        if os.environ.get("MODERATO_LOG_LEVEL", "").upper() == "DEBUG":
            raise
        print(f"Error: {describe(exc)}", file=sys.stderr)
        sys.exit(1)
