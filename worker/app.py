"""Entry point for `celery -A worker.app worker|beat`: the only module that builds an app at import."""

from service.app import create_app

flask_app = create_app()
celery = flask_app.extensions["celery"]
