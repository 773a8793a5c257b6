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


def _register() -> None:
    from service.cli import db_commands, model_commands, run_commands, site_commands

    cli.add_command(db_commands.db)
    cli.add_command(site_commands.site)
    cli.add_command(model_commands.model)
    cli.add_command(run_commands.serve)


def main() -> None:
    """Console-script entry point."""
    _register()
    cli(prog_name="moderato")
