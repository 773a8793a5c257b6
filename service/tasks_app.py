"""The Celery app, configured on the service side (Flask's `celery_init_app` pattern).

The service builds and configures Celery and hands work to the workers by task *name*; it never imports
`worker/`. The worker package holds the task bodies and the worker's bootsteps and adds them to this app
(`worker.celery_app.init_worker`), so imports run one way: classifier <- service <- worker.
"""

from __future__ import annotations

import logging
import os

from celery import Celery, Task
from flask import Flask, current_app

from service.intake import SCORE_COMMENTS, Intake

log = logging.getLogger(__name__)
QUEUES = ("scoring", "training", "webhooks", "maintenance")
# Task names are the contract between the two sides: `worker/` registers tasks under these names
# (SCORE_COMMENTS lives with the intake, which publishes it).
RELAY_PENDING = "moderato.relay_pending"
RETRAIN = "moderato.retrain"
RETRAIN_NIGHTLY = "moderato.retrain_nightly"
RESCORE_HELD = "moderato.rescore_held"
DELIVER_WEBHOOK = "moderato.deliver_webhook"
SWEEP_WEBHOOKS = "moderato.sweep_webhooks"
PURGE_RETENTION = "moderato.purge_retention"
TRAINING_QUEUE = "training"


def broker_settings(app: Flask) -> dict:
    """Broker URL and transport options; the embedded default is kombu's filesystem transport."""
    url = app.config["BROKER_URL"]
    settings: dict = {"broker_url": url}
    if url.startswith("filesystem"):
        folder = broker_folder(app)
        processed = os.path.join(folder, "processed")
        os.makedirs(processed, exist_ok=True)
        settings["broker_transport_options"] = {
            "data_folder_in": folder,
            "data_folder_out": folder,
            "processed_folder": processed,
            # Otherwise kombu writes exchange bindings to ./control in whatever the working directory is.
            "control_folder": os.path.join(folder, "control"),
            "store_processed": False,
            # The default one-second poll would dominate submit-to-decision latency.
            "polling_interval": 0.05,
        }
    else:
        settings["broker_transport_options"] = {
            # Unacknowledged tasks come back after this long if a worker vanished without a trace.
            "visibility_timeout": 3600,
            # Publishing fails within a second when Redis is down; the outbox relay enqueues later.
            "socket_connect_timeout": 1,
            "socket_timeout": 5,
            # A publish tries one connection and gives up (kombu would otherwise retry for
            # `broker_connection_timeout` seconds, holding every request that long while Redis is down).
            # Workers and beat reconnect through `broker_connection_max_retries`, not this.
            "max_retries": 0,
        }
    return settings


def broker_folder(app: Flask) -> str:
    """Where the embedded filesystem broker keeps its messages."""
    return os.path.join(app.instance_path, "broker")


def celery_init_app(app: Flask) -> Celery:
    """Create the Celery app bound to `app` and store it in `app.extensions["celery"]`."""

    class FlaskTask(Task):
        def __call__(self, *args, **kwargs):
            with app.app_context():
                return self.run(*args, **kwargs)

    celery = Celery(app.name, task_cls=FlaskTask)
    celery.conf.update(
        task_ignore_result=True,
        task_default_queue="scoring",
        task_routes={
            "moderato.score_comment": {"queue": "scoring"},
            SCORE_COMMENTS: {"queue": "scoring"},
            RELAY_PENDING: {"queue": "maintenance"},
            "moderato.retrain*": {"queue": TRAINING_QUEUE},
            RESCORE_HELD: {"queue": TRAINING_QUEUE},
            DELIVER_WEBHOOK: {"queue": "webhooks"},
            SWEEP_WEBHOOKS: {"queue": "maintenance"},
            PURGE_RETENTION: {"queue": "maintenance"},
        },
        # At-least-once: ack after the task body ran, and give a killed worker's task back.
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        # Each scoring task is already a batch (see service/intake.py): a worker takes one task per process,
        # so what it cannot start yet stays in the queue, where the intake pump sees the backlog.
        worker_prefetch_multiplier=1,
        task_serializer="json",
        accept_content=["json"],
        # Flower and `celery events` need the workers' events; "task-sent" events would cost every
        # publish a second message, so they stay off.
        worker_send_task_events=True,
        broker_connection_retry_on_startup=True,
        # Publishing must fail fast when the broker is down: the outbox relay enqueues later.
        broker_connection_timeout=2,
        task_publish_retry=False,
        # Workers and beat keep reconnecting after a broker restart, however long it takes (with a
        # limit they would exit and leave the queues unserved).
        broker_connection_max_retries=None,
        beat_schedule=beat_schedule(app),
        **broker_settings(app),
    )
    celery.conf.update(app.config.get("CELERY", {}))
    celery.set_default()
    app.extensions["celery"] = celery
    celery.flask_app = app  # tasks and the intake pump push the app context themselves
    app.extensions["intake"] = Intake(str(app.config["BROKER_URL"]), int(app.config["INTAKE_BATCH_MAX"]),
                                      float(app.config["INTAKE_LINGER_SECONDS"]), celery=celery)
    return celery


def beat_schedule(app: Flask) -> dict:
    """Beat's periodic tasks; the nightly retrain only when RETRAIN_NIGHTLY is on (off by default)."""
    schedule = {
        "relay-pending-comments": {"task": RELAY_PENDING, "schedule": float(app.config["RELAY_AFTER_SECONDS"]) / 2},
        "sweep-webhooks": {"task": SWEEP_WEBHOOKS, "schedule": 10.0},
        "purge-retention": {"task": PURGE_RETENTION, "schedule": 3600.0},
    }
    if app.config.get("RETRAIN_NIGHTLY", False):
        from celery.schedules import crontab

        hour = int(app.config.get("RETRAIN_NIGHTLY_HOUR", 3))
        schedule["nightly-retrain"] = {"task": RETRAIN_NIGHTLY, "schedule": crontab(hour=hour, minute=0),
                                       "options": {"queue": TRAINING_QUEUE}}
    return schedule


def send(name: str, args: list, **options) -> None:
    """Publish task `name` with `args` on the current app's Celery (routing comes from `task_routes`)."""
    celery = current_app.extensions.get("celery") or celery_init_app(current_app._get_current_object())
    celery.send_task(name, args=args, **options)


def enqueue_retrain(run_id: int) -> None:
    send(RETRAIN, [run_id], queue=TRAINING_QUEUE)


def enqueue_rescore(run_id: int) -> None:
    send(RESCORE_HELD, [run_id], queue=TRAINING_QUEUE)


def enqueue_deliveries(ids: list[int]) -> None:
    """Hand deliveries to the webhooks queue; a broker failure is only logged (the sweep sends them later)."""
    for delivery_id in ids:
        try:
            send(DELIVER_WEBHOOK, [delivery_id], retry=False)
        except Exception as exc:  # noqa: BLE001 - any broker failure: the sweep enqueues it later
            log.warning("webhook_enqueue_failed", extra={"delivery_id": delivery_id, "error": type(exc).__name__})
