"""Celery tasks: thin envelopes that take ids and call the domain."""

from __future__ import annotations

import contextlib
import logging
import time
from datetime import UTC, datetime, timedelta

from celery import shared_task
from flask import current_app
from sqlalchemy.exc import DBAPIError

from service.domain import comments as comments_domain
from service.domain.errors import NoActiveModel
from service.domain.scoring import decide_isolating_failures
from service.extensions import db, models
from service.intake import is_redis_url
from service.tasks_app import RELAY_PENDING, SCORE_COMMENTS

log = logging.getLogger(__name__)
# A batch that failed on a transient error (database down, no model yet) is sent again after this long.
RETRY_SECONDS = 5


@shared_task(
    name=SCORE_COMMENTS,
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=60,
    time_limit=120,
)
def score_comments(self, comment_ids: list[int]) -> dict:
    """Score a batch of comments (the intake pump's batches, the relay's re-sends) in one transaction."""
    ids = sorted({int(i) for i in comment_ids})
    return score_ids(self.app.flask_app, ids)


@shared_task(name="moderato.score_comment", bind=True, acks_late=True, reject_on_worker_lost=True,
             soft_time_limit=60, time_limit=120)
def score_comment(self, comment_id: int) -> dict:
    """Score one comment (messages published by earlier versions, one per comment)."""
    return score_ids(self.app.flask_app, [int(comment_id)])


def score_ids(flask_app, ids: list[int]) -> dict:
    """Decide the pending comments among `ids` in one app context, sending them again on a transient failure."""
    with flask_app.app_context():
        started = time.perf_counter()
        try:
            outcomes = decide_isolating_failures(db(), models(), current_app.config, ids)
        except (DBAPIError, NoActiveModel) as exc:
            # This message is acked on return: hand the ids back with a delay; the outbox relay is the
            # backstop if even that publish fails.
            log.warning("scoring_batch_failed", extra={"count": len(ids), "error": type(exc).__name__})
            score_comments.apply_async(args=[ids], countdown=RETRY_SECONDS, retry=False)
            return {"retried": len(ids)}
        from service.http.metrics import observe_scoring

        observe_scoring(flask_app, time.perf_counter() - started, outcomes)
        return outcomes


@shared_task(name=RELAY_PENDING, acks_late=True, soft_time_limit=60, time_limit=120)
def relay_pending() -> int:
    """Enqueue scoring again for comments still pending after RELAY_AFTER_SECONDS (the outbox relay)."""
    cutoff = datetime.now(UTC) - timedelta(seconds=float(current_app.config["RELAY_AFTER_SECONDS"]))
    with db().session() as session:
        ids = comments_domain.pending_ids(session, cutoff)
    ids = not_relayed_recently(ids, current_app.config)
    try:
        current_app.extensions["intake"].push(ids)
    except Exception:
        forget_relayed(ids, current_app.config)  # so the next tick tries these again
        raise
    if ids:
        log.info("relayed_pending_comments", extra={"count": len(ids)})
    return len(ids)


def not_relayed_recently(ids: list[int], config) -> list[int]:
    """Keep the ids the relay has not re-sent within RELAY_MARKER_SECONDS, and mark them as re-sent now.

    Without this a backlog older than RELAY_AFTER_SECONDS would be re-sent on every tick, and the queue
    would grow faster than the workers drain it. The marks live in the broker's own Redis database: if
    Redis loses the messages (a restart without persistence), it loses the marks with them, and the
    next tick re-sends at once. Other brokers (the embedded filesystem one) re-send every tick.
    """
    url = str(config["BROKER_URL"])
    if not ids or not is_redis_url(url):
        return ids
    ttl = max(int(float(config.get("RELAY_MARKER_SECONDS") or 10 * float(config["RELAY_AFTER_SECONDS"]))), 1)
    client = _redis(url)
    try:
        pipe = client.pipeline(transaction=False)
        for comment_id in ids:
            pipe.set(f"moderato:relayed:{comment_id}", 1, nx=True, ex=ttl)
        fresh = pipe.execute()
    finally:
        client.close()
    return [comment_id for comment_id, was_set in zip(ids, fresh, strict=True) if was_set]


def forget_relayed(ids: list[int], config) -> None:
    """Drop the relay's marks for `ids` (their re-send failed); a broker that is down keeps none anyway."""
    url = str(config["BROKER_URL"])
    if not ids or not is_redis_url(url):
        return
    client = _redis(url)
    # Best effort: the marks expire after RELAY_MARKER_SECONDS anyway.
    with contextlib.suppress(Exception), contextlib.closing(client):
        client.delete(*(f"moderato:relayed:{comment_id}" for comment_id in ids))


def _redis(url: str):
    import redis

    return redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=5)
