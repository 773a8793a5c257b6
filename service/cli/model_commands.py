"""`moderato model ...`: train, score and evaluate models (the CLI contract), and manage versions."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from service.extensions import db


@click.group()
def model() -> None:
    """Train, score, evaluate and activate models."""


def _progress(enabled: bool):
    """A progress reporter on stderr (stage and percent), or None."""
    if not enabled:
        return None
    last = {"text": ""}

    def report(stage: str, fraction: float) -> None:
        text = f"\r{stage}: {fraction * 100:5.1f}%"
        if text != last["text"]:
            sys.stderr.write(text)
            sys.stderr.flush()
            last["text"] = text
        if fraction >= 1.0:
            sys.stderr.write("\n")

    return report


@model.command("train")
@click.option("--data", "data", multiple=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Labelled JSONL file(s); repeatable.")
@click.option("--no-seed", is_flag=True, help="Do not add the built-in seed corpus.")
@click.option("--output", required=True, type=click.Path(file_okay=False, path_type=Path))
@click.option("--seed", default=1461, show_default=True, help="Random seed.")
def train(data: tuple[Path, ...], no_seed: bool, output: Path, seed: int) -> None:
    """Train every head the data has labels for and write the model files to OUTPUT."""
    from classifier.jobs import train_to_dir

    if no_seed and not data:
        raise click.UsageError("--no-seed needs at least one --data file")
    summary = train_to_dir(list(data), use_seed=not no_seed, output=output, seed=seed,
                           progress=_progress(sys.stderr.isatty()))
    click.echo(f"Trained {summary.get('version', '')} -> {output}")
    for head, info in (summary.get("heads") or {}).items():
        click.echo(f"  {head}: {info}")


@model.command("score")
@click.option("--model", "model_dir", type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="Model directory; default: the active model (trained from the seed corpus if none).")
@click.option("--input", "input_path", required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--output", "output_path", required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--explain", is_flag=True,
              help='Also add "spans": {head: [[begin, end], ...]}, what the UI would highlight for each head.')
@with_appcontext
def score(model_dir: Path | None, input_path: Path, output_path: Path, explain: bool) -> None:
    """Write each input line back with spam and toxicity probabilities added."""
    from classifier.jobs import score_file

    count = score_file(model_dir or _default_model_dir(), input_path, output_path,
                       progress=_progress(True), explain=explain)
    click.echo(f"Scored {count} rows -> {output_path}", err=True)


@model.command("evaluate")
@click.option("--model", "model_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--data", "data_path", required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--plot", "plot_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Write a precision-recall curve PNG here.")
@with_appcontext
def evaluate(model_dir: Path | None, data_path: Path, plot_path: Path | None) -> None:
    """Print ROC AUC, PR AUC, F1, precision/recall at thresholds and confusion matrices as JSON."""
    import json

    from classifier.jobs import evaluate_file

    report = evaluate_file(model_dir or _default_model_dir(), data_path, plot_path)
    click.echo(json.dumps(report, indent=2, sort_keys=True))


@model.command("bootstrap")
@with_appcontext
def bootstrap() -> None:
    """Train and activate the default model from the seed corpus if no model is active."""
    from service.domain.model_versions import ensure_default_model
    from service.storage.migrate import upgrade

    upgrade(db().engine)
    with db().session() as session:
        version = ensure_default_model(session, Path(current_app.config["MODEL_DIR"]), log=click.echo)
    if version is None:
        click.echo("A model is already active.")


def _default_model_dir() -> Path:
    """The directory of the active model (spam head), bootstrapping the default model if none is active."""
    from service.domain.model_versions import active_versions, ensure_default_model
    from service.storage.migrate import upgrade

    upgrade(db().engine)
    with db().session() as session:
        ensure_default_model(session, Path(current_app.config["MODEL_DIR"]), log=lambda m: click.echo(m, err=True))
        rows = {row.head: row.path for row in active_versions(session)}
    return Path(rows.get("spam") or next(iter(rows.values())))


# Retraining and version commands live in their own module; they join this group here.
from service.cli.model_versions_commands import register as _register_version_commands  # noqa: E402

_register_version_commands(model)
