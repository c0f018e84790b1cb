"""List structure: the items that continue a list begun by a tagged name, as evidence for a word.

News lists parks and places after one type or administrative word, and the items after the
first often carry neither: ``Nhơn Trạch 1, 2, 3, 5``, ``Phú Mỹ 1, Mỹ Xuân A, Mỹ Xuân A2 và
Cái Mép``, ``quận 1,2,3``, ``Linh Trung 1 và 2``. :func:`list_spans` walks from the end of
every CLUSTER and LOCATION span over list separators (``,`` ``;`` ``và`` ``hoặc``, an
optional bracket before them) and proposes each following item the spans leave untagged,
with the label of the span the list began with: a capitalised name, or, where the item
before it ends in a number, a letter code or a roman numeral, such a code alone (``2``,
``A2``, ``II``). Much of what it proposes is not an entity (``Công ty ...``, a person after
a place): the model reads the proposals as hint types (:mod:`models.hints`, source
``rules+context+lists``) and learns from gold when a list goes on and when it has ended.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from typing import Sequence

from annotations.document import Span

#: the labels whose lists are followed
LIST_LABELS = ("CLUSTER", "LOCATION")
#: most words in one proposed item
MAX_ITEM_WORDS = 6
#: most items proposed after one span
MAX_ITEMS = 12

_SEP = re.compile(r"(?:\s*\([^()\n]{0,60}\))?(?:\s*[,;]\s*(?:(?:và|hoặc)\s+)?|\s+(?:và|hoặc)\s+)")
_WORD = re.compile(r"[^\W_]+")
_DASH = re.compile(r" ?[-–] ?")
#: an item that is a code continuing a numbered list: 2, 10, 2A, A2, B1, II
_CODE = re.compile(r"\d{1,3}[A-Z]?|[A-Z]\d{0,2}|[IVX]{1,4}")


def _is_cap(word: str) -> bool:
    return word[:1].isupper() and word[:1].isalpha()


def _item_end(text: str, pos: int, numbered: bool) -> int:
    """End of the list item starting at ``pos`` (``-1``: none): capitalised words joined by
    single spaces or a dash, numbers and codes after them; a code alone when ``numbered``."""
    m = _WORD.match(text, pos)
    if m is None:
        return -1
    first = m.group()
    if not _is_cap(first) and not (numbered and _CODE.fullmatch(first)):
        return -1
    if _CODE.fullmatch(first) and not first[:1].isalpha() or first.isdigit():
        return m.end()  # a bare number is one item
    end, words = m.end(), 1
    while words < MAX_ITEM_WORDS:
        dash = _DASH.match(text, end)
        gap = " " if text.startswith(" ", end) else (dash.group() if dash else None)
        if gap is None:
            break
        nxt = _WORD.match(text, end + len(gap))
        if nxt is None or not (_is_cap(nxt.group()) or (gap == " " and _CODE.fullmatch(nxt.group()))):
            break
        end, words = nxt.end(), words + 1
    return end


def _ends_in_code(text: str, start: int, end: int) -> bool:
    last = text[start:end].rsplit(" ", 1)[-1]
    return bool(_CODE.fullmatch(last))


def list_spans(text: str, spans: Sequence[Span]) -> list[Span]:
    """Items continuing a list after each CLUSTER or LOCATION span of ``spans`` that no span
    of ``spans`` covers, labelled as the span the list began with (sorted, never overlapping)."""
    ordered = sorted(spans, key=lambda s: (s.start, s.end))
    by_start = {s.start: s for s in ordered}
    ends = [s.end for s in ordered]  # spans never overlap, so their ends are sorted too
    proposed: dict[int, Span] = {}

    def covering(a: int, b: int) -> Span | None:
        """The first span overlapping ``[a, b)``, if any."""
        i = bisect_right(ends, a)
        return ordered[i] if i < len(ordered) and ordered[i].start < b else None

    for span in ordered:
        if span.label not in LIST_LABELS:
            continue
        pos, prev = span.end, (span.start, span.end)
        for _ in range(MAX_ITEMS):
            sep = _SEP.match(text, pos)
            if sep is None:
                break
            start = sep.end()
            if start in by_start:  # the next item is tagged already: follow the list through it
                nxt = by_start[start]
                if nxt.label != span.label:
                    break
                pos, prev = nxt.end, (nxt.start, nxt.end)
                continue
            end = _item_end(text, start, _ends_in_code(text, *prev))
            if end < 0:
                break
            other = covering(start, end)
            if other is not None:
                if other.label != span.label or other.start < start:
                    break
                end = other.start  # an item running into a tagged name stops before it
                if end <= start or not text[start:end].strip():
                    break
                end = start + len(text[start:end].rstrip(" -–"))
            proposed.setdefault(start, Span.from_text(text, start, end, span.label))
            pos, prev = end, (start, end)
    out: list[Span] = []
    for start in sorted(proposed):
        s = proposed[start]
        if not out or out[-1].end <= s.start:
            out.append(s)
    return out
