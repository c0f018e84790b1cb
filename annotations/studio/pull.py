"""Pull annotations from a Label Studio project into a gold file in the project's canonical form.

Canonical task: ``{"data": {"text", "doc_id"}, "annotations": [{"result": [...]}]}`` with the
label regions sorted by ``(start, end, label)`` and ids ``<doc_id>-<i>``; nothing volatile (task,
user or annotation ids, timestamps) is kept, so pulling unchanged data gives the same bytes.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Sequence

from ..document import Document, Span
from ..labelstudio import document_to_task, dumps_tasks, load_tasks, task_to_document, write_atomic
from ..validate import Problem, validate_tasks
from .client import StudioError, ensure_project


def export_tasks(client: Any, project_id: int) -> list[dict[str, Any]]:
    """Every task of the project as Label Studio's JSON export gives it (annotated or not)."""
    raw = b"".join(client.projects.exports.download_sync(project_id, export_type="JSON",
                                                          download_all_tasks=True))
    tasks = json.loads(raw.decode("utf-8"))
    if not isinstance(tasks, list):
        raise StudioError(f"error: Label Studio's export of project {project_id} is not a list of tasks")
    return tasks


def latest_annotation(task: dict[str, Any]) -> dict[str, Any] | None:
    """The most recently updated annotation that was not cancelled (skipped), if any."""
    live = [a for a in task.get("annotations") or [] if isinstance(a, dict) and not a.get("was_cancelled")]
    if not live:
        return None
    return max(live, key=lambda a: (str(a.get("updated_at") or a.get("created_at") or ""), a.get("id") or 0))


def reduce_task(task: dict[str, Any]) -> dict[str, Any] | None:
    """The task's data and its latest live annotation only (offsets still as Label Studio's),
    or ``None`` when it has no such annotation."""
    annotation = latest_annotation(task)
    if annotation is None:
        return None
    data = task.get("data") or {}
    reduced_data = {"text": data.get("text")}
    if data.get("doc_id") is not None:
        reduced_data["doc_id"] = str(data["doc_id"])
    return {"data": reduced_data, "annotations": [{"result": annotation.get("result") or []}]}


def canonical_task(task: dict[str, Any]) -> dict[str, Any]:
    """A (valid) reduced task in the project's canonical form."""
    doc = task_to_document(task)
    spans = sorted(doc.spans, key=lambda s: (s.start, s.end, s.label))
    spans = [Span(s.start, s.end, s.label, s.text, None, f"{doc.id}-{i}") for i, s in enumerate(spans)]
    return document_to_task(Document(id=doc.id, text=doc.text, spans=spans), as_predictions=False)


def _gold_view(task: dict[str, Any]) -> tuple[str, frozenset[tuple[int, int, str, str]]]:
    doc = task_to_document(task)
    return doc.text, frozenset((s.start, s.end, s.label, s.text) for s in doc.spans)


def describe_difference(old: dict[str, Any], new: dict[str, Any]) -> str:
    old_text, old_spans = _gold_view(old)
    new_text, new_spans = _gold_view(new)
    if old_text != new_text:
        return "the text differs"

    def first(spans: frozenset) -> str:
        s = min(spans)
        return f"[{s[0]}, {s[1]}) {s[2]} {s[3]!r}"

    gone, added = old_spans - new_spans, new_spans - old_spans
    parts = []
    if gone:
        parts.append(f"{len(gone)} span(s) only in the gold file (first {first(gone)})")
    if added:
        parts.append(f"{len(added)} only in Label Studio (first {first(added)})")
    return ", ".join(parts)


@dataclass
class MergeResult:
    tasks: list[dict[str, Any]]
    added: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)
    conflicts: list[tuple[str, str]] = field(default_factory=list)  # (doc_id, what differs)

    @property
    def changed(self) -> bool:
        return bool(self.added or self.replaced)


def merge(existing: Sequence[dict[str, Any]], pulled: Sequence[dict[str, Any]], *,
          overwrite: bool = False) -> MergeResult:
    """Existing gold tasks (kept in order, untouched when unchanged) plus pulled canonical tasks:
    new doc_ids are appended in doc_id order; a doc_id whose gold differs is a conflict, replaced
    in place only with ``overwrite``."""
    tasks = list(existing)
    position: dict[str, int] = {}
    for i, task in enumerate(tasks):
        doc_id = ((task.get("data") or {}).get("doc_id") if isinstance(task, dict) else None)
        if doc_id is not None:
            position.setdefault(str(doc_id), i)
    result = MergeResult(tasks=tasks)
    for task in sorted(pulled, key=lambda t: t["data"]["doc_id"]):
        doc_id = task["data"]["doc_id"]
        if doc_id not in position:
            tasks.append(task)
            result.added.append(doc_id)
            continue
        old = tasks[position[doc_id]]
        if _gold_view(old) == _gold_view(task):
            result.unchanged.append(doc_id)
        elif overwrite:
            tasks[position[doc_id]] = task
            result.replaced.append(doc_id)
        else:
            result.conflicts.append((doc_id, describe_difference(old, task)))
    return result


@dataclass
class PullReport:
    project_id: int
    out: Path
    pulled: int = 0
    skipped: list[str] = field(default_factory=list)  # tasks without a live annotation
    problems: list[Problem] = field(default_factory=list)
    merge: MergeResult | None = None
    written: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems and not (self.merge and self.merge.conflicts)

    def lines(self) -> list[str]:
        if self.problems:
            return [f"{len(self.problems)} problem(s) in the annotations; nothing written"]
        m = self.merge
        assert m is not None
        out = [f"project {self.project_id}: {self.pulled} annotated task(s) pulled, "
               f"{len(self.skipped)} without annotation skipped"]
        out.append(f"{self.out}: {len(m.added)} added, {len(m.unchanged)} unchanged, {len(m.replaced)} replaced, "
                   f"{len(m.conflicts)} conflict(s); {'written' if self.written else 'not changed'}")
        for doc_id, what in m.conflicts:
            out.append(f"conflict: doc {doc_id}: existing gold differs from the Label Studio annotation: "
                       f"{what}; kept the gold file's version (--overwrite replaces it)")
        return out


def _read_existing(out: Path) -> tuple[list[dict[str, Any]], str | None]:
    if not out.exists():
        return [], None
    try:
        raw = out.read_text(encoding="utf-8")
        tasks = load_tasks(out)
        for t in tasks:
            task_to_document(t)
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise StudioError(f"error: cannot read the existing gold file {out}: {exc}") from None
    return tasks, raw


def pull_tasks(exported: Sequence[dict[str, Any]], out: str | os.PathLike[str], *, project_id: int = 0,
               overwrite: bool = False) -> PullReport:
    """Validate, canonicalise and merge exported tasks into ``out`` (written atomically, and only
    when its content changes). Validation problems: nothing is written."""
    out = Path(out)
    report = PullReport(project_id=project_id, out=out)
    reduced: list[dict[str, Any]] = []
    for task in exported:
        r = reduce_task(task)
        if r is None:
            data = task.get("data") or {}
            report.skipped.append(str(data.get("doc_id", f"task {task.get('id')}")))
        else:
            reduced.append(r)
    validation = validate_tasks(reduced)
    report.problems = list(validation.problems)
    for i, task in enumerate(reduced):
        if "doc_id" not in task["data"]:
            report.problems.append(Problem("no-doc-id", "task has no data.doc_id", i))
    if report.problems:
        return report
    pulled = [canonical_task(t) for t in reduced]
    report.pulled = len(pulled)
    existing, raw = _read_existing(out)
    report.merge = merge(existing, pulled, overwrite=overwrite)
    content = dumps_tasks(report.merge.tasks)
    if raw is None or (report.merge.changed and content != raw):
        write_atomic(out, content)
        report.written = True
    return report


def pull(client: Any, title: str, out: str | os.PathLike[str], label_config: str, *,
         overwrite: bool = False) -> PullReport:
    """Export the project ``title`` and merge its annotations into the gold file ``out``."""
    project, _ = ensure_project(client, title, label_config, create=False)
    return pull_tasks(export_tasks(client, project.id), out, project_id=project.id, overwrite=overwrite)
