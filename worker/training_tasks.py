"""Training tasks on the `training` queue: retrain, nightly retrain, re-score the held queue."""

from __future__ import annotations

import logging

from celery import shared_task
from flask import current_app

from service.domain.errors import Conflict, NoActiveModel
from service.domain.training import runs
from service.domain.training.rescore import rescore_held as rescore_held_comments
from service.extensions import db, models
from service.tasks_app import RESCORE_HELD, RETRAIN, RETRAIN_NIGHTLY

log = logging.getLogger(__name__)


def _active():
    """The serving models, or None before any model is active."""
    try:
        return models().get()
    except NoActiveModel:
        return None


# Acknowledged on receipt, unlike scoring: a redelivery (after the broker's visibility timeout) would train
# the same run twice for hours. A run whose worker died is marked failed when the next one starts.
@shared_task(name=RETRAIN, acks_late=False, soft_time_limit=6 * 3600, time_limit=6 * 3600 + 300)
def retrain(run_id: int) -> str:
    """Execute one queued training run; the run row records progress, the report or why it failed."""
    return runs.execute_run(db(), _active(), current_app.config, int(run_id))


@shared_task(name=RETRAIN_NIGHTLY, acks_late=False, soft_time_limit=6 * 3600, time_limit=6 * 3600 + 300)
def retrain_nightly() -> str:
    """Start and execute a scheduled run (skipped when another run is in progress)."""
    try:
        with db().session() as session:
            run_id = runs.start_run(session, created_by="schedule", params={
                "auto_promote": bool(current_app.config.get("RETRAIN_NIGHTLY_AUTO_PROMOTE", False))}).id
    except Conflict as exc:
        log.info("nightly_retrain_skipped", extra={"reason": str(exc)})
        return "skipped"
    return runs.execute_run(db(), _active(), current_app.config, run_id)


@shared_task(name=RESCORE_HELD, acks_late=True, reject_on_worker_lost=True, soft_time_limit=3600,
             time_limit=3700)
def rescore_held(run_id: int) -> dict | None:
    """Re-score the held queue with the active model; the run row's report says how many moved."""
    database = db()
    if runs.claim(database, int(run_id)) is None:
        return None
    try:
        active = models().get()
        result = rescore_held_comments(database, active, current_app.config, runs.Progress(database, int(run_id)))
    except Exception as exc:  # noqa: BLE001 - the run records why; nothing was half-moved (batches commit whole)
        runs.fail(database, int(run_id), exc)
        return None
    runs.finish(database, int(run_id), result)
    return result
