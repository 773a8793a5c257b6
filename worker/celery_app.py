"""The worker's side of Celery: register the task modules and the intake pump on the service's Celery app."""

from __future__ import annotations

import logging

from celery import Celery, signals

from worker.intake import IntakePump

log = logging.getLogger(__name__)


def init_worker(celery: Celery) -> Celery:
    """Make `celery` (built by `service.tasks_app.celery_init_app`) a worker app: its tasks and bootsteps."""
    # Importing the task modules registers their shared tasks with every Celery app.
    import worker.maintenance_tasks  # noqa: F401
    import worker.tasks  # noqa: F401
    import worker.training_tasks  # noqa: F401
    import worker.webhook_tasks  # noqa: F401

    if IntakePump not in celery.steps["worker"]:
        celery.steps["worker"].add(IntakePump)
    signals.worker_init.connect(preload_models, weak=False, dispatch_uid="moderato-preload-models")
    return celery


def preload_models(sender=None, **_) -> None:
    """Load the active models in a prefork worker's main process, before it forks its pool.

    Every pool process then starts with them (copy-on-write) instead of loading scikit-learn and the
    model files on its first batch: without this the first comment after a start waited 2-4 s on this
    machine. The database connections used for it are closed before the fork, so no child shares one.
    """
    pool = getattr(sender, "pool_cls", None)
    name = pool if isinstance(pool, str) else f"{getattr(pool, '__module__', '')}.{getattr(pool, '__name__', '')}"
    flask_app = getattr(getattr(sender, "app", None), "flask_app", None)
    if flask_app is None or "prefork" not in str(name):
        return
    from service.domain.errors import NoActiveModel

    with flask_app.app_context():
        try:
            flask_app.extensions["models"].get()
        except NoActiveModel as exc:
            log.warning("models_not_preloaded", extra={"reason": str(exc)})
        finally:
            flask_app.extensions["db"].dispose()
