"""Beat-scheduled housekeeping: retention of spam and IPs, expired idempotency keys."""

from __future__ import annotations

import logging

from celery import shared_task
from flask import current_app

from service.domain import privacy
from service.extensions import db
from service.http.idempotency import purge_expired
from service.tasks_app import PURGE_RETENTION

log = logging.getLogger(__name__)
DEFAULT_SPAM_DAYS = 15
DEFAULT_IP_DAYS = 30


@shared_task(name=PURGE_RETENTION, acks_late=True, soft_time_limit=300, time_limit=600)
def purge_retention() -> dict:
    """Delete rejected spam after RETENTION_SPAM_DAYS, forget IPs after RETENTION_IP_DAYS."""
    config = current_app.config
    with db().session() as session:
        spam = privacy.purge_rejected_spam(session, float(config.get("RETENTION_SPAM_DAYS", DEFAULT_SPAM_DAYS)))
        ips = privacy.purge_ips(session, float(config.get("RETENTION_IP_DAYS", DEFAULT_IP_DAYS)))
        keys = purge_expired(session)
    result = {"spam_deleted": spam, "ips_forgotten": ips, "idempotency_keys_deleted": keys}
    log.info("retention_purged", extra=result)
    return result
