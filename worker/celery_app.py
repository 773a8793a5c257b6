"""The worker's side of Celery: register the task modules and the intake pump on the service's Celery app."""

from __future__ import annotations

from celery import Celery

from worker.intake import IntakePump


def init_worker(celery: Celery) -> Celery:
    """Make `celery` (built by `service.tasks_app.celery_init_app`) a worker app: its tasks and bootsteps."""
    # Importing the task modules registers their shared tasks with every Celery app.
    import worker.maintenance_tasks  # noqa: F401
    import worker.tasks  # noqa: F401
    import worker.training_tasks  # noqa: F401
    import worker.webhook_tasks  # noqa: F401

    if IntakePump not in celery.steps["worker"]:
        celery.steps["worker"].add(IntakePump)
    return celery
