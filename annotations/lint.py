"""Lint gold against the guideline's boundary conventions and the lexicon.

:func:`annotations.validate.validate_tasks` checks that a file is well formed (offsets, text,
labels, overlaps). Lint goes further, with the words of :mod:`annotations.lexicon.vocabulary`:

- ``admin-word-outside``: an administrative or feature word stands directly before a LOCATION
  span, outside it (``xã [Minh Sơn]``); it belongs inside (``[xã Minh Sơn]``, guideline §3.2).
  Regions and countries after such a word stay bare (``các tỉnh [Tây Nguyên]``).
- ``type-word-outside``: a cluster type word stands directly before a CLUSTER span, outside
  it (``KCN [Yên Phong]``); it belongs inside (§3.1).
- ``qualifier-inside``: an AREA or PERCENT span starts with a qualifier (``[khoảng 50 ha]``);
  qualifiers stay outside (§4, §5).
- ``no-digit``: an AREA or PERCENT span without a digit (``[hàng nghìn ha]``).
- ``no-unit``: an AREA span that does not end with an area unit of the lexicon.

Each finding names the document and span; ``python -m annotations lint FILE...`` prints them
and exits 1 when there are any.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Iterable

from .document import Document, Problem, Span
from .lexicon import load
from .lexicon import vocabulary as v


@lru_cache(maxsize=1)
def _patterns() -> dict[str, re.Pattern]:
    admin = v.ADMIN_WORDS + v.CITY_ABBREVIATIONS
    types = v.CLUSTER_TYPE_WORDS + v.CLUSTER_TYPE_ABBREVIATIONS
    return {
        # the word, then exactly one space, at the end of the text before the span
        "admin": re.compile(rf"(?<![\w.])(?i:{v.alternation(admin)}) $"),
        "feature": re.compile(rf"(?<![\w.])(?i:{v.alternation(v.FEATURE_WORDS)}) $"),
        "compound": re.compile(rf"(?<![\w])(?i:{v.alternation(v.ADMIN_WORD_COMPOUNDS)}) $"),
        "feature_head": re.compile(rf"(?i:{v.alternation(v.FEATURE_WORDS)})(?![\w])"),
        "type": re.compile(rf"(?<![\w])(?i:{v.alternation(types)})(?:\s*\([^()]{{1,12}}\))? $"),
        "qualifier": re.compile(rf"(?i:{v.alternation(v.QUALIFIERS)})(?![\w])"),
        "unit": re.compile(rf"(?:{v.alternation(v.AREA_UNITS)})$", re.I),
    }


@lru_cache(maxsize=1)
def _bare_names() -> frozenset[str]:
    """Names that stay bare after an administrative word: regions and countries."""
    return frozenset(load("region") + load("country"))


@lru_cache(maxsize=1)
def _units() -> frozenset[str]:
    return frozenset(load("province") + load("district") + load("commune") + load("alias"))


def _word_outside(text: str, span: Span) -> str | None:
    """The administrative or feature word directly before a LOCATION span that should have
    been inside it, or None."""
    p = _patterns()
    before = text[max(0, span.start - 40):span.start]
    m = p["admin"].search(before)
    if m and not p["compound"].search(before) and span.text not in _bare_names():
        return m.group().strip()
    m = p["feature"].search(before)
    if m and span.text not in _units() | _bare_names() and not p["feature_head"].match(span.text):
        return m.group().strip()  # sông [Hồng]; but biển [Đà Nẵng], bờ sông [bán đảo Thanh Đa] stay
    return None


def lint_document(doc: Document) -> list[Problem]:
    """The boundary findings of one gold document (see the module docstring)."""
    p = _patterns()
    spans = sorted(doc.spans, key=lambda s: (s.start, s.end))
    ends = {s.end for s in spans}
    out: list[Problem] = []

    def add(code: str, span: Span, message: str) -> None:
        out.append(Problem(code, f"[{span.start}, {span.end}) {span.label} {span.text!r}: {message}",
                           doc_id=doc.id, span=doc.spans.index(span)))

    for span in spans:
        before = doc.text[max(0, span.start - 40):span.start]
        if span.label == "LOCATION":
            word = _word_outside(doc.text, span) if span.start - 1 not in ends else None
            if word:
                add("admin-word-outside", span, f"the administrative word {word!r} before it belongs inside the span")
        elif span.label == "CLUSTER":
            m = p["type"].search(before)
            if m and span.start - 1 not in ends:
                add("type-word-outside", span, f"the type word {m.group().strip()!r} before it belongs inside "
                                               "the span")
        else:
            if p["qualifier"].match(span.text):
                add("qualifier-inside", span, "a qualifier stays outside the number's span")
            if not any(ch.isdigit() for ch in span.text):
                add("no-digit", span, f"an {span.label} span needs a digit")
            if span.label == "AREA" and not p["unit"].search(span.text):
                add("no-unit", span, "an AREA span ends with an area unit of the lexicon")
    return out


def lint_documents(docs: Iterable[Document]) -> list[Problem]:
    return [problem for doc in docs for problem in lint_document(doc)]
