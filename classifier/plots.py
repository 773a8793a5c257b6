"""Precision-recall curve pictures for `evaluate_file` (matplotlib's Agg canvas, no pyplot state)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from sklearn.metrics import precision_recall_curve


def plot_pr_curves(curves: dict[str, tuple[np.ndarray, np.ndarray]], thresholds: dict, path: Path, title: str) -> None:
    """Draw one PR curve per head, marking the model's thresholds, and save a PNG."""
    figure = Figure(figsize=(6.4, 4.8), dpi=100)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    for head, (y, p) in curves.items():
        if len(np.unique(y)) < 2:
            continue
        precision, recall, cuts = precision_recall_curve(y, p)
        (line,) = axes.plot(recall, precision, label=head)
        for name, value in thresholds.get(head, {}).items():
            index = min(int(np.searchsorted(cuts, value)), len(cuts) - 1) if len(cuts) else 0
            axes.plot(recall[index], precision[index], "o", color=line.get_color())
            axes.annotate(f"{head} {name} {value:.2f}", (recall[index], precision[index]), fontsize=7)
    axes.set_xlabel("recall")
    axes.set_ylabel("precision")
    axes.set_xlim(0, 1.01)
    axes.set_ylim(0, 1.01)
    axes.set_title(title)
    axes.grid(alpha=0.3)
    if axes.get_legend_handles_labels()[0]:
        axes.legend(loc="lower left")
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, format="png")
