"""The canonical representation of a document and its entity spans.

Every format the project reads or writes (Label Studio JSON, syllable BIO/CoNLL,
Hugging Face datasets, model output) converts to and from these two classes, and
every offset is a Python code-point index into ``Document.text`` as stored.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, Iterable


@dataclass(frozen=True)
class Span:
    """A labelled character span ``text == document.text[start:end]``."""

    start: int
    end: int
    label: str
    text: str
    score: float | None = None
    id: str | None = None

    @property
    def key(self) -> tuple[int, int, str]:
        """What strict span matching compares: ``(start, end, label)``."""
        return (self.start, self.end, self.label)

    def overlaps(self, other: "Span") -> bool:
        return self.start < other.end and other.start < self.end

    def shifted(self, delta: int) -> "Span":
        return replace(self, start=self.start + delta, end=self.end + delta)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "start": self.start,
            "end": self.end,
            "label": self.label,
            "text": self.text,
        }
        if self.score is not None:
            out["score"] = self.score
        return out

    @classmethod
    def from_text(cls, text: str, start: int, end: int, label: str, score: float | None = None) -> "Span":
        """Build a span whose ``text`` is taken from ``text[start:end]``."""
        if not 0 <= start <= end <= len(text):
            raise ValueError(f"span [{start}, {end}) out of range for text of length {len(text)}")
        return cls(start=start, end=end, label=label, text=text[start:end], score=score)


@dataclass
class Document:
    """A text with its spans. ``meta`` keeps whatever else a source format carried
    (Label Studio task fields, annotation metadata) so conversions lose nothing."""

    id: str
    text: str
    spans: list[Span] = field(default_factory=list)
    meta: dict[str, Any] = field(default_factory=dict)

    def sorted_spans(self) -> list[Span]:
        return sorted(self.spans, key=lambda s: (s.start, s.end, s.label))

    def with_spans(self, spans: Iterable[Span]) -> "Document":
        return Document(id=self.id, text=self.text, spans=list(spans), meta=dict(self.meta))

    def problems(self, labels: Iterable[str] | None = None) -> list[str]:
        """Human-readable problems of the spans against the text (see ``annotations.validate``)."""
        from .validate import check_spans

        return [p.message for p in check_spans(self.text, self.spans, labels=labels)]
