"""Training runs: start one, execute it (data, train, verify, evaluate, replay, register), report progress."""

from __future__ import annotations

import logging
import shutil
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import select

from classifier import load_bundle, save_bundle, train_bundle
from classifier.heads import HEAD_LABELS, label_value
from classifier.training import MIN_PER_CLASS
from service.domain.errors import Conflict, FieldError, NotFound, ValidationFailed
from service.domain.model_versions import register_bundle
from service.domain.training import evaluation, holdout
from service.domain.training.dataset import load_training_data
from service.domain.training.replay import replay
from service.storage.database import Database
from service.storage.models import TrainingRun

log = logging.getLogger(__name__)

KIND = "retrain"
# A run still "running" after this long lost its worker; it no longer blocks a new one.
STALE_AFTER = timedelta(hours=6)
DEFAULT_PARAMS = {"replay_days": 7.0, "auto_promote": False, "use_seed": True, "seed": 1461, "heads": None,
                  "seed_limit": None}


def validate_params(raw: dict) -> dict:
    """Check retrain options; unknown or ill-typed fields are named in the error."""
    errors = []
    params = dict(DEFAULT_PARAMS)
    for name, value in raw.items():
        if name not in DEFAULT_PARAMS:
            errors.append(FieldError(name, "unknown field"))
        elif name in ("auto_promote", "use_seed"):
            if not isinstance(value, bool):
                errors.append(FieldError(name, "must be true or false"))
            params[name] = value
        elif name == "replay_days":
            if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value <= 365:
                errors.append(FieldError(name, "must be a number of days between 0 and 365"))
            else:
                params[name] = float(value)
        elif name == "heads":
            if value is not None and (not isinstance(value, list) or not value
                                      or any(h not in HEAD_LABELS for h in value)):
                errors.append(FieldError(name, f"must be a non-empty list of: {', '.join(HEAD_LABELS)}"))
            params[name] = sorted(set(value)) if isinstance(value, list) else None
        elif name == "seed_limit":
            if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 100):
                errors.append(FieldError(name, "must be null or an integer of at least 100"))
            params[name] = value
        elif name == "seed":
            if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < 2**32:
                errors.append(FieldError(name, "must be an integer between 0 and 2**32-1"))
            params[name] = value
    if errors:
        raise ValidationFailed(errors)
    return params


def start_run(session, *, created_by: str, params: dict | None = None, kind: str = KIND) -> TrainingRun:
    """Record a queued run; refuses while another run of the same kind is queued or running."""
    params = validate_params(params or {}) if kind == KIND else dict(params or {})
    cutoff = datetime.now(UTC) - STALE_AFTER
    for stale in session.scalars(select(TrainingRun).where(TrainingRun.status.in_(("queued", "running")),
                                                           TrainingRun.created_at < cutoff)):
        stale.status, stale.error = "failed", "the run lost its worker (no progress for hours)"
        stale.finished_at = datetime.now(UTC)
    busy = session.scalar(
        select(TrainingRun.id).where(TrainingRun.status.in_(("queued", "running")), TrainingRun.created_at >= cutoff)
        .where(TrainingRun.params["kind"].as_string() == kind)
    )
    if busy is not None:
        raise Conflict(f"run {busy} is still in progress")
    run = TrainingRun(status="queued", stage="queued", percent=0.0, params={**params, "kind": kind},
                      created_by=created_by[:320])
    session.add(run)
    session.flush()
    return run


def get_run(session, run_id: int) -> TrainingRun:
    run = session.get(TrainingRun, run_id)
    if run is None:
        raise NotFound(f"no training run {run_id}")
    return run


def list_runs(session, limit: int = 50) -> list[TrainingRun]:
    return list(session.scalars(select(TrainingRun).order_by(TrainingRun.id.desc()).limit(limit)))


def run_view(run: TrainingRun, *, with_report: bool = False) -> dict:
    """The JSON shape of a run for the API, CLI and UI."""
    view = {
        "id": run.id, "kind": (run.params or {}).get("kind", KIND), "status": run.status, "stage": run.stage,
        "percent": round(float(run.percent or 0.0), 1), "version": run.version, "error": run.error,
        "params": {k: v for k, v in (run.params or {}).items() if k != "kind"}, "created_by": run.created_by,
        "created_at": _iso(run.created_at), "started_at": _iso(run.started_at), "finished_at": _iso(run.finished_at),
    }
    if with_report:
        view["report"] = run.report
    return view


class Progress:
    """Writes stage and percent to the run row, at most once per whole percent or stage change."""

    def __init__(self, database: Database, run_id: int):
        self.database, self.run_id = database, run_id
        self._last: tuple[str, int] | None = None

    def __call__(self, stage: str, percent: float) -> None:
        key = (stage, int(percent))
        if key == self._last:
            return
        self._last = key
        with self.database.session() as session:
            run = session.get(TrainingRun, self.run_id)
            run.stage, run.percent = stage[:64], min(100.0, max(0.0, float(percent)))

    def within(self, start: float, end: float) -> Callable[[str, float], None]:
        """A classifier progress callback (fraction 0..1) mapped onto start..end percent."""
        return lambda stage, fraction: self(stage, start + (end - start) * float(fraction))


def claim(database: Database, run_id: int) -> dict | None:
    """Mark a queued (or redelivered running) run as running; None when it already finished."""
    with database.session() as session:
        run = get_run(session, run_id)
        if run.status in ("succeeded", "failed"):
            return None
        run.status, run.started_at, run.error = "running", datetime.now(UTC), None
        return dict(run.params or {})


def fail(database: Database, run_id: int, error: BaseException | str) -> None:
    """Record why a run failed; nothing else changes."""
    message = error if isinstance(error, str) else f"{type(error).__name__}: {error}"
    with database.session() as session:
        run = get_run(session, run_id)
        run.status, run.error, run.finished_at = "failed", message[:4000], datetime.now(UTC)
        run.stage = f"failed during {run.stage}"[:64] if run.stage else "failed"
    log.warning("training_run_failed", extra={"run_id": run_id, "error": message[:500]})


def training_rows(examples, heads: list[str] | None) -> list[dict]:
    """The rows to train on; with `heads`, other heads' labels are dropped so only those heads train."""
    if not heads:
        return [e.row for e in examples]
    dropped = {key for head, key in HEAD_LABELS.items() if head not in heads}
    return [{k: v for k, v in e.row.items() if k not in dropped} for e in examples]


def check_trainable(rows: list[dict], heads: list[str] | None) -> None:
    """Refuse, with the reason, data on which no requested head has MIN_PER_CLASS examples of each class."""
    wanted = heads or list(HEAD_LABELS)
    trainable = []
    for head in wanted:
        values = [label_value(r.get(HEAD_LABELS[head])) for r in rows]
        if values.count(1) >= MIN_PER_CLASS and values.count(0) >= MIN_PER_CLASS:
            trainable.append(head)
    if not trainable:
        raise ValueError(f"no head ({', '.join(wanted)}) has {MIN_PER_CLASS}+ labelled examples of each class "
                         f"in {len(rows)} training rows")


def execute_run(database: Database, active, config: dict, run_id: int, *, seed_rows: list[dict] | None = None) -> str:
    """Train a candidate from current labels, evaluate it against `active` and register it.

    `active` is the serving ActiveModels (or None). Returns the run's final status. On any error the run
    is marked failed with the reason, the candidate's files are removed, and no model version changes.
    """
    params = claim(database, run_id)
    if params is None:
        return "skipped"
    progress = Progress(database, run_id)
    target: Path | None = None
    try:
        started = time.perf_counter()
        progress("assembling data", 1)
        with database.session() as session:
            data = load_training_data(session, seed_rows if params.get("use_seed", True) else [],
                                      seed_limit=params.get("seed_limit"), seed=int(params.get("seed", 1461)))
        parts = holdout.split(data.examples, seed=int(params.get("seed", 1461)))
        rows = training_rows(parts.train, params.get("heads"))
        check_trainable(rows, params.get("heads"))
        progress("training", 10)
        bundle = train_bundle(rows, seed=int(params.get("seed", 1461)), progress=progress.within(10, 70))
        target = Path(config["MODEL_DIR"]) / bundle.version
        progress("saving and verifying", 72)
        save_bundle(bundle, target)
        # Evaluate what is on disk, hash-checked, exactly as a worker would load it.
        candidate = load_bundle(target)
        progress("evaluating", 75)
        active_view = evaluation.ActiveScorer(active) if active is not None else None
        report = evaluation.evaluate(candidate, active_view, parts.holdout, parts.recent, config)
        progress("replaying recent comments", 88)
        with database.session() as session:
            report["replay"] = replay(session, candidate, config, days=float(params.get("replay_days", 7.0)))
        ok, reasons = evaluation.no_worse(report)
        promote = bool(params.get("auto_promote")) and ok and active is not None
        report.update({
            "version": candidate.version,
            "active_version": active.version if active is not None else None,
            "data": {"provenance": data.provenance, "examples": len(data.examples), "train_rows": len(parts.train),
                     "holdout_rows": len(parts.holdout), "recent_moderator_rows": len(parts.recent)},
            "no_worse": ok, "no_worse_reasons": reasons, "auto_promoted": promote,
            "seconds": round(time.perf_counter() - started, 2),
        })
        progress("registering", 98)
        with database.session() as session:
            register_bundle(session, candidate, target, activate=promote, training_run_id=run_id)
            run = get_run(session, run_id)
            run.status, run.stage, run.percent = "succeeded", "done", 100.0
            run.version, run.report, run.finished_at = candidate.version, report, datetime.now(UTC)
        log.info("training_run_succeeded", extra={"run_id": run_id, "version": candidate.version})
        return "succeeded"
    except Exception as exc:  # noqa: BLE001 - a failed run records why and changes nothing
        if target is not None:
            shutil.rmtree(target, ignore_errors=True)
        fail(database, run_id, exc)
        return "failed"


def _iso(value: datetime | None) -> str | None:
    if value is None:
        return None
    return (value if value.tzinfo else value.replace(tzinfo=UTC)).isoformat()


def finish(database: Database, run_id: int, report: dict) -> None:
    """Mark a run succeeded with its report."""
    with database.session() as session:
        run = get_run(session, run_id)
        run.status, run.stage, run.percent = "succeeded", "done", 100.0
        run.report, run.finished_at = report, datetime.now(UTC)
