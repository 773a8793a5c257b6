"""Saving and loading model files: round trips, and refusal of tampered or incompatible files."""

from __future__ import annotations

import json

import pytest
import skops.io
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import FunctionTransformer

from classifier import CommentInput, ModelFileError, load_bundle, save_bundle

ITEMS = [
    CommentInput("buy cheap viagra now at http://x.com", author_name="Cheap SEO Pro"),
    CommentInput("you are an idiot"),
    CommentInput("nice point about chess, thanks"),
    CommentInput(""),
]


@pytest.fixture
def model_dir(bundle, tmp_path):
    save_bundle(bundle, tmp_path / "model")
    return tmp_path / "model"


def test_bundle_has_heads_thresholds_and_sidecars(bundle):
    assert bundle.heads == ("spam", "toxicity", "insult")
    assert set(bundle.thresholds["spam"]) == {"hold", "reject"}
    assert 0.0 <= bundle.thresholds["spam"]["hold"] <= bundle.thresholds["spam"]["reject"] <= 1.0
    sidecar = bundle.sidecars["toxicity"]
    assert sidecar["training_data"]["rows"] == 120
    assert sidecar["training_data"]["sources"] == {"test": 120}
    assert sidecar["metrics"]["roc_auc"] > 0.9


def test_save_then_load_scores_identically(bundle, model_dir):
    loaded = load_bundle(model_dir)
    assert loaded.version == bundle.version
    assert loaded.heads == bundle.heads
    assert loaded.thresholds == bundle.thresholds
    assert loaded.score(ITEMS) == bundle.score(ITEMS)


def test_sidecar_records_hash_version_params_and_data(model_dir):
    sidecar = json.loads((model_dir / "spam.json").read_text())
    for key in ("sha256", "sklearn_version", "params", "training_data", "metrics", "thresholds", "created_at",
                "version"):
        assert key in sidecar
    assert len(sidecar["training_data"]["content_sha256"]) == 64
    assert (model_dir / "spam.skops").stat().st_size < 50 * 2**20


def test_a_flipped_byte_is_refused(model_dir):
    path = model_dir / "spam.skops"
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))
    with pytest.raises(ModelFileError, match="sha256"):
        load_bundle(model_dir)


def test_a_corrupt_file_with_a_matching_hash_is_refused(model_dir):
    import hashlib

    path = model_dir / "spam.skops"
    path.write_bytes(b"PK\x03\x04 not really a zip")
    sidecar = json.loads((model_dir / "spam.json").read_text())
    sidecar["sha256"] = hashlib.sha256(path.read_bytes()).hexdigest()
    (model_dir / "spam.json").write_text(json.dumps(sidecar))
    with pytest.raises(ModelFileError, match="cannot load"):
        load_bundle(model_dir)


def test_another_sklearn_version_is_refused(model_dir):
    sidecar = json.loads((model_dir / "toxicity.json").read_text())
    sidecar["sklearn_version"] = "1.5.2"
    (model_dir / "toxicity.json").write_text(json.dumps(sidecar))
    with pytest.raises(ModelFileError, match="scikit-learn 1.5.2"):
        load_bundle(model_dir)


def test_untrusted_types_are_refused_before_loading(model_dir):
    import hashlib

    path = model_dir / "spam.skops"
    skops.io.dump(Pipeline([("f", FunctionTransformer(func=print))]), path)
    sidecar = json.loads((model_dir / "spam.json").read_text())
    sidecar["sha256"] = hashlib.sha256(path.read_bytes()).hexdigest()
    (model_dir / "spam.json").write_text(json.dumps(sidecar))
    with pytest.raises(ModelFileError, match="builtins.print"):
        load_bundle(model_dir)


def test_missing_or_empty_directories_are_refused(tmp_path):
    with pytest.raises(ModelFileError, match="no such model directory"):
        load_bundle(tmp_path / "absent")
    with pytest.raises(ModelFileError, match="no model files"):
        load_bundle(tmp_path)


def test_a_garbled_sidecar_is_refused(model_dir):
    (model_dir / "insult.json").write_text("{not json")
    with pytest.raises(ModelFileError, match="unreadable model sidecar"):
        load_bundle(model_dir)
