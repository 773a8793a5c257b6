"""Cookie sessions: no cookie means an empty session at once; a signed cookie reads back as before."""

from __future__ import annotations

import pytest

from service.http.sessions import CookieSessionInterface
from tests.conftest import make_test_app


@pytest.fixture
def app(tmp_path, sqlite_template):
    import shutil

    path = tmp_path / "db.sqlite3"
    shutil.copy(sqlite_template, path)
    app = make_test_app(f"sqlite:///{path}", tmp_path / "instance")
    yield app
    app.extensions["db"].dispose()


def open_with(app, cookie: str | None):
    headers = {"Cookie": f"{app.config['SESSION_COOKIE_NAME']}={cookie}"} if cookie else {}
    with app.test_request_context("/", headers=headers) as ctx:
        return app.session_interface.open_session(app, ctx.request)


def test_the_app_uses_the_lazy_interface(app):
    assert isinstance(app.session_interface, CookieSessionInterface)


def test_no_cookie_is_an_empty_new_session(app):
    session = open_with(app, None)
    assert dict(session) == {} and not session.modified


def test_a_signed_cookie_reads_back_and_a_forged_one_does_not(app):
    signed = app.session_interface.get_signing_serializer(app).dumps({"user_id": 7})
    assert dict(open_with(app, signed)) == {"user_id": 7}
    assert dict(open_with(app, signed[:-2] + "xx")) == {}
