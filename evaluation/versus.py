"""What a system adds over a reference system (the rules it reads) on the same gold.

Two systems with the same F1 can differ in many spans or in none. For a model that reads
rule hints the question is which: does it find what the rules miss, or only copy them?
For each label, counting strict spans (offsets and label equal):

- ``gained``: gold spans the system finds and the reference misses;
- ``lost``: gold spans the reference finds and the system misses;
- ``removed``: spurious spans of the reference the system does not produce;
- ``added``: spurious spans of the system the reference does not produce;
- ``agree``: spans both produce (right or wrong).

``gained + removed`` is what the system corrects, ``lost + added`` what it breaks; the net
``(gained - lost)`` moves true positives, ``(removed - added)`` false positives.
"""

from __future__ import annotations

from typing import Sequence

from annotations.document import Document, Span
from annotations.labels import LABELS

KEYS = ("gained", "lost", "removed", "added", "agree")


def _keys(spans: Sequence[Span], label: str | None) -> set[tuple[int, int, str]]:
    return {(s.start, s.end, s.label) for s in spans if label is None or s.label == label}


def compare(docs: Sequence[Document], system: Sequence[Sequence[Span]], reference: Sequence[Sequence[Span]],
            labels: Sequence[str] = LABELS) -> dict[str, dict[str, int]]:
    """``{label: {gained, lost, removed, added, agree}, "micro": {...}}`` of ``system``
    against ``reference`` (one span list per document of ``docs``, in order)."""
    if not len(docs) == len(system) == len(reference):
        raise ValueError(f"{len(docs)} documents, {len(system)} and {len(reference)} predicted span lists")
    out: dict[str, dict[str, int]] = {}
    for label in [*labels, None]:
        counts = dict.fromkeys(KEYS, 0)
        for doc, sys_spans, ref_spans in zip(docs, system, reference):
            gold, s, r = _keys(doc.spans, label), _keys(sys_spans, label), _keys(ref_spans, label)
            counts["gained"] += len((s - r) & gold)
            counts["lost"] += len((r - s) & gold)
            counts["removed"] += len((r - s) - gold)
            counts["added"] += len((s - r) - gold)
            counts["agree"] += len(s & r)
        out[label or "micro"] = counts
    return out


def versus_section(docs: Sequence[Document], predictions: dict[str, Sequence[Sequence[Span]]],
                   reference: str, labels: Sequence[str] = LABELS) -> dict | None:
    """``{"reference": NAME, "systems": {name: compare(...)}}`` for every system of
    ``predictions`` other than ``reference``; None when the reference did not run or is alone."""
    if reference not in predictions or len(predictions) < 2:
        return None
    ref = predictions[reference]
    return {"reference": reference,
            "systems": {name: compare(docs, pred, ref, labels) for name, pred in predictions.items() if name != reference}}
