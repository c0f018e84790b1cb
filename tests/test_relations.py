"""Relations between spans: Label Studio ``relation`` results <-> ``Document.relations``,
their validation, and the labeling config that declares them."""

from __future__ import annotations

import copy
import xml.etree.ElementTree as ET

from hypothesis import given, settings
from hypothesis import strategies as st

from annotations import LABEL_CONFIG
from annotations.document import Document, Relation, Span
from annotations.labels import RELATIONS
from annotations.labelstudio import document_to_task, task_to_document
from annotations.validate import check_task

from strategies import spans_for, tasks, texts

TEXT = "KCN Tân Tạo (TP.HCM) rộng 444 ha, đã lấp đầy 95%. KCN Tân Tạo mở rộng."

def _span(surface: str, label: str, region_id: str, after: int = 0) -> Span:
    start = TEXT.index(surface, after)
    return Span(start, start + len(surface), label, surface, id=region_id)


SPANS = [_span("KCN Tân Tạo", "CLUSTER", "a"), _span("TP.HCM", "LOCATION", "b"), _span("444 ha", "AREA", "c"),
         _span("95%", "PERCENT", "d"), _span("KCN Tân Tạo", "CLUSTER", "e", after=1)]
RELS = [Relation("a", "b", "located_in"), Relation("a", "c", "area"), Relation("a", "d", "fill_rate"),
        Relation("e", "a", "same_as")]


def test_the_labeling_config_declares_every_relation_label():
    root = ET.parse(LABEL_CONFIG).getroot()
    assert [r.get("value") for r in root.iter("Relation")] == list(RELATIONS)


def test_a_new_document_writes_its_relations_after_the_regions_and_reads_them_back():
    doc = Document(id="d1", text=TEXT, spans=SPANS, relations=RELS)
    task = document_to_task(doc)
    result = task["annotations"][0]["result"]
    assert [r["type"] for r in result] == ["labels"] * 5 + ["relation"] * 4
    assert result[5] == {"from_id": "a", "to_id": "b", "type": "relation", "direction": "right",
                         "labels": ["located_in"]}
    back = task_to_document(task)
    assert (back.spans, back.relations) == (SPANS, RELS)
    assert check_task(task)[0] == []


def test_unchanged_relations_stay_as_written_and_changed_ones_are_rewritten():
    task = document_to_task(Document(id="d1", text=TEXT, spans=SPANS, relations=RELS))
    task["annotations"][0]["result"][6]["extra"] = "kept"  # a field this project does not read
    doc = task_to_document(task)
    assert document_to_task(doc) == task
    doc.relations = RELS[:2]
    result = document_to_task(doc)["annotations"][0]["result"]
    assert [(r["from_id"], r["to_id"]) for r in result if r["type"] == "relation"] == [("a", "b"), ("a", "c")]


def test_with_spans_keeps_the_relations_whose_ends_remain():
    doc = Document(id="d1", text=TEXT, spans=SPANS, relations=RELS)
    assert doc.with_spans(SPANS[:3]).relations == RELS[:2]
    assert doc.with_spans([Span(0, 11, "CLUSTER", "KCN Tân Tạo")]).relations == []


def _result(relations: list[dict]) -> dict:
    task = document_to_task(Document(id="d1", text=TEXT, spans=SPANS))
    task["annotations"][0]["result"] += relations
    return task


def test_validation_names_each_bad_relation():
    rel = lambda a, b, *labels: {"from_id": a, "to_id": b, "type": "relation", "labels": list(labels)}  # noqa: E731
    problems, _ = check_task(_result([rel("a", "zz", "area"), rel("a", "b", "nearby"), rel("b", "a", "located_in"),
                                      rel("a", "c", "fill_rate"), rel("a", "c", "area"), rel("a", "c", "area"),
                                      rel("a", "a", "same_as")]))
    messages = [p.message for p in problems]
    assert [p.code for p in problems] == ["bad-relation"] * 6
    assert "no label region with id 'zz'" in messages[0]
    assert "labels ['nearby']" in messages[1]
    assert "not LOCATION to CLUSTER" in messages[2]
    assert "fill_rate links CLUSTER to PERCENT, not CLUSTER to AREA" in messages[3]
    assert "given twice" in messages[4]
    assert "same_as" in messages[5]
    assert [p.span for p in problems] == [5, 6, 7, 8, 10, 11]


@st.composite
def documents_with_relations(draw) -> Document:
    text = draw(texts)
    spans = [Span(s.start, s.end, s.label, s.text, id=f"r{i}") for i, s in enumerate(draw(spans_for(text)))]
    rels = []
    if spans:
        ids = st.sampled_from([s.id for s in spans])
        rels = draw(st.lists(st.builds(Relation, ids, ids, st.sampled_from([*RELATIONS, None]),
                                       st.sampled_from(("right", "left", "bi"))), max_size=6))
    return Document(id="doc", text=text, spans=spans, relations=rels)


@settings(max_examples=80, deadline=None)
@given(documents_with_relations())
def test_relations_round_trip_through_a_task(doc):
    back = task_to_document(document_to_task(doc))
    assert (back.spans, back.relations) == (doc.spans, doc.relations)
    again = document_to_task(back)
    assert again == document_to_task(doc)


@settings(max_examples=60, deadline=None)
@given(tasks(min_annotations=1), st.data())
def test_a_task_with_relation_results_is_written_back_identically(task, data):
    task = copy.deepcopy(task)
    result = task["annotations"][0]["result"]
    ids = [r["id"] for r in result if r.get("type") == "labels" and "id" in r]
    if ids:
        pick = st.sampled_from(ids)
        result += data.draw(st.lists(st.builds(lambda a, b, lab: {"from_id": a, "to_id": b, "type": "relation",
                                                                   "direction": "right", "labels": [lab]},
                                               pick, pick, st.sampled_from(list(RELATIONS))), max_size=3))
    doc = task_to_document(task)
    assert [(r.from_id, r.to_id) for r in doc.relations] == [(r["from_id"], r["to_id"]) for r in result
                                                            if r.get("type") == "relation"]
    assert document_to_task(doc) == task


@given(st.lists(st.tuples(st.integers(0, 5), st.integers(0, 5)), max_size=12))
def test_cluster_roots_are_the_connected_groups_of_same_as(pairs):
    """Whatever the order and shape of the same_as links (chains, trees, cycles), two mentions
    share a root exactly when the links connect them, and a root is a mention of its group."""
    spans = [Span(i, i + 1, "CLUSTER", "x", id=f"m{i}") for i in range(6)]
    rels = [Relation(f"m{a}", f"m{b}", "same_as") for a, b in pairs] + [Relation("m0", "m1", "located_in")]
    roots = Document(id="d", text="x" * 7, spans=spans, relations=rels).cluster_roots()
    assert set(roots) == {s.id for s in spans}
    group = {i: {i} for i in range(6)}
    for a, b in pairs:  # connected components, by brute force
        merged = group[a] | group[b]
        for k in merged:
            group[k] = merged
    for i in range(6):
        for j in range(6):
            assert (roots[f"m{i}"] == roots[f"m{j}"]) == (j in group[i])
        assert roots[roots[f"m{i}"]] == roots[f"m{i}"]
