"""Where the shared, read-only material lives (real gold, unlabelled news, PhoBERT's tokenizer).

It is never part of the repository: it is found at ``$VICLUSTER_SHARED`` when that is set,
else at ``../shared`` beside the checkout. Everything that reads it works without it.
"""

from __future__ import annotations

import os
from pathlib import Path

ENV = "VICLUSTER_SHARED"
_REPO_ROOT = Path(__file__).resolve().parent.parent


def shared_dir() -> Path:
    """The shared folder's path (which may not exist): ``$VICLUSTER_SHARED`` or ``../shared``."""
    env = os.environ.get(ENV)
    return Path(env) if env else _REPO_ROOT.parent / "shared"


def shared_path(relative: str | os.PathLike[str]) -> Path:
    """``relative`` inside the shared folder (absolute paths are returned as they are)."""
    path = Path(relative)
    return path if path.is_absolute() else shared_dir() / path


def shared_file(relative: str | os.PathLike[str]) -> Path | None:
    """The shared file ``relative`` when it exists, else None."""
    path = shared_path(relative)
    return path if path.is_file() else None


#: the shared files whose articles carry gold labels: nothing built from unlabelled text may hold them
LABELLED = ("corpus/train.json", "corpus/dev.json")


def labelled_articles() -> tuple[set[str], set[str]]:
    """doc_ids and texts of the shared labelled articles (:data:`LABELLED`, those present),
    to exclude from anything built from unlabelled text (weak labels, pre-training)."""
    from .labelstudio import load_tasks

    ids: set[str] = set()
    texts: set[str] = set()
    for name in LABELLED:
        path = shared_file(name)
        if path is None:
            continue
        for task in load_tasks(path):
            data = task.get("data") or {}
            if data.get("doc_id") is not None:
                ids.add(str(data["doc_id"]))
            if isinstance(data.get("text"), str):
                texts.add(data["text"])
    return ids, texts
