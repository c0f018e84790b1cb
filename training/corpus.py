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
    """Gold (or the given documents) and written text are split into train/dev by
    document; generated and weakly labelled text only ever goes to train."""
    gold_docs = load_gold(cfg) if gold is None else list(gold)
    written = load_written(cfg)
    real = gold_docs + written
    train, dev = split_documents(real, cfg.data.dev_fraction, cfg.training.seed)
    sources = {"gold": len(gold_docs), "written": len(written)}
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
    return Corpus(train=train, dev=dev, sources=sources)
