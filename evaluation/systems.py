"""Systems under evaluation: anything that maps documents to predicted spans.

``NAME=SOURCE`` (``--system``) resolves to a system by its SOURCE:

``rules`` / ``underthesea``      a built-in baseline
``model:DIR`` or a directory     a trained model (``models.Tagger``)
``predictions:FILE`` or a file   a Label Studio export whose tasks carry predictions
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, Sequence, runtime_checkable

from annotations.document import Document, Span
from annotations.labels import LABELS

from .baselines import SystemUnavailable  # noqa: F401  (re-exported)

log = logging.getLogger(__name__)

BUILTINS = ("rules", "underthesea")



@runtime_checkable
class System(Protocol):
    name: str
    #: the labels the system predicts; others are not scored for it (n/a, not zero)
    labels: tuple[str, ...]
    #: where it came from, for the report
    source: str

    def predict(self, docs: Sequence[Document]) -> list[list[Span]]: ...


@dataclass
class FixedSystem:
    """Predictions known in advance, by document id (a predictions export, a CV run)."""

    name: str
    predictions: dict[str, list[Span]]
    #: the text each prediction was made on, checked against the gold text when given
    texts: dict[str, str] | None = None
    labels: tuple[str, ...] = LABELS
    source: str = "fixed"
    extra: dict[str, Any] = field(default_factory=dict)

    def predict(self, docs: Sequence[Document]) -> list[list[Span]]:
        missing = [d.id for d in docs if d.id not in self.predictions]
        if missing:
            raise ValueError(f"system {self.name!r} has no predictions for {len(missing)} gold document(s): "
                             f"{', '.join(missing[:10])}{' ...' if len(missing) > 10 else ''}")
        gold_ids = {d.id for d in docs}
        foreign = sorted(set(self.predictions) - gold_ids)
        if foreign:
            log.warning("system %r has predictions for %d document(s) not in the gold, not scored: %s%s", self.name,
                        len(foreign), ", ".join(foreign[:10]), " ..." if len(foreign) > 10 else "")
        if self.texts is not None:
            changed = [d.id for d in docs if self.texts.get(d.id, d.text) != d.text]
            if changed:
                raise ValueError(f"system {self.name!r}: the text of document(s) {', '.join(changed[:10])} "
                                 "differs from the gold text, so offsets cannot be compared")
        return [list(self.predictions[d.id]) for d in docs]


def load_predictions(path: str | os.PathLike[str], name: str | None = None) -> FixedSystem:
    """A Label Studio export with ``predictions`` as a system; named by ``name``, else by the
    first prediction's ``model_version``, else by the file name."""
    from annotations.labelstudio import load_tasks, task_to_document

    path = Path(path)
    tasks = load_tasks(path)
    docs = [task_to_document(t, source="predictions") for t in tasks]
    if name is None:
        versions = [p.get("model_version") for t in tasks for p in (t.get("predictions") or [])]
        name = next((v for v in versions if v), None) or path.stem
    preds: dict[str, list[Span]] = {}
    for doc in docs:
        if doc.id in preds:
            raise ValueError(f"{path}: document {doc.id!r} appears twice")
        preds[doc.id] = doc.spans
    return FixedSystem(name=name, predictions=preds, texts={d.id: d.text for d in docs},
                       source=f"predictions:{path}")


@dataclass
class TaggerSystem:
    """A trained model directory, run with ``models.Tagger``."""

    name: str
    model_dir: Path
    batch_size: int = 64
    labels: tuple[str, ...] = LABELS
    source: str = ""

    def __post_init__(self) -> None:
        self.model_dir = Path(self.model_dir)
        self.source = self.source or f"model:{self.model_dir}"

    def predict(self, docs: Sequence[Document]) -> list[list[Span]]:
        from tqdm import tqdm

        from models import Tagger

        if not self.model_dir.is_dir():
            raise FileNotFoundError(f"model directory {self.model_dir} does not exist")
        tagger = Tagger.from_pretrained(self.model_dir)
        out: list[list[Span]] = []
        step = max(1, self.batch_size)
        with tqdm(total=len(docs), desc=f"{self.name}", unit="doc", disable=None) as bar:
            for i in range(0, len(docs), step):
                batch = docs[i:i + step]
                out.extend(list(s) for s in tagger.extract_batch([d.text for d in batch], batch_size=self.batch_size))
                bar.update(len(batch))
        return out


def builtin(kind: str, name: str | None = None) -> System:
    """A built-in baseline by kind: ``rules`` or ``underthesea``."""
    if kind == "rules":
        from .baselines.rules import RulesSystem

        return RulesSystem(name=name or "rules")
    if kind == "underthesea":
        from .baselines.underthesea_ner import UndertheseaSystem

        return UndertheseaSystem(name=name or "underthesea")
    raise ValueError(f"unknown built-in system {kind!r}; known: {', '.join(BUILTINS)}")


def resolve_source(name: str, source: str, *, batch_size: int = 64) -> System:
    """The system ``source`` names (see the module docstring), called ``name``."""
    kind, sep, rest = source.partition(":")
    if source in BUILTINS or (sep and kind == "builtin"):
        return builtin(rest if sep else source, name)
    if sep and kind == "model":
        return TaggerSystem(name=name, model_dir=Path(rest), batch_size=batch_size)
    if sep and kind == "predictions":
        return load_predictions(rest, name)
    path = Path(source)
    if path.is_dir():
        return TaggerSystem(name=name, model_dir=path, batch_size=batch_size)
    if path.is_file():
        return load_predictions(path, name)
    raise ValueError(f"system {name!r}: {source!r} is not a built-in ({', '.join(BUILTINS)}), "
                     "a model directory or a predictions file")


def parse_system(spec: str, *, batch_size: int = 64) -> System:
    """``NAME=SOURCE`` -> system."""
    name, sep, source = spec.partition("=")
    if not sep or not name.strip() or not source.strip():
        raise ValueError(f"--system {spec!r}: expected NAME=SOURCE")
    return resolve_source(name.strip(), source.strip(), batch_size=batch_size)
