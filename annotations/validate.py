"""Validation of Label Studio tasks against the annotation contract.

Every problem names its task and span; nothing is dropped or repaired silently.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any, Iterable, Sequence

from .document import Span
from .labels import LABELS
from .labelstudio import OffsetMap


@dataclass(frozen=True)
class Problem:
    code: str
    message: str
    task: int | None = None  # index of the task in its file
    doc_id: str | None = None
    span: int | None = None  # index of the region in the annotation's result

    def __str__(self) -> str:
        where = []
        if self.task is not None:
            where.append(f"task {self.task}")
        if self.doc_id is not None:
            where.append(f"doc {self.doc_id}")
        if self.span is not None:
            where.append(f"span {self.span}")
        return f"{', '.join(where) or 'file'}: {self.code}: {self.message}"


def check_spans(text: str, spans: Sequence[Span], labels: Iterable[str] | None = None,
                *, task: int | None = None, doc_id: str | None = None,
                indices: Sequence[int] | None = None) -> list[Problem]:
    """Problems of code-point spans over ``text``: range, text, label, emptiness,
    surrounding whitespace, overlaps. ``indices`` names each span in the problems
    (default: its position in ``spans``)."""
    allowed = set(labels if labels is not None else LABELS)
    problems: list[Problem] = []
    names = list(indices) if indices is not None else list(range(len(spans)))

    def add(code: str, message: str, i: int) -> None:
        problems.append(Problem(code, message, task, doc_id, names[i]))

    valid: list[tuple[int, Span]] = []
    for i, s in enumerate(spans):
        desc = f"[{s.start}, {s.end}) {s.label} {s.text!r}"
        if s.label not in allowed:
            add("unknown-label", f"{desc}: label {s.label!r} is not one of {sorted(allowed)}", i)
        if not (0 <= s.start <= s.end <= len(text)):
            add("out-of-range", f"{desc}: offsets outside text of length {len(text)}", i)
            continue
        if s.start == s.end:
            add("empty", f"{desc}: empty span", i)
            continue
        actual = text[s.start:s.end]
        if s.text != actual:
            add("text-mismatch", f"{desc}: text at offsets is {actual!r}", i)
        if actual != actual.strip():
            add("whitespace", f"{desc}: span has leading or trailing whitespace", i)
        valid.append((i, s))
    valid.sort(key=lambda p: (p[1].start, p[1].end))
    # Sweep: compare each span with every earlier one still open.
    open_spans: list[tuple[int, Span]] = []
    for i, s in valid:
        open_spans = [(j, o) for j, o in open_spans if o.end > s.start]
        for j, o in open_spans:
            add("overlap", f"[{s.start}, {s.end}) {s.label} {s.text!r} overlaps span {names[j]} "
                           f"[{o.start}, {o.end}) {o.label} {o.text!r}", i)
        open_spans.append((i, s))
    return problems


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
        try:
            start16, end16 = int(value["start"]), int(value["end"])
        except (KeyError, TypeError, ValueError):
            problems.append(Problem("bad-region", "region has no integer start/end", index, doc_id, i))
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
    problems.sort(key=lambda p: (p.span if p.span is not None else -1))
    return problems, spans


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
