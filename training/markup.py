"""Inline entity markup for hand-written training text.

``Nhà máy đặt tại {{CLUSTER|KCN Tân Tạo}}, {{LOCATION|TP.HCM}}.`` becomes the text
``Nhà máy đặt tại KCN Tân Tạo, TP.HCM.`` with two spans. A file holds documents
separated by a line ``### <doc id>``; text before the first such line is ignored
(use it for comments).
"""

from __future__ import annotations

import re
from pathlib import Path

from annotations.document import Document, Span
from annotations.labels import LABELS

_ENTITY = re.compile(r"\{\{([A-Z]+)\|([^{}|]+)\}\}")
_HEADER = re.compile(r"^### (\S+)[ \t]*$", re.MULTILINE)


def parse_markup(marked: str, doc_id: str = "doc") -> Document:
    """Strip ``{{LABEL|text}}`` marks and return the document with their spans."""
    out: list[str] = []
    spans: list[Span] = []
    pos = 0
    length = 0
    for m in _ENTITY.finditer(marked):
        label, surface = m.group(1), m.group(2)
        if label not in LABELS:
            raise ValueError(f"{doc_id}: unknown label {label!r} in {m.group(0)!r}")
        if surface != surface.strip():
            raise ValueError(f"{doc_id}: entity text has surrounding whitespace: {m.group(0)!r}")
        before = marked[pos:m.start()]
        out.append(before)
        length += len(before)
        spans.append(Span(start=length, end=length + len(surface), label=label, text=surface))
        out.append(surface)
        length += len(surface)
        pos = m.end()
    rest = marked[pos:]
    if "{{" in rest or "}}" in rest or any("{{" in piece or "}}" in piece for piece in out):
        raise ValueError(f"{doc_id}: unbalanced or malformed '{{{{' markup")
    out.append(rest)
    return Document(id=doc_id, text="".join(out), spans=spans)


def to_markup(doc: Document) -> str:
    """Inverse of ``parse_markup`` for documents with non-overlapping spans."""
    parts: list[str] = []
    pos = 0
    for span in doc.sorted_spans():
        parts.append(doc.text[pos:span.start])
        parts.append(f"{{{{{span.label}|{doc.text[span.start:span.end]}}}}}")
        pos = span.end
    parts.append(doc.text[pos:])
    return "".join(parts)


def read_markup_file(path: str | Path) -> list[Document]:
    """All documents of a markup file (see module docstring)."""
    content = Path(path).read_text(encoding="utf-8")
    headers = list(_HEADER.finditer(content))
    docs = []
    for i, h in enumerate(headers):
        body_end = headers[i + 1].start() if i + 1 < len(headers) else len(content)
        body = content[h.end():body_end].strip("\n")
        docs.append(parse_markup(body, doc_id=h.group(1)))
    return docs
