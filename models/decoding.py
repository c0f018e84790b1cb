"""From window logits to character spans: the one decoding path shared by inference
and by the training loop's dev metric."""

from __future__ import annotations

from typing import Sequence

import numpy as np

from annotations.document import Span

from .encoding import EncodedDocument, merge_windows, words_to_spans


def softmax(logits: np.ndarray) -> np.ndarray:
    z = logits - logits.max(axis=-1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=-1, keepdims=True)


def decode_document(text: str, encoded: EncodedDocument, window_logits: Sequence[np.ndarray],
                    id2label: dict[int, str]) -> list[Span]:
    """Spans of ``text`` from per-window token logits (``[tokens, labels]`` each, one per
    window of ``encoded``). Each word takes its first subword's prediction from the window
    where it has the most context; span scores are the mean probability of the chosen tags."""
    if not encoded.words:
        return []
    probs = [softmax(np.asarray(l, dtype=np.float32)) for l in window_logits]
    word_probs = np.asarray(merge_windows(encoded.windows, probs, len(encoded.words)))
    best = word_probs.argmax(axis=-1)
    tags = [id2label[int(i)] for i in best]
    scores = [float(word_probs[k, i]) for k, i in enumerate(best)]
    return words_to_spans(text, encoded.words, tags, scores)
