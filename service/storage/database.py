"""Engine and session handling: one engine per app, one session per request or task."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import NullPool

# A pooled connection unused for longer than this is pinged before it is handed out.
IDLE_PING_SECONDS = 1.0


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
    engine = create_engine(url, pool_size=10, max_overflow=20, **options)
    _ping_idle_connections(engine)
    return engine


def _ping_idle_connections(engine: Engine) -> None:
    """Pessimistic disconnect handling for connections that sat idle, and only for those.

    `pool_pre_ping` would send a `SELECT 1` at every checkout: a full database round trip that cost the
    submission endpoint a quarter of its throughput (bench/ingest.py). A connection in steady use is
    known alive (its last statement just worked); one idle for a while may have been cut by a database
    restart, so it is pinged, and a dead one is replaced before the caller sees it. A connection that
    dies under load fails its one statement, and SQLAlchemy then invalidates the rest of the pool.
    """

    @event.listens_for(engine, "checkin")
    def _stamp(_dbapi_conn, record):
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _ping_if_idle(dbapi_conn, record, _proxy):
        idle_since = record.info.get("idle_since")
        if idle_since is None or time.monotonic() - idle_since < IDLE_PING_SECONDS:
            return
        try:
            cursor = dbapi_conn.cursor()
            try:
                cursor.execute("SELECT 1")
            finally:
                cursor.close()
        except Exception as exc:
            # The pool discards this connection and checks out a fresh one (up to three attempts).
            raise DisconnectionError("idle connection failed its ping") from exc


class Database:
    """The app's engine and session factory; created by the app factory, never at import."""

    def __init__(self, url: str):
        self.url = url
        self.engine = make_engine(url)
        self.sessionmaker = sessionmaker(self.engine, expire_on_commit=False)
        # Its own small pool of connections that stay in autocommit (switching a pooled connection back
        # and forth would cost a round trip at every checkout); created on first use.
        self._autocommit_engine: Engine | None = None
        self._lock = threading.Lock()
        from service.storage.comment_writer import CommentWriter

        self.comment_writer = CommentWriter(self)

    @property
    def autocommit_engine(self) -> Engine:
        with self._lock:
            if self._autocommit_engine is None:
                self._autocommit_engine = make_engine(self.url, isolation_level="AUTOCOMMIT")
        return self._autocommit_engine

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
    def autocommit_connection(self) -> Iterator[Connection]:
        """Yield a Core connection in autocommit: each statement commits on its own.

        For a request whose only write is one INSERT: it saves the BEGIN and COMMIT round trips (one
        statement is all-or-nothing by itself) and the ORM session's bookkeeping, which on the submission
        endpoint cost more CPU than the INSERT. Anything that writes twice must use `session()`.
        """
        with self.autocommit_engine.connect() as connection:
            yield connection

    def dispose(self) -> None:
        self.comment_writer.close()
        self.engine.dispose()
        if self._autocommit_engine is not None:
            self._autocommit_engine.dispose()
