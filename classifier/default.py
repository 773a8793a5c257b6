"""The default model: the seed corpus plus the bundled real data sets, as `make run` trains it."""

from __future__ import annotations

from collections.abc import Callable

from classifier.bundle import ModelBundle
from classifier.data import load_bundled_rows
from classifier.features import HashingParams
from classifier.seed import load_seed_rows
from classifier.training import train_bundle


def default_rows(*, use_seed: bool = True, use_bundled: bool = True) -> list[dict]:
    """The default model's training rows: the seed corpus (source "seed") and the bundled sets."""
    rows: list[dict] = []
    if use_seed:
        rows.extend(load_seed_rows())
    if use_bundled:
        rows.extend(load_bundled_rows())
    return rows


def train_default_bundle(*, seed: int = 1461, progress: Callable[[str, float], None] | None = None,
                         mask_identity_terms: bool = True) -> ModelBundle:
    """Train the default model (every head the seed corpus and the bundled sets label).

    `mask_identity_terms=False` keeps identity terms visible to the features (for comparison only:
    bench/identity_bias.py shows what removing them buys).
    """
    return train_bundle(default_rows(), seed=seed, progress=progress,
                        params=HashingParams(strip_identities=mask_identity_terms))
