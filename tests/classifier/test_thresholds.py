"""Recommended thresholds: the lowest score meeting the precision target, never below the floors."""

import numpy as np

from classifier.thresholds import FLOORS, choose_thresholds, threshold_for_precision


def test_threshold_keeps_precision_at_the_target():
    rng = np.random.RandomState(0)
    y = rng.randint(0, 2, 2000)
    p = np.clip(y * 0.35 + rng.rand(2000) * 0.65, 0, 1)
    t = threshold_for_precision(y, p, 0.9)
    flagged = p >= t
    assert (y[flagged] == 1).mean() >= 0.9
    # One step lower would break the target (the threshold is the lowest that works).
    lower = p[p < t].max()
    assert (y[p >= lower] == 1).mean() < 0.9 or (p >= lower).sum() < 10


def test_separable_scores_do_not_recommend_a_near_zero_threshold():
    y = np.array([0] * 100 + [1] * 100)
    p = np.r_[np.full(100, 0.001), np.full(100, 0.02)]
    thresholds, details = choose_thresholds(y, p, {"hold": 0.9, "reject": 0.99})
    assert thresholds == {"hold": FLOORS["hold"], "reject": FLOORS["reject"]}
    assert details["hold"]["unfloored"] < FLOORS["hold"]


def test_unmet_target_never_rejects_automatically():
    y = np.array([0, 1] * 50)
    p = np.full(100, 0.5)
    thresholds, details = choose_thresholds(y, p, {"hold": 0.9, "reject": 0.99})
    assert thresholds["reject"] == 1.0 and not details["reject"]["met"]
