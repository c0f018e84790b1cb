"""Characters a tagger must see through, removed or replaced with an exact offset map.

News text arrives with what web pages and word processors leave in it. Before NFC
normalisation (:mod:`models.normalize`) the tagger reads a cleaned copy:

- **replaced, one character for one**: no-break and other Unicode spaces -> ``" "``; control
  characters other than tab and line breaks -> ``" "``; lone surrogates -> U+FFFD; HTML tags
  (``<b>``, ``</p>``, ``<br/>``) -> as many spaces as they have characters;
- **removed**: zero-width space, non-joiner and joiner, word joiner, byte-order mark, soft
  hyphen (``Tân\\u200bTạo`` reads ``TânTạo``, ``1\\u200b6 ha`` reads ``16 ha``);
- **decoded**: HTML character references (``&acirc;``, ``&#226;``, ``&nbsp;``) -> the character.

Spans found in the cleaned copy map back to the caller's text, so ``text[start:end]`` of a
span holds whatever invisible characters were inside the name. Text that looks like
mojibake (UTF-8 read as Latin-1 or cp1252: ``TÃ¢n``) is reported by :func:`looks_like_mojibake`.
"""

from __future__ import annotations

import html
import re
from array import array
from functools import lru_cache
from typing import Sequence

from annotations.characters import INVISIBLE as REMOVED, SPACES

_CONTROLS = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f"


@lru_cache(maxsize=1)
def _pattern() -> re.Pattern[str]:
    return re.compile(
        rf"(?P<removed>[{REMOVED}]+)|(?P<space>[{SPACES}{_CONTROLS}])|(?P<surrogate>[\ud800-\udfff])"
        r"|(?P<tag></?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]{0,300})?/?>)"
        r"|(?P<entity>&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});)")


_MOJIBAKE = re.compile(r"Ã[\u0080-\u00bf¡-¿]|á»|áº|Ä‘|Æ°|Ä[ƒ\u0083]")


def looks_like_mojibake(text: str) -> bool:
    """Whether ``text`` holds the marks of UTF-8 decoded as Latin-1 or cp1252 (``Ã¢``, ``á»``, ``Ä‘``)."""
    return len(_MOJIBAKE.findall(text[:20000])) >= 2


class CleanedText:
    """``text``: ``original`` cleaned (see the module docstring), with maps between the two.

    ``c2o_start[k]`` / ``c2o_end[k]``: original offset of cleaned offset ``k`` used as a span's
    start / end (a removed character falls outside either); ``o2c_start`` / ``o2c_end`` the other
    way (an offset inside a decoded reference rounds outwards)."""

    __slots__ = ("original", "text", "c2o_start", "c2o_end", "o2c_start", "o2c_end")

    def __init__(self, original: str, text: str, c2o_start: Sequence[int], c2o_end: Sequence[int],
                 o2c_start: Sequence[int], o2c_end: Sequence[int]) -> None:
        self.original, self.text = original, text
        self.c2o_start, self.c2o_end, self.o2c_start, self.o2c_end = c2o_start, c2o_end, o2c_start, o2c_end


def clean(original: str) -> CleanedText | None:
    """The cleaned copy of ``original`` with its maps, or None when nothing needs cleaning
    (the common case, one regex search). Linear in the length of the text."""
    if _pattern().search(original) is None:
        return None
    parts: list[str] = []
    # the maps are arrays of 8-byte integers: a list holds a 28-byte int object per entry,
    # and a 10 MB article has four maps of ten million entries
    starts = array("q")  # per cleaned character: its original start ...
    ends = array("q", [0])  # ... and end (the cleaned text's offset 0 as an end: 0)
    o2c_s = array("q")  # per original offset: the cleaned offset as a start (rounded left) ...
    o2c_e = array("q")  # ... and as an end (rounded right)
    done = 0  # original characters handled

    def same_length(start: int, end: int, new: str) -> None:
        n = len(starts)
        parts.append(new)
        starts.extend(range(start, end))
        ends.extend(range(start + 1, end + 1))
        o2c_s.extend(range(n, n + end - start))
        o2c_e.extend(range(n, n + end - start))

    for m in _pattern().finditer(original):
        if m.start() > done:
            same_length(done, m.start(), original[done:m.start()])
        kind, s, a, b = m.lastgroup, m.group(), m.start(), m.end()
        n = len(starts)
        decoded = html.unescape(s) if kind == "entity" else None
        if kind == "removed":  # both sides of the gap meet at the next kept character
            o2c_s.extend([n] * (b - a))
            o2c_e.extend([n] * (b - a))
        elif kind == "space":
            same_length(a, b, " ")
        elif kind == "surrogate":
            same_length(a, b, "\ufffd")
        elif kind == "tag":
            same_length(a, b, " " * (b - a))
        elif decoded == s or len(decoded) != 1:
            same_length(a, b, s)  # not a reference html knows: left as written
        else:  # one character for the reference: offsets inside it round outwards
            parts.append(" " if decoded in SPACES else decoded)
            starts.append(a)
            ends.append(b)
            o2c_s.extend([n] * (b - a))
            o2c_e.append(n)
            o2c_e.extend([n + 1] * (b - a - 1))
        done = b
    if done < len(original):
        same_length(done, len(original), original[done:])
    text = "".join(parts)
    o2c_s.append(len(text))
    o2c_e.append(len(text))
    starts.append(len(original))
    return CleanedText(original, text, starts, ends, o2c_s, o2c_e)
