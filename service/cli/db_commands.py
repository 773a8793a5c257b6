"""`moderato db ...`: database migrations."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from service.extensions import db as database
from service.storage import migrate


@click.group()
def db() -> None:
    """Database schema commands."""


@db.command("upgrade")
@click.option("--revision", default="head", show_default=True)
@with_appcontext
def upgrade(revision: str) -> None:
    """Run the Alembic migrations up to REVISION."""
    engine = database().engine
    migrate.upgrade(engine, revision)
    click.echo(f"Database at revision {migrate.current_revision(engine)} ({engine.url.get_backend_name()}).")
