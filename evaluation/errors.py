"""Error analysis: every strict false positive and false negative, in context, and the frequent confusions.

Errors come from :func:`evaluation.partial.align`, so a boundary or type error is one
entry holding both the gold and the predicted span (one FN plus one FP under strict
matching); ``missed`` entries are FNs alone and ``spurious`` entries FPs alone.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Sequence

from annotations.document import Document, Span
from annotations.labels import LABELS

from .partial import align


def _span(span: Span | None, text: str) -> dict | None:
    if span is None:
        return None
    return {"start": span.start, "end": span.end, "label": span.label, "text": text[span.start:span.end]}


def context(text: str, start: int, end: int, width: int = 60) -> dict[str, str]:
    """``{"left", "text", "right"}`` around ``text[start:end]``, ``width`` characters each side."""
    return {"left": text[max(0, start - width):start], "text": text[start:end], "right": text[end:end + width]}


def find_errors(docs: Sequence[Document], pred: Sequence[Sequence[Span]], labels: Sequence[str] = LABELS,
                *, width: int = 60) -> list[dict]:
    """``[{doc, kind, gold, pred, start, end, context}]`` for every non-exact pair, by document
    and position; ``start``/``end`` cover the gold and predicted span together."""
    if len(docs) != len(pred):
        raise ValueError(f"{len(docs)} gold documents but {len(pred)} predicted span lists")
    wanted = set(labels)
    out: list[dict] = []
    for doc, spans in zip(docs, pred):
        pairs = align([s for s in doc.spans if s.label in wanted], [s for s in spans if s.label in wanted])
        for pair in pairs:
            if pair.kind == "exact":
                continue
            present = [s for s in (pair.gold, pair.pred) if s is not None]
            start, end = min(s.start for s in present), max(s.end for s in present)
            out.append({"doc": doc.id, "kind": pair.kind, "gold": _span(pair.gold, doc.text),
                        "pred": _span(pair.pred, doc.text), "start": start, "end": end,
                        "context": context(doc.text, start, end, width)})
    return out


def confusions(errors: Sequence[dict], top: int = 20, examples: int = 3) -> list[dict]:
    """The most frequent ``(gold label, predicted label, kind)`` error groups, with example texts."""
    counts: Counter = Counter()
    samples: dict[tuple, list[str]] = defaultdict(list)
    for e in errors:
        key = ((e["gold"] or {}).get("label"), (e["pred"] or {}).get("label"), e["kind"])
        counts[key] += 1
        shown = " → ".join(repr(s["text"]) for s in (e["gold"], e["pred"]) if s is not None)
        if len(samples[key]) < examples and shown not in samples[key]:
            samples[key].append(shown)
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], str(kv[0])))
    return [{"gold": g, "pred": p, "kind": k, "count": n, "examples": samples[(g, p, k)]}
            for (g, p, k), n in ranked[:top]]
