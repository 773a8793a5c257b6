"""Hot swap: a newly active version is picked up within seconds, and scoring never fails or sees a
half-loaded set while the new files load."""

from __future__ import annotations

import shutil
import threading
import time
from pathlib import Path

from classifier import CommentInput
from service.domain import model_registry
from service.domain.model_registry import ModelRegistry
from service.domain.model_versions import activate_version
from service.storage.models import ModelVersion


def test_new_active_version_is_served_within_seconds_without_a_half_loaded_model(app, monkeypatch, tmp_path):
    database = app.extensions["db"]
    registry = ModelRegistry(database, refresh_seconds=0.2)
    old = registry.get()
    heads = set(old.heads)
    old_version = old.head_versions["spam"]
    real_load = model_registry.load_bundle
    loading = threading.Event()

    def slow_load(path):
        loading.set()
        time.sleep(1.0)  # a big model: the swap must not expose anything until every head is in
        return real_load(path)

    monkeypatch.setattr(model_registry, "load_bundle", slow_load)
    seen: list[tuple[float, str]] = []
    errors: list[BaseException] = []
    stop = threading.Event()

    def score_forever():
        item = [CommentInput(text="Cheap meds: http://pills.example")]
        while not stop.is_set():
            try:
                models = registry.get()
                (scores,) = models.score_many(item)
                assert set(scores) == heads and set(models.heads) == heads
                seen.append((time.monotonic(), models.head_versions["spam"]))
            except BaseException as exc:  # noqa: BLE001 - any failure is what this test looks for
                errors.append(exc)
            time.sleep(0.01)

    workers = [threading.Thread(target=score_forever) for _ in range(3)]
    for worker in workers:
        worker.start()
    try:
        # A new spam head in its own folder (a copy: same files, so the same hashes).
        with database.session() as s:
            row = s.query(ModelVersion).filter_by(state="active", head="spam").one()
            folder = tmp_path / "v-next"
            folder.mkdir()
            for name in ("spam.skops", "spam.json"):
                shutil.copy(Path(row.path) / name, folder / name)
            s.add(ModelVersion(version="v-next", head="spam", path=str(folder.resolve()), sha256=row.sha256,
                               state="candidate", metrics={}, thresholds=row.thresholds))
            s.flush()
            activate_version(s, "v-next")
        activated = time.monotonic()
        deadline = activated + 10
        while time.monotonic() < deadline and not any(v == "v-next" for _, v in seen):
            time.sleep(0.05)
    finally:
        stop.set()
        for worker in workers:
            worker.join()
    assert not errors, errors[:3]
    assert loading.is_set()
    switched = min(t for t, v in seen if v == "v-next")
    assert switched - activated < 10
    # While one thread loaded the new files, the others kept scoring with the old, complete set.
    assert any(v == old_version and activated + 0.3 < t < switched for t, v in seen)
    assert {v for _, v in seen} == {old_version, "v-next"}


def test_a_refused_file_keeps_the_previous_model_serving(app, tmp_path):
    from service.storage.models import ModelVersion

    database = app.extensions["db"]
    registry = ModelRegistry(database, refresh_seconds=0.0)
    old = registry.get().version
    with database.session() as s:
        for row in s.query(ModelVersion).filter_by(state="active").all():
            s.add(ModelVersion(version="v-bad", head=row.head, path=row.path, sha256="0" * 64, state="candidate",
                               metrics={}, thresholds={}))
        s.flush()
        activate_version(s, "v-bad")
    assert registry.get().version == old
    assert "hash does not match" in registry.last_error
