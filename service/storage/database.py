"""Engine and session handling: one engine per app, one session per request or task."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import NullPool


def make_engine(url: str, **options) -> Engine:
    """Create an engine; file SQLite gets WAL mode, a busy timeout and no cross-thread pooling."""
    if url.startswith("sqlite"):
        # NullPool: each checkout opens its own connection, so gunicorn threads and Celery
        # processes never share a SQLite handle (see STYLE.md gotchas).
        engine = create_engine(
            url, poolclass=NullPool, connect_args={"check_same_thread": False, "timeout": 30}, **options
        )

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn, _record):
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA busy_timeout=30000")
            cur.close()

        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20, **options)


class Database:
    """The app's engine and session factory; created by the app factory, never at import."""

    def __init__(self, url: str):
        self.url = url
        self.engine = make_engine(url)
        self.sessionmaker = sessionmaker(self.engine, expire_on_commit=False)
        # Its own small pool of connections that stay in autocommit (switching a pooled connection back
        # and forth would cost a round trip at every checkout); created on first use.
        self._autocommit_sessionmaker = None
        self._lock = threading.Lock()

    @property
    def autocommit_sessionmaker(self) -> sessionmaker:
        with self._lock:
            if self._autocommit_sessionmaker is None:
                self._autocommit_engine = make_engine(self.url, isolation_level="AUTOCOMMIT")
                self._autocommit_sessionmaker = sessionmaker(self._autocommit_engine, expire_on_commit=False)
        return self._autocommit_sessionmaker

    @contextmanager
    def session(self) -> Iterator[Session]:
        """Yield a session that commits on success and rolls back on any error."""
        session = self.sessionmaker()
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    @contextmanager
    def autocommit_session(self) -> Iterator[Session]:
        """Yield a session on an autocommit connection: each statement commits on its own.

        For a request whose only write is one INSERT: it saves the BEGIN and COMMIT round trips, and one
        statement is all-or-nothing by itself. Anything that writes twice must use `session()`.
        """
        session = self.autocommit_sessionmaker()
        try:
            yield session
        finally:
            session.close()

    def dispose(self) -> None:
        self.engine.dispose()
        if self._autocommit_sessionmaker is not None:
            self._autocommit_engine.dispose()
