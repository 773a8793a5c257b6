"""One head on disk: `<head>.skops` (the Pipeline, via skops.io) beside `<head>.json` (the sidecar).

Loading checks the sha256 first, then the scikit-learn version, and only then lets skops build objects,
from an explicit list of trusted types.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import zipfile
from pathlib import Path

import sklearn
import skops.io
from sklearn.pipeline import Pipeline

from classifier.errors import ModelFileError

# Every type a head Pipeline holds; anything else in a file is refused.
TRUSTED_TYPES = [
    "numpy.dtype",
    "numpy.float64",
    "numpy.int64",
    "numpy.ndarray",
    "scipy.sparse._csr.csr_matrix",
    "scipy.sparse._dia.dia_matrix",
    "sklearn.calibration.CalibratedClassifierCV",
    "sklearn.calibration._CalibratedClassifier",
    "sklearn.calibration._SigmoidCalibration",
    "sklearn.compose._column_transformer.ColumnTransformer",
    "sklearn.feature_extraction.text.TfidfTransformer",
    "sklearn.linear_model._stochastic_gradient.SGDClassifier",
    "sklearn.pipeline.Pipeline",
]


def sha256_of(path: Path) -> str:
    """Return the hex sha256 of a file."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def sklearn_minor(version: str) -> str:
    """Return "major.minor" of a scikit-learn version string."""
    return ".".join(version.split(".")[:2])


def write_head(directory: Path, head: str, pipeline: Pipeline, sidecar: dict) -> dict:
    """Write `<head>.skops` and `<head>.json` atomically; return the sidecar as written."""
    directory.mkdir(parents=True, exist_ok=True)
    model_path = directory / f"{head}.skops"
    with tempfile.NamedTemporaryFile(dir=directory, suffix=".skops.tmp", delete=False) as handle:
        temporary = Path(handle.name)
    try:
        skops.io.dump(pipeline, temporary, compression=zipfile.ZIP_DEFLATED, compresslevel=6)
        written = {**sidecar, "head": head, "sha256": sha256_of(temporary), "file": model_path.name,
                   "size_bytes": temporary.stat().st_size}
        os.replace(temporary, model_path)
    finally:
        temporary.unlink(missing_ok=True)
    _write_json(directory / f"{head}.json", written)
    return written


def read_sidecar(path: Path) -> dict:
    """Read and sanity-check one sidecar."""
    try:
        sidecar = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ModelFileError(f"{path}: unreadable model sidecar ({error})") from error
    if not isinstance(sidecar, dict) or not all(k in sidecar for k in ("head", "sha256", "sklearn_version")):
        raise ModelFileError(f"{path}: not a model sidecar (needs head, sha256 and sklearn_version)")
    return sidecar


def read_head(directory: Path, sidecar: dict) -> Pipeline:
    """Load the Pipeline a sidecar describes, refusing a changed file or another scikit-learn version."""
    model_path = directory / f"{sidecar['head']}.skops"
    if not model_path.is_file():
        raise ModelFileError(f"{model_path}: model file missing")
    actual = sha256_of(model_path)
    if actual != sidecar["sha256"]:
        raise ModelFileError(
            f"{model_path}: sha256 {actual[:12]}… does not match the sidecar's {str(sidecar['sha256'])[:12]}…; "
            "the file was changed or corrupted after training, refusing to load it"
        )
    if sklearn_minor(str(sidecar["sklearn_version"])) != sklearn_minor(sklearn.__version__):
        raise ModelFileError(
            f"{model_path}: trained with scikit-learn {sidecar['sklearn_version']}, this is {sklearn.__version__}; "
            "retrain the model with this version"
        )
    try:
        untrusted = [t for t in skops.io.get_untrusted_types(file=model_path) if t not in TRUSTED_TYPES]
        if untrusted:
            raise ModelFileError(f"{model_path}: holds types outside the trusted list: {', '.join(untrusted)}")
        pipeline = skops.io.load(model_path, trusted=TRUSTED_TYPES)
    except ModelFileError:
        raise
    except Exception as error:  # skops raises many kinds on a broken archive
        raise ModelFileError(f"{model_path}: cannot load model ({type(error).__name__}: {error})") from error
    if not isinstance(pipeline, Pipeline):
        raise ModelFileError(f"{model_path}: holds {type(pipeline).__name__}, not a scikit-learn Pipeline")
    return pipeline


def _write_json(path: Path, data: dict) -> None:
    temporary = path.with_suffix(".json.tmp")
    temporary.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    os.replace(temporary, path)
