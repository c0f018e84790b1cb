"""Documents -> model inputs: windows of subword ids with labels on first subwords."""

from __future__ import annotations

from dataclasses import dataclass, field

from annotations.document import Document, Span
from annotations.labels import BIO_TAGS, tag_to_id

IGNORE = -100


@dataclass
class EncodedCorpus:
    docs: list[Document]
    encoded: list  # models.encoding.EncodedDocument per doc
    rows: list[dict]  # {"input_ids", "labels"} per window, in document order
    window_doc: list[int]  # document index of each row
    split_words: int  # words split because a gold span boundary fell inside them
    unaligned: list[tuple[str, Span]]  # spans that could not be placed on words
    #: tag-bigram counts over consecutive words, ``[tag, next]`` in BIO_TAGS order
    transition_counts: list[list[int]] = field(default_factory=list)

    def transition_spec(self) -> dict:
        """The tag-bigram counts as a model directory saves them (``vicluster.json``)."""
        return {"tags": list(BIO_TAGS), "counts": self.transition_counts}


def encode_corpus(docs: list[Document], segmenter, encoder, *, max_length: int, stride: int,
                  progress: bool = False, join_numbers: bool = False, line_breaks: bool = False,
                  words: list | None = None, hints: str | None = None) -> EncodedCorpus:
    """Windows and first-subword labels of ``docs``; ``words`` (one list per document,
    :func:`models.words.model_words` of its normalised text) saves segmenting again.
    With ``hints`` (:mod:`models.hints`) rows also carry ``token_type_ids``."""
    from models.pipeline import encode_document
    from models.word_spans import word_labels

    label2id = tag_to_id()
    rows: list[dict] = []
    window_doc: list[int] = []
    encoded = []
    split_words = 0
    unaligned: list[tuple[str, Span]] = []
    transitions = [[0] * len(BIO_TAGS) for _ in BIO_TAGS]
    iterator = docs
    if progress:
        from tqdm.auto import tqdm

        iterator = tqdm(docs, desc="encoding", unit="doc")
    for d, doc in enumerate(iterator):
        boundaries = sorted({s.start for s in doc.spans} | {s.end for s in doc.spans})
        enc = encode_document(doc.text, segmenter, encoder, max_length=max_length, stride=stride,
                              boundaries=boundaries, join_numbers=join_numbers, line_breaks=line_breaks,
                              words=None if words is None else words[d], hints=hints)
        split_words += enc.n_split
        tags, missed = word_labels(enc.words, doc.spans)
        unaligned.extend((doc.id, s) for s in missed)
        for a, b in zip(tags, tags[1:]):
            transitions[label2id[a]][label2id[b]] += 1
        for window in enc.windows:
            labels = [label2id[tags[w]] if (w is not None and first) else IGNORE
                      for w, first in zip(window.word_ids, window.first_subword)]
            row = {"input_ids": list(window.input_ids), "labels": labels}
            if window.token_type_ids is not None:
                row["token_type_ids"] = list(window.token_type_ids)
            rows.append(row)
            window_doc.append(d)
        encoded.append(enc)
    return EncodedCorpus(docs, encoded, rows, window_doc, split_words, unaligned, transitions)


#: the key of a row's per-token loss weights (:class:`TrainingRows`, :mod:`training.weighting`)
LOSS_WEIGHTS = "loss_weights"


def overruled(row: dict, hint_tags: list[int]) -> list[bool]:
    """Per token of ``row``, whether it is labelled and its label differs from the tag its hint
    stands for (``hint_tags[token type]``, :func:`models.hints.hint_tag_ids`)."""
    return [label != IGNORE and hint_tags[t] != label for label, t in zip(row["labels"], row["token_type_ids"])]


def overrule_weights(row: dict, weight: float, hint_tags: list[int]) -> list[float]:
    """Per token of ``row``, ``weight`` where :func:`overruled`, else 1.0 (also on specials and
    non-first subwords)."""
    return [weight if o else 1.0 for o in overruled(row, hint_tags)]


def hinted_spans(row: dict, hint_tags: list[int]) -> list[tuple[int, int]]:
    """Token ranges ``[a, b)`` of the spans the hints of ``row`` mark: a word (a token with a
    label; its further pieces have none) whose hint stands for ``B-X`` opens one, the words
    whose hint is ``I-X`` after it continue it."""
    from annotations.labels import BIO_TAGS

    out: list[tuple[int, int]] = []
    start, kind = None, None
    for k, (label, t) in enumerate(zip(row["labels"], row["token_type_ids"])):
        tag = BIO_TAGS[hint_tags[t]]
        if label == IGNORE and t != 0 and start is not None:
            continue  # a further piece of the word (or a special: type 0 ends the span)
        if start is not None and not (label != IGNORE and tag == f"I-{kind}"):
            out.append((start, k))
            start, kind = None, None
        if label != IGNORE and tag.startswith("B-"):
            start, kind = k, tag[2:]
    if start is not None:
        out.append((start, len(row["labels"])))
    return out


class TrainingRows:
    """Training rows as a map-style dataset. With ``hint_dropout`` a row read loses its
    hints (all token types ``O``) with that probability, each time anew, so that a model
    reading rule hints also learns to tag without them. With ``overrule_weight`` != 1 a row
    read with its hints carries ``loss_weights`` (:func:`overrule_weights`; all 1 without them).
    With ``span_dropout`` each span the hints of a row read mark (:func:`hinted_spans`) loses
    its hints with that probability, each time anew: the model learns to find what the rules
    miss from the text and the hints around it."""

    def __init__(self, rows: list[dict], hint_dropout: float = 0.0, seed: int = 0,
                 overrule_weight: float = 1.0, span_dropout: float = 0.0) -> None:
        import random

        if not 0 <= hint_dropout < 1:
            raise ValueError(f"hint dropout must be in [0, 1), got {hint_dropout}")
        if not overrule_weight > 0:
            raise ValueError(f"overrule weight must be > 0, got {overrule_weight}")
        self.rows = rows
        self.p = hint_dropout
        self.weight = float(overrule_weight)
        if not 0 <= span_dropout < 1:
            raise ValueError(f"hint span dropout must be in [0, 1), got {span_dropout}")
        self.q = float(span_dropout)
        self.rng = random.Random(seed)
        self._hint_tags: list[int] | None = None
        if self.weight != 1.0 or self.q:
            from models.hints import hint_tag_ids

            self._hint_tags = hint_tag_ids()

    def __len__(self) -> int:
        return len(self.rows)

    def __getitem__(self, i: int) -> dict:
        row = self.rows[i]
        hinted = "token_type_ids" in row
        if self.p and hinted and self.rng.random() < self.p:
            row = {**row, "token_type_ids": [0] * len(row["token_type_ids"])}
            hinted = False
        if self.q and hinted:
            types = list(row["token_type_ids"])
            for a, b in hinted_spans(row, self._hint_tags):
                if self.rng.random() < self.q:
                    types[a:b] = [0] * (b - a)
            row = {**row, "token_type_ids": types}
        if self.weight != 1.0:
            weights = overrule_weights(row, self.weight, self._hint_tags) if hinted else [1.0] * len(row["labels"])
            row = {**row, LOSS_WEIGHTS: weights}
        return row
