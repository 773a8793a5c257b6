"""Wire the app's collaborators: database, model registry and Celery."""

from __future__ import annotations

from flask import Flask, current_app

from service.domain.model_registry import ModelRegistry
from service.storage.database import Database


def init_extensions(app: Flask, *, with_celery: bool = True) -> None:
    """Attach the database, model registry and Celery app to `app.extensions` (nothing connects yet).

    Without `with_celery` (the command line), Celery is built by the first command that publishes a task.
    """
    database = Database(app.config["DATABASE_URL"])
    app.extensions["db"] = database
    app.extensions["models"] = ModelRegistry(database, float(app.config["MODEL_REFRESH_SECONDS"]))
    from service.http.auth import SiteKeyCache

    app.extensions["site_keys"] = SiteKeyCache(float(app.config["AUTH_CACHE_SECONDS"]))

    if with_celery:
        from service.tasks_app import celery_init_app

        celery_init_app(app)


def db() -> Database:
    """The current app's database."""
    return current_app.extensions["db"]


def models() -> ModelRegistry:
    """The current app's model registry."""
    return current_app.extensions["models"]
