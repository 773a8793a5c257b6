"""`moderato db ...`: database migrations."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from service.extensions import db as database


@click.group()
def db() -> None:
    """Database schema commands."""


@db.command("upgrade")
@click.option("--revision", default="head", show_default=True)
@with_appcontext
def upgrade(revision: str) -> None:
    """Run the Alembic migrations up to REVISION."""
    from service.storage import migrate

    engine = database().engine
    before = migrate.current_revision(engine)
    migrate.upgrade(engine, revision)
    after = migrate.current_revision(engine)
    change = f"upgraded from {before or 'an empty database'} to {after}" if after != before else f"already at {after}"
    click.echo(f"Database {change} ({engine.url.get_backend_name()}).")
