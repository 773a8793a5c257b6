"""A seed-trained model cached on disk across test sessions, retrained whenever the cached one no longer loads.

Training takes minutes on a loaded 2-core machine; the fault and ops tests only need *a* valid model, and
loading checks the file hashes and the scikit-learn version, so a stale cache cannot pass unnoticed."""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from pathlib import Path


def cached_model_dir() -> Path:
    """Return the folder of a saved default model that loads with today's classifier, training it if needed."""
    from classifier import load_bundle, save_bundle, train_bundle
    from classifier.seed import load_seed_rows

    cache = Path(os.environ.get("MODERATO_TEST_MODEL_CACHE", Path(tempfile.gettempdir()) / "moderato-test-models"))
    target = cache / "default"
    if target.is_dir():
        try:
            load_bundle(target)
            return target
        except Exception:  # noqa: BLE001 - a broken cache entry: train afresh
            shutil.rmtree(target, ignore_errors=True)
    cache.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=cache))
    save_bundle(train_bundle(load_seed_rows()), staging / "model")
    load_bundle(staging / "model")
    # Another session may win the race; its copy is just as good.
    with contextlib.suppress(OSError):
        os.replace(staging / "model", target)
    return target
