"""Syllable tokenisation: the segmenter-independent unit of BIO conversion and seqeval.

A syllable is a maximal run of letters, digits and combining marks (so decomposed
NFD text stays whole); every other non-space character is a token of its own.
Offsets are code-point indices into the original string.
"""

from __future__ import annotations

import re
from functools import lru_cache

_SYLLABLE = re.compile(r"(?:[^\W_]|[\u0300-\u036f])+|\S")


def syllable_spans(text: str) -> list[tuple[int, int]]:
    """``[(start, end), ...]`` of every syllable or punctuation token in ``text`` (a fresh list;
    the spans of the last few texts are cached: segmenting, the rules and the known units each
    read the syllables of the same article)."""
    return list(_syllable_spans(text))


@lru_cache(maxsize=8)
def _syllable_spans(text: str) -> tuple[tuple[int, int], ...]:
    return tuple(m.span() for m in _SYLLABLE.finditer(text))
