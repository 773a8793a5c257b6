"""The per-process view of the active models: loaded once, refreshed when the active version changes."""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select

from classifier import CommentInput, ModelBundle, ModelFileError, load_bundle
from service.domain.errors import NoActiveModel
from service.storage.database import Database
from service.storage.models import ModelVersion

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ActiveModels:
    """Which bundle serves each head; immutable, so a swap is one reference assignment."""

    heads: dict[str, tuple[ModelBundle, str]]
    signature: tuple = field(default=())

    @property
    def version(self) -> str:
        """One version id when every head shares it, else `head:version` pairs."""
        versions = {v for _, v in self.heads.values()}
        if len(versions) == 1:
            return versions.pop()
        return ",".join(f"{h}:{v}" for h, (_, v) in sorted(self.heads.items()))

    def thresholds(self, head: str) -> dict[str, float]:
        bundle, _ = self.heads[head]
        return bundle.thresholds.get(head, {})

    def score_many(self, items: list[CommentInput]) -> list[dict[str, float]]:
        """Score with every head, each by the bundle that is active for it."""
        results: list[dict[str, float]] = [{} for _ in items]
        by_bundle: dict[int, tuple[ModelBundle, list[str]]] = {}
        for head, (bundle, _) in self.heads.items():
            by_bundle.setdefault(id(bundle), (bundle, []))[1].append(head)
        for bundle, heads in by_bundle.values():
            for out, scores in zip(results, bundle.score(items), strict=True):
                out.update({h: float(scores[h]) for h in heads if h in scores})
        return results

    def explain(self, item: CommentInput, heads: tuple[str, ...] = ("spam", "toxicity")) -> dict:
        out = {}
        for head in heads:
            if head in self.heads:
                bundle, _ = self.heads[head]
                out.update(bundle.explain(item, heads=(head,)))
        return out


class ModelRegistry:
    """Loads the active model versions and notices newly activated ones within `refresh_seconds`."""

    def __init__(self, database: Database, refresh_seconds: float = 5.0):
        self.database = database
        self.refresh_seconds = refresh_seconds
        self._current: ActiveModels | None = None
        self._checked_at = 0.0
        self._lock = threading.Lock()
        self.last_error: str | None = None

    def get(self) -> ActiveModels:
        """The active models, re-checking the database at most every `refresh_seconds`."""
        if self._current is None or time.monotonic() - self._checked_at >= self.refresh_seconds:
            self.refresh()
        if self._current is None or not self._current.heads:
            raise NoActiveModel(self.last_error or "no model version is active; run `moderato model bootstrap`")
        return self._current

    def refresh(self) -> None:
        """Load what the database says is active; on a bad file keep serving the previous models."""
        with self._lock:
            self._checked_at = time.monotonic()
            with self.database.session() as session:
                rows = session.execute(
                    select(ModelVersion.id, ModelVersion.head, ModelVersion.version, ModelVersion.path,
                           ModelVersion.sha256).where(ModelVersion.state == "active")
                ).all()
            signature = tuple(sorted((r.head, r.version, r.path, r.sha256) for r in rows))
            if self._current is not None and signature == self._current.signature:
                return
            heads: dict[str, tuple[ModelBundle, str]] = {}
            try:
                for row in rows:
                    bundle = load_bundle(Path(row.path))
                    sidecar = bundle.sidecars.get(row.head)
                    if sidecar is None:
                        raise ModelFileError(f"{row.path} has no {row.head!r} head")
                    if sidecar.get("sha256") != row.sha256:
                        raise ModelFileError(
                            f"{row.path}: the {row.head} file's hash does not match the registered version"
                        )
                    heads[row.head] = (bundle, row.version)
            except (ModelFileError, OSError) as exc:
                self.last_error = f"refused model files: {exc}"
                log.error("model_load_refused", extra={"error": str(exc)})
                self._record_error(rows, str(exc))
                return
            self._current = ActiveModels(heads=heads, signature=signature)
            self.last_error = None
            log.info("models_loaded", extra={"version": self._current.version})

    def _record_error(self, rows, message: str) -> None:
        try:
            with self.database.session() as session:
                for row in rows:
                    mv = session.get(ModelVersion, row.id)
                    if mv is not None:
                        mv.error = message[:2000]
        except Exception:  # noqa: BLE001 - reporting the error must not hide the original one
            log.exception("could not record the model load error")
