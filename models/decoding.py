"""Tags: window logits -> one IOB2 tag per word (merged across windows, Viterbi), and the
trimming of spans at their edges. :func:`models.pipeline.decode_document` runs them for
inference and for the training loop's dev metric."""

from __future__ import annotations

from typing import Sequence

import numpy as np

from annotations.document import Span

from .encoding import Window, merge_windows
from .segment import Word, is_line_mark

#: characters a span never starts or ends with (annotation spec, "Boundaries")
EDGE_PUNCTUATION = frozenset(".,;:!?…\"'“”‘’«»()[]{}–—-/|·•*")


def softmax(logits: np.ndarray) -> np.ndarray:
    z = logits - logits.max(axis=-1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=-1, keepdims=True)


def allowed_transitions(labels: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """IOB2 constraints: ``start[j]`` (tag j may open a sequence) and ``step[i, j]`` (tag j
    may follow tag i). ``I-X`` only continues ``B-X`` or ``I-X``."""
    n = len(labels)
    start = np.array([not lab.startswith("I-") for lab in labels])
    step = np.ones((n, n), dtype=bool)
    for j, lab in enumerate(labels):
        if lab.startswith("I-"):
            kind = lab[2:]
            step[:, j] = [prev in (f"B-{kind}", f"I-{kind}") for prev in labels]
    return start, step


def transition_log_probs(counts: Sequence[Sequence[float]]) -> np.ndarray:
    """``log P(next tag | tag)`` from tag-bigram counts ``[tag, next]`` (add-one smoothed)."""
    c = np.asarray(counts, dtype=np.float64)
    if c.ndim != 2 or c.shape[0] != c.shape[1] or (c < 0).any():
        raise ValueError(f"transition counts must be a square matrix of non-negative counts, got shape {c.shape}")
    c = c + 1.0
    return np.log(c / c.sum(axis=1, keepdims=True))


def _counts_in_label_order(spec: dict, id2label: dict[int, str]) -> np.ndarray:
    tags, counts = spec.get("tags"), spec.get("counts")
    labels = [id2label[i] for i in range(len(id2label))]
    if not isinstance(tags, list) or sorted(tags) != sorted(labels):
        raise ValueError(f"tag_transitions are over tags {tags}, but the model's labels are {labels}")
    c = np.asarray(counts, dtype=np.float64)
    if c.shape != (len(tags), len(tags)) or (c < 0).any():
        raise ValueError(f"tag_transitions counts must be a {len(tags)}x{len(tags)} matrix of non-negative "
                         f"counts, got shape {c.shape}")
    where = [tags.index(label) for label in labels]
    return c[where][:, where]


def transition_matrix(spec: dict | None, id2label: dict[int, str]) -> np.ndarray | None:
    """``log P(next | tag)`` in the model's label order (``id2label``) from saved tag-bigram
    counts ``{"tags": [...], "counts": [[...]]}``; None when ``spec`` is None."""
    if spec is None:
        return None
    return transition_log_probs(_counts_in_label_order(spec, id2label))


def check_prior_scale(scale: float, has_counts: bool) -> float:
    """``scale`` as a float, checked: a number >= 0, and above 0 only with tag counts."""
    if isinstance(scale, bool) or not isinstance(scale, (int, float)) or scale < 0:
        raise ValueError(f"prior_scale must be a number >= 0, got {scale!r}")
    if scale and not has_counts:
        raise ValueError("prior_scale needs tag_transitions (the tag counts of the training data)")
    return float(scale)


def tag_log_prior(spec: dict | None, id2label: dict[int, str]) -> np.ndarray | None:
    """``log P(tag)`` in the model's label order from the same saved counts (how often each
    tag opens a bigram, add-one smoothed); None when ``spec`` is None."""
    if spec is None:
        return None
    c = _counts_in_label_order(spec, id2label)
    rows = c.sum(axis=1) + c.shape[0]
    return np.log(rows / rows.sum())


def viterbi(log_probs: np.ndarray, labels: Sequence[str], transitions: np.ndarray | None = None) -> list[int]:
    """The most probable tag sequence that is valid IOB2 (``log_probs``: ``[words, tags]``).

    With ``transitions`` (``log P(next | tag)``, ``[tags, tags]``, see
    :func:`transition_log_probs`) a path scores its per-word log-probabilities plus the
    log-probability of each tag bigram, as in an HMM whose emissions are the model's
    posteriors: names stay whole (``B-LOC I-LOC``) where the model hesitates between
    ``I-`` and a fresh ``B-``."""
    n, c = log_probs.shape
    if n == 0:
        return []
    start, step = allowed_transitions(labels)
    if transitions is not None and np.shape(transitions) != (c, c):
        raise ValueError(f"transitions have shape {np.shape(transitions)}, expected {(c, c)}")
    penalty = np.where(step, 0.0 if transitions is None else transitions, -np.inf)
    score = np.where(start, log_probs[0], -np.inf)
    back = np.zeros((n, c), dtype=np.int64)
    for t in range(1, n):
        total = score[:, None] + penalty  # [prev, next]
        back[t] = total.argmax(axis=0)
        score = total.max(axis=0) + log_probs[t]
    path = [int(score.argmax())]
    for t in range(n - 1, 0, -1):
        path.append(int(back[t, path[-1]]))
    return path[::-1]


#: most word positions (sequences times the longest of them) one Viterbi batch pads to
VITERBI_BATCH_CELLS = 1 << 18


def viterbi_batch(log_probs: Sequence[np.ndarray], labels: Sequence[str], transitions: np.ndarray | None = None,
                  after_o: Sequence[bool] | None = None, before_o: Sequence[bool] | None = None) -> list[list[int]]:
    """:func:`viterbi` of several sequences at once (``[words, tags]`` each, any lengths): the
    sequences, longest first, are cut into batches of at most :data:`VITERBI_BATCH_CELLS` padded
    positions, and each batch takes one step of numpy work per position of its longest, over its
    sequences still running, not one per word of them all. Each path is the one :func:`viterbi`
    gives the sequence alone. ``after_o[k]``: sequence ``k`` follows a word fixed to ``O`` (its
    first tag also scores the transition from ``O``); ``before_o[k]``: one such word follows it
    (its last tag scores the transition into ``O``), so that pieces of one sequence cut at words
    fixed to ``O`` decode exactly as the whole."""
    lengths = [len(lp) for lp in log_probs]
    out: list[list[int]] = [[] for _ in log_probs]
    c = len(labels)
    if transitions is not None and np.shape(transitions) != (c, c):
        raise ValueError(f"transitions have shape {np.shape(transitions)}, expected {(c, c)}")
    for k, lp in enumerate(log_probs):
        if lengths[k] and np.shape(lp)[1:] != (c,):
            raise ValueError(f"log_probs {k} have shape {np.shape(lp)}, expected (words, {c})")
    start, step = allowed_transitions(labels)
    penalty = np.where(step, 0.0 if transitions is None else transitions, -np.inf)
    o = list(labels).index("O") if (after_o is not None or before_o is not None) else None
    first = [penalty[o] if after_o is not None and after_o[k] else None for k in range(len(log_probs))]
    last = [penalty[:, o] if before_o is not None and before_o[k] else None for k in range(len(log_probs))]
    live = sorted((k for k, n in enumerate(lengths) if n), key=lambda k: -lengths[k])
    i = 0
    while i < len(live):
        width = max(1, VITERBI_BATCH_CELLS // lengths[live[i]])
        batch = live[i:i + width]
        for k, path in zip(batch, _viterbi_sorted([log_probs[k] for k in batch], start, penalty,
                                                  [first[k] for k in batch], [last[k] for k in batch])):
            out[k] = path
        i += width
    return out


def _viterbi_sorted(log_probs: list[np.ndarray], start: np.ndarray, penalty: np.ndarray,
                    first: list[np.ndarray | None], last: list[np.ndarray | None]) -> list[list[int]]:
    """The Viterbi paths of non-empty sequences sorted longest first (see :func:`viterbi_batch`)."""
    c = penalty.shape[0]
    lengths = np.array([len(lp) for lp in log_probs])
    n, n_max = len(log_probs), int(lengths[0])
    emit = np.zeros((n, n_max, c))
    for row, lp in enumerate(log_probs):
        emit[row, :len(lp)] = lp
    score = np.where(start, emit[:, 0], -np.inf)
    score = score + np.array([np.zeros(c) if f is None else f for f in first])
    back = np.zeros((n, n_max, c), dtype=np.int8 if c < 128 else np.int64)
    finals = np.empty((n, c))
    active = n
    for t in range(1, n_max + 1):
        ending = active - int(np.searchsorted(-lengths[:active], -t, side="left"))
        if ending:  # sequences whose last word is t - 1 (the running ones are a prefix)
            finals[active - ending:active] = score[active - ending:active]
            active -= ending
        if not active:
            break
        total = score[:active, :, None] + penalty  # [sequence, prev, next]
        back[:active, t] = total.argmax(axis=1)
        score = total.max(axis=1) + emit[:active, t]
    finals = finals + np.array([np.zeros(c) if f is None else f for f in last])
    tag = finals.argmax(axis=1)
    paths = np.zeros((n, n_max), dtype=np.int64)
    ends = lengths - 1
    rows = np.arange(n)
    paths[:, n_max - 1] = tag
    for t in range(n_max - 2, -1, -1):
        tag = np.where(t < ends, back[rows, t + 1, tag], tag)  # a sequence not yet at its end keeps its last tag
        paths[:, t] = tag
    return [[int(i) for i in paths[row, :lengths[row]]] for row in range(n)]


def decode_tags(windows: Sequence[Window], window_logits: Sequence[np.ndarray], words: Sequence[Word], text: str,
                id2label: dict[int, str], transitions: np.ndarray | None = None,
                log_prior: np.ndarray | None = None) -> tuple[list[str], list[float]]:
    """The IOB2 tag of each of ``words`` (of ``text``) and its probability, from per-window
    token logits (``[tokens, labels]`` each, one per window). Each word takes its first
    subword's prediction from the window where it has the most context (:func:`merge_windows`);
    a line-break pseudo-word is ``O``; the tags are the best valid IOB2 sequence (Viterbi, with
    tag-bigram ``transitions`` when given). ``log_prior`` (per tag; callers pass ``prior_scale``
    times :func:`tag_log_prior`) is subtracted from every word's log-probabilities first: the
    model's posteriors already hold how rare entity tags are, and the transitions would count
    that a second time (scaled-likelihood decoding)."""
    return decode_tags_batch([(windows, window_logits, words, text)], id2label, transitions, log_prior)[0]


def decode_tags_batch(documents: Sequence[tuple[Sequence[Window], Sequence[np.ndarray], Sequence[Word], str]],
                      id2label: dict[int, str], transitions: np.ndarray | None = None,
                      log_prior: np.ndarray | None = None) -> list[tuple[list[str], list[float]]]:
    """:func:`decode_tags` of several documents (``(windows, window_logits, words, text)`` each),
    their Viterbi searches run together (:func:`viterbi_batch`); the same tags as one at a time."""
    labels = [id2label[i] for i in range(len(id2label))]
    if log_prior is not None and np.shape(log_prior) != (len(labels),):
        raise ValueError(f"log_prior has shape {np.shape(log_prior)}, expected {(len(labels),)}")
    o = labels.index("O")
    word_probs, log_probs, pieces = [], [], []
    for d, (windows, window_logits, words, text) in enumerate(documents):
        probs = [softmax(np.asarray(l, dtype=np.float64)) for l in window_logits]
        wp = np.asarray(merge_windows(windows, probs, len(words))) if words else np.zeros((0, len(labels)))
        marks = [k for k, w in enumerate(words) if is_line_mark(text, w)]
        if marks:  # a line break is never inside a span
            wp[marks] = 0.0
            wp[marks, o] = 1.0
        lp = np.log(np.clip(wp, 1e-12, 1.0))
        word_probs.append(wp)
        log_probs.append(lp if log_prior is None else lp - log_prior)
        # a line break's word is O on every path, so the search splits there exactly: the pieces
        # between them are searched on their own, all pieces of all documents together
        edges = [-1, *marks, len(words)]
        pieces += [(d, a + 1, b) for a, b in zip(edges, edges[1:]) if b - a > 1]
    paths = viterbi_batch([log_probs[d][a:b] for d, a, b in pieces], labels, transitions,
                          after_o=[a > 0 for _, a, _ in pieces],
                          before_o=[b < len(word_probs[d]) for d, _, b in pieces])
    best = [np.full(len(wp), o, dtype=np.int64) for wp in word_probs]
    for (d, a, b), path in zip(pieces, paths):
        best[d][a:b] = path
    return [([labels[i] for i in tags], [float(wp[k, i]) for k, i in enumerate(tags)])
            for tags, wp in zip(best, word_probs)]


def check_min_score(min_score: float) -> None:
    if not 0.0 <= min_score <= 1.0:
        raise ValueError(f"min_score must be in [0, 1], got {min_score}")


def trim_spans(text: str, spans: Sequence[Span], min_score: float = 0.0) -> list[Span]:
    """``spans`` of ``text`` trimmed at their edges (:func:`trim_span`), without those left
    empty or scoring (mean tag probability) below ``min_score``."""
    check_min_score(min_score)
    trimmed = (trim_span(text, s) for s in spans)
    return [s for s in trimmed if s is not None and (s.score is None or s.score >= min_score)]


def trim_span(text: str, span: Span) -> Span | None:
    """``span`` without punctuation or spaces at its edges (spans start and end on the
    entity's own characters) and without unmatched brackets: brackets inside a span pair
    up (``Khu công nghiệp (KCN) Hiệp Phước``), so an unmatched one marks where the entity
    ends or begins (``KCN Thuỵ Vân (Phú Thọ`` -> ``KCN Thuỵ Vân``). None when nothing is
    left. ``%`` and ``²`` are kept."""
    start, end = span.start, span.end
    while start < end:
        before = (start, end)
        while start < end and (text[start] in EDGE_PUNCTUATION or text[start].isspace()):
            start += 1
        while end > start and (text[end - 1] in EDGE_PUNCTUATION or text[end - 1].isspace()):
            end -= 1
        cut = _unmatched_bracket(text, start, end)
        if cut is not None:  # keep the longer side of it
            start, end = (start, cut) if cut - start >= end - cut - 1 else (cut + 1, end)
        if (start, end) == before:
            break
    if start >= end:
        return None
    if (start, end) == (span.start, span.end):
        return span
    return Span(start=start, end=end, label=span.label, text=text[start:end], score=span.score)


def _unmatched_bracket(text: str, start: int, end: int) -> int | None:
    """Offset of the first unmatched ``(`` or ``)`` in ``text[start:end]``, if any."""
    opened: list[int] = []
    for i in range(start, end):
        if text[i] == "(":
            opened.append(i)
        elif text[i] == ")":
            if not opened:
                return i
            opened.pop()
    return opened[0] if opened else None
