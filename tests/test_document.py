"""The document model: Span.from_text, Span.key, Document.sorted_spans and friends."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given
from hypothesis import strategies as st

from annotations import BIO_TAGS, LABELS
from annotations.document import Document, Span
from annotations.labels import id_to_tag, tag_to_id
from strategies import documents, labels, texts


@given(st.data())
def test_from_text_takes_the_text_at_the_offsets(data):
    text = data.draw(texts)
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    label = data.draw(labels)
    span = Span.from_text(text, start, end, label, score=0.5)
    assert (span.start, span.end, span.label, span.text, span.score, span.id) == (
        start, end, label, text[start:end], 0.5, None)


@pytest.mark.parametrize("start,end", [(-1, 2), (3, 2), (0, 6), (7, 7)])
def test_from_text_rejects_offsets_outside_the_text(start, end):
    with pytest.raises(ValueError, match="out of range"):
        Span.from_text("Bắc K", start, end, "LOCATION")


def test_from_text_counts_code_points_not_utf16_units():
    text = "😀 KCN Tân Tạo"
    span = Span.from_text(text, 2, 13, "CLUSTER")
    assert span.text == "KCN Tân Tạo"


def test_key_is_start_end_label_and_ignores_text_score_id():
    a = Span(3, 7, "AREA", "16ha", score=0.9, id="x")
    b = Span(3, 7, "AREA", "other", score=None, id=None)
    assert a.key == (3, 7, "AREA") == b.key
    assert a != b
    assert Span(3, 7, "PERCENT", "16ha").key != a.key


def test_span_is_frozen_and_hashable():
    span = Span(0, 3, "LOCATION", "Huế")
    with pytest.raises(dataclasses.FrozenInstanceError):
        span.start = 1  # type: ignore[misc]
    assert len({span, Span(0, 3, "LOCATION", "Huế")}) == 1


@given(documents())
def test_sorted_spans_orders_by_start_end_label_and_keeps_all(doc):
    shuffled = doc.with_spans(reversed(doc.spans))
    result = shuffled.sorted_spans()
    assert [s.key for s in result] == sorted(s.key for s in doc.spans)
    assert sorted(result, key=id) == sorted(doc.spans, key=id)
    assert shuffled.spans == list(reversed(doc.spans))  # not sorted in place


def test_sorted_spans_breaks_ties_by_end_then_label():
    doc = Document("d", "KCN Tân Tạo", [Span(0, 11, "LOCATION", "KCN Tân Tạo"), Span(0, 3, "CLUSTER", "KCN"),
                                        Span(0, 11, "CLUSTER", "KCN Tân Tạo")])
    assert [s.key for s in doc.sorted_spans()] == [(0, 3, "CLUSTER"), (0, 11, "CLUSTER"), (0, 11, "LOCATION")]


def test_with_spans_copies_meta_and_keeps_id_and_text():
    doc = Document("d", "Huế", [], meta={"task": {"id": 1}})
    other = doc.with_spans([Span(0, 3, "LOCATION", "Huế")])
    assert (other.id, other.text, other.meta) == (doc.id, doc.text, doc.meta)
    other.meta["x"] = 1
    assert "x" not in doc.meta
    assert doc.spans == []


def test_overlaps_and_shifted():
    a, b, c = Span(0, 3, "AREA", "abc"), Span(2, 5, "AREA", "cde"), Span(3, 5, "AREA", "de")
    assert a.overlaps(b) and b.overlaps(a)
    assert not a.overlaps(c) and not c.overlaps(a)  # touching is not overlapping
    assert a.shifted(4) == Span(4, 7, "AREA", "abc")


def test_to_dict_includes_score_only_when_set():
    assert Span(0, 2, "PERCENT", "5%").to_dict() == {"start": 0, "end": 2, "label": "PERCENT", "text": "5%",
                                                     "value": [5.0, 5.0]}
    assert Span(0, 3, "CLUSTER", "KCN").to_dict() == {"start": 0, "end": 3, "label": "CLUSTER", "text": "KCN"}
    assert Span(0, 2, "PERCENT", "5%", score=0.25).to_dict()["score"] == 0.25


def test_document_problems_reports_messages():
    doc = Document("d", "KCN  Tân", [Span(0, 4, "CLUSTER", "KCN "), Span(1, 2, "BOGUS", "C")])
    problems = doc.problems()
    assert any("whitespace" in p for p in problems)
    assert any("BOGUS" in p for p in problems)
    assert any("overlaps" in p for p in problems)
    assert Document("d", "Huế", [Span(0, 3, "LOCATION", "Huế")]).problems() == []


def test_labels_and_bio_tags():
    assert LABELS == ("CLUSTER", "LOCATION", "AREA", "PERCENT")
    assert BIO_TAGS[0] == "O" and len(BIO_TAGS) == 1 + 2 * len(LABELS)
    assert {t for t in BIO_TAGS if t != "O"} == {f"{p}-{lab}" for lab in LABELS for p in "BI"}
    assert id_to_tag() == {i: t for t, i in tag_to_id().items()}
