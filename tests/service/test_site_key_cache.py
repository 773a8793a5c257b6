"""SiteKeyCache: one lookup per key per AUTH_CACHE_SECONDS, shared by authentication and rate limits."""

from __future__ import annotations

from sqlalchemy import update

from service.domain.secrets import token_hash
from service.http.auth import SiteKeyCache
from service.storage.models import ApiKey

BODY = {"content": "Hello", "author_name": "Ana", "author_email": "ana@example.org",
        "thread": "https://news.example/a"}


def revoke(app, key: str) -> None:
    with app.extensions["db"].session() as session:
        session.execute(update(ApiKey).where(ApiKey.key_hash == token_hash(key)).values(revoked_at=ApiKey.created_at))


def test_a_key_is_remembered_for_the_ttl_and_then_asked_again(app, site_key):
    with app.app_context():
        cache = SiteKeyCache(ttl=60)
        known = cache.lookup(site_key)
        assert known is not None and known.scope == "full" and known.settings == {}
        revoke(app, site_key)
        assert cache.lookup(site_key) == known  # within the TTL: remembered
        assert SiteKeyCache(ttl=0).lookup(site_key) is None  # no cache: revoked at once
        assert cache.lookup("mod_key_never_issued") is None


def test_submissions_stop_once_a_revoked_key_leaves_the_cache(app, client, site_key):
    auth = {"Authorization": f"Bearer {site_key}"}
    assert client.post("/api/v1/comments", json=BODY, headers=auth).status_code == 202
    revoke(app, site_key)
    app.extensions["site_keys"].clear()  # what AUTH_CACHE_SECONDS later looks like
    response = client.post("/api/v1/comments", json=BODY, headers=auth)
    assert response.status_code == 401
