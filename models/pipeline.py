"""The inference path, one stage per module, each called once per text, in order::

    text                          the caller's string
      -> normalised text          normalize.normalize            cleaned (clean.py), NFC, offset maps
      -> words                    words.document_words           offsets in the normalised text
      -> hints                    hints.word_hints               the rules' tag per word (if the model reads them)
      -> windows                  encoding.encode_windows        subword ids, at most max_length each
      -> logits                   Tagger.window_logits           the model, windows of many texts batched
      -> tags                     decoding.decode_tags_batch     Viterbi over each word's merged scores, texts together
      -> spans                    word_spans.words_to_spans      offsets in the normalised text
      -> spans, caller's offsets  NormalizedText.spans_to_original, then decoding.trim_spans

:func:`encode_document` runs the stages up to the windows, :func:`decode_document` those
after the logits; :class:`models.tagger.Tagger` calls them around the model. Offsets meet
the caller's text once, at the end (and at the start for training's gold boundaries, which
split words). Training encodes its documents and decodes its dev metric through the same
two functions.
"""

from __future__ import annotations

from typing import Iterable, Sequence

import numpy as np

from annotations.document import Span

from .decoding import decode_tags_batch, trim_spans
from .encoding import EncodedDocument, WordPieceEncoder, encode_windows
from .hints import word_hints
from .normalize import normalize
from .segment import Segmenter, Word
from .word_spans import words_to_spans
from .words import document_words

__all__ = ["encode_document", "decode_document", "decode_documents"]


def encode_document(text: str, segmenter: Segmenter, encoder: WordPieceEncoder, *, max_length: int = 256,
                    stride: int = 64, boundaries: Iterable[int] = (), join_numbers: bool = False,
                    line_breaks: bool = False, words: Sequence[Word] | None = None,
                    hints: str | None = None) -> EncodedDocument:
    """``text`` -> normalised text -> words -> hints -> windows. ``boundaries`` (gold span
    starts/ends as offsets in ``text``) split the words they fall inside; ``words``, when
    given, are :func:`models.words.model_words` of the normalised text, already computed;
    ``hints`` names a source of per-word hints (:mod:`models.hints`) given to the model as
    token type ids."""
    if not isinstance(text, str):
        raise TypeError(f"encode_document() needs a str, got {type(text).__name__}")
    normalized = normalize(text)
    doc_words, n_split = document_words(normalized, segmenter, join_numbers=join_numbers,
                                        line_breaks=line_breaks, boundaries=boundaries, words=words)
    hint_ids = None if hints is None else word_hints(normalized.text, doc_words, hints)
    pieces, windows = encode_windows(doc_words, encoder, max_length=max_length, stride=stride, hints=hint_ids)
    return EncodedDocument(text=text, normalized=normalized, normalized_words=doc_words, windows=windows,
                           n_split=n_split, word_pieces=pieces, hints=hint_ids)


def decode_document(text: str, encoded: EncodedDocument, window_logits: Sequence[np.ndarray],
                    id2label: dict[int, str], min_score: float = 0.0, transitions: np.ndarray | None = None,
                    log_prior: np.ndarray | None = None) -> list[Span]:
    """Window logits (one ``[tokens, labels]`` array per window of ``encoded``) -> tags ->
    spans -> spans of ``text`` (the text ``encoded`` was made from), trimmed at their edges
    and without those scoring (mean tag probability) below ``min_score``. ``transitions`` and
    ``log_prior``: see :func:`models.decoding.decode_tags`."""
    return decode_documents([(text, encoded, window_logits)], id2label, min_score, transitions, log_prior)[0]


def decode_documents(documents: Sequence[tuple[str, EncodedDocument, Sequence[np.ndarray]]],
                     id2label: dict[int, str], min_score: float = 0.0, transitions: np.ndarray | None = None,
                     log_prior: np.ndarray | None = None) -> list[list[Span]]:
    """:func:`decode_document` of several ``(text, encoded, window_logits)`` at once: the same
    spans, their Viterbi searches run together (:func:`models.decoding.decode_tags_batch`)."""
    for text, encoded, _ in documents:
        if text != encoded.text:
            raise ValueError("decode_document() got another text than the one encoded")
    tagged = decode_tags_batch([(enc.windows, logits, enc.normalized_words, enc.normalized.text)
                                for _, enc, logits in documents],
                               id2label, transitions=transitions, log_prior=log_prior)
    out = []
    for (text, enc, _), (tags, scores) in zip(documents, tagged):
        spans = words_to_spans(enc.normalized.text, enc.normalized_words, tags, scores)
        out.append(trim_spans(text, enc.normalized.spans_to_original(spans), min_score))
    return out
