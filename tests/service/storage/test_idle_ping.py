"""Pooled PostgreSQL connections are pinged only after sitting idle, and a dead idle one is replaced."""

from __future__ import annotations

import pytest
from sqlalchemy import event, text

from service.storage import database as database_module
from service.storage.database import make_engine

pytestmark = pytest.mark.postgres


def test_a_connection_in_steady_use_is_not_pinged(pg_database_url):
    engine = make_engine(pg_database_url)
    statements = []
    event.listen(engine, "before_cursor_execute", lambda *args: statements.append(args[2]))
    try:
        for _ in range(5):
            with engine.connect() as connection:
                connection.execute(text("SELECT 2"))
        assert statements == ["SELECT 2"] * 5  # no pre-ping SELECT 1 at the checkouts
    finally:
        engine.dispose()


def test_an_idle_connection_cut_by_the_server_is_replaced_at_checkout(pg_database_url, monkeypatch):
    engine = make_engine(pg_database_url)
    admin = make_engine(pg_database_url)
    try:
        with engine.connect() as connection:
            pid = connection.execute(text("SELECT pg_backend_pid()")).scalar()
        with admin.connect() as connection:  # the pooled connection now sits idle; the server cuts it
            assert connection.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid}).scalar()
        monkeypatch.setattr(database_module, "IDLE_PING_SECONDS", 0.0)
        with engine.connect() as connection:
            assert connection.execute(text("SELECT pg_backend_pid()")).scalar() != pid
    finally:
        engine.dispose()
        admin.dispose()
