"""Percentile bootstrap confidence intervals, resampling documents with replacement."""

from __future__ import annotations

import warnings
from typing import Sequence

import numpy as np


def _metrics(tp: np.ndarray, fp: np.ndarray, fn: np.ndarray) -> dict[str, np.ndarray]:
    with np.errstate(divide="ignore", invalid="ignore"):
        p = np.where(tp + fp > 0, tp / (tp + fp), np.nan)
        r = np.where(tp + fn > 0, tp / (tp + fn), np.nan)
        f1 = np.where(2 * tp + fp + fn > 0, 2 * tp / (2 * tp + fp + fn), np.nan)
    return {"p": p, "r": r, "f1": f1}


def _interval(samples: np.ndarray, confidence: float) -> list[float] | None:
    samples = samples[~np.isnan(samples)]
    if samples.size == 0:
        return None
    tail = (1.0 - confidence) / 2 * 100
    lo, hi = np.percentile(samples, [tail, 100 - tail])
    return [float(lo), float(hi)]


def bootstrap_ci(matrix: np.ndarray, labels: Sequence[str], *, n: int = 1000, seed: int = 0,
                 confidence: float = 0.95) -> dict[str, dict[str, list[float] | None]]:
    """CIs of P/R/F1 per label, micro and macro from a ``[n_docs, n_labels, 3]`` count matrix.

    Each of ``n`` replicates draws ``n_docs`` documents with replacement (``numpy``
    ``default_rng(seed)``); an interval is ``None`` when no replicate defines the figure.
    """
    if matrix.ndim != 3 or matrix.shape[1:] != (len(labels), 3):
        raise ValueError(f"count matrix of shape {matrix.shape} does not fit {len(labels)} labels")
    if n < 1:
        raise ValueError(f"bootstrap needs n >= 1 replicates, got {n}")
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must be in (0, 1), got {confidence}")
    n_docs = matrix.shape[0]
    if n_docs == 0:
        empty = {"p": None, "r": None, "f1": None}
        return {key: dict(empty) for key in (*labels, "micro", "macro")}
    rng = np.random.default_rng(seed)
    idx = rng.integers(0, n_docs, size=(n, n_docs))
    sums = matrix[idx].sum(axis=1).astype(float)  # [n, labels, 3]
    per_label = _metrics(sums[..., 0], sums[..., 1], sums[..., 2])  # each [n, labels]
    micro = _metrics(*(sums.sum(axis=1)[:, k] for k in range(3)))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", category=RuntimeWarning)  # all-NaN rows: macro undefined
        macro = {k: np.nanmean(v, axis=1) for k, v in per_label.items()}
    out: dict[str, dict[str, list[float] | None]] = {}
    for j, label in enumerate(labels):
        out[label] = {k: _interval(v[:, j], confidence) for k, v in per_label.items()}
    out["micro"] = {k: _interval(v, confidence) for k, v in micro.items()}
    out["macro"] = {k: _interval(v, confidence) for k, v in macro.items()}
    return out
