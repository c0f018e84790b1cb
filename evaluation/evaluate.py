"""Score systems on a set of gold documents: strict, seqeval, partial, bootstrap CIs and errors."""

from __future__ import annotations

import sys
import time
from collections import Counter
from typing import Sequence

from annotations.document import Document, Span
from annotations.labels import LABELS

from .bootstrap import bootstrap_ci
from .errors import confusions, find_errors
from .partial import score_partial
from annotations.scoring import check_labels, count_matrix, summarise
from .seqeval_score import score_seqeval
from .record_scores import has_record_gold
from .systems import System, SystemUnavailable
from .versus import versus_section

#: the row of the records section that groups and links the gold spans themselves
GOLD_SPANS = "gold spans"
#: the system every other is compared with span by span (``versus`` of a set): the rules the models read
REFERENCE = "rules"


def evaluate_predictions(docs: Sequence[Document], pred: Sequence[Sequence[Span]], *,
                         labels: Sequence[str] = LABELS, n_boot: int = 1000, seed: int = 0,
                         context_width: int = 60) -> dict:
    """Every figure of one system on ``docs``; ``labels`` are the labels the system covers."""
    if len(docs) != len(pred):
        raise ValueError(f"{len(docs)} gold documents but {len(pred)} predicted span lists")
    labels = [label for label in LABELS if label in labels]
    for doc, spans in zip(docs, pred):
        check_labels(spans, f"predictions for document {doc.id!r}")
    gold = [doc.spans for doc in docs]
    matrix = count_matrix(gold, pred, labels)
    strict: dict = summarise(matrix, labels)
    cis = bootstrap_ci(matrix, labels, n=n_boot, seed=seed)
    for key, ci in cis.items():
        strict[key]["ci"] = ci
    for label in LABELS:
        if label not in labels:
            strict[label] = None
    errors = find_errors(docs, pred, labels, width=context_width)
    return {
        "available": True,
        "labels": list(labels),
        "strict": strict,
        "seqeval": score_seqeval(docs, pred, labels),
        "partial": score_partial(gold, pred, labels),
        "errors": errors,
        "confusions": confusions(errors),
    }


def evaluate_set(docs: Sequence[Document], systems: Sequence[System], *, n_boot: int = 1000, seed: int = 0,
                 context_width: int = 60, source: str | None = None, log=sys.stderr) -> dict:
    """``{"documents", "gold_counts", "source", "systems": {name: figures}, "versus"?, "records"?}``
    for one evaluation set; ``versus`` (:mod:`evaluation.versus`) compares every system of
    all labels with the rules, span by span, when the rules ran.

    A system that raises :class:`SystemUnavailable` is reported as unavailable with its reason.
    """
    for doc in docs:
        check_labels(doc.spans, f"gold document {doc.id!r}")
    ids = [doc.id for doc in docs]
    dupes = sorted(i for i, n in Counter(ids).items() if n > 1)
    if dupes:
        raise ValueError(f"duplicate document ids in the gold: {', '.join(dupes)}")
    counts = Counter(s.label for doc in docs for s in doc.spans)
    out: dict = {"documents": len(docs), "gold_counts": {label: counts.get(label, 0) for label in LABELS},
                 "source": source, "systems": {}}
    predictions: dict[str, list] = {}
    covers: dict[str, tuple[str, ...]] = {}  # the labels of each system that ran
    for system in systems:
        if system.name in out["systems"]:
            raise ValueError(f"two systems are named {system.name!r}")
        t0 = time.perf_counter()
        try:
            pred = system.predict(docs)
        except SystemUnavailable as exc:
            print(f"{system.name}: unavailable: {exc}", file=log)
            out["systems"][system.name] = {"available": False, "reason": str(exc), "source": system.source,
                                           "labels": list(system.labels)}
            continue
        seconds = time.perf_counter() - t0
        figures = evaluate_predictions(docs, pred, labels=system.labels, n_boot=n_boot, seed=seed,
                                       context_width=context_width)
        figures["source"] = system.source
        figures["seconds"] = round(seconds, 3)
        for key, value in (getattr(system, "extra", None) or {}).items():  # folds, alignment counts...
            figures.setdefault(key, value)
        out["systems"][system.name] = figures
        predictions[system.name], covers[system.name] = pred, tuple(system.labels)
    # against the rules: the systems of all four labels; records: those that tag clusters
    versus = versus_section(docs, {n: p for n, p in predictions.items() if covers[n] == tuple(LABELS)}, REFERENCE)
    if versus:
        out["versus"] = versus
    if has_record_gold(docs):
        out["records"] = evaluate_records(docs, {n: p for n, p in predictions.items() if "CLUSTER" in covers[n]})
    return out


def evaluate_records(docs: Sequence[Document], predictions: dict[str, Sequence[Sequence[Span]]]) -> dict:
    """Record scores (:mod:`evaluation.record_scores`) of the gold spans themselves (the
    grouping and linking alone) and of each system's spans, by name, on the documents that
    carry record gold (relations; a set may mix them with documents that have none)."""
    from models.records import build_records

    from .record_scores import score_records

    keep = [i for i, d in enumerate(docs) if d.relations]
    docs = [docs[i] for i in keep]
    out = {}
    for name, spans in {GOLD_SPANS: [d.spans for d in docs],
                        **{n: [p[i] for i in keep] for n, p in predictions.items()}}.items():
        try:
            out[name] = score_records(docs, [build_records(d.text, s) for d, s in zip(docs, spans)])
        except ValueError as exc:  # spans that do not match the gold text
            out[name] = {"available": False, "reason": str(exc)}
    return out
