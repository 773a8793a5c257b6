"""Whole-file jobs behind `moderato model train|score|evaluate`: JSONL in, model files or JSONL/JSON out."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np

from classifier.bundle import ModelBundle, load_bundle, save_bundle
from classifier.errors import DataFileError
from classifier.explain import spans_by_head
from classifier.heads import HEAD_LABELS, MAIN_HEADS, label_value
from classifier.inputs import CommentInput
from classifier.thresholds import at_threshold, summary_metrics
from classifier.training import train_bundle

Progress = Callable[[str, float], None]
BATCH = 500


def read_jsonl(path: Path) -> Iterator[tuple[int, dict]]:
    """Yield (line number, object) for each non-blank line; raise DataFileError naming a bad line."""
    try:
        handle = Path(path).open(encoding="utf-8")  # noqa: SIM115 (closed by the with below)
    except OSError as error:
        raise DataFileError(f"{path}: cannot open ({error.strerror or error})") from error
    with handle:
        try:
            for number, line in enumerate(handle, start=1):
                if not line.strip():
                    continue
                try:
                    row = json.loads(line)
                except json.JSONDecodeError as error:
                    raise DataFileError(f"{path}:{number}: not valid JSON ({error.msg})") from error
                if not isinstance(row, dict):
                    raise DataFileError(f"{path}:{number}: expected a JSON object, got {type(row).__name__}")
                yield number, row
        except UnicodeDecodeError as error:
            raise DataFileError(f"{path}: not UTF-8 text ({error.reason})") from error


def train_to_dir(
    data_paths: list[Path], *, use_seed: bool, output: Path, seed: int = 1461, progress: Progress | None = None
) -> dict:
    """Train on the files (plus the seed corpus when use_seed) and write the model to output."""
    rows: list[dict] = []
    for path in data_paths:
        rows.extend(row for _, row in read_jsonl(path))
    if use_seed:
        from classifier.seed import load_seed_rows

        rows.extend(load_seed_rows())
    if not rows:
        raise DataFileError("no training rows: give --data files or use the seed corpus")
    bundle = train_bundle(rows, seed=seed, progress=progress)
    save_bundle(bundle, Path(output))
    return {
        "version": bundle.version,
        "output": str(output),
        "rows": len(rows),
        "heads": {
            head: {
                "rows": sidecar["training_data"]["rows"],
                "positives": sidecar["training_data"].get("positives"),
                "roc_auc": sidecar["metrics"]["roc_auc"],
                "thresholds": sidecar["thresholds"],
            }
            for head, sidecar in bundle.sidecars.items()
        },
    }


def score_file(model_dir: Path, input_path: Path, output_path: Path, progress: Progress | None = None, *,
               explain: bool = False) -> int:
    """Write each input object plus a probability per head (null for heads the model lacks); return rows.

    With `explain`, each line also gets "spans": {head: [[begin, end], ...]}, the character ranges (code
    points, end exclusive) the moderator UI would highlight for spam and toxicity at the default hold
    threshold (an empty list for a head that does not fire).
    """
    bundle = load_bundle(Path(model_dir))
    extra_heads = [h for h in bundle.heads if h not in MAIN_HEADS]
    size = max(os.path.getsize(input_path), 1)
    written = 0
    temporary = Path(output_path).with_name(Path(output_path).name + ".tmp")
    with temporary.open("w", encoding="utf-8") as out:
        batch: list[dict] = []
        read = 0
        for _, row in read_jsonl(Path(input_path)):
            batch.append(row)
            read += len(json.dumps(row)) + 1
            if len(batch) >= BATCH:
                written += _score_batch(bundle, batch, extra_heads, out, explain)
                batch = []
                if progress:
                    progress("scoring", min(read / size, 1.0))
        written += _score_batch(bundle, batch, extra_heads, out, explain)
    os.replace(temporary, output_path)
    if progress:
        progress("scored", 1.0)
    return written


def _score_batch(bundle: ModelBundle, batch: list[dict], extra_heads: list[str], out, explain: bool) -> int:
    if not batch:
        return 0
    items = [CommentInput.from_row(row) for row in batch]
    scores = bundle.score(items)
    for row, item, score in zip(batch, items, scores, strict=True):
        result = dict(row)
        for head in (*MAIN_HEADS, *extra_heads):
            result[head] = score.get(head)
        if explain:
            result["spans"] = {head: [] for head in MAIN_HEADS} | spans_by_head(bundle.explain(item, MAIN_HEADS))
        out.write(json.dumps(result, ensure_ascii=False) + "\n")
    return len(batch)


def evaluate_file(model_dir: Path, data_path: Path, plot_path: Path | None = None) -> dict:
    """Measure each head the data has labels for; with plot_path, also draw PR curves to a PNG."""
    bundle = load_bundle(Path(model_dir))
    rows = [row for _, row in read_jsonl(Path(data_path))]
    scores = bundle.score([CommentInput.from_row(row) for row in rows]) if rows else []
    report: dict = {"model_version": bundle.version, "data": str(data_path), "rows": len(rows), "heads": {}}
    curves = {}
    for head in bundle.heads:
        labels = [label_value(row.get(HEAD_LABELS.get(head, ""))) for row in rows]
        keep = [i for i, value in enumerate(labels) if value is not None]
        if not keep:
            continue
        y = np.array([labels[i] for i in keep], dtype=np.int64)
        p = np.array([scores[i][head] for i in keep], dtype=np.float64)
        report["heads"][head] = {
            **summary_metrics(y, p),
            "at_0_5": at_threshold(y, p, 0.5),
            "at_thresholds": {name: at_threshold(y, p, t) for name, t in bundle.thresholds[head].items()},
        }
        report["heads"][head]["f1"] = report["heads"][head]["at_0_5"]["f1"]
        curves[head] = (y, p)
    if plot_path is not None:
        from classifier.plots import plot_pr_curves

        plot_pr_curves(curves, bundle.thresholds, Path(plot_path), title=f"model {bundle.version}")
        report["plot"] = str(plot_path)
    return report
