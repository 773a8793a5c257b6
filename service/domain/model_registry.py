"""The per-process view of the active models: loaded once, refreshed when the active version changes."""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import select

from service.domain.errors import NoActiveModel
from service.storage.database import Database
from service.storage.models import ModelVersion

if TYPE_CHECKING:
    from classifier import CommentInput, ModelBundle

log = logging.getLogger(__name__)


def load_bundle(path: Path) -> ModelBundle:
    """`classifier.load_bundle`, imported on first use: scikit-learn loads with the first model, not with
    the app, so a command line that never scores does not wait for it."""
    from classifier import load_bundle as load

    return load(path)


@dataclass(frozen=True)
class ActiveModels:
    """Which bundle serves each head; immutable, so a swap is one reference assignment."""

    heads: dict[str, tuple[ModelBundle, str]]
    signature: tuple = field(default=())
    # A candidate scoring alongside in shadow mode: (bundle, version, heads), never used for decisions.
    shadow: tuple[ModelBundle, str, tuple[str, ...]] | None = None

    @property
    def version(self) -> str:
        """One version id when every head shares it, else the versions joined by "+", the spam head's first.

        Kept within 64 characters (the decision records' column); the per-head map is `head_versions`.
        """
        order = sorted(self.heads.items(), key=lambda item: (item[0] != "spam", item[0] != "toxicity", item[0]))
        versions = list(dict.fromkeys(v for _, (_, v) in order))
        joined = "+".join(versions)
        return joined if len(joined) <= 64 else joined[:63] + "…"

    @property
    def head_versions(self) -> dict[str, str]:
        return {head: version for head, (_, version) in self.heads.items()}

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

    def explain(self, item: CommentInput, heads: tuple[str, ...] = ("spam", "toxicity"),
                thresholds: dict[str, float] | None = None) -> dict:
        """Each head's explanation by the bundle active for it; `thresholds` say when a head fires."""
        out = {}
        for head in heads:
            if head in self.heads:
                bundle, _ = self.heads[head]
                out.update(bundle.explain(item, heads=(head,), thresholds=thresholds))
        return out


class ModelRegistry:
    """Loads the active model versions and notices newly activated ones within `refresh_seconds`."""

    def __init__(self, database: Database, refresh_seconds: float = 5.0):
        self.database = database
        self.refresh_seconds = refresh_seconds
        self._current: ActiveModels | None = None
        self._checked_at = 0.0
        self._lock = threading.Lock()
        self._by_path: dict[str, ModelBundle] = {}
        self.last_error: str | None = None

    def get(self) -> ActiveModels:
        """The active models, re-checking the database at most every `refresh_seconds`."""
        if self._current is None or time.monotonic() - self._checked_at >= self.refresh_seconds:
            # With models in hand, never wait for another thread's reload: keep serving the current ones.
            self.refresh(wait=self._current is None)
        if self._current is None or not self._current.heads:
            raise NoActiveModel(self.last_error or "no model version is active; run `moderato model bootstrap`")
        return self._current

    def refresh(self, wait: bool = True) -> None:
        """Load what the database says is active; on a bad file keep serving the previous models.

        With `wait=False`, return at once if another thread is already reloading.
        """
        if not self._lock.acquire(blocking=wait):
            return
        try:
            self._refresh_locked()
        finally:
            self._lock.release()

    def _refresh_locked(self) -> None:
        """Compare the active rows with what is loaded and, if they differ, load the new set in full."""
        from classifier import ModelFileError

        self._checked_at = time.monotonic()
        with self.database.session() as session:
            rows = session.execute(
                select(ModelVersion.id, ModelVersion.head, ModelVersion.version, ModelVersion.path,
                       ModelVersion.sha256).where(ModelVersion.state == "active")
            ).all()
            shadow_rows = session.execute(
                select(ModelVersion.head, ModelVersion.version, ModelVersion.path, ModelVersion.sha256)
                .where(ModelVersion.shadow.is_(True), ModelVersion.state != "active")
            ).all()
        signature = tuple(sorted((r.head, r.version, r.path, r.sha256) for r in rows)) + tuple(
            sorted(("shadow", r.head, r.version, r.path, r.sha256) for r in shadow_rows)
        )
        if self._current is not None and signature == self._current.signature:
            return
        heads: dict[str, tuple[ModelBundle, str]] = {}
        # Heads of one version share a folder, and a swap often changes only some heads: load (and
        # hash-check) each folder once, reusing what is already in memory for unchanged folders.
        loaded: dict[str, ModelBundle] = self._loaded_bundles()
        try:
            for row in rows:
                bundle = loaded.get(row.path) or loaded.setdefault(row.path, load_bundle(Path(row.path)))
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
        # Only now, with every file loaded and verified, does the new set replace the old one.
        shadow = self._load_shadow(shadow_rows)
        self._current = ActiveModels(heads=heads, signature=signature, shadow=shadow)
        self._by_path = {row.path: heads[row.head][0] for row in rows}
        if shadow is not None:
            self._by_path[shadow_rows[0].path] = shadow[0]
        self.last_error = None
        log.info("models_loaded", extra={"version": self._current.version})

    def adopt(self, path: str | Path, bundle: ModelBundle) -> None:
        """Offer a bundle already loaded from `path`, so the next refresh need not read it again.

        The registered rows' hashes are still checked against its sidecars before it serves.
        """
        with self._lock:
            self._by_path[str(Path(path).resolve())] = bundle

    def _loaded_bundles(self) -> dict[str, ModelBundle]:
        """The bundles in memory now, by folder (each row's hash is still checked against its sidecar)."""
        return dict(self._by_path)

    def _load_shadow(self, rows) -> tuple[ModelBundle, str, tuple[str, ...]] | None:
        """Load the shadow candidate, if any; a bad shadow file only disables shadow scoring."""
        from classifier import ModelFileError

        if not rows:
            return None
        try:
            bundle = self._loaded_bundles().get(rows[0].path) or load_bundle(Path(rows[0].path))
            heads = tuple(r.head for r in rows if bundle.sidecars.get(r.head, {}).get("sha256") == r.sha256)
        except (ModelFileError, OSError) as exc:
            log.error("shadow_model_load_refused", extra={"error": str(exc)})
            return None
        return (bundle, rows[0].version, heads) if heads else None

    def _record_error(self, rows, message: str) -> None:
        try:
            with self.database.session() as session:
                for row in rows:
                    mv = session.get(ModelVersion, row.id)
                    if mv is not None:
                        mv.error = message[:2000]
        except Exception:  # noqa: BLE001 - reporting the error must not hide the original one
            log.exception("could not record the model load error")
