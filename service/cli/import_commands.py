"""`moderato import FILE --site NAME`: load labelled history (JSONL, CSV, WordPress WXR, Disqus XML)."""

from __future__ import annotations

import json
from pathlib import Path

import click
from flask.cli import with_appcontext

from service.domain.errors import DomainError
from service.domain.history_import import import_file
from service.domain.sites import get_site_by_name
from service.extensions import db
from service.imports.parsers import ImportFormatError


@click.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--site", "site_name", required=True, help="The site the history belongs to.")
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv", "wxr", "disqus"]),
              help="File format; detected from the name and content when omitted.")
@click.option("--map", "mapping", multiple=True, metavar="FIELD=COLUMN",
              help="Column mapping for JSONL/CSV, e.g. --map text=body --map label_spam=is_spam.")
@with_appcontext
def import_history(file: Path, site_name: str, fmt: str | None, mapping: tuple[str, ...]) -> None:
    """Import labelled comments from FILE as training labels for site NAME (all or nothing)."""
    columns = {}
    for item in mapping:
        field, sep, column = item.partition("=")
        if not sep or not field or not column:
            raise click.BadParameter(f"expected FIELD=COLUMN, got {item!r}", param_hint="--map")
        columns[field.strip()] = column.strip()
    try:
        with db().session() as session:
            summary = import_file(session, get_site_by_name(session, site_name), file, fmt, columns or None)
    except ImportFormatError as exc:
        raise click.ClickException(f"{file.name}: {exc} (nothing was imported)") from None
    except DomainError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(json.dumps(summary.as_dict(), indent=2, sort_keys=True))
