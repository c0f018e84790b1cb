"""The rules baseline (:mod:`models.rules`) as an evaluation system."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from annotations.document import Document, Span
from annotations.labels import LABELS
from models.rules import extract

__all__ = ["RulesSystem"]


@dataclass
class RulesSystem:
    """The rules baseline as a system."""

    name: str = "rules"
    labels: tuple[str, ...] = LABELS
    source: str = "builtin:rules"

    def predict(self, docs: Sequence[Document]) -> list[list[Span]]:
        return [extract(doc.text) for doc in docs]
