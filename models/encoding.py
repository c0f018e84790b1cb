"""Subword encoding of segmented words, with a hand-built word <-> subword alignment.

PhoBERT's tokenizer is Python-only (no offset mapping, no ``word_ids``), so words are
tokenized one at a time (:class:`WordPieceEncoder`, works with any slow or fast HF
tokenizer) and packed into overlapping windows of at most ``max_length`` tokens
(:func:`make_windows`). Per-word predictions are read back from the window where the
word has the most context (:func:`merge_windows`). :func:`encode_document` ties it
together from raw text (NFC normalisation, segmentation, splitting at gold boundaries).
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from typing import Any, Iterable, Sequence


from .normalize import NormalizedText, normalize
from .segment import Segmenter, Word, mark_line_breaks, split_words_at
from .segment import join_numbers as _join_numbers

__all__ = [
    "WordPieceEncoder",
    "Window",
    "EncodedDocument",
    "make_windows",
    "merge_windows",
    "encode_document",
]


class WordPieceEncoder:
    """Token ids of one word at a time, cached per distinct form."""

    def __init__(self, tokenizer: Any):
        self.tokenizer = tokenizer
        self.cls_id: int = _first_id(tokenizer, "cls_token_id", "bos_token_id")
        self.sep_id: int = _first_id(tokenizer, "sep_token_id", "eos_token_id")
        self.pad_id: int | None = getattr(tokenizer, "pad_token_id", None)
        self.unk_id: int | None = getattr(tokenizer, "unk_token_id", None)
        self._cache: dict[str, tuple[int, ...]] = {}

    def pieces(self, form: str) -> list[int]:
        """Token ids of the word ``form`` (never empty: ``[unk_id]`` if it tokenizes to nothing)."""
        return list(self._pieces(form))

    def _pieces(self, form: str) -> tuple[int, ...]:
        ids = self._cache.get(form)
        if ids is None:
            if not isinstance(form, str):
                raise TypeError(f"a word form is a str, got {type(form).__name__}")
            ids = tuple(self.tokenizer.encode(form, add_special_tokens=False))
            if not ids:
                if self.unk_id is None:
                    raise ValueError(f"{form!r} tokenizes to nothing and the tokenizer has no unk token")
                ids = (self.unk_id,)
            self._cache[form] = ids
        return ids

    @property
    def cached_forms(self) -> int:
        return len(self._cache)


def _first_id(tokenizer: Any, *attrs: str) -> int:
    for attr in attrs:
        value = getattr(tokenizer, attr, None)
        if value is not None:
            return int(value)
    raise ValueError(f"tokenizer {type(tokenizer).__name__} has none of {', '.join(attrs)}")


@dataclass
class Window:
    """One model input: ``[cls] pieces... [sep]``."""

    input_ids: list[int]
    #: per token, the index of its word in the document (None for cls/sep), like HF's word_ids()
    word_ids: list[int | None]
    #: per token, whether it is the first piece of its word
    first_subword: list[bool]
    #: words [word_start, word_end) are wholly inside this window
    word_start: int
    word_end: int
    #: per token, its word's rule hint (:mod:`models.hints`); None when the model reads none
    token_type_ids: list[int] | None = None


def make_windows(word_pieces: Sequence[Sequence[int]], *, max_length: int = 256, stride: int,
                 cls_id: int, sep_id: int) -> list[Window]:
    """Pack words into windows of at most ``max_length`` tokens (specials included).

    Windows are filled greedily, start and end on word boundaries, and consecutive
    windows share at least ``stride`` tokens of whole words where the word lengths allow
    it (less only where the next word would not fit otherwise). Nothing is dropped.
    A word with more pieces than fit in one window (``max_length - 2``) gets windows of
    its own, its pieces split across them in order: the only case where a window
    starts or ends inside a word; its first piece (the one predictions are read from)
    is in the first of them, and none of them counts the word as wholly inside.
    """
    budget = max_length - 2
    if budget < 1:
        raise ValueError(f"max_length must be at least 3 (cls + sep + one token), got {max_length}")
    if not 0 <= stride < budget:
        raise ValueError(f"stride must be in [0, max_length - 2 = {budget}), got {stride}")
    lens = [len(p) for p in word_pieces]
    for i, n in enumerate(lens):
        if n == 0:
            raise ValueError(f"word {i} has no pieces")
    prefix = [0]
    for n in lens:
        prefix.append(prefix[-1] + n)
    windows: list[Window] = []
    s, n_words = 0, len(lens)
    while s < n_words:
        if lens[s] > budget:
            windows.extend(_split_word(s, word_pieces[s], budget, cls_id, sep_id))
            s += 1
            continue
        e = bisect.bisect_right(prefix, prefix[s] + budget) - 1  # greedy: as many words as fit
        windows.append(_window(word_pieces, s, e, cls_id, sep_id))
        if e == n_words or lens[e] > budget:
            s = e
            continue
        overlap_start = bisect.bisect_right(prefix, prefix[e] - stride) - 1  # >= stride tokens shared
        fits_next = bisect.bisect_left(prefix, prefix[e + 1] - budget)  # next window must hold word e
        s = max(overlap_start, fits_next, s + 1)
    return windows


def _window(word_pieces: Sequence[Sequence[int]], s: int, e: int, cls_id: int, sep_id: int) -> Window:
    ids, word_ids, first = [cls_id], [None], [False]
    for i in range(s, e):
        p = word_pieces[i]
        ids.extend(p)
        word_ids.extend([i] * len(p))
        first.append(True)
        first.extend([False] * (len(p) - 1))
    ids.append(sep_id)
    word_ids.append(None)
    first.append(False)
    return Window(ids, word_ids, first, s, e)


def _split_word(i: int, pieces: Sequence[int], budget: int, cls_id: int, sep_id: int) -> list[Window]:
    out = []
    for k in range(0, len(pieces), budget):
        part = list(pieces[k:k + budget])
        out.append(Window([cls_id] + part + [sep_id], [None] + [i] * len(part) + [None],
                          [False, k == 0] + [False] * len(part), i, i))
    return out


def merge_windows(windows: Sequence[Window], per_window_scores: Sequence[Any], n_words: int) -> list[Any]:
    """One prediction per word: the first-subword row of ``per_window_scores[k]`` (rows indexed
    by token position; padding rows past the window are ignored) from the window where the
    word has the most context, i.e. the largest min(tokens before it, tokens after it)."""
    if len(windows) != len(per_window_scores):
        raise ValueError(f"{len(windows)} windows but {len(per_window_scores)} score sets")
    best: list[Any] = [None] * n_words
    best_ctx = [-1] * n_words
    for k, (win, scores) in enumerate(zip(windows, per_window_scores)):
        length = len(win.input_ids)
        if len(scores) < length:
            raise ValueError(f"window {k} has {length} tokens but {len(scores)} score rows")
        ids = win.word_ids
        t = 1
        while t < length - 1:
            w = ids[t]
            u = t
            while u + 1 < length - 1 and ids[u + 1] == w:
                u += 1
            if win.first_subword[t]:
                if w is None or not 0 <= w < n_words:
                    raise ValueError(f"window {k} token {t} belongs to word {w}, outside [0, {n_words})")
                ctx = min(t - 1, length - 2 - u)
                if ctx > best_ctx[w]:
                    best_ctx[w], best[w] = ctx, scores[t]
            t = u + 1
    missing = [w for w, c in enumerate(best_ctx) if c < 0]
    if missing:
        raise ValueError(f"{len(missing)} words are in no window (first: {missing[0]})")
    return best


@dataclass
class EncodedDocument:
    """A document ready for the model. ``words`` have offsets into the ORIGINAL text and
    NFC forms (what the tokenizer saw); ``word_pieces[i]`` are word i's token ids."""

    text: str
    words: list[Word]
    windows: list[Window]
    n_split: int
    word_pieces: list[list[int]] = field(default_factory=list)
    normalized: NormalizedText | None = None
    #: per word, its rule hint (tag id), when asked for
    hints: list[int] | None = None


def model_words(text: str, segmenter: Segmenter, *, join_numbers: bool = False,
                line_breaks: bool = False) -> list[Word]:
    """The words a model reads for (normalised) ``text``: the segmenter's words, with
    numbers whole (:func:`~models.segment.join_numbers`) and line-break pseudo-words
    (:func:`~models.segment.mark_line_breaks`) when asked. Training (vocabulary and
    features) and inference both go through here."""
    words = segmenter.segment(text)
    if join_numbers:
        words = _join_numbers(words, text)
    if line_breaks:
        words = mark_line_breaks(words, text)
    return words


def encode_document(text: str, segmenter: Segmenter, encoder: WordPieceEncoder, *, max_length: int = 256,
                    stride: int = 64, boundaries: Iterable[int] = (), join_numbers: bool = False,
                    line_breaks: bool = False, words: Sequence[Word] | None = None,
                    hints: str | None = None) -> EncodedDocument:
    """Normalise, segment (see :func:`model_words`), split words at ``boundaries`` (gold
    span starts/ends as offsets in ``text``), tokenize and window ``text``. ``words``, when
    given, are :func:`model_words` of the normalised text, already computed (training
    segments once for the vocabulary and the features). ``hints`` names a source of
    per-word hints (:mod:`models.hints`) given to the model as token type ids."""
    if not isinstance(text, str):
        raise TypeError(f"encode_document() needs a str, got {type(text).__name__}")
    nt = normalize(text)
    if words is None:
        words = model_words(nt.text, segmenter, join_numbers=join_numbers, line_breaks=line_breaks)
    elif words and words[-1].end > len(nt.text):
        raise ValueError(f"words end at {words[-1].end}, beyond the normalised text ({len(nt.text)} chars)")
    cuts: set[int] = set()
    for b in boundaries:
        if not 0 <= b <= len(text):
            raise ValueError(f"boundary {b} outside the text [0, {len(text)}]")
        cuts.update((nt.to_normalized(b), nt.to_normalized_end(b)))
    words, n_split = split_words_at(words, cuts, text=nt.text)
    if nt.changed:
        words = _merge_inexact(words, nt)
    pieces = [encoder.pieces(w.form) for w in words]
    windows = make_windows(pieces, max_length=max_length, stride=stride, cls_id=encoder.cls_id,
                           sep_id=encoder.sep_id)
    word_hints = None
    if hints is not None:
        from .hints import token_types
        from .hints import word_hints as hint_ids

        word_hints = hint_ids(nt.text, words, hints)  # the rules read the NFC text
        for window in windows:
            window.token_type_ids = token_types(window.word_ids, word_hints)
    if nt.changed:
        words = [Word(nt.to_original_start(w.start), nt.to_original_end(w.end), w.form) for w in words]
    return EncodedDocument(text=text, words=words, windows=windows, n_split=n_split, word_pieces=pieces,
                           normalized=nt, hints=word_hints)


def _merge_inexact(words: list[Word], nt: NormalizedText) -> list[Word]:
    """Join neighbouring words whose shared edge has no exact original offset (only when NFC
    reorders marks across a syllable edge), so that mapped words never overlap."""
    out: list[Word] = []
    for w in words:
        if out and not nt.is_exact(out[-1].end):
            start = out[-1].start
            out[-1] = Word(start, w.end, nt.text[start:w.end].replace(" ", "_"))
        else:
            out.append(w)
    return out
