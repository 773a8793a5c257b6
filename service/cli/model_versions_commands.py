"""`moderato model retrain|versions|promote|rollback|status`: retraining and model versions from the shell."""

from __future__ import annotations

import functools
import json
import sys
import time

import click
from flask.cli import with_appcontext

from service.domain.errors import DomainError
from service.extensions import db


def domain_errors(command):
    """Print a domain error (unknown version, run in progress...) as a usage error, not a traceback."""

    @functools.wraps(command)
    def wrapped(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except DomainError as exc:
            raise click.ClickException(str(exc)) from None

    return wrapped


def _bar(percent: float, width: int = 30) -> str:
    filled = int(width * percent / 100)
    return "[" + "#" * filled + "-" * (width - filled) + f"] {percent:5.1f}%"


def _follow(run_id: int, poll: float = 1.0) -> dict:
    """Show the run's progress until it finishes; returns its final view."""
    from service.domain.training import runs

    last = None
    while True:
        with db().session() as session:
            view = runs.run_view(runs.get_run(session, run_id))
        line = f"{_bar(view['percent'])} {view['stage'] or view['status']}"
        if line != last:
            if sys.stderr.isatty():
                click.echo("\r" + line.ljust(80), nl=False, err=True)
            else:
                click.echo(line, err=True)
            last = line
        if view["status"] in ("succeeded", "failed"):
            if sys.stderr.isatty():
                click.echo("", err=True)
            return view
        time.sleep(poll)


def _summary(view: dict) -> None:
    click.echo(f"Run {view['id']}: {view['status']}" + (f" ({view['version']})" if view["version"] else ""))
    if view["error"]:
        click.echo(f"  error: {view['error']}")


@click.command("retrain")
@click.option("--wait", is_flag=True, help="Show progress until the run finishes.")
@click.option("--auto-promote", is_flag=True, help="Promote if no worse than the active model on the holdout.")
@click.option("--replay-days", type=click.FloatRange(0, 365, min_open=True), default=7.0, show_default=True)
@click.option("--head", "heads", multiple=True, help="Train only this head (repeatable); default: every head.")
@with_appcontext
@domain_errors
def retrain(wait: bool, auto_promote: bool, replay_days: float, heads: tuple[str, ...]) -> None:
    """Start a training run on the training queue (a `training` worker executes it)."""
    from service.domain.training import runs
    from service.tasks_app import enqueue_retrain

    params = {"auto_promote": auto_promote, "replay_days": replay_days, "heads": list(heads) or None}
    with db().session() as session:
        run_id = runs.start_run(session, created_by="cli", params=params).id
    enqueue_retrain(run_id)
    click.echo(f"Started training run {run_id}.")
    if wait:
        view = _follow(run_id)
        _summary(view)
        if view["status"] == "failed":
            sys.exit(1)


@click.command("status")
@click.argument("run_id", type=int)
@click.option("--json", "as_json", is_flag=True, help="Print the run (with its report) as JSON.")
@with_appcontext
@domain_errors
def status(run_id: int, as_json: bool) -> None:
    """Show a training run's status and progress."""
    from service.domain.training import runs

    with db().session() as session:
        view = runs.run_view(runs.get_run(session, run_id), with_report=as_json)
    if as_json:
        click.echo(json.dumps(view, indent=2, sort_keys=True))
        return
    _summary(view)
    click.echo(f"  {_bar(view['percent'])} {view['stage'] or ''}")
    with db().session() as session:
        report = runs.get_run(session, run_id).report or {}
    for head, entry in (report.get("heads") or {}).items():
        cand, active = entry.get("candidate") or {}, entry.get("active") or {}
        click.echo(f"  {head}: ROC AUC {_f(cand.get('roc_auc'))} (active {_f(active.get('roc_auc'))}), "
                   f"PR AUC {_f(cand.get('pr_auc'))} (active {_f(active.get('pr_auc'))})")
    if report.get("replay"):
        click.echo(f"  would flip: {report['replay']['flips'] or 'nothing'} of {report['replay']['replayed']}")


@click.command("versions")
@with_appcontext
@domain_errors
def versions() -> None:
    """List model versions, newest first."""
    from service.domain.training import promotion

    with db().session() as session:
        rows = promotion.list_versions(session)
    if not rows:
        click.echo("No model versions.")
    for v in rows:
        flags = " shadow" if v["shadow"] else ""
        click.echo(f"{v['version']}  {v['state']}{flags}  heads={','.join(v['heads'])}  "
                   f"run={v['training_run_id'] or '-'}  activated={v['activated_at'] or '-'}")


@click.command("promote")
@click.argument("version")
@with_appcontext
@domain_errors
def promote(version: str) -> None:
    """Make VERSION the active model (workers switch within seconds)."""
    from service.domain.training import promotion

    with db().session() as session:
        rows = promotion.promote(session, version)
    click.echo(f"Promoted {version} ({', '.join(r.head for r in rows)}).")


@click.command("rollback")
@click.argument("version", required=False)
@with_appcontext
@domain_errors
def rollback(version: str | None) -> None:
    """Re-activate VERSION, or undo the latest promotion (run again to go further back)."""
    from service.domain.training import promotion

    with db().session() as session:
        rows = promotion.rollback(session, version)
        done = promotion.describe_heads(rows)
    click.echo(f"Rolled back to {done}.")


def _f(value) -> str:
    return f"{value:.4f}" if isinstance(value, int | float) else "-"


def register(group: click.Group) -> None:
    """Add the retraining and version commands to the `model` group."""
    for command in (retrain, status, versions, promote, rollback):
        group.add_command(command)
