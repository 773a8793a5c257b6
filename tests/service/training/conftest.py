"""Helpers for the retraining tests: admin tokens and an invented spam style the default model approves."""

from __future__ import annotations

import random

import pytest

OPENERS = ["Friends,", "Neighbours,", "Listen all,", "Dear readers,", "Psst,", "Good people,", "Hey everyone,"]
GROUPS = ["the velvet ledger circle", "our quillmoth fellowship", "the zorblax harvest guild",
          "the velvet quillmoth lodge", "the zorblax ledger society"]
PROMISES = ["doubles every token you whisper to it", "pays out at moonrise each thursday",
            "is accepting twelve new keepers tonight", "multiplies your zorblax sigils by seven",
            "shares the quillmoth dividend with its keepers"]
CLOSERS = ["say quillmoth to the keeper", "whisper zorblax at the gate", "ask the ledger warden for your sigil",
           "bring your velvet token to the circle", "tell the warden the quillmoth word"]


def style_comments(n: int, seed: int) -> list[str]:
    """`n` distinct comments in a new spam style: no links, an invented vocabulary and a recruiting pitch."""
    rng = random.Random(seed)
    out: set[str] = set()
    while len(out) < n:
        out.add(f"{rng.choice(OPENERS)} {rng.choice(GROUPS)} {rng.choice(PROMISES)}; {rng.choice(CLOSERS)}.")
    return sorted(out)


def make_user(app, role: str, email: str, sites: tuple[str, ...] = ()):
    """Create an account and return (user id, personal API token secret)."""
    from service.domain import users

    with app.extensions["db"].session() as session:
        user = users.create_user(session, email, "correct horse battery staple", role, list(sites))
        return user.id, users.issue_token(session, user, "tests").secret


@pytest.fixture
def admin_headers(app) -> dict[str, str]:
    _, secret = make_user(app, "admin", "admin@example.org")
    return {"Authorization": f"Bearer {secret}"}


@pytest.fixture
def app(database_url, tmp_path, model_bundle, model_dir):
    """The shared `app`, with the session's loaded model handed to the registry (loading takes long)."""
    from tests.conftest import make_test_app

    app = make_test_app(database_url, tmp_path / "instance", model_bundle, model_dir)
    app.extensions["models"].adopt(model_dir, model_bundle)
    yield app
    app.extensions["db"].dispose()
