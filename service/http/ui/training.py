"""Admin pages for retraining: runs with progress, reports with PR plots, promote, roll back, shadow."""

from __future__ import annotations

from flask import Response, flash, g, redirect, render_template, request, url_for
from markupsafe import Markup

from service.domain.errors import FieldError, ValidationFailed
from service.domain.training import plots, promotion, runs, shadow
from service.extensions import db
from service.http.ui import ui_blueprint
from service.http.ui.security import admin_required
from service.tasks_app import enqueue_rescore, enqueue_retrain

bp = ui_blueprint("ui_training", __name__)
REFRESH_SECONDS = "3"


@bp.get("/admin/training")
@admin_required
def runs_page():
    with db().session() as s:
        items = [runs.run_view(r) for r in runs.list_runs(s)]
        versions = promotion.list_versions(s, limit=30)
        steps = promotion.rollback_steps(s)
        rollback_to = promotion.describe_heads([step.target for step in steps]) if steps else None
    response = Response(render_template("training/runs.html", runs=items, versions=versions,
                                        rollback_to=rollback_to))
    if any(r["status"] in ("queued", "running") for r in items):
        # No scripts needed: the browser reloads the page while a run is in progress.
        response.headers["Refresh"] = REFRESH_SECONDS
    return response


@bp.post("/admin/training/runs")
@admin_required
def start_run():
    params: dict = {"auto_promote": request.form.get("auto_promote") == "on"}
    days = request.form.get("replay_days", "").strip()
    if days:
        try:
            params["replay_days"] = float(days)
        except ValueError:
            raise ValidationFailed([FieldError("replay_days", "must be a number of days")]) from None
    with db().session() as s:
        run_id = runs.start_run(s, created_by=g.user.email, params=params).id
    enqueue_retrain(run_id)
    flash(f"Training run {run_id} started.")
    return redirect(url_for("ui_training.run_page", run_id=run_id))


@bp.get("/admin/training/runs/<int:run_id>")
@admin_required
def run_page(run_id: int):
    with db().session() as s:
        run = runs.run_view(runs.get_run(s, run_id), with_report=True)
        candidate = promotion.version_summary(s, run["version"]) if run["version"] else None
    report = run.get("report") or {}
    # Drawn as inline SVG (milliseconds each): the page needs no further request and no matplotlib.
    # chart_svg escapes every text it places (head names, legend labels); all else is numbers it formats.
    charts = {head: Markup(plots.chart_svg(report, head)) for head in report.get("heads") or {}}  # noqa: S704
    response = Response(render_template("training/report.html", run=run, report=report, candidate=candidate,
                                        charts=charts))
    if run["status"] in ("queued", "running"):
        response.headers["Refresh"] = REFRESH_SECONDS
    return response


@bp.get("/admin/training/runs/<int:run_id>/plots/<head>.<fmt>")
@admin_required
def plot(run_id: int, head: str, fmt: str):
    with db().session() as s:
        report = runs.get_run(s, run_id).report
    return Response(plots.pr_plot(report or {}, head, fmt), mimetype=plots.FORMATS.get(fmt))


@bp.post("/admin/models/<version>/promote")
@admin_required
def promote(version: str):
    with db().session() as s:
        promotion.promote(s, version)
    flash(f"Version {version} is now active; workers switch within seconds.")
    return redirect(url_for("ui_training.runs_page"))


@bp.post("/admin/models/rollback")
@admin_required
def rollback():
    with db().session() as s:
        done = promotion.describe_heads(promotion.rollback(s, request.form.get("version") or None))
    flash(f"Rolled back to {done}; workers switch within seconds.")
    return redirect(url_for("ui_training.runs_page"))


@bp.post("/admin/models/<version>/shadow")
@admin_required
def set_shadow(version: str):
    enabled = request.form.get("enabled") == "on"
    with db().session() as s:
        promotion.set_shadow(s, version, enabled)
    flash(f"Shadow mode {'on' if enabled else 'off'} for {version}.")
    return redirect(url_for("ui_training.shadow_page", version=version) if enabled
                    else url_for("ui_training.runs_page"))


@bp.get("/admin/models/<version>/shadow")
@admin_required
def shadow_page(version: str):
    with db().session() as s:
        promotion.version_rows(s, version)
        summary = shadow.agreement(s, version)
    return render_template("training/shadow.html", summary=summary)


@bp.post("/admin/models/rescore-held")
@admin_required
def rescore_held():
    with db().session() as s:
        run_id = runs.start_run(s, created_by=g.user.email, kind="rescore_held").id
    enqueue_rescore(run_id)
    flash(f"Re-scoring the held queue (run {run_id}).")
    return redirect(url_for("ui_training.run_page", run_id=run_id))
