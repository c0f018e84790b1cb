"""Word segmentation as PhoBERT expects it (``Khu_công_nghiệp Thanh_Bình``), with offsets.

Every segmenter returns :class:`Word` objects over the syllable tokens of
:func:`annotations.syllables.syllable_spans`: a word is one token, or several
letter/digit syllables separated by exactly one space, never crossing a line.
Punctuation is always a word of its own and a syllable token is never split.
A word's ``form`` is built from the text itself (``text[start:end]`` with spaces
turned into ``_``), never from what an external segmenter printed: pyvi and
underthesea rewrite text (tone-mark placement, spacing, ``16ha`` -> ``16 ha``), so
their output is only used to decide which neighbouring syllables to join, after
aligning it to the text character by character on accent-free skeletons.
"""

from __future__ import annotations

import bisect
import difflib
import importlib.util
import re
import time
import unicodedata
from typing import Callable, Iterable, Iterator, NamedTuple, Protocol, Sequence, runtime_checkable

from annotations.syllables import syllable_spans

__all__ = [
    "Word",
    "Segmenter",
    "SyllableSegmenter",
    "PyviSegmenter",
    "UndertheseaSegmenter",
    "get_segmenter",
    "available_segmenters",
    "split_words_at",
    "join_numbers",
    "mark_line_breaks",
    "is_line_mark",
    "LINE_MARK",
    "benchmark_segmenters",
]

_LINE_BREAK = re.compile(r"[\n\r\v\f\x1c-\x1e\x85\u2028\u2029]")
_WORDLIKE = re.compile(r"(?:[^\W_]|[\u0300-\u036f])+")
_SENTENCE_END = frozenset(".!?…;")


class Word(NamedTuple):
    """A word ``[start, end)`` of the text; ``form`` is what the subword tokenizer gets. A named
    tuple (immutable, and four times faster to make than a frozen dataclass: a long article has
    hundreds of thousands)."""

    start: int
    end: int
    form: str


@runtime_checkable
class Segmenter(Protocol):
    name: str

    def segment(self, text: str) -> list[Word]:
        """Words of ``text`` in order, covering every non-space character once."""
        ...


def _word(text: str, start: int, end: int) -> Word:
    return Word(start, end, text[start:end].replace(" ", "_"))


def _lines(text: str) -> Iterator[tuple[int, int]]:
    start = 0
    for m in _LINE_BREAK.finditer(text):
        yield start, m.start()
        start = m.end()
    yield start, len(text)


def _chunks(text: str, sylls: Sequence[tuple[int, int]], max_chars: int) -> Iterator[tuple[int, int]]:
    """Index ranges ``[a, b)`` of ``sylls`` (one line) of at most about ``max_chars`` characters,
    cut after sentence punctuation where possible, else at a space."""
    a, n = 0, len(sylls)
    while a < n:
        base = sylls[a][0]
        b = a
        last_sentence = last_space = None
        while b < n and (b == a or sylls[b][1] - base <= max_chars):
            if b + 1 < n and sylls[b + 1][0] > sylls[b][1]:
                last_space = b + 1
                if text[sylls[b][0]:sylls[b][1]] in _SENTENCE_END:
                    last_sentence = b + 1
            b += 1
        if b < n:
            b = last_sentence or last_space or b
        yield a, b
        a = b


def _key(c: str) -> str:
    """Accent- and case-free skeleton of one character, for alignment."""
    return unicodedata.normalize("NFD", c)[0].lower()


def _skeleton(chars: Iterable[tuple[int, str]]) -> tuple[list[int], str]:
    ids: list[int] = []
    keys: list[str] = []
    for ident, c in chars:
        if c.isspace() or c == "_" or unicodedata.combining(c):
            continue
        ids.append(ident)
        keys.append(_key(c))
    return ids, "".join(keys)


def align_words(src: str, out_words: Sequence[str]) -> list[int | None]:
    """For each character of ``src``, the index of the output word it was aligned to."""
    src_pos, src_keys = _skeleton(enumerate(src))
    out_ids, out_keys = _skeleton((w, c) for w, word in enumerate(out_words) for c in word)
    owner: list[int | None] = [None] * len(src)
    if src_keys == out_keys:
        for p, w in zip(src_pos, out_ids):
            owner[p] = w
        return owner
    matcher = difflib.SequenceMatcher(None, src_keys, out_keys, autojunk=False)
    for i, j, size in matcher.get_matching_blocks():
        for k in range(size):
            owner[src_pos[i + k]] = out_ids[j + k]
    return owner


def _join_words(text: str, sylls: Sequence[tuple[int, int]], joined: Sequence[bool]) -> list[Word]:
    """Words from syllables; ``joined[i]`` says whether syllable i+1 continues syllable i's word."""
    words: list[Word] = []
    start = sylls[0][0] if sylls else 0
    for i, (s, e) in enumerate(sylls):
        if i + 1 < len(sylls) and joined[i]:
            continue
        words.append(_word(text, start, e))
        if i + 1 < len(sylls):
            start = sylls[i + 1][0]
    return words


def _joinable(text: str, left: tuple[int, int], right: tuple[int, int]) -> bool:
    return (right[0] == left[1] + 1 and text[left[1]] == " "
            and _WORDLIKE.fullmatch(text, *left) is not None and _WORDLIKE.fullmatch(text, *right) is not None)


class SyllableSegmenter:
    """Every syllable or punctuation token is a word (no joining, no dependency)."""

    name = "syllable"

    def segment(self, text: str) -> list[Word]:
        _check_text(text)
        return [Word(s, e, text[s:e]) for s, e in syllable_spans(text)]


class _AlignedSegmenter:
    """Joins syllables the way an external segmenter does, keeping the text's own characters."""

    name = ""
    #: longest piece of a line handed to the external segmenter at once
    max_chunk_chars = 1000

    def _words(self, chunk: str) -> list[str]:
        """The external segmenter's words for ``chunk`` (syllables inside joined by ' ' or '_')."""
        raise NotImplementedError

    def segment(self, text: str) -> list[Word]:
        _check_text(text)
        words: list[Word] = []
        for line_start, line_end in _lines(text):
            sylls = [(s + line_start, e + line_start) for s, e in syllable_spans(text[line_start:line_end])]
            for a, b in _chunks(text, sylls, self.max_chunk_chars):
                part = sylls[a:b]
                words.extend(_join_words(text, part, self._joins(text, part)))
        return words

    def _joins(self, text: str, sylls: Sequence[tuple[int, int]]) -> list[bool]:
        candidates = [_joinable(text, sylls[i], sylls[i + 1]) for i in range(len(sylls) - 1)]
        if not any(candidates):
            return candidates
        base, end = sylls[0][0], sylls[-1][1]
        owner = align_words(text[base:end], self._words(text[base:end]))

        def edge(span: tuple[int, int], last: bool) -> int | None:
            rng = range(span[1] - 1, span[0] - 1, -1) if last else range(span[0], span[1])
            return next((owner[p - base] for p in rng if owner[p - base] is not None), None)

        joins = []
        for i, ok in enumerate(candidates):
            if ok:
                left, right = edge(sylls[i], last=True), edge(sylls[i + 1], last=False)
                ok = left is not None and left == right
            joins.append(ok)
        return joins


class PyviSegmenter(_AlignedSegmenter):
    """pyvi's ViTokenizer (CRF; MIT licence)."""

    name = "pyvi"

    def __init__(self) -> None:
        self._tokenize: Callable[[str], str] | None = None

    def _words(self, chunk: str) -> list[str]:
        if self._tokenize is None:
            self._tokenize = _import("pyvi.ViTokenizer", "pyvi").ViTokenizer.tokenize
        return self._tokenize(chunk).split()


class UndertheseaSegmenter(_AlignedSegmenter):
    """underthesea.word_tokenize (CRF). Optional: never the default."""

    name = "underthesea"

    def __init__(self) -> None:
        self._tokenize: Callable[[str], list[str]] | None = None

    def _words(self, chunk: str) -> list[str]:
        if self._tokenize is None:
            self._tokenize = _import("underthesea", "underthesea").word_tokenize
        return list(self._tokenize(chunk))


def _import(module: str, package: str):
    from annotations.extras import require

    return require(module, "phobert" if package == "pyvi" else package, f"the segmenter {package!r}")


def _check_text(text: str) -> None:
    if not isinstance(text, str):
        raise TypeError(f"segment() needs a str, got {type(text).__name__}")


_SEGMENTERS: dict[str, tuple[type, str | None]] = {
    "syllable": (SyllableSegmenter, None),
    "pyvi": (PyviSegmenter, "pyvi"),
    "underthesea": (UndertheseaSegmenter, "underthesea"),
}


def available_segmenters() -> list[str]:
    """Names of the segmenters whose dependencies are installed."""
    return [name for name, (_, pkg) in _SEGMENTERS.items()
            if pkg is None or importlib.util.find_spec(pkg) is not None]


def get_segmenter(name: str) -> Segmenter:
    """A new segmenter by name (see :func:`available_segmenters`)."""
    if name not in _SEGMENTERS:
        raise ValueError(f"unknown segmenter {name!r}; known: {', '.join(_SEGMENTERS)}")
    cls, pkg = _SEGMENTERS[name]
    if pkg is not None and importlib.util.find_spec(pkg) is None:
        _import(pkg, pkg)  # raises MissingExtra, naming the extra to install
    return cls()


def split_words_at(words: Sequence[Word], boundaries: Iterable[int], *,
                   text: str | None = None) -> tuple[list[Word], int]:
    """Split every word that a boundary (a span start or end) falls strictly inside, so
    that every boundary becomes a word edge. Returns the new words and how many words
    were split. A cut at a syllable gap drops the gap's space; a cut inside a syllable
    (``16|ha``) splits the characters. Piece forms come from ``text`` when given, else
    from the word's form (``_`` marks the gaps).
    """
    cuts = sorted(set(boundaries))
    if not cuts:  # inference: nothing to split
        return list(words), 0
    out: list[Word] = []
    n_split = 0
    for w in words:
        lo = bisect.bisect_right(cuts, w.start)
        if lo == len(cuts) or cuts[lo] >= w.end:
            out.append(w)
            continue
        surface = text[w.start:w.end] if text is not None else w.form.replace("_", " ")
        if len(surface) != w.end - w.start or (text is not None and surface.replace(" ", "_") != w.form):
            raise ValueError(f"word {w} does not match its text {surface!r}")
        inner = cuts[lo:bisect.bisect_left(cuts, w.end)]
        n_split += 1
        start = w.start
        for cut in inner + [w.end]:
            piece = surface[start - w.start:cut - w.start].strip(" ")
            if piece:
                offset = start + (len(surface[start - w.start:cut - w.start]) -
                                  len(surface[start - w.start:cut - w.start].lstrip(" ")))
                out.append(Word(offset, offset + len(piece), piece.replace(" ", "_")))
            start = cut
    return out, n_split


_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
#: form of the pseudo-word that stands for a line break (see :func:`mark_line_breaks`)
LINE_MARK = "\u00b6"


def join_numbers(words: Sequence[Word], text: str) -> list[Word]:
    """Words with every number whole and apart from its unit: ``1 . 156 , 77`` (one
    token each in the syllable segmentation) becomes ``1.156,77``, and ``4ha`` becomes
    ``4`` + ``ha``. A ``.`` or ``,`` between digits then never stands as a word, so it
    cannot be mistaken for sentence punctuation. Offsets stay exact; words that are
    not digits, ``.`` or ``,`` glued without spaces are kept as they are."""
    out: list[Word] = []
    i, n = 0, len(words)
    while i < n:
        w = words[i]
        m = _NUMBER.match(text, w.start, w.end) if text[w.start:w.start + 1].isdigit() else None
        if m is None:
            out.append(w)
            i += 1
            continue
        # Extend over "<sep><digits...>" words glued to the number (syllable segmentation).
        end, j = m.end(), i
        if end == w.end:
            while (j + 2 < n and words[j + 1].start == end and words[j + 1].end == end + 1
                   and text[end] in ".," and words[j + 2].start == end + 1):
                m2 = _NUMBER.match(text, words[j + 2].start, words[j + 2].end)
                if m2 is None or m2.start() != words[j + 2].start:
                    break
                end = m2.end()
                j += 2
                if end != words[j].end:
                    break
        out.append(Word(w.start, end, text[w.start:end]))
        last = words[j]
        if end < last.end:  # digits glued to letters: "4ha" -> "4", "ha"
            out.append(Word(end, last.end, text[end:last.end].replace(" ", "_")))
        i = j + 1
    return out


def mark_line_breaks(words: Sequence[Word], text: str) -> list[Word]:
    """``words`` with a pseudo-word (form :data:`LINE_MARK`, over the first character of
    the break) wherever a line break separates two words, so a model sees where titles,
    captions and page furniture begin and end. It never joins a span; see
    :func:`is_line_mark`."""
    out: list[Word] = []
    prev_end: int | None = None
    for w in words:
        if prev_end is not None and w.start - prev_end > (text[prev_end:prev_end + 1] == " "):
            m = _LINE_BREAK.search(text, prev_end, w.start)  # only a gap other than one space can hold a break
            if m is not None:
                out.append(Word(m.start(), m.start() + 1, LINE_MARK))
        out.append(w)
        prev_end = w.end
    return out


def is_line_mark(text: str, word: Word) -> bool:
    """Whether ``word`` is a pseudo-word made by :func:`mark_line_breaks`."""
    return word.form == LINE_MARK and word.end - word.start == 1 and _LINE_BREAK.match(text, word.start) is not None


def benchmark_segmenters(texts: Sequence[str], names: Iterable[str] | None = None,
                         repeat: int = 3) -> dict[str, dict[str, float]]:
    """Speed of each segmenter on ``texts`` (best of ``repeat``; loading excluded).

    Returns ``{name: {"chars_per_s", "seconds", "chars", "words"}}``.
    """
    chars = sum(len(t) for t in texts)
    results: dict[str, dict[str, float]] = {}
    for name in (available_segmenters() if names is None else names):
        seg = get_segmenter(name)
        seg.segment("Khu công nghiệp Thanh Bình.")  # load models outside the timing
        best = float("inf")
        n_words = 0
        for _ in range(max(1, repeat)):
            t0 = time.perf_counter()
            n_words = sum(len(seg.segment(t)) for t in texts)
            best = min(best, time.perf_counter() - t0)
        results[name] = {"chars_per_s": chars / best if best > 0 else float("inf"),
                         "seconds": best, "chars": chars, "words": n_words}
    return results


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m models.segment [FILE...]``: segmenter speed on the given texts
    (default: annotations/articles/*.txt)."""
    import argparse
    from pathlib import Path

    parser = argparse.ArgumentParser(prog="python -m models.segment", description=main.__doc__)
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--show", choices=list(_SEGMENTERS), help="print the segmented first file instead")
    args = parser.parse_args(argv)
    files = args.files or sorted((Path(__file__).resolve().parent.parent / "annotations" / "articles").glob("*.txt"))
    if not files:
        parser.error("no input files")
    texts = [unicodedata.normalize("NFC", f.read_text(encoding="utf-8")) for f in files]
    if args.show:
        print(" ".join(w.form for w in get_segmenter(args.show).segment(texts[0])))
        return 0
    print(f"{'segmenter':<12} {'chars/s':>12} {'seconds':>9} {'words':>8}  ({sum(map(len, texts))} chars, "
          f"{len(texts)} files)")
    for name, r in benchmark_segmenters(texts, repeat=args.repeat).items():
        print(f"{name:<12} {r['chars_per_s']:>12,.0f} {r['seconds']:>9.3f} {int(r['words']):>8}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
