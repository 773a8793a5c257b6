"""Webhook tasks: deliver one signed POST with exponential backoff, and sweep up deliveries nobody sent."""

from __future__ import annotations

import logging

from celery import shared_task
from flask import current_app
from sqlalchemy.exc import DBAPIError

from service.domain import webhooks
from service.extensions import db
from service.tasks_app import DELIVER_WEBHOOK, SWEEP_WEBHOOKS, enqueue_deliveries

log = logging.getLogger(__name__)


@shared_task(name=DELIVER_WEBHOOK, bind=True, acks_late=True, reject_on_worker_lost=True,
             autoretry_for=(DBAPIError,), retry_backoff=True, max_retries=None, soft_time_limit=60, time_limit=90)
def deliver_webhook(self, delivery_id: int) -> None:
    """Attempt one webhook delivery; on failure schedule the next attempt after the backoff."""
    timeout = float(current_app.config.get("WEBHOOK_TIMEOUT_SECONDS", 10))
    retry_in = webhooks.attempt(db(), int(delivery_id), timeout)
    if retry_in is not None:
        raise self.retry(countdown=retry_in)


@shared_task(name=SWEEP_WEBHOOKS, acks_late=True, soft_time_limit=60, time_limit=120)
def sweep_webhooks() -> int:
    """Enqueue every due pending delivery (new ones from automatic decisions, and any whose worker died)."""
    with db().session() as session:
        ids = webhooks.due_ids(session)
    enqueue_deliveries(ids)
    return len(ids)
