"""Label Studio JSON export <-> documents.

Label Studio counts offsets in UTF-16 code units (JavaScript strings); Python counts
code points. They differ after any character outside the BMP (an emoji, say), so every
offset is converted exactly in both directions.
"""

from __future__ import annotations

import copy
import json
import os
import tempfile
from bisect import bisect_right
from pathlib import Path
from typing import Any, Iterable

from .document import Document, Relation, Span

FROM_NAME = "label"
TO_NAME = "text"


class OffsetMap:
    """Exact mapping between code-point and UTF-16 offsets of one string."""

    def __init__(self, text: str) -> None:
        self.text = text
        # Code-point indices of astral (non-BMP) characters, in order.
        self._astral = [i for i, ch in enumerate(text) if ord(ch) > 0xFFFF]
        # UTF-16 offsets at which each astral character starts.
        self._astral16 = [i + k for k, i in enumerate(self._astral)]
        self.utf16_length = len(text) + len(self._astral)

    def to_utf16(self, index: int) -> int:
        if not 0 <= index <= len(self.text):
            raise ValueError(f"offset {index} out of range 0..{len(self.text)}")
        return index + bisect_right(self._astral, index - 1)

    def from_utf16(self, offset: int) -> int:
        """Code-point index of a UTF-16 offset; raises if it splits a surrogate pair."""
        if not 0 <= offset <= self.utf16_length:
            raise ValueError(f"UTF-16 offset {offset} out of range 0..{self.utf16_length}")
        k = bisect_right(self._astral16, offset - 1)
        if k and offset == self._astral16[k - 1] + 1:
            raise ValueError(f"UTF-16 offset {offset} falls inside a surrogate pair")
        return offset - k


def is_offset(value: Any) -> bool:
    """An offset as Label Studio writes it: an int (not a bool, a float or a numeric string)."""
    return isinstance(value, int) and not isinstance(value, bool)


def _result_to_span(item: dict[str, Any], offsets: OffsetMap, score_key: str = "score") -> Span:
    value = item["value"]
    start16, end16 = value.get("start"), value.get("end")
    if not (is_offset(start16) and is_offset(end16)):  # "3" or 3.7 would be a silent guess
        raise ValueError(f"region {item.get('id')!r}: value.start/value.end must be integers, "
                         f"got {start16!r} and {end16!r}")
    start, end = offsets.from_utf16(start16), offsets.from_utf16(end16)
    labels = value.get("labels") or []
    if len(labels) != 1:
        raise ValueError(f"region {item.get('id')!r} has {len(labels)} labels, expected exactly one")
    text = value.get("text")
    if text is None:
        text = offsets.text[start:end]
    score = item.get(score_key)
    return Span(start=start, end=end, label=labels[0], text=text,
                score=float(score) if score is not None else None, id=item.get("id"))


def _span_to_result(span: Span, offsets: OffsetMap, with_score: bool) -> dict[str, Any]:
    item: dict[str, Any] = {}
    if span.id is not None:
        item["id"] = span.id
    item.update({
        "from_name": FROM_NAME,
        "to_name": TO_NAME,
        "type": "labels",
        "value": {
            "start": offsets.to_utf16(span.start),
            "end": offsets.to_utf16(span.end),
            "text": span.text,
            "labels": [span.label],
        },
    })
    if with_score and span.score is not None:
        item["score"] = span.score
    return item


def _is_label_region(item: dict[str, Any]) -> bool:
    return item.get("type") == "labels" and "value" in item


def _is_relation(item: dict[str, Any]) -> bool:
    return item.get("type") == "relation" and "from_id" in item and "to_id" in item


def _result_to_relation(item: dict[str, Any]) -> Relation:
    labels = item.get("labels") or []
    if len(labels) > 1:
        raise ValueError(f"relation {item.get('from_id')!r} -> {item.get('to_id')!r} has {len(labels)} labels, "
                         f"expected at most one")
    return Relation(from_id=str(item["from_id"]), to_id=str(item["to_id"]), label=labels[0] if labels else None,
                    direction=item.get("direction", "right"))


def _relation_to_result(rel: Relation) -> dict[str, Any]:
    return {"from_id": rel.from_id, "to_id": rel.to_id, "type": "relation", "direction": rel.direction,
            "labels": [rel.label] if rel.label is not None else []}


def task_to_document(task: dict[str, Any], *, source: str = "annotations", index: int = 0) -> Document:
    """One Label Studio task -> ``Document``.

    ``source`` is ``"annotations"`` (gold) or ``"predictions"``; ``index`` picks which
    annotation/prediction of the task. Everything that is not a label region is kept in
    ``Document.meta`` so that ``document_to_task`` restores the task unchanged.
    """
    if source not in ("annotations", "predictions"):
        raise ValueError(f"source must be 'annotations' or 'predictions', not {source!r}")
    data = task.get("data") or {}
    text = data.get("text")
    if not isinstance(text, str):
        raise ValueError(f"task {task.get('id')!r} has no string data.text")
    doc_id = str(data.get("doc_id") if data.get("doc_id") is not None else task.get("id"))
    offsets = OffsetMap(text)
    entries = task.get(source) or []
    spans: list[Span] = []
    relations: list[Relation] = []
    if entries:
        entry = entries[index]
        spans = [_result_to_span(item, offsets) for item in entry.get("result", []) if _is_label_region(item)]
        relations = [_result_to_relation(item) for item in entry.get("result", []) if _is_relation(item)]
    meta = {"task": copy.deepcopy(task), "source": source, "index": index}
    return Document(id=doc_id, text=text, spans=spans, meta=meta, relations=relations)


def document_to_task(doc: Document, *, as_predictions: bool | None = None,
                     model_version: str | None = None, task_score: float | None = None) -> dict[str, Any]:
    """``Document`` -> Label Studio task.

    A document read by ``task_to_document`` is written back into its original task
    (its other fields, other annotations and non-label regions unchanged; its relation
    results too, unless ``doc.relations`` differs from them, when they are rewritten). With
    ``as_predictions=True`` the spans become a prediction with ``model_version``, per-
    region scores and a task ``score`` (``task_score`` or the lowest span score).
    """
    meta = doc.meta or {}
    task = copy.deepcopy(meta.get("task")) if "task" in meta else {"data": {"text": doc.text, "doc_id": doc.id}}
    task.setdefault("data", {})
    task["data"]["text"] = doc.text
    if as_predictions is None:
        as_predictions = meta.get("source") == "predictions"
    source = "predictions" if as_predictions else "annotations"
    offsets = OffsetMap(doc.text)
    results = [_span_to_result(s, offsets, with_score=as_predictions) for s in doc.spans]
    relations = [_relation_to_result(r) for r in doc.relations]

    entries = task.get(source) or []
    index = meta.get("index", 0) if meta.get("source") == source else len(entries)
    if (index >= len(entries) and not doc.spans and not doc.relations and "task" in meta
            and meta.get("source") == source and model_version is None and task_score is None):
        return task  # written back unchanged: a task without annotations gets no empty one
    entries = task.setdefault(source, [])
    old_labels = None
    if index < len(entries):
        entry = entries[index]
        old = entry.get("result", [])
        old_labels = [item for item in old if _is_label_region(item)]
        old_relations = [_result_to_relation(item) for item in old if _is_relation(item)]
        # Keep non-label regions (relations, text areas...) where they were, after the labels;
        # relations that changed are written anew, after the rest.
        if old_relations == list(doc.relations):
            entry["result"] = results + [item for item in old if not _is_label_region(item)]
        else:
            entry["result"] = results + [item for item in old if not _is_label_region(item)
                                         and not _is_relation(item)] + relations
    else:
        entry = {"result": results + relations}
        entries.append(entry)
    if as_predictions:
        if model_version is not None:
            entry["model_version"] = model_version
        if task_score is None and old_labels == results and "score" in entry:
            task_score = entry["score"]  # regions unchanged: keep the prediction's own score
        if task_score is None:
            scores = [s.score for s in doc.spans if s.score is not None]
            task_score = min(scores) if scores else 1.0
        entry["score"] = task_score
    return task


def tasks_to_documents(tasks: Iterable[dict[str, Any]], *, source: str = "annotations") -> list[Document]:
    return [task_to_document(t, source=source) for t in tasks]


def documents_to_tasks(docs: Iterable[Document], **kwargs: Any) -> list[dict[str, Any]]:
    return [document_to_task(d, **kwargs) for d in docs]


def load_tasks(path: str | os.PathLike[str]) -> list[dict[str, Any]]:
    """Read a Label Studio export: a JSON list of tasks, a single task, or JSON lines."""
    path = Path(path)
    raw = path.read_text(encoding="utf-8")
    if path.suffix == ".jsonl":
        return [json.loads(line) for line in raw.splitlines() if line.strip()]
    data = json.loads(raw)
    if isinstance(data, dict):
        data = [data]
    if not isinstance(data, list):
        raise ValueError(f"{path}: expected a JSON list of Label Studio tasks")
    return data


def load_documents(path: str | os.PathLike[str], *, source: str = "annotations") -> list[Document]:
    return tasks_to_documents(load_tasks(path), source=source)


def dumps_tasks(tasks: list[dict[str, Any]]) -> str:
    """The project's canonical serialisation: stable, UTF-8, one trailing newline."""
    return json.dumps(tasks, ensure_ascii=False, indent=1) + "\n"


def write_atomic(path: str | os.PathLike[str], content: str) -> None:
    """Write ``content`` to ``path`` via a temporary file and rename (never half-written)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(content)
        # mkstemp creates the file 0600; give it the permissions a plain open() would.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def save_tasks(tasks: list[dict[str, Any]], path: str | os.PathLike[str]) -> None:
    write_atomic(path, dumps_tasks(tasks))


def save_documents(docs: Iterable[Document], path: str | os.PathLike[str], **kwargs: Any) -> None:
    save_tasks(documents_to_tasks(docs, **kwargs), path)
