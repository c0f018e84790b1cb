"""Shared hypothesis strategies: Vietnamese-like texts, spans, Label Studio tasks.

Offsets in tasks are computed here independently of ``annotations.labelstudio``
(``utf16``) so that tests compare the converters against an oracle.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from hypothesis import strategies as st

from annotations.document import Document, Span
from annotations.labels import LABELS
from annotations.syllables import syllable_spans

# ---------------------------------------------------------------------------
# Text pieces
# ---------------------------------------------------------------------------

VI_LETTERS = ("aăâbcdđeêghiklmnoôơpqrstuưvxy"
              "AĂÂBCDĐEÊGHIKLMNOÔƠPQRSTUƯVXY"
              "áàảãạắằẳẵặấầẩẫậéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ")
VI_WORDS = ("KCN", "CCN", "KCX", "khu", "công", "nghiệp", "Cụm", "Tân", "Tạo", "tỉnh",
            "Lạng", "Sơn", "Bắc", "Kạn", "TP", "HCM", "huyện", "xã", "ha", "m²", "héc-ta",
            "phần", "trăm", "186,4", "1.952", "100", "84,21")
PUNCT = tuple(".,;:!?()[]{}\"'“”‘’«»-–—/%&#*_@+=<>|\\~^$")
#: whitespace that must never end up inside a token: tab, newlines, NBSP, LS/PS
SPACES = (" ", " ", " ", "\t", "\n", "\r\n", "\u00a0", "\u2028", "\u3000")
#: characters outside the BMP (two UTF-16 code units each); some are letters
ASTRAL = ("😀", "🏭", "👍🏽", "🇻🇳", "👨\u200d👩\u200d👧", "𝐀", "𠀀", "𝟘", "🌾")
#: combining marks (tone marks and others) for decomposed sequences
COMBINING = tuple(chr(c) for c in (0x300, 0x301, 0x303, 0x309, 0x323, 0x302, 0x306, 0x31B))

syllables = st.one_of(
    st.sampled_from(VI_WORDS),
    st.text(alphabet=VI_LETTERS, min_size=1, max_size=7),
)
#: the same syllables decomposed (NFD), or a letter with stacked combining marks
nfd_syllables = st.one_of(
    syllables.map(lambda s: unicodedata.normalize("NFD", s)),
    st.tuples(st.sampled_from("aeiouAEIOUy"), st.lists(st.sampled_from(COMBINING), min_size=1, max_size=3))
    .map(lambda t: t[0] + "".join(t[1])),
)
pieces = st.one_of(
    syllables, syllables, nfd_syllables,
    st.sampled_from(PUNCT), st.sampled_from(SPACES), st.sampled_from(SPACES),
    st.sampled_from(ASTRAL),
    st.integers(0, 10**6).map(str),
)
#: arbitrary Unicode without lone surrogates (those cannot be UTF-16 encoded)
any_unicode = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)

#: Vietnamese-like text with NFD sequences, emoji/non-BMP characters and newlines
vi_texts = st.lists(pieces, max_size=40).map("".join)
texts = st.one_of(vi_texts, vi_texts, vi_texts, any_unicode)


def utf16(text: str, index: int) -> int:
    """UTF-16 offset of code-point ``index`` (oracle, independent of OffsetMap)."""
    return len(text[:index].encode("utf-16-le")) // 2


# ---------------------------------------------------------------------------
# Spans and documents
# ---------------------------------------------------------------------------

labels = st.sampled_from(LABELS)
doc_ids = st.one_of(
    st.from_regex(r"[0-9]{3}_[0-9a-f]{16}", fullmatch=True),
    st.text(st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), min_size=1, max_size=20),
)
region_ids = st.text("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-", min_size=1, max_size=10)
scores = st.floats(0, 1, allow_nan=False)


@st.composite
def span_ranges(draw, text: str, *, aligned: bool = False, max_spans: int = 8) -> list[tuple[int, int]]:
    """Sorted, non-empty, non-overlapping ``(start, end)`` ranges over ``text`` (may touch).

    With ``aligned`` every range starts and ends on syllable boundaries."""
    units = syllable_spans(text) if aligned else [(i, i + 1) for i in range(len(text))]
    ranges: list[tuple[int, int]] = []
    pos = 0
    for _ in range(draw(st.integers(0, max_spans))):
        if pos >= len(units):
            break
        first = pos + draw(st.integers(0, min(4, len(units) - pos - 1)))
        last = first + draw(st.integers(0, min(4, len(units) - first - 1)))
        ranges.append((units[first][0], units[last][1]))
        pos = last + 1
    return ranges


@st.composite
def spans_for(draw, text: str, *, aligned: bool = False, with_ids: bool = False,
              with_scores: bool = False, max_spans: int = 8) -> list[Span]:
    """Random non-overlapping spans over ``text`` whose ``text`` matches the offsets."""
    out = []
    for start, end in draw(span_ranges(text, aligned=aligned, max_spans=max_spans)):
        out.append(Span(start, end, draw(labels), text[start:end],
                        score=draw(scores) if with_scores else None,
                        id=draw(region_ids) if with_ids else None))
    return out


@st.composite
def documents(draw, *, aligned: bool = False, text_strategy=texts) -> Document:
    text = draw(text_strategy)
    return Document(id=draw(doc_ids), text=text, spans=draw(spans_for(text, aligned=aligned)))


@st.composite
def document_lists(draw, *, aligned: bool = False, max_size: int = 4) -> list[Document]:
    """Documents with distinct ids."""
    ids = draw(st.lists(doc_ids, max_size=max_size, unique=True))
    out = []
    for doc_id in ids:
        text = draw(texts)
        out.append(Document(id=doc_id, text=text, spans=draw(spans_for(text, aligned=aligned))))
    return out


# ---------------------------------------------------------------------------
# Label Studio tasks in canonical form
# ---------------------------------------------------------------------------

json_scalars = st.one_of(st.none(), st.booleans(), st.integers(-10**9, 10**9),
                         st.floats(allow_nan=False, allow_infinity=False), st.text(max_size=10))
json_values = st.recursive(
    json_scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=3),
                            st.dictionaries(st.text(max_size=6), inner, max_size=3)),
    max_leaves=4,
)


def extra_fields(reserved: tuple[str, ...]):
    """A dict of random extra JSON fields whose keys avoid ``reserved``."""
    keys = st.text(min_size=1, max_size=8).filter(lambda k: k not in reserved)
    return st.dictionaries(keys, json_values, max_size=2)


def label_region(text: str, span: Span, *, with_score: bool) -> dict[str, Any]:
    """A label region exactly as ``document_to_task`` writes it (key order included)."""
    item: dict[str, Any] = {}
    if span.id is not None:
        item["id"] = span.id
    item.update({
        "from_name": "label",
        "to_name": "text",
        "type": "labels",
        "value": {"start": utf16(text, span.start), "end": utf16(text, span.end),
                  "text": span.text, "labels": [span.label]},
    })
    if with_score:
        item["score"] = span.score
    return item


@st.composite
def other_regions(draw) -> list[dict[str, Any]]:
    """Non-label result items (a textarea, a choice) that converters must keep."""
    items = []
    for _ in range(draw(st.integers(0, 2))):
        kind = draw(st.sampled_from(("textarea", "choices")))
        value = ({"text": [draw(st.text(max_size=12))]} if kind == "textarea"
                 else {"choices": [draw(st.sampled_from(("ok", "unsure")))]})
        items.append({"id": draw(region_ids), "from_name": "notes", "to_name": "text",
                      "type": kind, "value": value})
    return items


@st.composite
def annotation_entries(draw, text: str) -> dict[str, Any]:
    spans = draw(spans_for(text, with_ids=draw(st.booleans())))
    entry: dict[str, Any] = {"id": draw(st.integers(1, 10**6)),
                             "completed_by": draw(st.integers(1, 100))}
    entry["result"] = [label_region(text, s, with_score=False) for s in spans] + draw(other_regions())
    entry.update(draw(extra_fields(("id", "completed_by", "result"))))
    return entry


@st.composite
def prediction_entries(draw, text: str) -> dict[str, Any]:
    spans = draw(spans_for(text, with_ids=draw(st.booleans()), with_scores=True))
    entry: dict[str, Any] = {"result": [label_region(text, s, with_score=True) for s in spans]
                             + draw(other_regions())}
    if draw(st.booleans()):
        entry["model_version"] = draw(st.text(min_size=1, max_size=12))
    entry["score"] = draw(scores)
    return entry


@st.composite
def tasks(draw, *, min_annotations: int = 0, min_predictions: int = 0) -> dict[str, Any]:
    """A Label Studio task in canonical form: label regions first (as written back),
    random extra ``data`` / task / annotation fields, non-label regions, predictions."""
    text = draw(texts)
    data: dict[str, Any] = {"text": text}
    if draw(st.integers(0, 4)):
        data["doc_id"] = draw(doc_ids)
    data.update(draw(extra_fields(("text", "doc_id"))))
    task: dict[str, Any] = {"id": draw(st.integers(1, 10**6)), "data": data}
    n_ann = draw(st.integers(min_annotations, 2))
    if n_ann or draw(st.booleans()):
        task["annotations"] = [draw(annotation_entries(text)) for _ in range(n_ann)]
    n_pred = draw(st.integers(min_predictions, 2))
    if n_pred or draw(st.booleans()):
        task["predictions"] = [draw(prediction_entries(text)) for _ in range(n_pred)]
    task.update(draw(extra_fields(("id", "data", "annotations", "predictions"))))
    return task


@st.composite
def task_lists(draw, max_size: int = 3, **kwargs: Any) -> list[dict[str, Any]]:
    """Tasks with distinct ``data.doc_id`` values where present."""
    out = draw(st.lists(tasks(**kwargs), max_size=max_size))
    seen: set[str] = set()
    for t in out:
        doc_id = t["data"].get("doc_id")
        if doc_id is not None:
            if doc_id in seen:
                del t["data"]["doc_id"]
            seen.add(doc_id)
    return out


def label_regions(entry: dict[str, Any]) -> list[dict[str, Any]]:
    return [r for r in entry.get("result", []) if r.get("type") == "labels"]
