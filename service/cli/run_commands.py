"""`moderato serve`: the whole service on one machine (web, scoring worker, beat) for `make run`."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from service.cli.processes import Worker, start, supervise, web_answers
from service.extensions import db

METRICS_DIR = "prometheus"


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--web-workers", default=2, show_default=True, type=click.IntRange(1))
@click.option("--no-worker", is_flag=True, help="Serve HTTP only (run workers elsewhere).")
@with_appcontext
def serve(host: str, port: int, web_workers: int, no_worker: bool) -> None:
    """Migrate, train the default model if needed, then run gunicorn, a Celery worker and beat.

    The local site's API key is kept in the instance folder and printed on every start (it changes only
    with `moderato site key local --rotate`). Prometheus counters of every process are shared through
    PROMETHEUS_MULTIPROC_DIR (default instance/prometheus, emptied here at each start).
    """
    from service.domain.local_site import LOCAL_SITE, ensure_local_key, kept_key_path
    from service.domain.model_versions import ensure_default_model
    from service.storage import migrate

    migrate.upgrade(db().engine)
    with db().session() as session:
        ensure_default_model(session, Path(current_app.config["MODEL_DIR"]), log=click.echo)
        key, new = ensure_local_key(session, current_app.instance_path, f"http://{host}:{port}/")
    python = Path(sys.executable)
    bindir = python.parent
    env = dict(os.environ, MODERATO_INSTANCE_PATH=current_app.instance_path, PYTHONUNBUFFERED="1",
               PROMETHEUS_MULTIPROC_DIR=str(fresh_metrics_dir(current_app.instance_path)))
    commands = [[str(bindir / "gunicorn"), "--bind", f"{host}:{port}", "--workers", str(web_workers),
                 "--threads", "4", "--access-logfile", "-", "service.app:create_app()"]]
    if not no_worker:
        schedule = Path(current_app.instance_path) / "celerybeat-schedule"
        commands.append([str(bindir / "celery"), "-A", "worker.app", "worker", "-B", "-s", str(schedule),
                         "-Q", "scoring,maintenance,webhooks,training", "--concurrency", "2",
                         "--loglevel", "INFO"])
    web = start(commands[0], env)
    worker = Worker(commands[1], env) if not no_worker else None
    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host  # noqa: S104 - only an address to print
    base = f"http://{shown}:{port}/"

    def announce() -> None:
        # Only once the web answers and the worker consumes (its model loaded): a comment posted after
        # this line is decided within a second, as the README promises.
        click.echo(f"Moderato is serving on {base} (the moderation UI; log in with an account made by "
                   f"`.venv/bin/moderato user create EMAIL --role admin`)")
        click.echo(f"Site '{LOCAL_SITE}' API key: {key}")
        click.echo(f"  ({'new; ' if new else ''}kept in {kept_key_path(current_app.instance_path)} across "
                   f"restarts; `moderato site key {LOCAL_SITE} --rotate` replaces it)")
        broker = current_app.config["BROKER_URL"].split(":")[0]
        click.echo(f"Database: {db().engine.url.get_backend_name()}; broker: {broker}")
        click.echo("Press Ctrl-C to stop.")

    click.echo("Starting the web server" + (" and the worker..." if worker else "..."))
    supervise([web] + ([worker.process] if worker else []),
              lambda: web_answers(base + "healthz") and (worker is None or worker.ready.is_set()), announce)


def fresh_metrics_dir(instance_path: str) -> Path:
    """PROMETHEUS_MULTIPROC_DIR for the processes about to start, emptied of an earlier run's files.

    Each process writes its counters to its own file there and `/metrics` adds them up; files left by an
    earlier run would add that run's counts (and dead processes' pids) to this one's.
    """
    folder = Path(os.environ.get("PROMETHEUS_MULTIPROC_DIR") or Path(instance_path) / METRICS_DIR)
    folder.mkdir(parents=True, exist_ok=True)
    for stale in folder.glob("*.db"):
        stale.unlink()
    return folder
