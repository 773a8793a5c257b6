"""`moderato user ...`: create moderator and admin accounts from the shell (the first admin this way)."""

from __future__ import annotations

import sys

import click
from flask.cli import with_appcontext

from service.domain import users
from service.domain.errors import DomainError, ValidationFailed
from service.extensions import db


@click.group()
def user() -> None:
    """Manage moderator and admin accounts."""


@user.command("create")
@click.argument("email")
@click.option("--role", type=click.Choice(users.ROLES), required=True)
@click.option("--site", "site_names", multiple=True, help="A site a moderator may moderate (repeatable).")
@click.option("--password-stdin", is_flag=True, help="Read the password from the first line of standard input.")
@with_appcontext
def create(email: str, role: str, site_names: tuple[str, ...], password_stdin: bool) -> None:
    """Create an account for EMAIL with the given role."""
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        with db().session() as session:
            created = users.create_user(session, email, password, role, list(site_names))
            summary = f"Created {created.role} {created.email}"
            if site_names:
                summary += f" for {', '.join(site_names)}"
    except ValidationFailed as exc:
        raise click.ClickException("; ".join(f"{e.field}: {e.message}" for e in exc.errors)) from None
    except DomainError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(summary + ".")


@user.command("list")
@with_appcontext
def list_users() -> None:
    """List accounts with their roles and sites."""
    with db().session() as session:
        for account in users.list_users(session):
            sites = ",".join(users.user_site_names(session, account)) or "-"
            state = "active" if account.is_active else "inactive"
            click.echo(f"{account.email}\t{account.role}\t{sites}\t{state}")
