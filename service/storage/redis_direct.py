"""Redis commands on the hottest path, sent on one connection per thread instead of through a pool.

A `redis.Redis` call checks a connection out of its pool, polls the socket to make sure nothing unread
is left on it, wraps the call in its retry policy and runs a response callback. On the submission
endpoint, which makes two Redis calls (rate-limit counters, intake push), that was about as much CPU as
the commands' own round trips. Here each thread keeps its own connection (made with the client's own
settings: URL, timeouts, TLS) and a call is one write and one read. A connection that turns out dead is
replaced and the command sent once more; any other failure drops the connection and raises redis-py's
exception, and the caller decides what it means, as before.
"""

from __future__ import annotations

import threading

from redis.exceptions import ConnectionError, ResponseError  # noqa: A004 - redis-py's, not the builtin


class DirectRedis:
    """`execute(*args)` one Redis command on this thread's connection; same errors as redis-py."""

    def __init__(self, client):
        pool = client.connection_pool
        self._connection_class = pool.connection_class
        self._connection_kwargs = dict(pool.connection_kwargs)
        self._local = threading.local()
        self._all: list = []
        self._lock = threading.Lock()

    def execute(self, *args):
        connection = getattr(self._local, "connection", None)
        if connection is None:
            connection = self._local.connection = self._connection_class(**self._connection_kwargs)
            with self._lock:
                self._all.append(connection)
        for attempt in (1, 2):
            try:
                connection.send_command(*args)  # connects on first use, and again after a failure
                return connection.read_response()
            except ResponseError:
                raise  # Redis answered with an error: the connection itself is fine
            except ConnectionError:
                connection.disconnect()
                if attempt == 2:
                    raise
                # Once more on a fresh connection, as redis-py's default retry would: a kept connection
                # finds out only now that Redis restarted. The command may have run once already, so
                # only commands that may count twice belong here (a counter, a push of ids).
            except BaseException:
                connection.disconnect()  # a half-read reply must never be read by the next command
                raise
        raise AssertionError("unreachable")

    def close(self) -> None:
        with self._lock:
            connections, self._all = self._all, []
        for connection in connections:
            connection.disconnect()
