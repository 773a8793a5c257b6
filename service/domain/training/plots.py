"""Precision-recall charts of a run's report: candidate and active model on the same holdout.

Good models sit so close to precision and recall 1.0 that a plain 0-1 precision-recall plot shows two lines
on its top and right edges. Each head gets two panels instead: the precision-recall curves zoomed to the
corner where they differ, and the same trade-off as error rates on log scales (share of positives missed
against share of flagged comments that were fine), where 1% and 0.1% are a decade apart rather than a
hair. The hold threshold's point is marked on both. SVG is written directly (a few milliseconds, no
matplotlib in the web process: the report page embeds it); PNG draws the same panels with matplotlib.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

from service.domain.errors import NotFound

FORMATS = {"svg": "image/svg+xml", "png": "image/png"}
STYLES = {"candidate": ("#2271b1", ""), "active": ("#8c8f94", "5 3")}
PANEL_W, PANEL_H = 330, 250
MARGIN = {"left": 48, "right": 12, "top": 26, "bottom": 38}


@dataclass
class Series:
    name: str
    label: str
    points: list[tuple[float, float]]
    hold: tuple[float, float] | None = None


@dataclass
class Panel:
    title: str
    x_label: str
    y_label: str
    x_range: tuple[float, float]
    y_range: tuple[float, float]
    log: bool = False
    series: list[Series] = field(default_factory=list)


def head_entry(report: dict, head: str) -> dict:
    entry = (report or {}).get("heads", {}).get(head)
    if entry is None:
        raise NotFound(f"the report has no {head!r} head")
    return entry


def panels(entry: dict) -> list[Panel]:
    """The zoomed precision-recall panel and the log-scale error panel for one head of a report."""
    curves = []
    for name in ("active", "candidate"):
        figures = entry.get(name) or {}
        curve = figures.get("pr_curve")
        if not curve:
            continue
        hold = (figures.get("at_thresholds") or {}).get("hold")
        auc = figures.get("pr_auc")
        label = f"{name} (PR AUC {auc:.3f})" if isinstance(auc, int | float) else name
        points = list(zip(curve["recall"], curve["precision"], strict=True))
        curves.append((name, label, points, (hold["recall"], hold["precision"]) if hold else None))
    if not curves:
        return []
    n = max(int(entry.get("n") or 0), 1)
    return [_zoomed(curves), _errors(curves, n)]


def _zoomed(curves) -> Panel:
    holds = [hold for *_, hold in curves if hold]
    # The corner that matters: from a little left of the lowest recall at the hold threshold, and down to
    # the lowest precision the curves reach there (the drop at recall 1.0, where everything is flagged,
    # is cut off rather than stretching the axis down to the base rate).
    r_lo = min(_floor(min([r - 0.1 for r, _ in holds] or [0.5]), 0.1), 0.8)
    inside = [p for *_, points, _ in curves for r, p in points if r_lo <= r < 0.999] + [p for _, p in holds]
    p_lo = min(_floor(min(inside, default=0.0) - 0.01, 0.05), 0.95)
    series = [Series(name, label, points, hold) for name, label, points, hold in curves]
    return Panel("precision-recall, zoomed", "recall", "precision", (max(r_lo, 0.0), 1.0),
                 (max(p_lo, 0.0), 1.0), series=series)


def _errors(curves, n: int) -> Panel:
    floor = 10 ** math.floor(math.log10(0.5 / n))

    def errors(r: float, p: float) -> tuple[float, float]:
        return max(1.0 - r, floor), max(1.0 - p, floor)

    series = [Series(name, label, [errors(r, p) for r, p in points], errors(*hold) if hold else None)
              for name, label, points, hold in curves]
    return Panel("errors, log scale: lower left is better", "missed (1 - recall)",
                 "wrongly flagged (1 - precision)", (floor, 1.0), (floor, 1.0), log=True, series=series)


def _floor(value: float, step: float) -> float:
    return math.floor(value / step + 1e-9) * step


def _scale(value: float, lo: float, hi: float, log: bool) -> float:
    """Where `value` falls between lo and hi, 0..1 (log-scaled panels in decades)."""
    if log:
        value, lo, hi = (math.log10(max(v, 1e-12)) for v in (value, lo, hi))
    return (value - lo) / (hi - lo) if hi > lo else 0.5


def _ticks(lo: float, hi: float, log: bool) -> list[tuple[float, str]]:
    if log:
        return [(10.0 ** e, _percent(10.0 ** e)) for e in range(round(math.log10(lo)), round(math.log10(hi)) + 1)]
    step = next(s for s in (0.01, 0.02, 0.05, 0.1, 0.2, 0.25) if (hi - lo) / s <= 6)
    first = math.ceil(lo / step - 1e-9)
    return [(round(k * step, 4), f"{k * step:.2f}") for k in range(first, int(hi / step + 1e-9) + 1)]


def _percent(value: float) -> str:
    return f"{value * 100:g}%"


def chart_svg(report: dict, head: str, *, element_id: str | None = None) -> str:
    """Both panels of `head` as one SVG document (also embedded in the report page)."""
    entry = head_entry(report, head)
    views = panels(entry)
    width = PANEL_W * max(len(views), 1)
    uid = element_id or f"pr-{head}"
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {PANEL_H}" width="{width}" '
             f'height="{PANEL_H}" role="img" aria-labelledby="{uid}-title" font-family="sans-serif" font-size="11">',
             f'<title id="{uid}-title">{escape(head)}: precision and recall of the candidate and the active model'
             f'</title>']
    if not views:
        parts.append(f'<text x="{width / 2}" y="{PANEL_H / 2}" text-anchor="middle">'
                     'one class only in the holdout: no curve</text>')
    for index, view in enumerate(views):
        parts.append(_panel_svg(view, index * PANEL_W, f"{uid}-{index}"))
    parts.append("</svg>")
    return "".join(parts)


def _panel_svg(view: Panel, x0: float, clip_id: str) -> str:
    left, top = x0 + MARGIN["left"], MARGIN["top"]
    w, h = PANEL_W - MARGIN["left"] - MARGIN["right"], PANEL_H - MARGIN["top"] - MARGIN["bottom"]

    def at(x: float, y: float) -> tuple[float, float]:
        return (round(left + _scale(x, *view.x_range, view.log) * w, 1),
                round(top + (1 - _scale(y, *view.y_range, view.log)) * h, 1))

    out = [f'<text x="{x0 + PANEL_W / 2}" y="14" text-anchor="middle" font-weight="bold">{escape(view.title)}</text>',
           f'<clipPath id="{clip_id}"><rect x="{left}" y="{top}" width="{w}" height="{h}"/></clipPath>',
           f'<rect x="{left}" y="{top}" width="{w}" height="{h}" fill="none" stroke="#c3c4c7"/>']
    for value, label in _ticks(*view.x_range, view.log):
        x, _ = at(value, view.y_range[0])
        out.append(f'<line x1="{x}" y1="{top}" x2="{x}" y2="{top + h}" stroke="#f0f0f1"/>'
                   f'<text x="{x}" y="{top + h + 13}" text-anchor="middle">{label}</text>')
    for value, label in _ticks(*view.y_range, view.log):
        _, y = at(view.x_range[0], value)
        out.append(f'<line x1="{left}" y1="{y}" x2="{left + w}" y2="{y}" stroke="#f0f0f1"/>'
                   f'<text x="{left - 4}" y="{y + 4}" text-anchor="end">{label}</text>')
    out.append(f'<text x="{left + w / 2}" y="{PANEL_H - 6}" text-anchor="middle">{escape(view.x_label)}</text>'
               f'<text transform="translate({x0 + 11} {top + h / 2}) rotate(-90)" text-anchor="middle">'
               f'{escape(view.y_label)}</text>')
    for number, series in enumerate(view.series):
        colour, dash = STYLES.get(series.name, ("#000", ""))
        dashes = f' stroke-dasharray="{dash}"' if dash else ""
        points = " ".join(f"{x},{y}" for x, y in (at(*p) for p in series.points))
        out.append(f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="1.8"{dashes} '
                   f'clip-path="url(#{clip_id})"/>')
        if series.hold:
            x, y = at(*series.hold)
            out.append(f'<circle cx="{x}" cy="{y}" r="3.5" fill="{colour}"><title>{escape(series.name)} at the '
                       f'hold threshold</title></circle>')
        ly = top + 12 + 14 * number
        out.append(f'<line x1="{left + 8}" y1="{ly - 4}" x2="{left + 26}" y2="{ly - 4}" stroke="{colour}" '
                   f'stroke-width="1.8"{dashes}/><text x="{left + 30}" y="{ly}">{escape(series.label)}</text>')
    return "".join(out)


def pr_plot(report: dict, head: str, fmt: str = "svg") -> bytes:
    """The head's chart as an SVG or PNG file."""
    if fmt not in FORMATS:
        raise NotFound(f"no plot format {fmt!r}")
    if fmt == "svg":
        return ('<?xml version="1.0" encoding="utf-8"?>\n' + chart_svg(report, head)).encode()
    return _png(panels(head_entry(report, head)), head)


def _png(views: list[Panel], head: str) -> bytes:
    # Figure + savefig needs no pyplot, so no global state and no GUI backend in a web or worker process.
    from matplotlib.figure import Figure

    fig = Figure(figsize=(3.3 * max(len(views), 1), 2.6), dpi=100, layout="constrained")
    axes = fig.subplots(1, max(len(views), 1), squeeze=False)[0]
    if not views:
        axes[0].text(0.5, 0.5, "one class only in the holdout: no curve", ha="center", va="center")
    for ax, view in zip(axes, views, strict=False):
        for series in view.series:
            colour, dash = STYLES.get(series.name, ("#000", ""))
            xs, ys = zip(*series.points, strict=True)
            (line,) = ax.plot(xs, ys, color=colour, linestyle="--" if dash else "-", label=series.label)
            if series.hold:
                ax.plot([series.hold[0]], [series.hold[1]], "o", color=line.get_color())
        if view.log:
            from matplotlib.ticker import FuncFormatter

            ax.set_xscale("log")
            ax.set_yscale("log")
            for axis in (ax.xaxis, ax.yaxis):
                axis.set_major_formatter(FuncFormatter(lambda value, _: _percent(value)))
        ax.set(xlabel=view.x_label, ylabel=view.y_label, xlim=view.x_range, ylim=view.y_range)
        ax.set_title(view.title, fontsize=8)
        ax.grid(alpha=0.3)
        ax.legend(loc="lower left" if not view.log else "upper right", fontsize=7)
    fig.suptitle(head, fontsize=9)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    return buffer.getvalue()
