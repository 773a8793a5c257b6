"""`moderato compat ...`: settings of the Akismet, Perspective and Coral compatible APIs."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from service.domain.errors import DomainError
from service.extensions import db


@click.group()
def compat() -> None:
    """Configure the Akismet, Perspective and Coral compatible endpoints."""


@compat.command("coral-secret")
@click.argument("site_name")
@click.option("--clear", is_flag=True, help="Remove the secret: every Coral request is then refused.")
@with_appcontext
def coral_secret(site_name: str, clear: bool) -> None:
    """Store the signing secret of SITE_NAME's Coral external moderation phase (read from a hidden prompt)."""
    secret = None if clear else click.prompt("Coral signing secret", hide_input=True)
    from service.domain.compat import settings

    try:
        with db().session() as session:
            settings.set_coral_secret(session, site_name, secret)
    except DomainError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"Coral signing secret {'removed' if clear else 'stored'} for {site_name}.")


@compat.command("store")
@click.argument("site_name")
@click.argument("api", type=click.Choice(["perspective", "coral"]))
@click.argument("state", type=click.Choice(["on", "off"]))
@with_appcontext
def store(site_name: str, api: str, state: str) -> None:
    """Store comments scored through API (perspective or coral) in SITE_NAME's queue, or stop doing so."""
    from service.domain.compat import settings

    try:
        with db().session() as session:
            settings.set_switch(session, site_name, f"{api}-store", state == "on")
    except DomainError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"{api} comments of {site_name} are {'now' if state == 'on' else 'no longer'} stored.")
