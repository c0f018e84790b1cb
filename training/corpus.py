"""Assemble the training and dev documents a config names."""

from __future__ import annotations

import glob
import random
from dataclasses import dataclass, field
from pathlib import Path

from annotations.document import Document
from annotations.labelstudio import load_documents

from .config import REPO_ROOT, Config
from .markup import read_markup_file


@dataclass
class Corpus:
    train: list[Document]
    dev: list[Document]
    #: document counts per source, for the model card
    sources: dict[str, int] = field(default_factory=dict)
    #: ids of the gold training documents (their windows are repeated ``data.gold_repeat`` times)
    gold_ids: set[str] = field(default_factory=set)
    #: the shared gold files read, for the model card (empty when the shared folder is absent)
    shared_files: list[str] = field(default_factory=list)


def _resolve(pattern: str) -> list[Path]:
    path = Path(pattern)
    if not path.is_absolute():
        path = REPO_ROOT / path
    matches = sorted(Path(p) for p in glob.glob(str(path)))
    if not matches and not glob.has_magic(str(path)):
        raise FileNotFoundError(f"training data {pattern!r} not found at {path}")
    return matches


def load_gold(cfg: Config) -> list[Document]:
    return [doc for pattern in cfg.data.gold for path in _resolve(pattern) for doc in load_documents(path)]


def load_shared_gold(cfg: Config) -> tuple[list[Document], list[str]]:
    """The documents of ``data.shared_gold`` that exist in the shared folder, and the files read."""
    from annotations.shared import shared_file

    docs, read = [], []
    for name in cfg.data.shared_gold:
        path = shared_file(name)
        if path is None:
            continue
        docs.extend(load_documents(path))
        read.append(name)
    return docs, read


def subsample(docs: list[Document], fraction: float, seed: int) -> list[Document]:
    """``fraction`` of ``docs`` (rounded), chosen by ``seed``, in their original order; a
    smaller fraction with the same seed gives a subset of a larger one."""
    if fraction >= 1:
        return list(docs)
    order = list(range(len(docs)))
    random.Random(seed).shuffle(order)
    keep = set(order[:round(fraction * len(docs))])
    return [d for i, d in enumerate(docs) if i in keep]


def load_written(cfg: Config) -> list[Document]:
    return [doc for pattern in cfg.data.written for path in _resolve(pattern) for doc in read_markup_file(path)]


def split_documents(docs: list[Document], fraction: float, seed: int) -> tuple[list[Document], list[Document]]:
    """Document-level split: ``fraction`` of ``docs`` (at least one when there are two or
    more) go to dev, chosen by ``seed``."""
    if not 0 <= fraction < 1:
        raise ValueError(f"dev_fraction must be in [0, 1), got {fraction}")
    if len(docs) < 2 or fraction == 0:
        return list(docs), []
    order = list(range(len(docs)))
    random.Random(seed).shuffle(order)
    n_dev = max(1, round(fraction * len(docs)))
    dev_ids = set(order[:n_dev])
    return [d for i, d in enumerate(docs) if i not in dev_ids], [d for i, d in enumerate(docs) if i in dev_ids]


def build_corpus(cfg: Config, *, gold: list[Document] | None = None) -> Corpus:
    """The training and dev documents. Gold is the config's gold files (or the given
    documents) plus the shared gold when the shared folder holds it. With shared gold, the
    dev split is drawn from it alone (real news decides early stopping and the checkpoint)
    and ``shared_gold_fraction`` of the rest trains; without it, gold and written text are
    split by document. Generated and weakly labelled text only ever goes to train."""
    gold_docs = load_gold(cfg) if gold is None else list(gold)
    shared, shared_files = load_shared_gold(cfg)
    written = load_written(cfg)
    sources = {"gold": len(gold_docs), "written": len(written)}
    if shared:
        shared_train, dev = split_documents(shared, cfg.data.dev_fraction, cfg.training.seed)
        shared_train = subsample(shared_train, cfg.data.shared_gold_fraction, cfg.training.seed)
        sources["shared gold (train)"] = len(shared_train)
        sources["shared gold (dev)"] = len(dev)
        train = gold_docs + shared_train + written
        gold_train = gold_docs + shared_train
    else:
        train, dev = split_documents(gold_docs + written, cfg.data.dev_fraction, cfg.training.seed)
        gold_set = {d.id for d in gold_docs}
        gold_train = [d for d in train if d.id in gold_set]
    gold_ids = {d.id for d in gold_train}
    if cfg.data.synthetic_docs:
        from .synth import generate

        synthetic = generate(cfg.data.synthetic_docs, seed=cfg.data.synthetic_seed)
        train += synthetic
        sources["synthetic"] = len(synthetic)
    if cfg.data.unlabelled:
        from .weak import weakly_label

        weak = weakly_label(cfg.data.unlabelled, limit=cfg.data.unlabelled_limit)
        train += weak
        sources["unlabelled (weak labels)"] = len(weak)
    ids = [d.id for d in train + dev]
    dupes = sorted({i for i in ids if ids.count(i) > 1}) if len(ids) != len(set(ids)) else []
    if dupes:
        raise ValueError(f"duplicate document ids across training sources: {dupes[:10]}")
    return Corpus(train=train, dev=dev, sources=sources, gold_ids=gold_ids, shared_files=shared_files)
