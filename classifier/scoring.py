"""Probabilities as callers may rely on them."""

from __future__ import annotations

import numpy as np


def clean_probabilities(p: np.ndarray) -> np.ndarray:
    """Never NaN, always within [0, 1] (in place)."""
    p[np.isnan(p)] = 0.5
    return np.clip(p, 0.0, 1.0, out=p)
