"""`moderato gdpr export|erase EMAIL`: an author's right of access and right to erasure."""

from __future__ import annotations

import json

import click
from flask.cli import with_appcontext

from service.domain import privacy
from service.domain.errors import ValidationFailed
from service.extensions import db


@click.group()
def gdpr() -> None:
    """Export or erase everything stored about one comment author."""


@gdpr.command("export")
@click.argument("email")
@click.option("--output", "-o", type=click.File("w"), default="-", help="Write the JSON here (default stdout).")
@with_appcontext
def export_command(email: str, output) -> None:
    """Print all of EMAIL's comments and standings as JSON."""
    try:
        with db().session() as session:
            data = privacy.export_author(session, email)
    except ValidationFailed as exc:
        raise click.BadParameter(str(exc), param_hint="EMAIL") from None
    json.dump(data, output, indent=2, ensure_ascii=False)
    output.write("\n")


@gdpr.command("erase")
@click.argument("email")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@with_appcontext
def erase_command(email: str, yes: bool) -> None:
    """Delete EMAIL's comments and personal data (anonymous labels stay where a site allows)."""
    if not yes:
        click.confirm(f"Erase every comment and all personal data of {email}?", abort=True)
    try:
        with db().session() as session:
            report = privacy.erase_author(session, email)
    except ValidationFailed as exc:
        raise click.BadParameter(str(exc), param_hint="EMAIL") from None
    click.echo(
        f"Erased {report.comments_erased} comment(s); kept {report.labels_kept_anonymous} anonymous label(s), "
        f"deleted {report.labels_deleted} label(s), {report.standings_deleted} standing(s) and "
        f"{report.webhook_deliveries_deleted} webhook delivery(ies)."
    )
