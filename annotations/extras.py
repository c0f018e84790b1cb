"""Optional dependencies, imported where needed, with a message naming the extra to install.

The core (inference: ``Tagger``, the rules, ``vicluster extract``) needs only torch and
transformers. Training, evaluation charts and scores, Label Studio and PhoBERT's word
segmenter come with extras: ``pip install 'vicluster[train]'``, ``[eval]``, ``[studio]``,
``[phobert]``, or ``[all]``.
"""

from __future__ import annotations

import importlib
from types import ModuleType

#: extra -> what it is for (the README's table)
EXTRAS = {
    "train": "training and pre-training (datasets, accelerate)",
    "eval": "evaluation reports: seqeval scores and charts (seqeval, matplotlib)",
    "studio": "Label Studio push, pull and serve (label-studio-sdk)",
    "phobert": "PhoBERT's word segmenter (pyvi)",
    "underthesea": "the underthesea segmenter and NER baseline",
    "scale": "extraction as a Ray Data pipeline across machines (ray[data]; `vicluster extract --ray`)",
}


class MissingExtra(ImportError):
    """An optional dependency is not installed; the message names the extra that brings it."""


def require(module: str, extra: str, purpose: str) -> ModuleType:
    """``import module``, or :class:`MissingExtra` saying ``purpose`` needs ``vicluster[extra]``."""
    if extra not in EXTRAS:
        raise ValueError(f"unknown extra {extra!r}; known: {', '.join(EXTRAS)}")
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise MissingExtra(f"{purpose} needs the package {module.split('.')[0]!r}, which is not installed: "
                           f"pip install 'vicluster[{extra}]'") from exc
