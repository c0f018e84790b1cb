"""Bootstrap CIs: deterministic with a seed, bracketing the point estimate where it must."""

from __future__ import annotations

import numpy as np
import pytest

from evaluation.bootstrap import bootstrap_ci
from annotations.scoring import summarise

LABELS = ["CLUSTER", "LOCATION"]


def matrix(seed: int = 1, docs: int = 12) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return rng.integers(0, 6, size=(docs, len(LABELS), 3))


def test_same_seed_same_intervals() -> None:
    m = matrix()
    assert bootstrap_ci(m, LABELS, n=300, seed=7) == bootstrap_ci(m, LABELS, n=300, seed=7)


def test_other_seed_other_intervals() -> None:
    m = matrix()
    assert bootstrap_ci(m, LABELS, n=300, seed=7) != bootstrap_ci(m, LABELS, n=300, seed=8)


def test_intervals_are_ordered_and_in_range() -> None:
    ci = bootstrap_ci(matrix(), LABELS, n=500, seed=0)
    for key in (*LABELS, "micro", "macro"):
        for metric in ("p", "r", "f1"):
            lo, hi = ci[key][metric]
            assert 0.0 <= lo <= hi <= 1.0


def test_identical_documents_give_a_point_interval() -> None:
    m = np.tile(np.array([[[3, 1, 2], [1, 0, 1]]]), (8, 1, 1))
    ci = bootstrap_ci(m, LABELS, n=200, seed=0)
    point = summarise(m, LABELS)
    for key in (*LABELS, "micro"):
        assert ci[key]["f1"] == [pytest.approx(point[key]["f1"])] * 2


def test_micro_interval_contains_the_estimate_on_a_typical_case() -> None:
    m = matrix(seed=3, docs=30)
    point = summarise(m, LABELS)["micro"]["f1"]
    lo, hi = bootstrap_ci(m, LABELS, n=1000, seed=0)["micro"]["f1"]
    assert lo <= point <= hi and hi - lo > 0


def test_undefined_figures_give_none() -> None:
    m = np.zeros((5, 2, 3), dtype=int)
    m[:, 0] = [2, 0, 1]  # CLUSTER always has counts, LOCATION never
    ci = bootstrap_ci(m, LABELS, n=100, seed=0)
    assert ci["LOCATION"] == {"p": None, "r": None, "f1": None}
    assert ci["CLUSTER"]["f1"] is not None and ci["macro"]["f1"] is not None


def test_no_documents() -> None:
    ci = bootstrap_ci(np.zeros((0, 2, 3), dtype=int), LABELS)
    assert ci["micro"] == {"p": None, "r": None, "f1": None}


@pytest.mark.parametrize("kwargs", [{"n": 0}, {"confidence": 1.0}])
def test_bad_parameters(kwargs) -> None:
    with pytest.raises(ValueError):
        bootstrap_ci(matrix(), LABELS, **kwargs)


def test_wrong_shape() -> None:
    with pytest.raises(ValueError, match="does not fit"):
        bootstrap_ci(matrix(), ["CLUSTER"])
