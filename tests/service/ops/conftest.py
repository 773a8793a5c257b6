"""Use a cached seed-trained model instead of training one per session (see tests/faults/model_cache.py)."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def model_dir():
    from tests.faults.model_cache import cached_model_dir

    return cached_model_dir()
