"""The intake: where accepted comments wait to be scored.

On a Redis broker the web process pushes each accepted comment's id onto one Redis list: a single LPUSH,
several times cheaper than a Celery publish. Every scoring worker runs an intake pump (a worker bootstep,
`worker/intake.py`) that pops what has gathered, up to INTAKE_BATCH_MAX ids, and publishes it as one
`moderato.score_comments` task. It lingers INTAKE_LINGER_SECONDS after the first id so a batch has
company, and it publishes only while fewer than INTAKE_BACKLOG tasks wait in the scoring queue, so while
the workers are busy ids gather in the list and the next batch is bigger: batches grow with load, and an
idle system scores a comment within the linger of its arrival.

Durability is the database's, not Redis's: a comment is committed before its id is pushed, and the
outbox relay pushes again any comment still pending after RELAY_AFTER_SECONDS (Redis restarted without
persistence, a pump killed between its pop and its publish). Other brokers (the embedded filesystem one)
get `score_comments` tasks published directly.
"""

from __future__ import annotations

import threading
import time

from service.storage.redis_direct import DirectRedis

INTAKE_KEY = "moderato:intake"
SCORE_COMMENTS = "moderato.score_comments"
SCORING_QUEUE = "scoring"
# How long one blocking pop waits before the pump looks at its stop flag again.
POP_WAIT_SECONDS = 1.0


def is_redis_url(url: str | None) -> bool:
    return bool(url) and str(url).startswith(("redis://", "rediss://", "unix://"))


class Intake:
    """Push comment ids to be scored; on a Redis broker, pop them in batches."""

    def __init__(self, broker_url: str, batch_max: int = 500, linger_seconds: float = 0.02, celery=None):
        self.broker_url = broker_url
        # Other brokers get `score_comments` tasks published directly, by name, on this Celery app.
        self.celery = celery
        self.batch_max = max(int(batch_max), 1)
        self.linger_seconds = max(float(linger_seconds), 0.0)
        self._redis = None
        self._direct: DirectRedis | None = None
        self._lock = threading.Lock()

    @property
    def uses_redis(self) -> bool:
        return is_redis_url(self.broker_url)

    @property
    def redis(self):
        """A client with its own connection pool, made on first use (nothing connects at app creation)."""
        if self._redis is None:
            with self._lock:
                if self._redis is None:
                    import redis

                    self._redis = redis.Redis.from_url(
                        self.broker_url, socket_connect_timeout=1, socket_timeout=POP_WAIT_SECONDS + 4)
        return self._redis

    @property
    def direct(self) -> DirectRedis:
        """The same Redis, one connection per thread: the web's one push per submission skips the pool."""
        if self._direct is None:
            client = self.redis  # outside the lock: it takes the lock itself
            with self._lock:
                if self._direct is None:
                    self._direct = DirectRedis(client)
        return self._direct

    def push(self, ids: list[int]) -> None:
        """Hand `ids` to scoring; raises if the broker is unreachable (the caller decides what that means)."""
        if not ids:
            return
        if self.uses_redis:
            self.direct.execute("LPUSH", INTAKE_KEY, *ids)
            return
        for start in range(0, len(ids), self.batch_max):
            self.celery.send_task(SCORE_COMMENTS, args=[list(ids[start:start + self.batch_max])], retry=False)

    def requeue(self, ids: list[int]) -> None:
        """Put popped ids back at the head of the line (their publish failed)."""
        if ids:
            self.redis.rpush(INTAKE_KEY, *reversed(ids))

    def pop_batch(self, wait_seconds: float = POP_WAIT_SECONDS) -> list[int]:
        """Block up to `wait_seconds` for one id, linger a moment for company, then take whatever else has
        gathered, up to batch_max. Every task costs a transaction and a message whatever its size, so a
        short linger buys much larger batches at moderate load for a few milliseconds of latency."""
        first = self.redis.brpop([INTAKE_KEY], timeout=wait_seconds)
        if first is None:
            return []
        if self.batch_max == 1:
            return [int(first[1])]
        if self.linger_seconds:
            # Put it back at the end it came from while lingering: a pump killed now loses no id (the
            # linger is most of a pump's cycle; only the pop-to-publish instant below is exposed).
            self.redis.rpush(INTAKE_KEY, first[1])
            time.sleep(self.linger_seconds)
            return [int(raw) for raw in self.redis.rpop(INTAKE_KEY, self.batch_max) or []]
        return [int(first[1]), *(int(raw) for raw in self.redis.rpop(INTAKE_KEY, self.batch_max - 1) or [])]

    def depth(self) -> int:
        """Ids waiting in the intake list."""
        return int(self.redis.llen(INTAKE_KEY)) if self.uses_redis else 0

    def backlog(self, queue: str = SCORING_QUEUE) -> int:
        """Scoring tasks published and not yet taken by a worker."""
        return int(self.redis.llen(queue))
