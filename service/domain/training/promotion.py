"""Promotion, rollback and shadow mode: which registered version serves, and which scores alongside."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from service.domain.errors import Conflict, NotFound
from service.domain.model_versions import activate_version
from service.storage.models import ModelVersion, TrainingRun


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

    Undoing the latest promotion re-activates, for the heads that promotion changed, the version that served
    them before; heads trained separately keep their own versions.
    """
    heads = None
    if version is None:
        version, heads = previous_version(session)
        if version is None:
            raise Conflict("no earlier version to roll back to")
    rows = version_rows(session, version)
    if all(r.state == "active" for r in rows):
        raise Conflict(f"version {version} is already active")
    if not any(r.activated_at is not None for r in rows):
        raise Conflict(f"version {version} was never active; promote it instead")
    if any(r.state == "failed" for r in rows):
        raise Conflict(f"version {version} failed to load and cannot be activated")
    for row in rows:
        row.shadow = False
    return activate_version(session, version, heads)


def previous_version(session: Session) -> tuple[str | None, list[str] | None]:
    """The version that served before the latest promotion, and the heads that promotion changed."""
    active = list(session.scalars(select(ModelVersion).where(ModelVersion.state == "active")
                                  .order_by(ModelVersion.activated_at.desc(), ModelVersion.id.desc())))
    if not active:
        return None, None
    latest = active[0].version
    heads = sorted(r.head for r in active if r.version == latest)
    earlier = session.scalars(
        select(ModelVersion).where(ModelVersion.state == "retired", ModelVersion.activated_at.is_not(None),
                                   ModelVersion.head.in_(heads), ModelVersion.version != latest)
        .order_by(ModelVersion.activated_at.desc(), ModelVersion.id.desc())
    )
    row = next(iter(earlier), None)
    if row is None:
        return None, None
    return row.version, heads


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


def list_versions(session: Session, limit: int = 200) -> list[dict]:
    """Versions newest first, one entry per version with its heads, state and key metrics."""
    rows = session.scalars(select(ModelVersion).order_by(ModelVersion.created_at.desc(), ModelVersion.id.desc())
                           .limit(limit * 8))
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
    return list(out.values())[:limit]


def _iso(value: datetime | None) -> str | None:
    if value is None:
        return None
    return (value if value.tzinfo else value.replace(tzinfo=UTC)).isoformat()
