"""Celery tasks: thin envelopes that take ids and call the domain."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

from celery import shared_task
from flask import current_app
from sqlalchemy.exc import DBAPIError

from service.domain import comments as comments_domain
from service.domain.errors import NoActiveModel
from service.domain.scoring import decide_comments
from service.extensions import db, models

log = logging.getLogger(__name__)


@shared_task(
    name="moderato.score_comment",
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(DBAPIError, NoActiveModel),
    retry_backoff=True,
    retry_backoff_max=60,
    retry_jitter=True,
    max_retries=20,
    soft_time_limit=30,
    time_limit=60,
)
def score_comment(comment_id: int) -> dict:
    """Score one comment and record its automatic decision (a no-op if it is already decided)."""
    return decide_comments(db(), models(), current_app.config, [int(comment_id)])


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
