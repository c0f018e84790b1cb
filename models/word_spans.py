"""Between character spans and per-word IOB2 tags: the one place spans meet words."""

from __future__ import annotations

from typing import Iterable, Sequence

from annotations.bio import spans_to_tags, tags_to_spans
from annotations.document import Span

from .segment import Word


def _edges(words: Sequence[Word]) -> list[tuple[int, int]]:
    return [(w.start, w.end) for w in words]


def word_labels(words: Sequence[Word], spans: Iterable[Span]) -> tuple[list[str], list[Span]]:
    """IOB2 tag per word for ``spans`` and the spans that do not start and end on word edges."""
    return spans_to_tags(_edges(words), spans)


def words_to_spans(text: str, words: Sequence[Word], tags: Sequence[str],
                   scores: Sequence[float] | None = None) -> list[Span]:
    """Spans of ``text`` from per-word IOB2 tags (``scores`` per word are averaged per span)."""
    return tags_to_spans(text, _edges(words), tags, scores)
