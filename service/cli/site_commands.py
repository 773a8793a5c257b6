"""`moderato site ...`: sites and their API keys."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from service.domain import sites
from service.domain.errors import DomainError
from service.extensions import db


@click.group()
def site() -> None:
    """Manage sites and API keys."""


@site.command("create")
@click.argument("name")
@click.option("--url", required=True, help="The site's base URL, e.g. https://news.example.")
@with_appcontext
def create(name: str, url: str) -> None:
    """Create a site and print its API key (shown once)."""
    try:
        with db().session() as session:
            issued = sites.create_site(session, name, url)
    except DomainError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"Created site {issued.site.name} ({issued.site.url}).")
    click.echo(f"API key (shown once, store it now): {issued.key}")


@site.command("key")
@click.argument("name")
@click.option("--scope", type=click.Choice(sites.KEY_SCOPES), default="full", show_default=True,
              help="submit: a publishable key that can only submit comments (for HTML forms).")
@click.option("--akismet", is_flag=True,
              help="An Akismet-format key (12 hex characters) for WordPress's Akismet plugin; "
                   "only the Akismet endpoints accept it.")
@click.option("--label", default=None)
@with_appcontext
def key(name: str, scope: str, akismet: bool, label: str | None) -> None:
    """Issue another API key for site NAME."""
    if akismet:
        if scope != "full":
            raise click.UsageError("--akismet cannot be combined with --scope")
        scope = sites.AKISMET_SCOPE
    try:
        with db().session() as session:
            issued = sites.issue_key(session, sites.get_site_by_name(session, name), scope=scope, label=label)
    except DomainError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"{scope} key for {name} (shown once): {issued.key}")


@site.command("list")
@with_appcontext
def list_sites() -> None:
    """List sites."""
    from sqlalchemy import select

    from service.storage.models import Site

    with db().session() as session:
        for s in session.scalars(select(Site).order_by(Site.name)):
            click.echo(f"{s.name}\t{s.url}")
