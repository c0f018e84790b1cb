"""Leave-one-document-out cross-validation over gold documents.

Fold *k* trains on every gold document but the *k*-th (plus the extra data the config
names; the config's own gold list is emptied so the held-out document cannot leak in)
and predicts the *k*-th. The held-out predictions together form one system,
``cv:<config name>``, with per-fold figures attached.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path
from typing import Any, Callable, Sequence

from annotations.document import Document, Span
from annotations.labels import LABELS

from annotations.scoring import count_matrix, summarise
from .systems import FixedSystem, TaggerSystem

#: ``train(config_dict, output_dir, *, train_documents) -> model_dir``
TrainFn = Callable[..., Path]
#: ``predict(model_dir, docs) -> spans per document``
PredictFn = Callable[[Path, Sequence[Document]], list[list[Span]]]


def leave_one_out(docs: Sequence[Document], folds: int | None = None) -> list[tuple[Document, list[Document]]]:
    """``(held_out, training_docs)`` for the first ``folds`` documents (all by default)."""
    if len(docs) < 2:
        raise ValueError(f"cross-validation needs at least 2 documents, got {len(docs)}")
    n = len(docs) if folds is None else folds
    if not 1 <= n <= len(docs):
        raise ValueError(f"--folds must be between 1 and {len(docs)}, got {folds}")
    return [(docs[k], [d for i, d in enumerate(docs) if i != k]) for k in range(n)]


def training_config(config: Any, overrides: dict[str, Any] | None = None) -> tuple[str, dict]:
    """The config's name and its dict with ``overrides`` applied and ``data.gold`` emptied
    (the documents to train on are always passed explicitly)."""
    from training.config import load_config

    cfg = load_config(config, {**(overrides or {}), "data.gold": []})
    return cfg.name, cfg.to_dict()


def train_model_dir(config: dict, output_dir: Path, *, train_documents: list[Document]) -> Path:
    """``training.train_model`` on exactly ``train_documents`` (plus the config's other data)."""
    from training import train_model

    return Path(train_model(config, output_dir, train_documents=train_documents, progress=sys.stderr.isatty(),
                            overwrite=True))


def _default_predict(model_dir: Path, docs: Sequence[Document], batch_size: int = 64) -> list[list[Span]]:
    return TaggerSystem(name=f"fold:{model_dir.name}", model_dir=model_dir, batch_size=batch_size).predict(docs)


def cross_validate(config: Any, docs: Sequence[Document], work_dir: str | Path, *, folds: int | None = None,
                   overrides: dict[str, Any] | None = None, train: TrainFn | None = None,
                   predict: PredictFn | None = None, keep_models: bool = False,
                   log=sys.stderr) -> tuple[FixedSystem, list[Document]]:
    """Run the folds; return the ``cv:<name>`` system and the held-out documents it covers."""
    train = train or train_model_dir
    predict = predict or _default_predict
    name, cfg = training_config(config, overrides)
    work_dir = Path(work_dir)
    predictions: dict[str, list[Span]] = {}
    fold_reports = []
    held_out_docs = []
    for k, (held_out, train_docs) in enumerate(leave_one_out(docs, folds)):
        print(f"cv fold {k + 1}: training on {len(train_docs)} documents, holding out {held_out.id}", file=log)
        fold_dir = work_dir / f"fold-{k + 1}-{held_out.id}"
        model_dir = train(cfg, fold_dir, train_documents=list(train_docs))
        spans = predict(Path(model_dir), [held_out])[0]
        predictions[held_out.id] = list(spans)
        held_out_docs.append(held_out)
        strict = summarise(count_matrix([held_out.spans], [spans], LABELS), LABELS)
        fold_reports.append({"name": held_out.id, "documents": 1, "strict": strict})
        print(f"cv fold {k + 1}: micro-F1 {strict['micro']['f1']}", file=log)
        if not keep_models:
            shutil.rmtree(fold_dir, ignore_errors=True)
    system = FixedSystem(name=f"cv:{name}", predictions=predictions, source=f"cross-validation:{name}",
                         extra={"folds": fold_reports})
    return system, held_out_docs
