"""Browser fixtures: the app served by werkzeug in a thread, and Debian's chromium driven by Playwright."""

from __future__ import annotations

import shutil
import threading
from datetime import UTC, datetime

import pytest

PASSWORD = "correct horse battery"


@pytest.fixture
def page(chromium_browser):
    context = chromium_browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


class Live:
    """The served app plus helpers to seed it."""

    def __init__(self, app, url: str):
        self.app, self.url = app, url
        self.db = app.extensions["db"]

    def site(self, name: str) -> int:
        from service.domain.sites import create_site

        with self.db.session() as s:
            return create_site(s, name, f"https://{name}.example").site.id

    def publishable_key(self, name: str) -> str:
        from service.domain.sites import get_site_by_name, issue_key

        with self.db.session() as s:
            return issue_key(s, get_site_by_name(s, name), scope="submit").key

    def user(self, email: str, role: str = "moderator", sites=("news",)) -> None:
        from service.domain.users import create_user

        with self.db.session() as s:
            create_user(s, email, PASSWORD, role, list(sites) if role == "moderator" else [])

    def comment(self, site_id: int, content: str, status: str = "held", **fields) -> int:
        from service.domain.secrets import email_hash
        from service.storage.models import Comment

        email = fields.pop("email", "reader@example.org")
        with self.db.session() as s:
            comment = Comment(site_id=site_id, thread=fields.pop("thread", "https://news.example/bus-routes"),
                              content=content, author_name=fields.pop("author_name", "Reader"), author_email=email,
                              author_email_hash=email_hash(email), status=status, decided_at=datetime.now(UTC),
                              **fields)
            s.add(comment)
            s.flush()
            return comment.id

    def status(self, comment_id: int) -> str:
        from service.storage.models import Comment

        with self.db.session() as s:
            return s.get(Comment, comment_id).status

    def login(self, page, email: str) -> None:
        page.goto(f"{self.url}/login")
        page.fill("input[name=email]", email)
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(f"{self.url}/moderate")


@pytest.fixture
def live(tmp_path, sqlite_template):
    """The app on a fresh SQLite file, served on a free localhost port for the test."""
    from werkzeug.serving import make_server

    from tests.conftest import make_test_app

    db_path = tmp_path / "moderato.sqlite3"
    shutil.copy(sqlite_template, db_path)
    app = make_test_app(f"sqlite:///{db_path}", tmp_path / "instance")
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield Live(app, f"http://127.0.0.1:{server.server_port}")
    server.shutdown()
    thread.join(5)
    app.extensions["db"].dispose()
