"""Entry point for `celery -A worker.app worker|beat`: the only module that builds an app at import."""

from service.app import create_app
from worker.celery_app import init_worker

flask_app = create_app()
celery = init_worker(flask_app.extensions["celery"])
