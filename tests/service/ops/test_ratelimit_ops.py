"""Rate limits per API key and per client IP, configurable per site: 429 problem+json with Retry-After."""

from __future__ import annotations

import pytest

from service.domain.sites import create_site
from tests.conftest import make_test_app

BODY = {"content": "Hello", "author_name": "Ana", "author_email": "ana@example.org",
        "thread": "https://news.example/a"}


def make_app(database_url, tmp_path, **config):
    return make_test_app(database_url, tmp_path / "instance", RATELIMIT_ENABLED=True, **config)


def new_key(app, name: str, settings: dict | None = None) -> dict:
    with app.extensions["db"].session() as session:
        issued = create_site(session, name, f"https://{name}.example")
        if settings:
            issued.site.settings = settings
            session.add(issued.site)
    return {"Authorization": f"Bearer {issued.key}"}


def post(client, headers, ip="203.0.113.5"):
    return client.post("/api/v1/comments", json=BODY, headers=headers, environ_base={"REMOTE_ADDR": ip})


@pytest.fixture
def limited_app(database_url, tmp_path):
    app = make_app(database_url, tmp_path, RATELIMIT_PER_KEY="3/minute", RATELIMIT_PER_IP="100/minute")
    yield app
    app.extensions["db"].dispose()


def test_over_the_key_limit_is_429_with_retry_after(limited_app):
    client = limited_app.test_client()
    headers = new_key(limited_app, "news")
    assert [post(client, headers).status_code for _ in range(3)] == [202, 202, 202]
    over = post(client, headers)
    assert over.status_code == 429
    assert over.mimetype == "application/problem+json"
    assert 1 <= int(over.headers["Retry-After"]) <= 60
    assert over.get_json()["errors"][0]["field"] == "Authorization"


def test_keys_have_separate_buckets(limited_app):
    client = limited_app.test_client()
    first, second = new_key(limited_app, "news"), new_key(limited_app, "blog")
    for _ in range(3):
        post(client, first)
    assert post(client, first).status_code == 429
    assert post(client, second).status_code == 202


def test_a_site_setting_overrides_the_default_key_limit(limited_app):
    client = limited_app.test_client()
    generous = new_key(limited_app, "news", {"rate_limit_per_key": "5/minute"})
    assert [post(client, generous).status_code for _ in range(6)] == [202] * 5 + [429]


def test_per_ip_limit_applies_across_keys(database_url, tmp_path):
    app = make_app(database_url, tmp_path, RATELIMIT_PER_KEY="100/minute", RATELIMIT_PER_IP="2/minute")
    try:
        client = app.test_client()
        keys = [new_key(app, name) for name in ("a", "b", "c")]
        assert post(client, keys[0]).status_code == 202
        assert post(client, keys[1]).status_code == 202
        over = post(client, keys[2])
        assert over.status_code == 429 and over.get_json()["errors"][0]["field"] == "client_ip"
        assert post(client, keys[2], ip="198.51.100.7").status_code == 202
    finally:
        app.extensions["db"].dispose()


@pytest.mark.redis
def test_limits_are_shared_through_redis_between_processes(database_url, tmp_path, redis_url):
    # Two apps stand in for two gunicorn workers: the count lives in Redis, not in either process.
    apps = [make_test_app(database_url, tmp_path / f"i{n}", REDIS_URL=redis_url, RATELIMIT_PER_KEY="4/minute",
                          RATELIMIT_ENABLED=True)
            for n in (1, 2)]
    try:
        headers = new_key(apps[0], "news")
        codes = [post(apps[n % 2].test_client(), headers).status_code for n in range(5)]
        assert codes == [202, 202, 202, 202, 429]
    finally:
        for app in apps:
            app.extensions["db"].dispose()


def test_redis_down_counts_in_memory_instead_of_refusing(database_url, tmp_path):
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        dead = f"redis://127.0.0.1:{sock.getsockname()[1]}/0"
    app = make_app(database_url, tmp_path, RATELIMIT_STORAGE_URI=dead, RATELIMIT_PER_KEY="2/minute")
    try:
        client = app.test_client()
        headers = new_key(app, "news")
        assert [post(client, headers).status_code for _ in range(3)] == [202, 202, 429]
    finally:
        app.extensions["db"].dispose()


@pytest.mark.redis
def test_a_redis_that_lost_its_scripts_still_counts_each_request_once(database_url, tmp_path, redis_url):
    import redis

    app = make_app(database_url, tmp_path, REDIS_URL=redis_url, RATELIMIT_PER_KEY="3/minute")
    try:
        client = app.test_client()
        headers = new_key(app, "news")
        assert post(client, headers).status_code == 202
        redis.Redis.from_url(redis_url).script_flush()  # as after a Redis restart
        assert [post(client, headers).status_code for _ in range(3)] == [202, 202, 429]
    finally:
        app.extensions["db"].dispose()


@pytest.mark.redis
def test_a_new_counter_expires_with_its_window_and_a_count_does_not_extend_it(database_url, tmp_path, redis_url):
    import redis

    app = make_app(database_url, tmp_path, REDIS_URL=redis_url, RATELIMIT_PER_KEY="50/minute",
                   RATELIMIT_PER_IP="50/hour")
    try:
        client = app.test_client()
        headers = new_key(app, "news")
        post(client, headers)
        store = redis.Redis.from_url(redis_url)
        (per_key,) = store.keys("*moderato-rl/key:*/50/1/minute")
        (per_ip,) = store.keys("*moderato-rl/ip:203.0.113.5/50/1/hour")
        assert 3590 < store.ttl(per_ip) <= 3600 and 50 < store.ttl(per_key) <= 60
        store.expire(per_key, 5)
        post(client, headers)
        assert store.ttl(per_key) <= 5  # counting again did not restart the window
        assert int(store.get(per_key)) == int(store.get(per_ip)) == 2
    finally:
        app.extensions["db"].dispose()


def test_flask_limiter_hooks_stay_off_unless_a_limit_is_declared_with_it(database_url, tmp_path):
    plain = make_app(database_url, tmp_path / "a")
    declared = make_app(database_url, tmp_path / "b", RATELIMIT_DEFAULT="2/minute")
    try:
        for app, expected in ((plain, False), (declared, True)):
            limiter = app.extensions["ratelimit_limiter"]
            assert (limiter._check_request_limit in app.before_request_funcs[None]) is expected
        client = declared.test_client()
        assert [client.get("/api/v1/openapi.json").status_code for _ in range(3)] == [200, 200, 429]
    finally:
        plain.extensions["db"].dispose()
        declared.extensions["db"].dispose()
