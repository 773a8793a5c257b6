"""Shared fixtures: `app`, `client`, `runner` (as in Flask's tutorial), one fresh database per test,
on SQLite and on the machine's PostgreSQL; a default model trained once per session."""

from __future__ import annotations

import os
import shutil
import socket
import time
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from service.app import create_app
from service.storage import migrate
from service.storage.database import make_engine
from service.storage.models import Base

PG_ADMIN_URL = os.environ.get("MODERATO_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
REDIS_URL = os.environ.get("MODERATO_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
# In CI every backend must be there; on a laptop without PostgreSQL or Redis those tests skip.
REQUIRE_SERVICES = os.environ.get("CI") == "true" or os.environ.get("MODERATO_REQUIRE_SERVICES") == "1"


def _reachable_pg() -> bool:
    try:
        engine = create_engine(PG_ADMIN_URL, connect_args={"connect_timeout": 2})
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        engine.dispose()
        return True
    except Exception:  # noqa: BLE001 - any failure means "not reachable"
        return False


def _reachable_redis() -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping())
    except Exception:  # noqa: BLE001
        return False


def _need(available: bool, what: str) -> None:
    if available:
        return
    if REQUIRE_SERVICES:
        pytest.fail(f"{what} is required in CI but is not reachable")
    pytest.skip(f"{what} is not reachable on this machine")


@pytest.fixture(scope="session")
def model_dir(tmp_path_factory) -> Path:
    """The default model, trained from the seed corpus once per test session."""
    from classifier import load_bundle, save_bundle, train_bundle
    from classifier.seed import load_seed_rows

    target = tmp_path_factory.mktemp("models") / "default"
    save_bundle(train_bundle(load_seed_rows()), target)
    load_bundle(target)  # fail here, clearly, if the files do not round-trip
    return target


@pytest.fixture(scope="session")
def model_bundle(model_dir):
    from classifier import load_bundle

    return load_bundle(model_dir)


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory) -> Path:
    """A migrated SQLite file copied for each test (migrating is slower than copying)."""
    path = tmp_path_factory.mktemp("sqlite") / "template.sqlite3"
    engine = make_engine(f"sqlite:///{path}")
    migrate.upgrade(engine)
    engine.dispose()
    return path


@pytest.fixture(scope="session")
def pg_database_url() -> str:
    """A PostgreSQL database created and migrated for this test session, dropped at the end."""
    yield from fresh_pg_database("moderato_test")


def fresh_pg_database(prefix: str):
    """Create and migrate a PostgreSQL database named `<prefix>_<random>`, yield its URL, then drop it."""
    _need(_reachable_pg(), "PostgreSQL at 127.0.0.1:5432")
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + name
    engine = make_engine(url)
    migrate.upgrade(engine)
    engine.dispose()
    yield url
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def wait_for_port(port: int, what: str, timeout: float = 10.0) -> None:
    """Wait until something accepts connections on 127.0.0.1:`port`; raise naming `what` if nothing does."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"{what} on port {port} did not start")


def _truncate_pg(url: str) -> None:
    engine = make_engine(url)
    tables = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path, sqlite_template) -> str:
    """A fresh, migrated, empty database for one test: the test runs once per backend."""
    if request.param == "sqlite":
        path = tmp_path / "moderato.sqlite3"
        shutil.copy(sqlite_template, path)
        return f"sqlite:///{path}"
    url = request.getfixturevalue("pg_database_url")
    _truncate_pg(url)
    return url


@pytest.fixture
def redis_url() -> str:
    """A Redis database for this test, emptied first."""
    _need(_reachable_redis(), "Redis at 127.0.0.1:6379")
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()
    return REDIS_URL


def make_test_app(database_url: str, instance: Path, model_bundle=None, model_dir: Path | None = None, **config):
    """Build an app on `database_url`, registering `model_bundle` (saved at `model_dir`) as active."""
    app = create_app(
        # Rate limits off unless a test turns them on: most tests post faster than any client may.
        {"TESTING": True, "DATABASE_URL": database_url, "SECRET_KEY": "test", "MODEL_REFRESH_SECONDS": 0.5,
         "RATELIMIT_ENABLED": False, **config},
        instance_path=str(instance),
    )
    if model_bundle is not None:
        from service.domain.model_versions import register_bundle

        with app.extensions["db"].session() as session:
            register_bundle(session, model_bundle, model_dir, activate=True)
    return app


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]


@pytest.fixture(scope="session")
def chromium_browser():
    """One headless chromium per session (Playwright's sync API allows one per thread); skipped without
    /usr/bin/chromium, except in CI where it must exist."""
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{CHROMIUM} is required in CI (apt-get install -y chromium)")
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install -y chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


def worker_celery(app):
    """`app`'s Celery app with the worker's tasks and intake pump, ready for `start_worker` (the service
    side builds Celery; `worker/` adds what a worker runs, as `celery -A worker.app` does)."""
    from worker.celery_app import init_worker

    return init_worker(app.extensions["celery"])


@pytest.fixture
def app(database_url, tmp_path, model_bundle, model_dir):
    app = make_test_app(database_url, tmp_path / "instance", model_bundle, model_dir)
    yield app
    app.extensions["db"].dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def site_key(app) -> str:
    """A full-scope API key of a fresh site named `news`."""
    from service.domain.sites import create_site

    with app.extensions["db"].session() as session:
        return create_site(session, "news", "https://news.example").key


@pytest.fixture
def auth(site_key) -> dict[str, str]:
    return {"Authorization": f"Bearer {site_key}"}
