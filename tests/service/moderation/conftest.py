"""Fixtures for the moderation tests: two sites, accounts, comments inserted in a given state, a login helper."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from service.domain.secrets import email_hash
from service.domain.sites import create_site
from service.domain.users import create_user
from service.storage.models import Comment

PASSWORD = "correct horse battery"
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture
def app(database_url, tmp_path):
    """The app without a trained model: these tests insert comments in a given state, so none is needed."""
    from tests.conftest import make_test_app

    app = make_test_app(database_url, tmp_path / "instance", DECISIONS_FEED_SETTLE_SECONDS=0)
    yield app
    app.extensions["db"].dispose()


@pytest.fixture
def sites(app) -> dict[str, dict]:
    """Sites `news` and `blog` with their full API keys: {name: {"id", "key"}}."""
    out = {}
    with app.extensions["db"].session() as s:
        for name in ("news", "blog"):
            issued = create_site(s, name, f"https://{name}.example")
            out[name] = {"id": issued.site.id, "key": issued.key}
    return out


@pytest.fixture
def make_user(app, sites):
    def make(email: str, role: str = "moderator", site_names=("news",)) -> int:
        with app.extensions["db"].session() as s:
            return create_user(s, email, PASSWORD, role, list(site_names) if role == "moderator" else []).id

    return make


@pytest.fixture
def add_comment(app, sites):
    """Insert a comment directly in a given state (scoring is tested elsewhere)."""

    def add(site: str = "news", content: str = "Hello there", status: str = "held", *,
            email: str = "alice@example.org", **fields) -> int:
        with app.extensions["db"].session() as s:
            comment = Comment(site_id=sites[site]["id"], thread=fields.pop("thread", f"https://{site}.example/a"),
                              content=content, author_name=fields.pop("author_name", "Alice"),
                              author_email=email, author_email_hash=email_hash(email), status=status,
                              decided_at=None if status == "pending" else datetime.now(UTC), **fields)
            s.add(comment)
            s.flush()
            return comment.id

    return add


@pytest.fixture(name="csrf_from")
def csrf_from_fixture():
    return csrf_from


@pytest.fixture(name="login")
def login_fixture():
    return login


def csrf_from(html: str) -> str:
    match = _CSRF.search(html)
    assert match, "the page has no CSRF token"
    return match.group(1)


def login(client, email: str, password: str = PASSWORD):
    page = client.get("/login")
    return client.post("/login", data={"email": email, "password": password, "csrf_token": csrf_from(page.text)})


@pytest.fixture
def moderator(client, make_user):
    """A logged-in moderator of `news` only; returns the CSRF token for form posts."""
    make_user("mod@example.org", "moderator", ("news",))
    assert login(client, "mod@example.org").status_code == 302
    return csrf_from(client.get("/moderate").text)
