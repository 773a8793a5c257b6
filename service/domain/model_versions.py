"""Model versions as data: register a trained bundle's heads, activate one version per head, roll back."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from classifier import ModelBundle, load_bundle, save_bundle, train_bundle
from service.domain.errors import NotFound
from service.storage.models import ModelActivation, ModelVersion


def register_bundle(
    session: Session, bundle: ModelBundle, path: Path, *, activate: bool, training_run_id: int | None = None
) -> list[ModelVersion]:
    """Record each head of a saved bundle as a model version row, optionally making it active."""
    rows = []
    for head in bundle.heads:
        sidecar = bundle.sidecars[head]
        row = ModelVersion(
            version=bundle.version,
            head=head,
            path=str(Path(path).resolve()),
            sha256=sidecar["sha256"],
            state="candidate",
            metrics=sidecar.get("metrics", {}),
            thresholds=bundle.thresholds.get(head, {}),
            training_run_id=training_run_id,
        )
        session.add(row)
        rows.append(row)
    session.flush()
    if activate:
        activate_version(session, bundle.version)
    return rows


def activate_version(session: Session, version: str, heads: list[str] | None = None, *,
                     record: bool = True) -> list[ModelVersion]:
    """Make `version` the active one for its heads (or the given heads); the previous ones are retired.

    Each activation is added to the history rollbacks walk back through, unless `record` is off (a
    rollback re-activates an earlier entry of that history rather than adding one).
    """
    query = select(ModelVersion).where(ModelVersion.version == version)
    if heads:
        query = query.where(ModelVersion.head.in_(heads))
    rows = session.scalars(query).all()
    if not rows:
        raise NotFound(f"no model version {version!r}")
    now = datetime.now(UTC)
    for row in rows:
        # Retire first and flush, so the one-active-per-head unique index never sees two.
        session.execute(
            update(ModelVersion)
            .where(ModelVersion.head == row.head, ModelVersion.state == "active", ModelVersion.id != row.id)
            .values(state="retired")
        )
        session.flush()
        row.state = "active"
        row.activated_at = now
        row.error = None
        if record:
            session.add(ModelActivation(model_version_id=row.id, head=row.head, version=row.version,
                                        activated_at=now))
    session.flush()
    return list(rows)


def active_versions(session: Session) -> list[ModelVersion]:
    return list(session.scalars(select(ModelVersion).where(ModelVersion.state == "active")))


def ensure_default_model(session: Session, model_dir: Path, *, log=print) -> str | None:
    """Train, save and activate the default model from the seed corpus unless a model is already active.

    Returns the new version, or None when a model was already active.
    """
    if active_versions(session):
        return None
    from classifier.seed import load_seed_rows

    log("No active model: training the default model from the seed corpus...")
    bundle = train_bundle(load_seed_rows())
    target = Path(model_dir) / bundle.version
    save_bundle(bundle, target)
    # Reload from disk so what we register is exactly what workers will load (hash-checked).
    bundle = load_bundle(target)
    register_bundle(session, bundle, target, activate=True)
    log(f"Default model {bundle.version} trained and activated ({', '.join(bundle.heads)}).")
    return bundle.version
