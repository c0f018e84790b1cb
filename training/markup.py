"""Inline entity markup for hand-written training text.

``Nhà máy đặt tại {{CLUSTER|KCN Tân Tạo}}, {{LOCATION|TP.HCM}}.`` becomes the text
``Nhà máy đặt tại KCN Tân Tạo, TP.HCM.`` with two spans. A file holds documents
separated by a line ``### <doc id>``; text before the first such line is ignored
(use it for comments).

Record gold (relations, ``annotations/guidelines.md`` §9) rides on the same marks. A cluster
mention takes a key, ``{{CLUSTER=yp|KCN Yên Phong}}``; the mentions sharing a key are one
cluster (``same_as`` from each later mention to the first). Another span links to clusters by
their keys: ``{{LOCATION>yp|huyện Yên Phong}}`` (``located_in``), ``{{LOCATION~yp|Bắc Ninh}}``
(``implied_in``: a place the article implies), ``{{AREA>yp|351 ha}}`` (``area``),
``{{PERCENT>yp,qv|90%}}`` (``fill_rate``, here of two clusters). A document with any key gets
span ids and relations; one without keys has neither.
"""

from __future__ import annotations

import re
from pathlib import Path

from annotations.document import Document, Relation, Span
from annotations.labels import LABELS, RELATIONS

_ENTITY = re.compile(r"\{\{([A-Z]+)((?:[=>~][\w,]+)*)\|([^{}|]+)\}\}")
_PART = re.compile(r"([=>~])([\w,]+)")
#: the relation a link mark makes, by the linked span's label (``>``) or for ``~``
_LINK = {"LOCATION": "located_in", "AREA": "area", "PERCENT": "fill_rate"}
_IMPLIED = "implied_in"
_HEADER = re.compile(r"^### (\S+)[ \t]*$", re.MULTILINE)


def parse_markup(marked: str, doc_id: str = "doc") -> Document:
    """Strip ``{{LABEL|text}}`` marks (with their record keys) and return the document with
    its spans and, where keys are given, relations."""
    out: list[str] = []
    spans: list[Span] = []
    marks: list[list[tuple[str, str]]] = []
    pos = 0
    length = 0
    for m in _ENTITY.finditer(marked):
        label, keys, surface = m.group(1), m.group(2), m.group(3)
        if label not in LABELS:
            raise ValueError(f"{doc_id}: unknown label {label!r} in {m.group(0)!r}")
        if surface != surface.strip():
            raise ValueError(f"{doc_id}: entity text has surrounding whitespace: {m.group(0)!r}")
        before = marked[pos:m.start()]
        out.append(before)
        length += len(before)
        spans.append(Span(start=length, end=length + len(surface), label=label, text=surface))
        marks.append([(kind, key) for kind, names in _PART.findall(keys) for key in names.split(",") if key])
        out.append(surface)
        length += len(surface)
        pos = m.end()
    rest = marked[pos:]
    if "{{" in rest or "}}" in rest or any("{{" in piece or "}}" in piece for piece in out):
        raise ValueError(f"{doc_id}: unbalanced or malformed '{{{{' markup")
    out.append(rest)
    doc = Document(id=doc_id, text="".join(out), spans=spans)
    return _with_relations(doc, marks) if any(marks) else doc


def _with_relations(doc: Document, marks: list[list[tuple[str, str]]]) -> Document:
    spans = [Span(start=s.start, end=s.end, label=s.label, text=s.text, id=f"s{i}") for i, s in enumerate(doc.spans)]
    first: dict[str, Span] = {}  # key -> its cluster's first mention
    relations: list[Relation] = []
    for span, parts in zip(spans, marks):
        for kind, key in parts:
            if kind == "=":
                if span.label != "CLUSTER":
                    raise ValueError(f"{doc.id}: only a CLUSTER takes a key: {span.label} {span.text!r} ={key}")
                if key in first:
                    relations.append(Relation(span.id, first[key].id, "same_as"))
                else:
                    first[key] = span
    for span, parts in zip(spans, marks):
        for kind, key in parts:
            if kind == "=":
                continue
            label = _IMPLIED if kind == "~" else _LINK.get(span.label)
            if label is None or span.label not in RELATIONS[label][1]:
                raise ValueError(f"{doc.id}: a {span.label} cannot be linked with {kind!r}: {span.text!r}")
            if key not in first:
                raise ValueError(f"{doc.id}: {span.text!r} links to {key!r}, which no CLUSTER mention declares")
            relations.append(Relation(first[key].id, span.id, label))
    return Document(id=doc.id, text=doc.text, spans=spans, meta=dict(doc.meta), relations=relations)


def to_markup(doc: Document) -> str:
    """Inverse of ``parse_markup`` for documents with non-overlapping spans (record keys are
    named ``c1``, ``c2``, ... in order of each cluster's first mention)."""
    keys = _cluster_keys(doc)
    links: dict[str, list[tuple[str, str]]] = {}
    for r in doc.relations:
        if r.label in _LINK.values() or r.label == _IMPLIED:
            links.setdefault(r.to_id, []).append(("~" if r.label == _IMPLIED else ">", keys[r.from_id]))
    parts: list[str] = []
    pos = 0
    for span in doc.sorted_spans():
        marks = f"={keys[span.id]}" if span.label == "CLUSTER" and span.id in keys else ""
        for kind in (">", "~"):
            named = sorted({k for k_kind, k in links.get(span.id, []) if k_kind == kind}, key=_natural)
            if named:
                marks += kind + ",".join(named)
        parts.append(doc.text[pos:span.start])
        parts.append(f"{{{{{span.label}{marks}|{doc.text[span.start:span.end]}}}}}")
        pos = span.end
    parts.append(doc.text[pos:])
    return "".join(parts)


def _natural(key: str) -> tuple[int, str]:
    digits = key.lstrip("c")
    return (int(digits), key) if digits.isdigit() else (0, key)


def _cluster_keys(doc: Document) -> dict[str, str]:
    """Span id of every CLUSTER mention -> the key of its cluster (``c1``...), for a document
    with record gold (span ids); none for one without."""
    if not any(s.id is not None for s in doc.spans):
        return {}
    clusters = [s for s in doc.sorted_spans() if s.label == "CLUSTER" and s.id is not None]
    roots = doc.cluster_roots()
    keys: dict[str, str] = {}
    named: dict[str, str] = {}
    for s in clusters:
        r = roots[s.id]
        named.setdefault(r, f"c{len(named) + 1}")
        keys[s.id] = named[r]
    return keys


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
