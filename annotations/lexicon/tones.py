"""Tone-mark placement: the old style puts the tone of a final ``oa``, ``oe`` or ``uy`` on the
first vowel (``hòa``, ``thủy``), the new style on the last (``hoà``, ``thuỷ``). News uses both,
often in one article; names must match in either.
"""

from __future__ import annotations

import re
from functools import lru_cache


def _old_to_new() -> dict[str, str]:
    out = {}
    for base, marked in (("o", "òóỏõọ"), ("u", "ùúủũụ")):
        for i, ch in enumerate(marked):
            for second, tones in (("a", "àáảãạ"), ("e", "èéẻẽẹ"), ("y", "ỳýỷỹỵ")):
                if (base, second) in (("o", "y"), ("u", "a"), ("u", "e")):
                    continue
                out[ch + second] = base + tones[i]
                out[ch.upper() + second] = base.upper() + tones[i]
    return out


#: old-style final (``òa``, ``Thủy``'s ``ủy``) -> new-style final (``oà``, ``uỷ``), lower and capitalised
OLD_TO_NEW: dict[str, str] = _old_to_new()


@lru_cache(maxsize=1)
def _final_old() -> re.Pattern:
    return re.compile(r"(?<![qQ])(" + "|".join(map(re.escape, OLD_TO_NEW)) + r")(?![^\W\d_])")


def tone_new_style(text: str) -> str:
    """``text`` with the tone of every word-final ``oa/oe/uy`` moved to the last vowel
    (``hòa`` -> ``hoà``; ``qua``, ``quý`` untouched). The length never changes."""
    return _final_old().sub(lambda m: OLD_TO_NEW[m.group(1)], text)


def tone_variants(name: str) -> set[str]:
    """``name`` in every mix of the two placements, word by word final (Hòa Bình, Hoà Bình)."""
    out = {name}
    for old, new in OLD_TO_NEW.items():
        for a, b in ((old, new), (new, old)):
            out |= {re.sub(rf"{a}(?![\w])", b, n) for n in out}
    return out
