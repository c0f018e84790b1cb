"""Strict character-span scoring: a prediction is correct when ``(start, end, label)`` equals a gold span.

Ratios that divide by zero are undefined (``None``): precision without predictions,
recall without gold spans, F1 when there is neither. ``f1 = 2tp / (2tp + fp + fn)``.
Macro averages are means over the labels whose figure is defined.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Iterable, Sequence

import numpy as np

from annotations.document import Span
from annotations.labels import LABELS


@dataclass(frozen=True)
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def __add__(self, other: "Counts") -> "Counts":
        return Counts(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn)

    @property
    def support(self) -> int:
        return self.tp + self.fn


def ratio(num: float, den: float) -> float | None:
    return num / den if den else None


def prf(tp: float, fp: float, fn: float) -> dict[str, float | None]:
    """Precision, recall and F1 (``None`` where undefined)."""
    return {"p": ratio(tp, tp + fp), "r": ratio(tp, tp + fn), "f1": ratio(2 * tp, 2 * tp + fp + fn)}


def mean_defined(values: Iterable[float | None]) -> float | None:
    vals = [v for v in values if v is not None]
    return sum(vals) / len(vals) if vals else None


def check_labels(spans: Iterable[Span], what: str, labels: Sequence[str] = LABELS) -> None:
    bad = sorted({s.label for s in spans if s.label not in labels})
    if bad:
        raise ValueError(f"{what}: unknown label(s) {', '.join(map(repr, bad))}; expected one of {', '.join(labels)}")


def doc_counts(gold: Sequence[Span], pred: Sequence[Span], labels: Sequence[str] = LABELS) -> dict[str, Counts]:
    """Per-label strict counts for one document. Spans of other labels are ignored;
    a prediction repeated with the same key counts once as correct, then as spurious."""
    wanted = set(labels)
    gold_keys = Counter(s.key for s in gold if s.label in wanted)
    pred_keys = Counter(s.key for s in pred if s.label in wanted)
    out = {label: Counts() for label in labels}
    for key in gold_keys.keys() | pred_keys.keys():
        g, p = gold_keys[key], pred_keys[key]
        tp = min(g, p)
        out[key[2]] = out[key[2]] + Counts(tp, p - tp, g - tp)
    return out


def count_matrix(gold: Sequence[Sequence[Span]], pred: Sequence[Sequence[Span]],
                 labels: Sequence[str] = LABELS) -> np.ndarray:
    """``[n_docs, n_labels, 3]`` integer array of (tp, fp, fn) per document and label."""
    if len(gold) != len(pred):
        raise ValueError(f"{len(gold)} gold documents but {len(pred)} predicted span lists")
    out = np.zeros((len(gold), len(labels), 3), dtype=np.int64)
    for i, (g, p) in enumerate(zip(gold, pred)):
        counts = doc_counts(g, p, labels)
        for j, label in enumerate(labels):
            c = counts[label]
            out[i, j] = (c.tp, c.fp, c.fn)
    return out


def summarise(matrix: np.ndarray, labels: Sequence[str]) -> dict[str, dict]:
    """Per-label, micro and macro figures from a :func:`count_matrix` (summed over documents)."""
    totals = matrix.sum(axis=0) if matrix.size else np.zeros((len(labels), 3), dtype=np.int64)
    out: dict[str, dict] = {}
    for j, label in enumerate(labels):
        tp, fp, fn = (int(x) for x in totals[j])
        out[label] = {**prf(tp, fp, fn), "support": tp + fn, "tp": tp, "fp": fp, "fn": fn}
    tp, fp, fn = (int(x) for x in totals.sum(axis=0)) if len(labels) else (0, 0, 0)
    out["micro"] = {**prf(tp, fp, fn), "support": tp + fn, "tp": tp, "fp": fp, "fn": fn}
    out["macro"] = {k: mean_defined(out[label][k] for label in labels) for k in ("p", "r", "f1")}
    out["macro"]["support"] = tp + fn
    return out


def score_strict(gold: Sequence[Sequence[Span]], pred: Sequence[Sequence[Span]],
                 labels: Sequence[str] = LABELS) -> dict[str, dict]:
    """``{label: {p, r, f1, support, tp, fp, fn}, "micro": {...}, "macro": {p, r, f1, support}}``."""
    return summarise(count_matrix(gold, pred, labels), labels)
