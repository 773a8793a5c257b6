"""`moderato site ...`: sites and their API keys."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext

from service.domain import local_site, sites
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
@click.option("--show", is_flag=True,
              help="Print the key `moderato serve` keeps for the local site (instance/local_site_key) instead.")
@click.option("--rotate", is_flag=True, help="Revoke the site's live keys of this scope before issuing the new one.")
@with_appcontext
def key(name: str, scope: str, akismet: bool, label: str | None, show: bool, rotate: bool) -> None:
    """Issue another API key for site NAME (printed once: only its hash is stored)."""
    if show:
        _show_kept_key(name)
        return
    if akismet:
        if scope != "full":
            raise click.UsageError("--akismet cannot be combined with --scope")
        scope = sites.AKISMET_SCOPE
    try:
        with db().session() as session:
            site = sites.get_site_by_name(session, name)
            revoked = sites.revoke_all_keys(session, site, scope) if rotate else 0
            if name == local_site.LOCAL_SITE and scope == "full" and rotate:
                new_key = local_site.rotate_local_key(session, current_app.instance_path)
            else:
                new_key = sites.issue_key(session, site, scope=scope, label=label).key
    except DomainError as exc:
        raise click.ClickException(str(exc)) from None
    if rotate:
        click.echo(f"Revoked {revoked} {scope} key(s) of {name}.")
    click.echo(f"{scope} key for {name} (shown once): {new_key}")


def _show_kept_key(name: str) -> None:
    if name != local_site.LOCAL_SITE:
        raise click.ClickException(
            f"keys are stored hashed and shown once; only the local development site's key is kept "
            f"(instance/{local_site.KEY_FILE}). Issue a new key for {name} with `moderato site key {name}`.")
    with db().session() as session:
        kept = local_site.kept_key(session, current_app.instance_path)
    if kept is None:
        raise click.ClickException("no live key is kept for the local site: `moderato serve` (make run) makes one, "
                                   "or `moderato site key local --rotate`")
    click.echo(kept)


@site.command("list")
@with_appcontext
def list_sites() -> None:
    """List sites."""
    from sqlalchemy import select

    from service.storage.models import Site

    with db().session() as session:
        for s in session.scalars(select(Site).order_by(Site.name)):
            click.echo(f"{s.name}\t{s.url}")
