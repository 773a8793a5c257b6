"""Precision-recall plots of a run's report: candidate and active model on the same holdout."""

from __future__ import annotations

import io

from service.domain.errors import NotFound

FORMATS = {"svg": "image/svg+xml", "png": "image/png"}


def pr_plot(report: dict, head: str, fmt: str = "svg") -> bytes:
    """Draw the head's precision-recall curves (and the hold threshold points) as SVG or PNG bytes."""
    # Figure + savefig needs no pyplot, so no global state and no GUI backend in a web or worker process.
    from matplotlib.figure import Figure

    if fmt not in FORMATS:
        raise NotFound(f"no plot format {fmt!r}")
    entry = (report or {}).get("heads", {}).get(head)
    if entry is None:
        raise NotFound(f"the report has no {head!r} head")
    fig = Figure(figsize=(5, 4), dpi=100)
    ax = fig.add_subplot()
    drawn = False
    for name, style in (("active", "--"), ("candidate", "-")):
        figures = entry.get(name)
        curve = (figures or {}).get("pr_curve")
        if not curve:
            continue
        label = f"{name} (PR AUC {figures['pr_auc']:.3f})" if figures.get("pr_auc") is not None else name
        (line,) = ax.plot(curve["recall"], curve["precision"], style, label=label, drawstyle="steps-post")
        hold = figures.get("at_thresholds", {}).get("hold")
        if hold:
            ax.plot([hold["recall"]], [hold["precision"]], "o", color=line.get_color())
        drawn = True
    if not drawn:
        ax.text(0.5, 0.5, "one class only in the holdout: no curve", ha="center", va="center")
    ax.set(xlabel="recall", ylabel="precision", xlim=(0, 1.01), ylim=(0, 1.02), title=f"{head}: precision-recall")
    ax.grid(alpha=0.3)
    if drawn:
        ax.legend(loc="lower left")
    buffer = io.BytesIO()
    fig.savefig(buffer, format=fmt, bbox_inches="tight", metadata={"Date": None} if fmt == "svg" else None)
    return buffer.getvalue()
