"""DirectRedis: one connection per thread, a dead one replaced once, Redis's own errors left alone."""

from __future__ import annotations

import threading

import pytest
import redis
from redis.exceptions import ResponseError

from service.storage.redis_direct import DirectRedis

pytestmark = pytest.mark.redis


@pytest.fixture
def direct(redis_url):
    direct = DirectRedis(redis.Redis.from_url(redis_url))
    yield direct
    direct.close()


def test_commands_run_on_one_connection_per_thread(direct, redis_url):
    assert direct.execute("LPUSH", "l", 1, 2) == 2
    seen = []

    def push():
        seen.append(direct.execute("LPUSH", "l", 3))

    thread = threading.Thread(target=push)
    thread.start()
    thread.join()
    assert seen == [3]
    assert len(direct._all) == 2
    assert redis.Redis.from_url(redis_url).lrange("l", 0, -1) == [b"3", b"2", b"1"]


def test_a_connection_killed_by_the_server_is_replaced_and_the_command_sent_once_more(direct, redis_url):
    direct.execute("SET", "k", 1)
    admin = redis.Redis.from_url(redis_url)
    killed = admin.client_kill_filter(_type="normal", skipme=True)
    assert killed >= 1
    assert direct.execute("INCR", "k") == 2  # as a Redis restart looks to a kept connection


def test_an_error_reply_is_raised_and_keeps_the_connection(direct):
    direct.execute("SET", "k", "text")
    connection = direct._local.connection
    with pytest.raises(ResponseError):
        direct.execute("LPUSH", "k", 1)  # WRONGTYPE
    assert direct._local.connection is connection and connection._sock is not None
    assert direct.execute("GET", "k") == b"text"


def test_an_unreachable_redis_raises_connection_error():
    direct = DirectRedis(redis.Redis(host="127.0.0.1", port=1, socket_connect_timeout=0.2))
    with pytest.raises(redis.exceptions.ConnectionError):
        direct.execute("PING")
