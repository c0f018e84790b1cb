"""underthesea's NER as a LOCATION baseline (``underthesea`` is an optional extra).

underthesea rewrites the text it tags (word tokens joined by spaces, tone marks moved),
so its tokens are aligned back to the original on accent- and case-free skeletons.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from typing import Sequence

from annotations.document import Document, Span

from . import SystemUnavailable


def _skeleton(s: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", s)
                   if not unicodedata.combining(c) and not c.isspace() and c != "_").lower()


def align_tokens(text: str, tokens: Sequence[str]) -> list[tuple[int, int] | None]:
    """Code-point ``(start, end)`` of each token in ``text`` (the segmenter's skeleton aligner in
    ``models.segment``); ``None`` where the aligned text is not the token up to accents and case."""
    from models.segment import align_words

    out: list[tuple[int, int] | None] = [None] * len(tokens)
    for pos, owner in enumerate(align_words(text, tokens)):
        if owner is not None:
            prev = out[owner]
            out[owner] = (pos, pos + 1) if prev is None else (prev[0], pos + 1)
    return [p if p is not None and _skeleton(text[p[0]:p[1]]) == _skeleton(tok) else None
            for p, tok in zip(out, tokens)]


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and not text[start].isalnum():
        start += 1
    while end > start and not text[end - 1].isalnum() and text[end - 1] != ".":
        end -= 1
    return start, end


def entities_to_spans(text: str, tagged: Sequence[tuple], offset: int = 0,
                      types: dict[str, str] | None = None) -> tuple[list[Span], int]:
    """Spans (in ``text``'s offsets plus ``offset``) of underthesea's ``(word, pos, chunk, ner)``
    tuples, and the number of entities that could not be aligned. ``I-X`` after anything
    but ``X`` starts a new entity; punctuation at the ends of an entity is trimmed."""
    types = types or {"LOC": "LOCATION"}
    positions = align_tokens(text, [t[0] for t in tagged])
    groups: list[tuple[str, list[int]]] = []
    for i, t in enumerate(tagged):
        prefix, _, kind = str(t[-1]).partition("-")
        if prefix == "I" and groups and groups[-1][0] == kind and groups[-1][1][-1] == i - 1:
            groups[-1][1].append(i)
        elif prefix in ("B", "I"):
            groups.append((kind, [i]))
    spans: list[Span] = []
    lost = 0
    for kind, members in groups:
        if kind not in types:
            continue
        first, last = positions[members[0]], positions[members[-1]]
        if first is None or last is None:
            lost += 1
            continue
        start, end = _trim(text, first[0], last[1])
        if start < end:
            spans.append(Span(start=start + offset, end=end + offset, label=types[kind], text=text[start:end]))
    return spans, lost


def _sentences(text: str, sent_tokenize):
    """``(offset, sentence)`` for each sentence of each non-empty line (underthesea tags sentences)."""
    pos = 0
    for line in text.split("\n"):
        if line.strip():
            cursor = 0
            for sentence in sent_tokenize(line):
                at = line.find(sentence, cursor)
                if at < 0:  # rewritten by the sentence splitter: tag the rest of the line as one piece
                    yield pos + cursor, line[cursor:]
                    break
                yield pos + at, sentence
                cursor = at + len(sentence)
        pos += len(line) + 1


@dataclass
class UndertheseaSystem:
    """underthesea.ner run sentence by sentence; its LOC entities scored as LOCATION only."""

    name: str = "underthesea"
    labels: tuple[str, ...] = ("LOCATION",)
    source: str = "builtin:underthesea"
    extra: dict = field(default_factory=dict)

    def predict(self, docs: Sequence[Document]) -> list[list[Span]]:
        try:
            import underthesea
        except ImportError as exc:
            raise SystemUnavailable("underthesea is not installed (optional extra: pip install -e '.[underthesea]')") from exc
        from tqdm import tqdm

        out: list[list[Span]] = []
        lost = 0
        for doc in tqdm(docs, desc=self.name, unit="doc", disable=None):
            spans: list[Span] = []
            for pos, sentence in _sentences(doc.text, underthesea.sent_tokenize):
                found, n_lost = entities_to_spans(sentence, underthesea.ner(sentence), offset=pos)
                spans.extend(found)
                lost += n_lost
            out.append(spans)
        self.extra = {"unaligned_entities": lost, "version": getattr(underthesea, "__version__", None)}
        return out
