"""Celery wiring: Flask's `celery_init_app` pattern, with tasks running inside the app context."""

from __future__ import annotations

import os

from celery import Celery, Task
from flask import Flask

from worker.intake import Intake, IntakePump

QUEUES = ("scoring", "training", "webhooks", "maintenance")


def broker_settings(app: Flask) -> dict:
    """Broker URL and transport options; the embedded default is kombu's filesystem transport."""
    url = app.config["BROKER_URL"]
    settings: dict = {"broker_url": url}
    if url.startswith("filesystem"):
        folder = os.path.join(app.instance_path, "broker")
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
            "moderato.score_comments": {"queue": "scoring"},
            "moderato.relay_pending": {"queue": "maintenance"},
            "moderato.retrain*": {"queue": "training"},
            "moderato.deliver_webhook": {"queue": "webhooks"},
            "moderato.sweep_webhooks": {"queue": "maintenance"},
            "moderato.purge_retention": {"queue": "maintenance"},
        },
        # At-least-once: ack after the task body ran, and give a killed worker's task back.
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        # Each scoring task is already a batch (see worker/intake.py): a worker takes one task per process,
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
        beat_schedule={
            "relay-pending-comments": {
                "task": "moderato.relay_pending",
                "schedule": float(app.config["RELAY_AFTER_SECONDS"]) / 2,
            },
            "sweep-webhooks": {"task": "moderato.sweep_webhooks", "schedule": 10.0},
            "purge-retention": {"task": "moderato.purge_retention", "schedule": 3600.0},
        },
        **broker_settings(app),
    )
    celery.conf.update(app.config.get("CELERY", {}))
    celery.set_default()
    app.extensions["celery"] = celery
    celery.flask_app = app  # tasks and the intake pump push the app context themselves
    app.extensions["intake"] = Intake(str(app.config["BROKER_URL"]), int(app.config["INTAKE_BATCH_MAX"]),
                                      float(app.config["INTAKE_LINGER_SECONDS"]))
    celery.steps["worker"].add(IntakePump)

    # Import the task modules so the worker registers them.
    import worker.maintenance_tasks  # noqa: F401
    import worker.tasks  # noqa: F401
    import worker.webhook_tasks  # noqa: F401
    from worker import training_tasks

    training_tasks.configure_schedule(app, celery)
    return celery
