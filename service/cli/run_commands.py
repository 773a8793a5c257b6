"""`moderato serve`: the whole service on one machine (web, scoring worker, beat) for `make run`."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from service.domain import sites
from service.domain.errors import NotFound
from service.extensions import db
from service.storage import migrate

LOCAL_SITE = "local"
RUN_KEY_LABEL = "make-run"


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--web-workers", default=2, show_default=True, type=int)
@click.option("--no-worker", is_flag=True, help="Serve HTTP only (run workers elsewhere).")
@with_appcontext
def serve(host: str, port: int, web_workers: int, no_worker: bool) -> None:
    """Migrate, train the default model if needed, then run gunicorn, a Celery worker and beat."""
    from service.domain.model_versions import ensure_default_model

    migrate.upgrade(db().engine)
    with db().session() as session:
        ensure_default_model(session, Path(current_app.config["MODEL_DIR"]), log=click.echo)
        key = _fresh_local_key(session, f"http://{host}:{port}/")
    python = Path(sys.executable)
    bindir = python.parent
    env = dict(os.environ, MODERATO_INSTANCE_PATH=current_app.instance_path, PYTHONUNBUFFERED="1")
    commands = [[str(bindir / "gunicorn"), "--bind", f"{host}:{port}", "--workers", str(web_workers),
                 "--threads", "4", "--access-logfile", "-", "service.app:create_app()"]]
    if not no_worker:
        schedule = Path(current_app.instance_path) / "celerybeat-schedule"
        commands.append([str(bindir / "celery"), "-A", "worker.app", "worker", "-B", "-s", str(schedule),
                         "-Q", "scoring,maintenance,webhooks,training", "--concurrency", "2",
                         "--loglevel", "INFO"])
    children = [subprocess.Popen(cmd, env=env) for cmd in commands]
    click.echo(f"Moderato is serving on http://{host}:{port}")
    click.echo(f"Site '{LOCAL_SITE}' API key: {key}")
    broker = current_app.config["BROKER_URL"].split(":")[0]
    click.echo(f"Database: {db().engine.url.get_backend_name()}; broker: {broker}")
    click.echo("Press Ctrl-C to stop.")
    _supervise(children)


def _fresh_local_key(session, url: str) -> str:
    """Issue a new key for the local site (creating it), revoking the key the previous run printed."""
    try:
        site = sites.get_site_by_name(session, LOCAL_SITE)
    except NotFound:
        issued = sites.create_site(session, LOCAL_SITE, url)
        sites.revoke_keys(session, issued.site, "initial")
        site = issued.site
    sites.revoke_keys(session, site, RUN_KEY_LABEL)
    return sites.issue_key(session, site, scope="full", label=RUN_KEY_LABEL).key


def _supervise(children: list[subprocess.Popen]) -> None:
    stopping = False

    def stop(*_):
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    try:
        while not stopping and all(c.poll() is None for c in children):
            time.sleep(0.5)
    finally:
        for child in children:
            if child.poll() is None:
                child.terminate()
        deadline = time.monotonic() + 15
        for child in children:
            try:
                child.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                child.kill()
    failed = [c for c in children if c.returncode not in (0, -signal.SIGTERM, None)]
    if failed and not stopping:
        raise click.ClickException(f"{failed[0].args[0]} exited with {failed[0].returncode}")
