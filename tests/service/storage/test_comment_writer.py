"""CommentWriter: the submission endpoint's INSERT, on a per-thread prepared statement on PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import exc as sa_exc
from sqlalchemy import select, text

from service.storage import comment_writer as writer_module
from service.storage.database import Database
from service.storage.models import Comment, Site


@pytest.fixture
def database(database_url):
    database = Database(database_url)
    with database.session() as session:
        session.add(Site(name="news", url="https://news.example", settings={}))
    yield database
    database.dispose()


def row(site_id: int, **overrides) -> dict:
    values = {"site_id": site_id, "thread": "t1", "parent_id": None, "content": "Hello <b>there</b>",
              "author_name": "Ana", "author_email": "ana@example.org", "author_email_hash": "h" * 64,
              "author_url": "https://ana.example", "user_ip": "203.0.113.7", "user_agent": "UA",
              "referrer": None, "language": "en", "status": "pending", "source": "api",
              "created_at": datetime.now(UTC), "enqueue_attempts": 0}
    return {**values, **overrides}


def site_id(database) -> int:
    with database.session() as session:
        return session.scalar(select(Site.id))


def test_insert_commits_the_row_with_every_value(database):
    values = row(site_id(database))
    comment_id = database.comment_writer.insert(values)
    with database.session() as session:  # another connection: the row is committed
        stored = session.get(Comment, comment_id)
        assert {key: getattr(stored, key) for key in writer_module.COLUMNS if key != "created_at"} == {
            key: value for key, value in values.items() if key != "created_at"}
        assert abs((stored.created_at.replace(tzinfo=UTC) - values["created_at"]).total_seconds()) < 1e-3
        assert stored.decided_at is None


def test_postgresql_uses_the_direct_path_and_sqlite_core(database, database_url):
    assert database.comment_writer.direct is database_url.startswith("postgresql")


@pytest.fixture
def pg_database(pg_database_url):
    database = Database(pg_database_url)
    with database.session() as session:
        session.execute(text("TRUNCATE sites RESTART IDENTITY CASCADE"))
        session.add(Site(name="news", url="https://news.example", settings={}))
    yield database
    database.dispose()


@pytest.mark.postgres
def test_a_connection_cut_while_idle_is_replaced_before_the_insert(pg_database):
    writer = pg_database.comment_writer
    writer.insert(row(site_id(pg_database)))
    _terminate(pg_database, writer._local.connection.info.backend_pid)
    writer._local.last_used -= writer_module.IDLE_PING_SECONDS + 1  # it has sat idle since
    assert writer.insert(row(site_id(pg_database))) > 0


@pytest.mark.postgres
def test_a_connection_cut_in_use_fails_one_insert_as_a_database_error_then_recovers(pg_database):
    writer = pg_database.comment_writer
    sid = site_id(pg_database)
    writer.insert(row(sid))
    _terminate(pg_database, writer._local.connection.info.backend_pid)
    with pytest.raises(sa_exc.OperationalError) as failure:
        writer.insert(row(sid))  # used a moment ago, so not pinged: this one finds out
    assert failure.value.connection_invalidated
    assert "ana@example.org" not in str(failure.value) and "203.0.113.7" not in str(failure.value)
    assert writer.insert(row(sid)) > 0  # a fresh connection


def test_a_constraint_violation_is_an_integrity_error_and_the_connection_lives_on(database):
    with pytest.raises(sa_exc.IntegrityError):
        database.comment_writer.insert(row(site_id=999_999))
    assert database.comment_writer.insert(row(site_id(database))) > 0


def test_close_closes_every_thread_connection(database, database_url):
    import threading

    sid = site_id(database)
    threads = [threading.Thread(target=database.comment_writer.insert, args=(row(sid),)) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    connections = list(database.comment_writer._connections)
    assert len(connections) == (3 if database_url.startswith("postgresql") else 0)
    database.comment_writer.close()
    assert all(connection.closed for connection in connections)
    with database.session() as session:
        assert session.scalar(select(Comment.id).order_by(Comment.id.desc()).limit(1)) == 3


def _terminate(database: Database, pid: int) -> None:
    with database.session() as session:
        assert session.scalar(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
