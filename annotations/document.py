"""The canonical representation of a document and its entity spans.

Every format the project reads or writes (Label Studio JSON, syllable BIO/CoNLL,
Hugging Face datasets, model output) converts to and from these two classes, and
every offset is a Python code-point index into ``Document.text`` as stored.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, Iterable, Sequence

from .labels import LABELS


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

    @property
    def value(self) -> list[float] | None:
        """``[low, high]`` of an AREA (hectares) or PERCENT (percent) span, None for other
        labels or a surface that cannot be read (:func:`annotations.values.parse_value`)."""
        from .values import parse_value

        return parse_value(self.text, self.label)

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
        if self.label in ("AREA", "PERCENT"):
            out["value"] = self.value
        return out

    @classmethod
    def from_text(cls, text: str, start: int, end: int, label: str, score: float | None = None) -> "Span":
        """Build a span whose ``text`` is taken from ``text[start:end]``."""
        if not 0 <= start <= end <= len(text):
            raise ValueError(f"span [{start}, {end}) out of range for text of length {len(text)}")
        return cls(start=start, end=end, label=label, text=text[start:end], score=score)


@dataclass(frozen=True)
class Relation:
    """A labelled link from one span to another of the same document, by their ``id``
    (a Label Studio ``relation`` result; the labels are :data:`annotations.labels.RELATIONS`)."""

    from_id: str
    to_id: str
    label: str | None
    direction: str = "right"


@dataclass
class Document:
    """A text with its spans, and the relations between them. ``meta`` keeps whatever else
    a source format carried (Label Studio task fields, annotation metadata) so conversions
    lose nothing."""

    id: str
    text: str
    spans: list[Span] = field(default_factory=list)
    meta: dict[str, Any] = field(default_factory=dict)
    relations: list[Relation] = field(default_factory=list)

    def sorted_spans(self) -> list[Span]:
        return sorted(self.spans, key=lambda s: (s.start, s.end, s.label))

    def with_spans(self, spans: Iterable[Span]) -> "Document":
        """The document with other spans; the relations whose two ends are still among them stay."""
        spans = list(spans)
        ids = {s.id for s in spans if s.id is not None}
        return Document(id=self.id, text=self.text, spans=spans, meta=dict(self.meta),
                        relations=[r for r in self.relations if r.from_id in ids and r.to_id in ids])

    def cluster_roots(self) -> dict[str, str]:
        """Span id of every CLUSTER mention that has one -> the id of its cluster's root mention,
        following the ``same_as`` relations (chains and trees alike); a mention no ``same_as``
        reaches is its own root."""
        parent = {s.id: s.id for s in self.spans if s.label == "CLUSTER" and s.id is not None}

        def root(i: str) -> str:
            while parent[i] != i:
                i = parent[i]
            return i

        for r in self.relations:
            if r.label == "same_as" and r.from_id in parent and r.to_id in parent:
                parent[root(r.from_id)] = root(r.to_id)
        return {i: root(i) for i in parent}

    def problems(self, labels: Iterable[str] | None = None) -> list[str]:
        """Human-readable problems of the spans against the text (:func:`check_spans`)."""
        return [p.message for p in check_spans(self.text, self.spans, labels=labels)]


@dataclass(frozen=True)
class Problem:
    code: str
    message: str
    task: int | None = None  # index of the task in its file
    doc_id: str | None = None
    span: int | None = None  # index of the region in the annotation's result

    def __str__(self) -> str:
        where = []
        if self.task is not None:
            where.append(f"task {self.task}")
        if self.doc_id is not None:
            where.append(f"doc {self.doc_id}")
        if self.span is not None:
            where.append(f"span {self.span}")
        return f"{', '.join(where) or 'file'}: {self.code}: {self.message}"


def check_spans(text: str, spans: Sequence[Span], labels: Iterable[str] | None = None,
                *, task: int | None = None, doc_id: str | None = None,
                indices: Sequence[int] | None = None) -> list[Problem]:
    """Problems of code-point spans over ``text``: range, text, label, emptiness,
    surrounding whitespace, overlaps. ``indices`` names each span in the problems
    (default: its position in ``spans``)."""
    allowed = set(labels if labels is not None else LABELS)
    problems: list[Problem] = []
    names = list(indices) if indices is not None else list(range(len(spans)))

    def add(code: str, message: str, i: int) -> None:
        problems.append(Problem(code, message, task, doc_id, names[i]))

    valid: list[tuple[int, Span]] = []
    for i, s in enumerate(spans):
        desc = f"[{s.start}, {s.end}) {s.label} {s.text!r}"
        if s.label not in allowed:
            add("unknown-label", f"{desc}: label {s.label!r} is not one of {sorted(allowed)}", i)
        if not (0 <= s.start <= s.end <= len(text)):
            add("out-of-range", f"{desc}: offsets outside text of length {len(text)}", i)
            continue
        if s.start == s.end:
            add("empty", f"{desc}: empty span", i)
            continue
        actual = text[s.start:s.end]
        if s.text != actual:
            add("text-mismatch", f"{desc}: text at offsets is {actual!r}", i)
        if actual != actual.strip():
            add("whitespace", f"{desc}: span has leading or trailing whitespace", i)
        valid.append((i, s))
    valid.sort(key=lambda p: (p[1].start, p[1].end))
    # Sweep: compare each span with every earlier one still open.
    open_spans: list[tuple[int, Span]] = []
    for i, s in valid:
        open_spans = [(j, o) for j, o in open_spans if o.end > s.start]
        for j, o in open_spans:
            add("overlap", f"[{s.start}, {s.end}) {s.label} {s.text!r} overlaps span {names[j]} "
                           f"[{o.start}, {o.end}) {o.label} {o.text!r}", i)
        open_spans.append((i, s))
    return problems
