"""Promotion, rollback and shadow mode: which registered version serves, and which scores alongside."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from service.domain.errors import Conflict, NotFound
from service.domain.model_versions import activate_version
from service.storage.models import ModelActivation, ModelVersion, TrainingRun


def version_rows(session: Session, version: str) -> list[ModelVersion]:
    rows = list(session.scalars(select(ModelVersion).where(ModelVersion.version == version)
                                .order_by(ModelVersion.head)))
    if not rows:
        raise NotFound(f"no model version {version!r}")
    return rows


def promote(session: Session, version: str) -> list[ModelVersion]:
    """Make a registered version active for all its heads (the previous versions are retired)."""
    rows = version_rows(session, version)
    if any(r.state == "failed" for r in rows):
        raise Conflict(f"version {version} failed to load and cannot be activated")
    if all(r.state == "active" for r in rows):
        raise Conflict(f"version {version} is already active")
    if rows[0].training_run_id is not None:
        run = session.get(TrainingRun, rows[0].training_run_id)
        if run is not None and run.status != "succeeded":
            raise Conflict(f"version {version} comes from run {run.id}, which has not succeeded")
    for row in rows:
        row.shadow = False  # a promoted version no longer needs a shadow
    return activate_version(session, version)


def rollback(session: Session, version: str | None = None) -> list[ModelVersion]:
    """Re-activate `version` (every head it has), or when omitted undo the latest promotion.

    Undoing walks back through the activation history (`model_activations`): each head the latest
    promotion changed goes back to the version that served it before, and the undone activation leaves
    the history, so a second rollback goes a step further back, never to the version it just left. Heads
    with nothing earlier (a head the previous versions did not have) keep their version; heads trained
    separately keep their own.
    """
    if version is None:
        steps = rollback_steps(session)
        if not steps:
            raise Conflict("no earlier version to roll back to")
        now = datetime.now(UTC)
        rows: list[ModelVersion] = []
        for step in steps:
            for entry in step.undone:
                entry.rolled_back_at = now
            step.target.shadow = False
            rows += activate_version(session, step.target.version, [step.head], record=False)
        return rows
    rows = version_rows(session, version)
    if all(r.state == "active" for r in rows):
        raise Conflict(f"version {version} is already active")
    if not any(r.activated_at is not None for r in rows):
        raise Conflict(f"version {version} was never active; promote it instead")
    if any(r.state == "failed" for r in rows):
        raise Conflict(f"version {version} failed to load and cannot be activated")
    for row in rows:
        row.shadow = False
    return activate_version(session, version)


@dataclass
class RollbackStep:
    """One head's step back: the row to re-activate and the activations that leave the history."""

    head: str
    target: ModelVersion
    undone: list[ModelActivation]


def rollback_steps(session: Session) -> list[RollbackStep]:
    """What undoing the latest promotion would re-activate, head by head (empty: nothing to go back to)."""
    active = list(session.scalars(select(ModelVersion).where(ModelVersion.state == "active")
                                  .order_by(ModelVersion.activated_at.desc(), ModelVersion.id.desc())))
    if not active:
        return []
    latest = active[0].version
    steps = []
    for row in (r for r in active if r.version == latest):
        history = list(session.scalars(
            select(ModelActivation).where(ModelActivation.head == row.head, ModelActivation.rolled_back_at.is_(None))
            .order_by(ModelActivation.id.desc())))
        undone: list[ModelActivation] = []
        for entry in history:
            if entry.version == row.version:
                undone.append(entry)  # the activation being undone (and any repeat of it)
                continue
            earlier = session.get(ModelVersion, entry.model_version_id)
            if earlier is not None and earlier.state != "failed":
                steps.append(RollbackStep(row.head, earlier, undone))
                break
    return steps


def describe_heads(rows: list[ModelVersion]) -> str:
    """`v2 (spam, toxicity)`, or `v2 (spam); v1 (toxicity)` when heads went to different versions."""
    by_version: dict[str, list[str]] = {}
    for row in rows:
        by_version.setdefault(row.version, []).append(row.head)
    return "; ".join(f"{version} ({', '.join(sorted(heads))})" for version, heads in by_version.items())


def set_shadow(session: Session, version: str, enabled: bool) -> list[ModelVersion]:
    """Turn shadow scoring of a non-active version on (replacing any other shadow) or off."""
    rows = version_rows(session, version)
    if enabled:
        if any(r.state == "active" for r in rows):
            raise Conflict(f"version {version} is active; shadow a candidate instead")
        if any(r.state == "failed" for r in rows):
            raise Conflict(f"version {version} failed to load")
        session.execute(update(ModelVersion).where(ModelVersion.version != version).values(shadow=False))
    for row in rows:
        row.shadow = enabled
    session.flush()
    return rows


def version_summary(session: Session, version: str) -> dict | None:
    """One version's entry as `list_versions` gives it (state over its heads), or None if unknown."""
    rows = session.scalars(select(ModelVersion).where(ModelVersion.version == version)).all()
    return _summaries(rows).get(version)


def list_versions(session: Session, limit: int = 200) -> list[dict]:
    """Versions newest first, one entry per version with its heads, state and key metrics."""
    rows = session.scalars(select(ModelVersion).order_by(ModelVersion.created_at.desc(), ModelVersion.id.desc())
                           .limit(limit * 8))
    return list(_summaries(rows).values())[:limit]


def _summaries(rows) -> dict[str, dict]:
    out: dict[str, dict] = {}
    for row in rows:
        entry = out.setdefault(row.version, {
            "version": row.version, "created_at": _iso(row.created_at), "training_run_id": row.training_run_id,
            "heads": {}, "state": row.state, "shadow": False, "activated_at": None,
        })
        entry["heads"][row.head] = {"state": row.state, "roc_auc": (row.metrics or {}).get("roc_auc"),
                                    "pr_auc": (row.metrics or {}).get("pr_auc"), "thresholds": row.thresholds,
                                    "error": row.error}
        entry["shadow"] = entry["shadow"] or bool(row.shadow)
        if row.activated_at is not None:
            current = entry["activated_at"]
            entry["activated_at"] = max(filter(None, [current, _iso(row.activated_at)]))
        states = {h["state"] for h in entry["heads"].values()}
        if len(states) == 1:
            entry["state"] = next(iter(states))
        else:
            entry["state"] = "partly active" if "active" in states else "mixed"
    return out


def _iso(value: datetime | None) -> str | None:
    if value is None:
        return None
    return (value if value.tzinfo else value.replace(tzinfo=UTC)).isoformat()
