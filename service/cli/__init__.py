"""The `moderato` command line: Flask's CLI group with Moderato's command groups added."""

from __future__ import annotations

import click
from flask.cli import FlaskGroup

from service.app import create_app


def _create_app():
    return create_app()


@click.group(cls=FlaskGroup, create_app=_create_app, add_default_commands=False, add_version_option=False)
def cli() -> None:
    """Moderato: self-hosted comment moderation."""


def register_commands(app) -> None:
    """Add Moderato's command groups to `app.cli` (the app factory calls this)."""
    from service.cli import (
        db_commands,
        gdpr_commands,
        import_commands,
        model_commands,
        run_commands,
        site_commands,
        user_commands,
    )
    from service.cli.compat_commands import compat

    app.cli.add_command(db_commands.db)
    app.cli.add_command(site_commands.site)
    app.cli.add_command(model_commands.model)
    app.cli.add_command(run_commands.serve)
    app.cli.add_command(gdpr_commands.gdpr)
    app.cli.add_command(user_commands.user)
    app.cli.add_command(compat)
    app.cli.add_command(import_commands.import_history)


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="moderato")
