"""Validation of Label Studio tasks against the annotation contract.

Every problem names its task and span; nothing is dropped or repaired silently.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from .document import Problem, Span, check_spans  # noqa: F401  (re-exported)
from .labels import RELATIONS
from .labelstudio import OffsetMap, is_offset


def check_task(task: Any, index: int | None = None, *, source: str = "annotations") -> tuple[list[Problem], list[Span]]:
    """Problems of one task, and its spans (in code points) for counting."""
    if not isinstance(task, dict):
        return [Problem("bad-task", "task is not a JSON object", index)], []
    data = task.get("data")
    text = data.get("text") if isinstance(data, dict) else None
    doc_id = None
    if isinstance(data, dict) and data.get("doc_id") is not None:
        doc_id = str(data["doc_id"])
    if not isinstance(text, str):
        return [Problem("no-text", "task has no string data.text", index, doc_id)], []
    offsets = OffsetMap(text)
    entries = task.get(source) or []
    if not isinstance(entries, list):
        return [Problem("bad-task", f"{source} is not a list", index, doc_id)], []
    problems: list[Problem] = []
    spans: list[Span] = []
    if not entries:
        return problems, spans
    results = entries[0].get("result", []) if isinstance(entries[0], dict) else None
    if not isinstance(results, list):
        return [Problem("bad-task", f"{source}[0].result is not a list", index, doc_id)], []
    span_index: list[int] = []
    for i, item in enumerate(results):
        if not isinstance(item, dict) or item.get("type") != "labels":
            continue
        value = item.get("value")
        if not isinstance(value, dict):
            problems.append(Problem("bad-region", "region has no value object", index, doc_id, i))
            continue
        labels = value.get("labels")
        if not isinstance(labels, list) or len(labels) != 1:
            problems.append(Problem("bad-region", f"region must carry exactly one label, has {labels!r}", index, doc_id, i))
            continue
        start16, end16 = value.get("start"), value.get("end")
        if not (is_offset(start16) and is_offset(end16)):
            problems.append(Problem("bad-region", f"region start/end must be integers, got {start16!r} and {end16!r}",
                                    index, doc_id, i))
            continue
        try:
            start, end = offsets.from_utf16(start16), offsets.from_utf16(end16)
        except ValueError as exc:
            problems.append(Problem("out-of-range", f"[{start16}, {end16}) {labels[0]}: {exc}", index, doc_id, i))
            continue
        if start > end:
            problems.append(Problem("out-of-range", f"[{start16}, {end16}) {labels[0]}: start after end", index, doc_id, i))
            continue
        text_value = value.get("text")
        if not isinstance(text_value, str):
            problems.append(Problem("text-mismatch", f"[{start16}, {end16}) {labels[0]}: region has no value.text",
                                    index, doc_id, i))
            text_value = text[start:end]
        spans.append(Span(start, end, labels[0], text_value))
        span_index.append(i)
    # Problems name the region's index in the result list, not in the filtered span list.
    problems.extend(check_spans(text, spans, task=index, doc_id=doc_id, indices=span_index))
    problems.extend(_relation_problems(results, index, doc_id))
    problems.sort(key=lambda p: (p.span if p.span is not None else -1))
    return problems, spans


def _relation_problems(results: list, index: int | None, doc_id: str | None) -> list[Problem]:
    """Relation results: both ends are label regions of the same result, the label is one of
    :data:`annotations.labels.RELATIONS` and the ends carry the labels it links; no pair twice."""
    regions = {item.get("id"): item for item in results
               if isinstance(item, dict) and item.get("type") == "labels" and item.get("id") is not None}
    problems: list[Problem] = []
    seen: set[tuple] = set()
    for i, item in enumerate(results):
        if not isinstance(item, dict) or item.get("type") != "relation":
            continue
        ends = (item.get("from_id"), item.get("to_id"))
        labels = item.get("labels") or []

        def add(message: str) -> None:
            problems.append(Problem("bad-relation", f"relation {ends[0]!r} -> {ends[1]!r}: {message}", index, doc_id, i))

        missing = [e for e in ends if e not in regions]
        if missing:
            add(f"no label region with id {missing[0]!r}")
            continue
        if len(labels) != 1 or labels[0] not in RELATIONS:
            add(f"labels {labels!r}: expected one of {sorted(RELATIONS)}")
            continue
        source, targets = RELATIONS[labels[0]]
        got = tuple((regions[e].get("value") or {}).get("labels", [None])[0] for e in ends)
        if got[0] != source or got[1] not in targets or ends[0] == ends[1]:
            add(f"{labels[0]} links {source} to {'/'.join(targets)}, not {got[0]} to {got[1]}")
        key = (ends, labels[0])
        if key in seen:
            add("given twice")
        seen.add(key)
    return problems


@dataclass
class Report:
    problems: list[Problem]
    counts: Counter
    tasks: int

    @property
    def ok(self) -> bool:
        return not self.problems


def validate_tasks(tasks: Any, *, source: str = "annotations") -> Report:
    if not isinstance(tasks, list):
        return Report([Problem("bad-file", "expected a JSON list of tasks")], Counter(), 0)
    problems: list[Problem] = []
    counts: Counter = Counter()
    seen: dict[str, int] = {}
    for i, task in enumerate(tasks):
        task_problems, spans = check_task(task, i, source=source)
        problems.extend(task_problems)
        counts.update(s.label for s in spans)
        doc_id = task.get("data", {}).get("doc_id") if isinstance(task, dict) and isinstance(task.get("data"), dict) else None
        if doc_id is not None:
            if str(doc_id) in seen:
                problems.append(Problem("duplicate-doc-id", f"doc_id also used by task {seen[str(doc_id)]}", i, str(doc_id)))
            seen.setdefault(str(doc_id), i)
    return Report(problems, counts, len(tasks))
