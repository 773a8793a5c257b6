"""Fixtures for the WordPress tests: Moderato as a real server (werkzeug on a loopback port, its own
PostgreSQL database, Redis, a real Celery worker with beat in its own process) and real WordPress sites
(Debian's `wordpress`, `php -S`, MariaDB), one per plugin under test.

Needs Debian's wordpress, php-cli and php-mysql (`.ci/run` installs them) and MariaDB at 127.0.0.1:3306
(root, empty password). They are skipped where those are missing, except in CI, where they must run.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from tests.faults.conftest import PrivateRedis, free_port
from tests.wordpress.wordpress import DEBIAN_WORDPRESS, REPO, WordPress, sql

PASSWORD = "correct horse battery"


def _missing() -> str | None:
    if shutil.which("php") is None:
        return "php is not installed (apt-get install php-cli php-mysql)"
    if not (DEBIAN_WORDPRESS / "wp-settings.php").exists():
        return "Debian's wordpress package is not installed (apt-get install wordpress)"
    modules = subprocess.run(["php", "-m"], capture_output=True, text=True, check=False).stdout.split()
    if "mysqli" not in modules:
        return "PHP's mysqli extension is missing (apt-get install php-mysql)"
    try:
        sql("", "SELECT 1")
    except (RuntimeError, subprocess.TimeoutExpired) as exc:
        return f"MariaDB at 127.0.0.1:3306 (root, no password) is not reachable: {exc}"
    return None


@pytest.fixture(scope="session")
def wordpress_available() -> None:
    missing = _missing()
    if missing is None:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"the WordPress tests must run in CI: {missing}")
    pytest.skip(missing)


class Moderato:
    """The served app plus what the tests do in Moderato: sites, keys, rules, a moderator's decisions."""

    def __init__(self, app, url: str):
        self.app, self.url = app, url
        self.db = app.extensions["db"]
        self._token: str | None = None

    def site(self, name: str, url: str) -> str:
        """Create a site (`moderato site create NAME --url URL`); returns its full key."""
        return self._cli("site", "create", name, "--url", url).rsplit(" ", 1)[1]

    def akismet_key(self, name: str) -> str:
        """Issue an Akismet-format key (`moderato site key NAME --akismet`)."""
        return self._cli("site", "key", name, "--akismet").rsplit(" ", 1)[1]

    def _cli(self, *args: str) -> str:
        result = self.app.test_cli_runner().invoke(args=list(args))
        assert result.exit_code == 0, result.output
        return result.output.strip().splitlines()[-1]

    def rules(self, name: str, **settings) -> None:
        """Change a site's rules as an admin does (PUT /api/v1/moderation/sites/NAME/settings)."""
        response = httpx.put(f"{self.url}/api/v1/moderation/sites/{name}/settings", json=settings,
                             headers=self._auth(), timeout=30)
        assert response.status_code == 200, response.text

    def webhook(self, name: str, url: str) -> str:
        """Set the site's webhook URL as an admin does under Sites; returns the signing secret shown once."""
        from service.domain.sites import get_site_by_name
        from service.domain.webhooks import set_webhook

        with self.db.session() as session:
            return set_webhook(session, get_site_by_name(session, name), url)

    def decide(self, comment_id: int, status: str, reason_code: str | None = None) -> None:
        """A moderator's decision through the moderation API (as the queue's buttons make it)."""
        body = {"status": status, **({"reason_code": reason_code} if reason_code else {})}
        response = httpx.post(f"{self.url}/api/v1/moderation/comments/{comment_id}/decision", json=body,
                              headers=self._auth(), timeout=30)
        assert response.status_code == 200, response.text

    def comment(self, site: str, content: str):
        """The site's stored comment with exactly this text (None if there is none)."""
        from service.storage.models import Comment, Site

        with self.db.session() as session:
            return session.scalar(select(Comment).join(Site).where(Site.name == site, Comment.content == content)
                                  .order_by(Comment.id.desc()).limit(1))

    def label(self, comment_id: int):
        from service.storage.models import Label

        with self.db.session() as session:
            return session.scalar(select(Label).where(Label.comment_id == comment_id))

    def decisions(self, comment_id: int) -> list:
        from service.storage.models import Decision

        with self.db.session() as session:
            return list(session.scalars(select(Decision).where(Decision.comment_id == comment_id)
                                        .order_by(Decision.id)))

    def _auth(self) -> dict:
        if self._token is None:
            from service.domain.users import create_user, issue_token

            with self.db.session() as session:
                admin = create_user(session, "admin@moderato.example", PASSWORD, "admin", [])
                self._token = issue_token(session, admin, "wordpress tests").secret
        return {"Authorization": f"Bearer {self._token}"}


@pytest.fixture(scope="session")
def moderato_pg(wordpress_available) -> str:
    """A PostgreSQL database of the WordPress tests' own (other tests truncate the shared one)."""
    from tests.conftest import fresh_pg_database

    yield from fresh_pg_database("moderato_wp")


@pytest.fixture(scope="session")
def moderato_redis(wordpress_available):
    """A redis-server of the WordPress tests' own: their worker lives until the session ends, and must not
    take work from the shared Redis the tests after them use."""
    from tests.conftest import _need

    _need(shutil.which("redis-server") is not None, "redis-server")
    server = PrivateRedis(free_port())
    server.start()
    yield server.url
    server.stop()


@pytest.fixture(scope="session")
def moderato(moderato_pg, moderato_redis, tmp_path_factory, model_bundle, model_dir):
    """Moderato served on a free loopback port, with a Celery worker and beat in their own process."""
    from werkzeug.serving import make_server

    from tests.conftest import make_test_app

    folder = tmp_path_factory.mktemp("moderato")
    app = make_test_app(moderato_pg, folder / "instance", model_bundle, model_dir, REDIS_URL=moderato_redis,
                        BROKER_URL=moderato_redis, WEBHOOK_TIMEOUT_SECONDS=10)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    with open(folder / "worker.log", "ab") as log:
        worker = _start_worker(app, log)
        try:
            yield Moderato(app, f"http://127.0.0.1:{server.server_port}")
        finally:
            _stop(worker)
        server.shutdown()
        thread.join(5)
        app.extensions["db"].dispose()


def _start_worker(app, log) -> subprocess.Popen:
    """`celery -A worker.app worker -B` on the scoring, webhooks and maintenance queues, as deployed."""
    env = {**os.environ, "DATABASE_URL": app.config["DATABASE_URL"], "REDIS_URL": app.config["REDIS_URL"],
           "BROKER_URL": app.config["BROKER_URL"], "MODERATO_INSTANCE_PATH": app.instance_path,
           "MODERATO_MODEL_REFRESH_SECONDS": "1", "MODERATO_WEBHOOK_TIMEOUT_SECONDS": "10"}
    return subprocess.Popen(
        [str(Path(sys.executable).parent / "celery"), "-A", "worker.app", "worker", "-B",
         "-s", str(Path(app.instance_path) / "beat-schedule"), "-Q", "scoring,webhooks,maintenance", "-c", "2",
         "--loglevel", "WARNING", "--without-gossip", "--without-mingle", "-n", f"wp{time.monotonic_ns()}@%h"],
        cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, 15)
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, 9)
            process.wait(10)


@pytest.fixture(scope="session")
def plugin_zip(tmp_path_factory) -> Path:
    """The Moderato plugin's zip, built the way `make wordpress-plugin` builds it."""
    target = tmp_path_factory.mktemp("dist") / "moderato-wordpress.zip"
    subprocess.run([sys.executable, str(REPO / "integrations/wordpress/build_zip.py"), str(target)], check=True,
                   capture_output=True)
    return target


@pytest.fixture(scope="session")
def make_wordpress(wordpress_available, tmp_path_factory):
    """Build, serve and install a WordPress site; every one is stopped and its database dropped at the end."""
    sites: list[WordPress] = []

    def make(name: str, **build) -> WordPress:
        folder = tmp_path_factory.mktemp(f"wordpress-{name}")
        site = WordPress(folder / "root", f"moderato_wp_{name}_{uuid.uuid4().hex[:8]}", folder / "php.log")
        sites.append(site)
        site.build(**build)
        site.serve()
        site.install()
        return site

    yield make
    for site in sites:
        site.stop()
