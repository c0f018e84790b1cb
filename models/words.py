"""Words: the units a model reads, cut from the normalised text (:mod:`models.normalize`).

The segmenter's words (:mod:`models.segment`), with numbers whole
(:func:`~models.segment.join_numbers`) and line-break pseudo-words
(:func:`~models.segment.mark_line_breaks`) when the model was trained so (:func:`model_words`);
for training, split where a gold span starts or ends inside a word; and, where NFC reorders
marks across a syllable edge, joined across an edge that has no exact offset in the caller's
text (:func:`document_words`). Offsets are in the normalised text; only training's gold
alignment needs them in the caller's (:func:`words_in_original`).
"""

from __future__ import annotations

from typing import Iterable, Sequence

from .normalize import NormalizedText
from .segment import Segmenter, Word, join_numbers as _join_numbers, mark_line_breaks, split_words_at

__all__ = ["model_words", "document_words", "words_in_original"]


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


def document_words(nt: NormalizedText, segmenter: Segmenter, *, join_numbers: bool = False,
                   line_breaks: bool = False, boundaries: Iterable[int] = (),
                   words: Sequence[Word] | None = None) -> tuple[list[Word], int]:
    """The words of ``nt.text`` (offsets in the normalised text) and how many were split.

    ``words``, when given, are :func:`model_words` of ``nt.text`` already computed (training
    segments once for the vocabulary and the features). ``boundaries`` (gold span starts and
    ends, offsets in the caller's text ``nt.original``) split the words they fall inside."""
    if words is None:
        words = model_words(nt.text, segmenter, join_numbers=join_numbers, line_breaks=line_breaks)
    elif words and words[-1].end > len(nt.text):
        raise ValueError(f"words end at {words[-1].end}, beyond the normalised text ({len(nt.text)} chars)")
    cuts: set[int] = set()
    for b in boundaries:
        if not 0 <= b <= len(nt.original):
            raise ValueError(f"boundary {b} outside the text [0, {len(nt.original)}]")
        cuts.update((nt.to_normalized(b), nt.to_normalized_end(b)))
    words, n_split = split_words_at(words, cuts, text=nt.text)
    if nt.changed:
        words = _merge_inexact(words, nt)
    return words, n_split


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


def words_in_original(nt: NormalizedText, words: Sequence[Word]) -> list[Word]:
    """``words`` of ``nt.text`` with offsets in the caller's text ``nt.original`` (forms kept:
    what the tokenizer saw). Training aligns gold spans with them; inference never needs it."""
    if not nt.changed:
        return list(words)
    return [Word(nt.to_original_start(w.start), nt.to_original_end(w.end), w.form) for w in words]
