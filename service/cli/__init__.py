"""The `moderato` command line: command groups that build the app only when a command runs.

`moderato --help` lists the commands without building the app, and a command builds the command-line
app (`create_app(web=False)`: no HTTP layer) when it needs one, so `moderato site list` waits for
Flask, SQLAlchemy and the database, never for scikit-learn or matplotlib. Modules here import heavy
dependencies inside the commands that use them.
"""

from __future__ import annotations

import click

# Every command group: where it lives, and its one-line help, so that `moderato --help` lists them without
# importing any (tests/service/test_cli_light.py checks each line against the command's own help).
COMMANDS = {
    "compat": ("service.cli.compat_commands", "compat",
               "Configure the Akismet, Perspective and Coral compatible endpoints."),
    "db": ("service.cli.db_commands", "db", "Database schema commands."),
    "gdpr": ("service.cli.gdpr_commands", "gdpr", "Export or erase everything stored about one comment author."),
    "import": ("service.cli.import_commands", "import_history",
               "Import labelled comments from FILE as training labels for site NAME (all or nothing)."),
    "model": ("service.cli.model_commands", "model", "Train, score, evaluate and activate models."),
    "serve": ("service.cli.run_commands", "serve",
              "Migrate, train the default model if needed, then run gunicorn, a Celery worker and beat."),
    "site": ("service.cli.site_commands", "site", "Manage sites and API keys."),
    "user": ("service.cli.user_commands", "user", "Manage moderator and admin accounts."),
}


def load_command(name: str) -> click.Command:
    from importlib import import_module

    module, attribute, _ = COMMANDS[name]
    return getattr(import_module(module), attribute)


class LazyGroup(click.Group):
    """A group that imports a command's module only when that command runs (or its own help is asked for)."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(self.commands) | set(COMMANDS))

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in self.commands and name in COMMANDS:
            self.add_command(load_command(name), name)
        return self.commands.get(name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        names = self.list_commands(ctx)
        limit = formatter.width - 6 - max(map(len, names))
        rows = [(name, click.utils.make_default_short_help(COMMANDS[name][2], limit)) for name in names]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


def _create_cli_app():
    from service.app import create_app

    return create_app(web=False)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="moderato", prog_name="moderato")
@click.pass_context
def cli(ctx: click.Context) -> None:
    """Moderato: self-hosted comment moderation.

    Settings come from instance/moderato.cfg and MODERATO_* environment variables (DATABASE_URL and
    REDIS_URL too); see docs/operations.md.
    """
    if ctx.obj is None:
        # Runs only when a command does (not for `moderato --help`): how Flask's `with_appcontext` finds the app.
        from flask.cli import ScriptInfo

        ctx.obj = ScriptInfo(create_app=_create_cli_app, set_debug_flag=False)


def register_commands(app) -> None:
    """Add Moderato's command groups to `app.cli` (the app factory calls this)."""
    for name in COMMANDS:
        app.cli.add_command(load_command(name), name)


def main() -> None:
    """Console-script entry point: run a command, printing any failure as one line on stderr."""
    from service.cli.errors import run_reporting_errors

    run_reporting_errors(lambda: cli.main(prog_name="moderato"))
