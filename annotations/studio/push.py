"""Push articles to a Label Studio project as tasks keyed by ``data.doc_id``, optionally with
the model's predictions as pre-annotations."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any, Iterable, Sequence

from ..reader import Article, ArticleError
from ..reader import read_articles as _read
from ..validate import check_spans
from .client import StudioError, ensure_project, iter_tasks
from .predictor import Predictor, prediction_entry


SAMPLING = "Uncertainty sampling"


def read_articles(paths: Iterable[str | os.PathLike[str]]) -> list[Article]:
    """Articles to push (see :mod:`annotations.reader`); problems become ``StudioError``."""
    try:
        return _read(paths)
    except ArticleError as exc:
        raise StudioError(f"error: {exc}") from None


@dataclass
class PushReport:
    project_id: int
    project_created: bool = False
    imported: list[str] = field(default_factory=list)  # doc_ids of new tasks
    existing: list[str] = field(default_factory=list)  # doc_ids already in the project
    text_changed: list[str] = field(default_factory=list)  # existing doc_ids whose text differs
    predicted: list[str] = field(default_factory=list)  # doc_ids given a prediction now
    model_version: str | None = None

    def lines(self) -> list[str]:
        out = [f"project {self.project_id}{' (created)' if self.project_created else ''}: "
               f"{len(self.imported)} task(s) imported, {len(self.existing)} already present"]
        if self.model_version is not None:
            out.append(f"{len(self.predicted)} prediction(s) added with model_version {self.model_version}")
        for doc_id in self.text_changed:
            out.append(f"warning: doc {doc_id}: the project's task has a different text; not re-imported")
        return out


def _task_predictions(task: Any) -> list[Any]:
    preds = getattr(task, "predictions", None)
    return list(preds or [])


def _prediction_version(pred: Any) -> str | None:
    return pred.get("model_version") if isinstance(pred, dict) else getattr(pred, "model_version", None)


def existing_tasks(client: Any, project_id: int) -> dict[str, Any]:
    """The project's tasks by ``data.doc_id`` (tasks without one are ignored)."""
    out: dict[str, Any] = {}
    for task in iter_tasks(client, project_id, fields="all"):
        doc_id = (task.data or {}).get("doc_id")
        if doc_id is not None:
            out.setdefault(str(doc_id), task)
    return out


def push(client: Any, title: str, articles: Sequence[Article], label_config: str,
         predictor: Predictor | None = None) -> PushReport:
    """Create the project if needed, import the articles not yet in it, and with ``predictor``
    add one prediction per task that has none with the predictor's ``model_version``."""
    # New projects serve the least certain tasks first (lowest prediction score, see task_score).
    project, created = ensure_project(client, title, label_config, sampling=SAMPLING)
    report = PushReport(project_id=project.id, project_created=created,
                        model_version=predictor.model_version if predictor else None)
    present = {} if created else existing_tasks(client, project.id)
    new: list[Article] = []
    for a in articles:
        task = present.get(a.doc_id)
        if task is None:
            new.append(a)
            continue
        report.existing.append(a.doc_id)
        if (task.data or {}).get("text") != a.text:
            report.text_changed.append(a.doc_id)
    if new:
        client.projects.import_tasks(project.id, request=[{"text": a.text, "doc_id": a.doc_id} for a in new])
        present = existing_tasks(client, project.id)
        missing = [a.doc_id for a in new if a.doc_id not in present]
        if missing:
            raise StudioError(f"error: Label Studio did not create tasks for {', '.join(missing)}")
        report.imported = [a.doc_id for a in new]
    if predictor is None:
        return report
    todo, has_version = [], False
    for a in articles:
        task = present[a.doc_id]
        if a.doc_id in report.text_changed:
            continue  # the model would predict on a text that is not the task's
        if any(_prediction_version(p) == predictor.model_version for p in _task_predictions(task)):
            has_version = True
            continue
        todo.append((a, task))
    if todo:
        _add_predictions(client, project.id, todo, predictor)
        report.predicted = [a.doc_id for a, _ in todo]
    if (todo or has_version) and (getattr(project, "model_version", None) or "") != predictor.model_version:
        # the version whose predictions Label Studio shows as pre-annotations and samples by
        client.projects.update(project.id, model_version=predictor.model_version)
    return report


def _add_predictions(client: Any, project_id: int, todo: list[tuple[Article, Any]], predictor: Predictor) -> None:
    """Predict all texts first (and check every span), then create one prediction per task."""
    spans_per_text = predictor.run([a.text for a, _ in todo])
    entries = []
    for (a, _), spans in zip(todo, spans_per_text):
        problems = check_spans(a.text, spans, doc_id=a.doc_id)
        if problems:
            raise StudioError(f"error: the model's prediction is invalid: {problems[0]}"
                              + (f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""))
        entries.append(prediction_entry(a.doc_id, a.text, spans, predictor.model_version))
    for (_, task), entry in zip(todo, entries):
        client.predictions.create(task=task.id, project=project_id, result=entry["result"],
                                  score=entry["score"], model_version=entry["model_version"])
