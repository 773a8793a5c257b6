"""The `moderato` command line: command groups that build the app only when a command runs.

`moderato --help` lists the commands without building the app, and a command builds the command-line
app (`create_app(web=False)`: no HTTP layer) when it needs one, so `moderato site list` waits for
Flask, SQLAlchemy and the database, never for scikit-learn or matplotlib. Modules here import heavy
dependencies inside the commands that use them.
"""

from __future__ import annotations

import click

# One place lists the command groups, for both the `moderato` group and `app.cli` (what the test runner uses).
COMMAND_MODULES = (
    ("service.cli.db_commands", "db"),
    ("service.cli.site_commands", "site"),
    ("service.cli.user_commands", "user"),
    ("service.cli.model_commands", "model"),
    ("service.cli.run_commands", "serve"),
    ("service.cli.gdpr_commands", "gdpr"),
    ("service.cli.compat_commands", "compat"),
    ("service.cli.import_commands", "import_history"),
)


def _commands() -> list[click.Command]:
    from importlib import import_module

    return [getattr(import_module(module), name) for module, name in COMMAND_MODULES]


def _create_cli_app():
    from service.app import create_app

    return create_app(web=False)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="moderato", prog_name="moderato")
def cli() -> None:
    """Moderato: self-hosted comment moderation.

    Settings come from instance/moderato.cfg and MODERATO_* environment variables (DATABASE_URL and
    REDIS_URL too); see docs/operations.md.
    """


for _command in _commands():
    cli.add_command(_command)


def register_commands(app) -> None:
    """Add Moderato's command groups to `app.cli` (the app factory calls this)."""
    for command in _commands():
        app.cli.add_command(command)


def main() -> None:
    """Console-script entry point: run a command, printing any failure as one line on stderr."""
    from flask.cli import ScriptInfo

    from service.cli.errors import run_reporting_errors

    run_reporting_errors(lambda: cli.main(prog_name="moderato",
                                          obj=ScriptInfo(create_app=_create_cli_app, set_debug_flag=False)))
