"""Document memory: what the rules found elsewhere in the same article, as evidence for a word.

News names a park or a place once in full (``Khu công nghiệp Yên Phong``, ``xã Minh Sơn``)
and then bare, several times (``Yên Phong``, ``Minh Sơn``). A window of 128 tokens often
holds the bare mention without the full one. :func:`memory_spans` finds, for every CLUSTER
and LOCATION span of a document, the span's text and its name without the type or
administrative word, and marks their other occurrences in the whole document that no span covers. The model reads
them as extra hint types (:mod:`models.hints`, source ``rules+context``, and ``rules+context+lists`` with :mod:`models.lists`) and learns from
gold when a remembered name is the entity again and when it is something else (``Yên
Phong`` the district, a person called ``Minh Sơn``).
"""

from __future__ import annotations

import re
from typing import Iterable, Sequence

from annotations.document import Span

from annotations.lexicon import vocabulary as v

#: the labels whose names are remembered across the document
MEMORY_LABELS = ("CLUSTER", "LOCATION")
#: shortest remembered name, in characters (one-syllable names such as "Mỹ" are the rules' job)
MIN_NAME_CHARS = 3

_DASHED = "|".join(rf"{re.escape(a)}\s*[-–]\s*{re.escape(b)}" for a, b in v.CLUSTER_TYPE_DASHED)
_CLUSTER_HEAD = re.compile(
    rf"(?i:{_DASHED}|{v.alternation(v.CLUSTER_TYPE_WORDS + v.CLUSTER_TYPE_ABBREVIATIONS)})(?:\s*\([^()]{{1,12}}\))?\s+")
_ADMIN_HEAD = re.compile(
    rf"(?i:{v.alternation(v.ADMIN_WORDS + v.FEATURE_WORDS + v.CITY_ABBREVIATIONS + v.ADMIN_ABBREVIATIONS + ('TX',))})\s*")


def bare_name(text: str, span: Span) -> tuple[int, int] | None:
    """Offsets of ``span``'s name without its leading type or administrative word, or None
    when nothing worth remembering is left (no capitalised name of ``MIN_NAME_CHARS``)."""
    head = _CLUSTER_HEAD if span.label == "CLUSTER" else _ADMIN_HEAD
    m = head.match(text, span.start, span.end)
    start = m.end() if m else span.start
    name = text[start:span.end]
    if len(name) < MIN_NAME_CHARS or not name[:1].isupper() or not name[:1].isalpha():
        return None
    return start, span.end


def remembered_names(text: str, spans: Iterable[Span]) -> dict[str, str]:
    """Name -> label for the CLUSTER and LOCATION spans of a document, each span as it
    stands and its bare name; a name that two labels claim is dropped (the document is
    ambiguous about it)."""
    names: dict[str, str] = {}
    ambiguous: set[str] = set()
    for span in spans:
        if span.label not in MEMORY_LABELS:
            continue
        edges = bare_name(text, span)
        forms = {text[span.start:span.end]} | ({text[edges[0]:edges[1]]} if edges else set())
        for name in forms:
            if len(name) < MIN_NAME_CHARS:
                continue
            if names.get(name, span.label) != span.label:
                ambiguous.add(name)
            names[name] = span.label
    return {n: label for n, label in names.items() if n not in ambiguous}


def memory_spans(text: str, spans: Sequence[Span]) -> list[Span]:
    """Occurrences, outside every span of ``spans``, of names that ``spans`` gave elsewhere
    in ``text`` (longest name first, whole words only, never overlapping each other)."""
    names = remembered_names(text, spans)
    if not names:
        return []
    pattern = re.compile(r"(?<!\w)(?:" + "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
                         + r")(?!\w)")
    covered = sorted((s.start, s.end) for s in spans)
    out: list[Span] = []
    k = 0
    for m in pattern.finditer(text):
        while k < len(covered) and covered[k][1] <= m.start():
            k += 1
        if k < len(covered) and covered[k][0] < m.end():
            continue  # inside or across a span: the rules already decided there
        out.append(Span.from_text(text, m.start(), m.end(), names[m.group()]))
    return out
