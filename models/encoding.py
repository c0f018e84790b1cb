"""Windows: words -> subword ids in model-sized windows, with a hand-built word <-> subword alignment.

PhoBERT's tokenizer is Python-only (no offset mapping, no ``word_ids``), so words are
tokenized one at a time (:class:`WordPieceEncoder`, works with any slow or fast HF
tokenizer) and packed into overlapping windows of at most ``max_length`` tokens
(:func:`make_windows`; both through :func:`encode_windows`). Per-word predictions are read
back from the window where the word has the most context (:func:`merge_windows`). The stages
before (normalisation, words, hints) and after (tags, spans) are elsewhere; :mod:`models.pipeline`
runs them in order.
"""

from __future__ import annotations

import bisect
from itertools import chain, repeat
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Iterable, Sequence

from .normalize import NormalizedText
from .segment import Word
from .words import words_in_original

__all__ = [
    "WordPieceEncoder",
    "Window",
    "EncodedDocument",
    "make_windows",
    "merge_windows",
    "encode_windows",
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

    def pieces_of(self, forms: Iterable[str]) -> list[tuple[int, ...]]:
        """Token ids of each word form, as :meth:`pieces` (tuples, shared with the cache: a long
        article has hundreds of thousands of words and a few thousand distinct forms)."""
        get, slow = self._cache.get, self._pieces
        return [get(f) or slow(f) for f in forms]

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
    span = word_pieces[s:e]
    lens = [len(p) for p in span]
    ids = [cls_id, *chain.from_iterable(span), sep_id]
    word_ids = [None, *chain.from_iterable(repeat(i, n) for i, n in enumerate(lens, s)), None]
    first = [False, *chain.from_iterable((True, *repeat(False, n - 1)) for n in lens), False]
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


def encode_windows(words: Sequence[Word], encoder: WordPieceEncoder, *, max_length: int = 256, stride: int = 64,
                   hints: Sequence[int] | None = None) -> tuple[list[tuple[int, ...]], list[Window]]:
    """Each word's token ids and the windows (:func:`make_windows`) of ``words``; with
    ``hints`` (one per word, :func:`models.hints.word_hints`) every window carries them as
    token type ids."""
    forms = [w.form for w in words]
    many = getattr(encoder, "pieces_of", None)  # an encoder may offer only pieces()
    pieces = many(forms) if many is not None else [encoder.pieces(f) for f in forms]
    windows = make_windows(pieces, max_length=max_length, stride=stride, cls_id=encoder.cls_id,
                           sep_id=encoder.sep_id)
    if hints is not None:
        from .hints import token_types

        for window in windows:
            window.token_type_ids = token_types(window.word_ids, hints)
    return pieces, windows


@dataclass
class EncodedDocument:
    """A document ready for the model (:func:`models.pipeline.encode_document`): the caller's
    ``text``, its ``normalized`` form, the words of the normalised text
    (``normalized_words``, offsets into ``normalized.text``; what the tokenizer saw),
    ``word_pieces[i]`` word i's token ids, the ``windows`` and, when asked for, each word's
    rule hint. :attr:`words` are the same words in the caller's offsets."""

    text: str
    normalized: NormalizedText
    normalized_words: list[Word]
    windows: list[Window]
    n_split: int
    word_pieces: list[tuple[int, ...]] = field(default_factory=list)
    #: per word, its rule hint (tag id), when asked for
    hints: list[int] | None = None

    @cached_property
    def words(self) -> list[Word]:
        """The words with offsets into the caller's ``text`` (training aligns gold spans with
        them: :func:`models.words.words_in_original`)."""
        return words_in_original(self.normalized, self.normalized_words)
