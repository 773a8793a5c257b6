"""Celery tasks: thin envelopes that take ids and call the domain."""

from __future__ import annotations

import logging
import time
from datetime import UTC, datetime, timedelta

from celery import shared_task
from celery_batches import Batches
from flask import current_app
from sqlalchemy.exc import DBAPIError

from service.domain import comments as comments_domain
from service.domain.errors import NoActiveModel
from service.domain.scoring import decide_comments
from service.extensions import db, models

log = logging.getLogger(__name__)
# Tuned with bench/scoring_throughput.py: bigger batches amortise the model call and the commit.
SCORING_BATCH_SIZE = 200
SCORING_FLUSH_SECONDS = 0.05


@shared_task(
    name="moderato.score_comment",
    base=Batches,
    bind=True,
    # Messages are buffered and scored together: one model call and one transaction per batch.
    flush_every=SCORING_BATCH_SIZE,
    flush_interval=SCORING_FLUSH_SECONDS,
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=60,
    time_limit=120,
)
def score_comment(self, requests) -> dict:
    """Score a batch of `score_comment(comment_id)` messages and record each automatic decision once."""
    ids = sorted({int(r.args[0]) for r in requests if r.args})
    return score_ids(self.app.flask_app, ids)


def score_ids(flask_app, ids: list[int]) -> dict:
    """Decide the pending comments among `ids` in one app context, re-enqueueing them on a transient failure."""
    with flask_app.app_context():
        started = time.perf_counter()
        try:
            outcomes = decide_comments(db(), models(), current_app.config, ids)
        except (DBAPIError, NoActiveModel) as exc:
            # Acked already (batches ack on return): hand the ids back with a delay; the outbox relay is
            # the backstop if even that publish fails.
            log.warning("scoring_batch_failed", extra={"count": len(ids), "error": type(exc).__name__})
            for comment_id in ids:
                score_comment.apply_async(args=[comment_id], countdown=5, retry=False)
            return {"retried": len(ids)}
        from service.http.metrics import observe_scoring

        observe_scoring(flask_app, time.perf_counter() - started, outcomes)
        return outcomes


@shared_task(name="moderato.relay_pending", acks_late=True, soft_time_limit=60, time_limit=120)
def relay_pending() -> int:
    """Enqueue scoring again for comments still pending after RELAY_AFTER_SECONDS (the outbox relay)."""
    cutoff = datetime.now(UTC) - timedelta(seconds=float(current_app.config["RELAY_AFTER_SECONDS"]))
    with db().session() as session:
        ids = comments_domain.pending_ids(session, cutoff)
    for comment_id in ids:
        score_comment.apply_async(args=[comment_id], retry=False)
    if ids:
        log.info("relayed_pending_comments", extra={"count": len(ids)})
    return len(ids)
