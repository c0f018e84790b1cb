"""NFC normalisation with an exact offset map back to the caller's text.

Invisible and markup characters are first cleaned away (:mod:`models.clean`: no-break
spaces, zero-width characters, soft hyphens, HTML tags and references, lone surrogates);
the maps lead through both steps to the caller's offsets.

The text is cut into chunks that normalise independently: a chunk is a stable
starter (canonical combining class 0, NFC quick-check Yes, not able to compose
with what precedes it) followed by the run of unstable characters after it.
Text outside such chunks is copied as is. Inside a chunk, positions where the
chunk can be cut without changing its NFC form are exact too (``"-"`` + a lone
combining mark, say); other inner positions map outwards (a start to the left,
an end to the right), so a mapped span always covers the characters it came from.
"""

from __future__ import annotations

import re
import unicodedata
from array import array
from dataclasses import replace
from functools import lru_cache
from typing import Iterable, TypeVar

from .clean import clean

__all__ = ["NormalizedText", "normalize"]

#: chunks longer than this get no inner cut points (keeps pathological runs of
#: combining marks linear; they are one syllable anyway).
_MAX_INNER = 64

S = TypeVar("S")


@lru_cache(maxsize=1)
def _unstable_run() -> re.Pattern[str]:
    """Regex matching runs of characters that cannot start an independent NFC chunk."""
    decomposable: list[str] = []
    combining: list[int] = []
    for cp in range(0x110000):
        c = chr(cp)
        if unicodedata.combining(c):
            combining.append(cp)
        elif unicodedata.decomposition(c):
            decomposable.append(c)
    unstable = set(combining)
    # characters that may compose with a preceding starter (NFC_QC = Maybe)
    unstable.update(range(0x1161, 0x1176))  # Hangul medial vowels
    unstable.update(range(0x11A8, 0x11C3))  # Hangul final consonants
    for c in decomposable:
        mapping = unicodedata.decomposition(c)
        if mapping.startswith("<"):
            continue
        parts = [int(p, 16) for p in mapping.split()]
        if len(parts) == 2 and unicodedata.normalize("NFC", c) == c:
            unstable.add(parts[1])
    for c in decomposable:
        nfd = unicodedata.normalize("NFD", c)
        if unicodedata.normalize("NFC", c) != c or unicodedata.combining(nfd[0]) or ord(nfd[0]) in unstable:
            unstable.add(ord(c))
    ranges: list[str] = []
    cps = sorted(unstable)
    i = 0
    while i < len(cps):
        j = i
        while j + 1 < len(cps) and cps[j + 1] == cps[j] + 1:
            j += 1
        lo, hi = re.escape(chr(cps[i])), re.escape(chr(cps[j]))
        ranges.append(lo if i == j else f"{lo}-{hi}")
        i = j + 1
    return re.compile("[" + "".join(ranges) + "]+")


def _nfc(s: str) -> str:
    return unicodedata.normalize("NFC", s)


def _inner_cuts(chunk: str, normalized: str) -> list[tuple[int, int]]:
    """``[(orig_pos, norm_pos), ...]`` where ``chunk`` may be cut exactly, ends included."""
    cuts = [(0, 0)]
    if 1 < len(normalized) and len(chunk) <= _MAX_INNER:
        j0, n0, rest = 0, 0, normalized
        for j in range(j0 + 1, len(chunk)):
            left, right = _nfc(chunk[j0:j]), _nfc(chunk[j:])
            if left + right == rest:
                n0 += len(left)
                cuts.append((j, n0))
                j0, rest = j, right
    cuts.append((len(chunk), len(normalized)))
    return cuts


class NormalizedText:
    """The NFC form ``text`` of ``original`` with position maps between the two."""

    __slots__ = ("original", "text", "_n2o_start", "_n2o_end", "_o2n_start", "_o2n_end", "_nfc_exact")

    def __init__(self, original: str):
        if not isinstance(original, str):
            raise TypeError(f"normalize() needs a str, got {type(original).__name__}")
        self.original = original
        self._n2o_start: array | None = None
        self._n2o_end: array | None = None
        self._o2n_start: array | None = None
        self._o2n_end: array | None = None
        self._nfc_exact: tuple[array, array] | None = None
        cleaned = clean(original)
        base = cleaned.text if cleaned else original
        if unicodedata.is_normalized("NFC", base):
            self.text = base
        else:
            self._build(base)
            self._nfc_exact = (self._n2o_start, self._n2o_end)
        if cleaned:
            self._compose(cleaned)

    def _compose(self, c) -> None:
        """Maps of the NFC text over the cleaned text, composed with the cleaning's maps, so
        that they lead to the caller's text; exactness stays that of NFC."""
        n = len(self.text)
        n2c_s = self._n2o_start if self._n2o_start is not None else range(n + 1)
        n2c_e = self._n2o_end if self._n2o_end is not None else range(n + 1)
        c2n_s = self._o2n_start if self._o2n_start is not None else range(len(c.text) + 1)
        c2n_e = self._o2n_end if self._o2n_end is not None else range(len(c.text) + 1)
        self._n2o_start = array("q", map(c.c2o_start.__getitem__, n2c_s))
        self._n2o_end = array("q", map(c.c2o_end.__getitem__, n2c_e))
        self._o2n_start = array("q", map(c2n_s.__getitem__, c.o2c_start))
        self._o2n_end = array("q", map(c2n_e.__getitem__, c.o2c_end))

    def _build(self, orig: str) -> None:
        parts: list[str] = []
        # arrays of 8-byte integers, not lists of int objects (see models.clean)
        n2o_s, n2o_e, o2n_s, o2n_e = array("q"), array("q"), array("q"), array("q")
        o_done = n_done = 0  # positions copied so far (exclusive ends)

        def copy_to(o_end: int) -> None:
            nonlocal o_done, n_done
            if o_end <= o_done:
                return
            length = o_end - o_done
            parts.append(orig[o_done:o_end])
            n2o_s.extend(range(o_done, o_end))
            n2o_e.extend(range(o_done, o_end))
            o2n_s.extend(range(n_done, n_done + length))
            o2n_e.extend(range(n_done, n_done + length))
            o_done, n_done = o_end, n_done + length

        for m in _unstable_run().finditer(orig):
            start = max(m.start() - 1, o_done)
            chunk = orig[start:m.end()]
            normalized = _nfc(chunk)
            if normalized == chunk:
                continue  # copied with the surrounding text
            copy_to(start)
            cuts = _inner_cuts(chunk, normalized)
            for (oa, na), (ob, nb) in zip(cuts, cuts[1:]):
                n2o_s.append(start + oa)
                n2o_s.extend([start + oa] * (nb - na - 1))
                n2o_e.append(start + oa)
                n2o_e.extend([start + ob] * (nb - na - 1))
                o2n_s.append(n_done + na)
                o2n_s.extend([n_done + na] * (ob - oa - 1))
                o2n_e.append(n_done + na)
                o2n_e.extend([n_done + nb] * (ob - oa - 1))
            parts.append(normalized)
            o_done, n_done = m.end(), n_done + len(normalized)
        copy_to(len(orig))
        n2o_s.append(len(orig))
        n2o_e.append(len(orig))
        o2n_s.append(n_done)
        o2n_e.append(n_done)
        self.text = "".join(parts)
        self._n2o_start, self._n2o_end, self._o2n_start, self._o2n_end = n2o_s, n2o_e, o2n_s, o2n_e

    @property
    def changed(self) -> bool:
        """Whether normalisation changed anything (otherwise every map is the identity)."""
        return self._n2o_start is not None

    @staticmethod
    def _check(i: int, length: int) -> None:
        if not 0 <= i <= length:
            raise IndexError(f"offset {i} outside [0, {length}]")

    def to_original_start(self, i: int) -> int:
        """Original offset of a span start at NFC offset ``i`` (rounded left inside a chunk)."""
        self._check(i, len(self.text))
        return i if self._n2o_start is None else self._n2o_start[i]

    def to_original_end(self, i: int) -> int:
        """Original offset of a span end at NFC offset ``i`` (rounded right inside a chunk)."""
        self._check(i, len(self.text))
        return i if self._n2o_end is None else self._n2o_end[i]

    def to_normalized(self, i: int) -> int:
        """NFC offset of original offset ``i`` (rounded left inside a chunk)."""
        self._check(i, len(self.original))
        return i if self._o2n_start is None else self._o2n_start[i]

    def to_normalized_end(self, i: int) -> int:
        """NFC offset of original offset ``i`` used as a span end (rounded right inside a chunk)."""
        self._check(i, len(self.original))
        return i if self._o2n_end is None else self._o2n_end[i]

    def is_exact(self, i: int) -> bool:
        """Whether NFC offset ``i`` is a cut of the NFC form that any span may start or end at
        (inside a composed chunk it is not). A removed invisible character makes the start
        and end maps differ by it without making the cut inexact."""
        self._check(i, len(self.text))
        return self._nfc_exact is None or self._nfc_exact[0][i] == self._nfc_exact[1][i]

    def span_to_original(self, start: int, end: int) -> tuple[int, int]:
        """``(start, end)`` in the original text of the NFC span ``[start, end)``."""
        if start > end:
            raise ValueError(f"span start {start} after end {end}")
        return self.to_original_start(start), self.to_original_end(end)

    def spans_to_original(self, spans: Iterable[S]) -> list[S]:
        """``spans`` (anything with ``start``, ``end`` and ``text``, a :class:`~annotations.document.Span`)
        of the normalised text as spans of the original: each start mapped to the left, each end
        to the right (:meth:`span_to_original`), ``text`` sliced from the original."""
        if not self.changed:
            return list(spans)
        out = []
        for span in spans:
            start, end = self.span_to_original(span.start, span.end)
            out.append(replace(span, start=start, end=end, text=self.original[start:end]))
        return out

    def __repr__(self) -> str:
        return f"NormalizedText(len_original={len(self.original)}, len_text={len(self.text)}, changed={self.changed})"


def normalize(text: str) -> NormalizedText:
    """NFC-normalise ``text``, keeping an exact map to its offsets (linear time)."""
    return NormalizedText(text)
