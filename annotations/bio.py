"""Documents <-> syllable-level BIO (IOB2) tags, and CoNLL lines.

The CoNLL form keeps everything needed to rebuild the document exactly::

    # doc_id = 000_36c0e3efaf75f18f
    # text = "Bắc Kạn: ..."          (the text as a JSON string)
    Bắc	0	3	B-LOCATION
    Kạn	4	7	I-LOCATION
    ...
    <blank line between documents>
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Iterable, Sequence

from .document import Document, Span
from .syllables import syllable_spans


@dataclass
class BioDocument:
    id: str
    text: str
    tokens: list[tuple[int, int]]
    tags: list[str]
    #: gold spans whose start or end is not a token boundary (not representable)
    misaligned: list[Span] = field(default_factory=list)


def spans_to_tags(tokens: Sequence[tuple[int, int]], spans: Iterable[Span]) -> tuple[list[str], list[Span]]:
    """IOB2 tags for ``tokens`` and the spans that cannot be encoded: those that do not start
    and end on token boundaries, and those overlapping a span already encoded."""
    starts = {s: i for i, (s, _) in enumerate(tokens)}
    ends = {e: i for i, (_, e) in enumerate(tokens)}
    tags = ["O"] * len(tokens)
    misaligned: list[Span] = []
    for span in sorted(spans, key=lambda s: (s.start, s.end)):
        first, last = starts.get(span.start), ends.get(span.end)
        if first is None or last is None or last < first or any(t != "O" for t in tags[first:last + 1]):
            misaligned.append(span)
            continue
        tags[first] = f"B-{span.label}"
        for i in range(first + 1, last + 1):
            tags[i] = f"I-{span.label}"
    return tags, misaligned


def tags_to_spans(text: str, tokens: Sequence[tuple[int, int]], tags: Sequence[str],
                  scores: Sequence[float] | None = None) -> list[Span]:
    """Spans from IOB2 tags. An ``I-X`` that does not continue an ``X`` starts a new span
    (the lenient reading used at inference); ``scores`` (per token) are averaged per span."""
    if len(tokens) != len(tags):
        raise ValueError(f"{len(tokens)} tokens but {len(tags)} tags")
    if scores is not None and len(scores) != len(tags):
        raise ValueError(f"{len(tags)} tags but {len(scores)} scores")
    spans: list[Span] = []
    cur_label: str | None = None
    cur_first = 0

    def close(last: int) -> None:
        start, end = tokens[cur_first][0], tokens[last][1]
        score = None
        if scores is not None:
            window = scores[cur_first:last + 1]
            score = float(sum(window) / len(window))
        spans.append(Span(start=start, end=end, label=cur_label, text=text[start:end], score=score))

    for i, tag in enumerate(tags):
        prefix, _, label = tag.partition("-")
        if prefix == "I" and cur_label == label:
            continue
        if cur_label is not None:
            close(i - 1)
            cur_label = None
        if prefix in ("B", "I"):
            cur_label, cur_first = label, i
        elif prefix != "O":
            raise ValueError(f"not an IOB2 tag: {tag!r}")
    if cur_label is not None:
        close(len(tags) - 1)
    return spans


def document_to_bio(doc: Document) -> BioDocument:
    tokens = syllable_spans(doc.text)
    tags, misaligned = spans_to_tags(tokens, doc.spans)
    return BioDocument(id=doc.id, text=doc.text, tokens=tokens, tags=tags, misaligned=misaligned)


def bio_to_document(bio: BioDocument) -> Document:
    return Document(id=bio.id, text=bio.text, spans=tags_to_spans(bio.text, bio.tokens, bio.tags))


def to_conll(docs: Iterable[Document]) -> tuple[str, list[tuple[str, Span]]]:
    """CoNLL text for ``docs`` and the ``(doc_id, span)`` pairs that could not be encoded."""
    lines: list[str] = []
    dropped: list[tuple[str, Span]] = []
    for doc in docs:
        if "\n" in doc.id or "\r" in doc.id:
            raise ValueError(f"doc id {doc.id!r} contains a line break; CoNLL cannot hold it")
        bio = document_to_bio(doc)
        dropped.extend((doc.id, s) for s in bio.misaligned)
        lines.append(f"# doc_id = {doc.id}")
        lines.append(f"# text = {json.dumps(doc.text, ensure_ascii=False)}")
        for (start, end), tag in zip(bio.tokens, bio.tags):
            lines.append(f"{doc.text[start:end]}\t{start}\t{end}\t{tag}")
        lines.append("")
    return "\n".join(lines) + ("\n" if lines else ""), dropped


def from_conll(content: str) -> list[Document]:
    docs: list[Document] = []
    doc_id: str | None = None
    text: str | None = None
    tokens: list[tuple[int, int]] = []
    tags: list[str] = []

    def flush() -> None:
        nonlocal doc_id, text, tokens, tags
        if doc_id is not None and text is not None:
            docs.append(bio_to_document(BioDocument(doc_id, text, tokens, tags)))
        doc_id, text, tokens, tags = None, None, [], []

    for lineno, line in enumerate(content.split("\n"), 1):
        if line.startswith("# doc_id = "):
            flush()
            doc_id = line[len("# doc_id = "):]
        elif line.startswith("# text = "):
            text = json.loads(line[len("# text = "):])
        elif line.strip():
            parts = line.split("\t")
            if len(parts) != 4 or text is None:
                raise ValueError(f"CoNLL line {lineno}: expected 'token<TAB>start<TAB>end<TAB>tag' after headers")
            start, end = int(parts[1]), int(parts[2])
            if text[start:end] != parts[0]:
                raise ValueError(f"CoNLL line {lineno}: token {parts[0]!r} != text[{start}:{end}]")
            tokens.append((start, end))
            tags.append(parts[3])
    flush()
    return docs
