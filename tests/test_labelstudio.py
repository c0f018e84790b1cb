"""Label Studio JSON <-> documents: exact round trips and UTF-16 offsets."""

from __future__ import annotations

import copy
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotations.document import Document, Span
from annotations.labelstudio import (OffsetMap, document_to_task, documents_to_tasks, dumps_tasks, load_documents,
                                     load_tasks, save_documents, save_tasks, task_to_document, write_atomic)
from strategies import ASTRAL, label_regions, spans_for, task_lists, tasks, texts, utf16

# ---------------------------------------------------------------------------
# OffsetMap
# ---------------------------------------------------------------------------


@given(texts)
def test_offset_map_agrees_with_utf16_encoding_and_is_inverse(text):
    om = OffsetMap(text)
    assert om.utf16_length == len(text.encode("utf-16-le")) // 2
    for i in range(len(text) + 1):
        o = om.to_utf16(i)
        assert o == utf16(text, i)
        assert om.from_utf16(o) == i


@given(texts)
def test_from_utf16_raises_exactly_inside_surrogate_pairs(text):
    om = OffsetMap(text)
    valid = {utf16(text, i) for i in range(len(text) + 1)}
    for o in range(om.utf16_length + 1):
        if o in valid:
            assert om.to_utf16(om.from_utf16(o)) == o
        else:
            with pytest.raises(ValueError, match="surrogate pair"):
                om.from_utf16(o)


def test_surrogate_split_hand_case():
    om = OffsetMap("a😀b")
    assert [om.to_utf16(i) for i in range(4)] == [0, 1, 3, 4]
    assert om.from_utf16(3) == 2
    with pytest.raises(ValueError, match="surrogate pair"):
        om.from_utf16(2)


@pytest.mark.parametrize("method,bad", [("to_utf16", -1), ("to_utf16", 4), ("from_utf16", -1), ("from_utf16", 5)])
def test_offset_map_rejects_out_of_range(method, bad):
    with pytest.raises(ValueError, match="out of range"):
        getattr(OffsetMap("a😀b"), method)(bad)


# ---------------------------------------------------------------------------
# Round trips
# ---------------------------------------------------------------------------


@given(tasks(), st.sampled_from(("annotations", "predictions")), st.integers(0, 1))
def test_task_document_task_is_identical(task, source, index):
    original = copy.deepcopy(task)
    if index >= len(task.get(source) or [None]):
        index = 0
    doc = task_to_document(task, source=source, index=index)
    assert task == original  # reading does not mutate
    back = document_to_task(doc)
    assert back == original
    assert dumps_tasks([back]) == dumps_tasks([original])


@settings(max_examples=50)
@given(tasks(min_annotations=1, min_predictions=1), st.sampled_from(("annotations", "predictions")))
def test_document_spans_match_label_regions_in_code_points(task, source):
    doc = task_to_document(task, source=source)
    regions = label_regions(task[source][0])
    text = task["data"]["text"]
    assert len(doc.spans) == len(regions)
    for span, region in zip(doc.spans, regions):
        v = region["value"]
        assert (utf16(text, span.start), utf16(text, span.end)) == (v["start"], v["end"])
        assert span.text == text[span.start:span.end] == v["text"]
        assert span.label == v["labels"][0]
        assert span.id == region.get("id")
        assert span.score == region.get("score")
    assert doc.text == text
    assert doc.id == str(task["data"].get("doc_id", task["id"]))


@settings(max_examples=50)
@given(st.data())
def test_replaced_spans_are_written_back_and_the_rest_kept(data):
    task = data.draw(tasks(min_annotations=1))
    text = task["data"]["text"]
    doc = task_to_document(task)
    new_spans = data.draw(spans_for(text))
    back = document_to_task(doc.with_spans(new_spans))
    assert [s.key for s in task_to_document(back).spans] == [s.key for s in new_spans]
    entry, old = back["annotations"][0], task["annotations"][0]
    assert [r for r in entry["result"] if r["type"] != "labels"] == [r for r in old["result"] if r["type"] != "labels"]
    assert {k: v for k, v in entry.items() if k != "result"} == {k: v for k, v in old.items() if k != "result"}
    assert back["annotations"][1:] == task["annotations"][1:]
    assert {k: v for k, v in back.items() if k != "annotations"} == {k: v for k, v in task.items() if k != "annotations"}


@given(st.data())
def test_emoji_before_inside_and_after_spans(data):
    emoji = data.draw(st.sampled_from(ASTRAL))
    text = f"{emoji} KCN {emoji}Tân Tạo{emoji} ở {emoji}{emoji} tỉnh Long An {emoji}"
    start = text.index("KCN")
    end = text.index("Tạo") + 3
    loc = text.index("tỉnh")
    spans = [Span.from_text(text, start, end, "CLUSTER"), Span.from_text(text, loc, loc + 12, "LOCATION")]
    task = document_to_task(Document("e", text, spans))
    values = [r["value"] for r in task["annotations"][0]["result"]]
    assert [(v["start"], v["end"]) for v in values] == [(utf16(text, s.start), utf16(text, s.end)) for s in spans]
    # what JavaScript's String.prototype.substring would give for the UTF-16 offsets
    units = text.encode("utf-16-le")
    assert [units[2 * v["start"]:2 * v["end"]].decode("utf-16-le") for v in values] == [s.text for s in spans]
    assert [s.key for s in task_to_document(task).spans] == [s.key for s in spans]


def test_offset_inside_surrogate_pair_raises_on_read():
    task = {"id": 1, "data": {"text": "😀 Huế"}, "annotations": [{"result": [
        {"from_name": "label", "to_name": "text", "type": "labels",
         "value": {"start": 1, "end": 6, "text": "x", "labels": ["LOCATION"]}}]}]}
    with pytest.raises(ValueError, match="surrogate pair"):
        task_to_document(task)


def test_new_document_becomes_a_minimal_task():
    doc = Document("d1", "KCN Tân Tạo", [Span(0, 11, "CLUSTER", "KCN Tân Tạo", id="r1")])
    assert document_to_task(doc) == {"data": {"text": "KCN Tân Tạo", "doc_id": "d1"}, "annotations": [{"result": [
        {"id": "r1", "from_name": "label", "to_name": "text", "type": "labels",
         "value": {"start": 0, "end": 11, "text": "KCN Tân Tạo", "labels": ["CLUSTER"]}}]}]}


def test_as_predictions_adds_a_prediction_with_model_version_and_scores():
    text = "tỉnh Lạng Sơn 100%"
    gold = task_to_document({"id": 7, "data": {"text": text}, "annotations": [{"result": []}]})
    doc = gold.with_spans([Span(0, 13, "LOCATION", "tỉnh Lạng Sơn", score=0.8), Span(14, 18, "PERCENT", "100%", score=0.6)])
    task = document_to_task(doc, as_predictions=True, model_version="m1")
    assert task["annotations"] == [{"result": []}]
    (pred,) = task["predictions"]
    assert pred["model_version"] == "m1"
    assert pred["score"] == 0.6  # the lowest span score
    assert [r["score"] for r in pred["result"]] == [0.8, 0.6]
    explicit = document_to_task(doc, as_predictions=True, task_score=0.95)
    assert explicit["predictions"][0]["score"] == 0.95
    assert "model_version" not in explicit["predictions"][0]
    back = task_to_document(task, source="predictions")
    assert [(s.key, s.score) for s in back.spans] == [(s.key, s.score) for s in doc.spans]


def test_prediction_without_spans_scores_one():
    doc = Document("d", "không có gì", [])
    assert document_to_task(doc, as_predictions=True)["predictions"] == [{"result": [], "score": 1.0}]


def test_changed_prediction_spans_recompute_the_task_score():
    task = {"id": 1, "data": {"text": "5% và 7%"}, "predictions": [{"model_version": "a", "score": 0.9, "result": [
        {"from_name": "label", "to_name": "text", "type": "labels", "score": 0.9,
         "value": {"start": 0, "end": 2, "text": "5%", "labels": ["PERCENT"]}}]}]}
    doc = task_to_document(task, source="predictions")
    doc = doc.with_spans(doc.spans + [Span(6, 8, "PERCENT", "7%", score=0.3)])
    pred = document_to_task(doc)["predictions"][0]
    assert (pred["score"], pred["model_version"], len(pred["result"])) == (0.3, "a", 2)


def test_region_without_text_takes_it_from_the_offsets():
    task = {"data": {"text": "Huế 😀 Đà Nẵng", "doc_id": "x"}, "annotations": [{"result": [
        {"from_name": "label", "to_name": "text", "type": "labels", "value": {"start": 7, "end": 14, "labels": ["LOCATION"]}}]}]}
    assert task_to_document(task).spans == [Span(6, 13, "LOCATION", "Đà Nẵng")]


@pytest.mark.parametrize("task,match", [
    ({"id": 1, "data": {}}, "no string data.text"),
    ({"id": 1}, "no string data.text"),
    ({"id": 1, "data": {"text": 5}}, "no string data.text"),
    ({"data": {"text": "ab"}, "annotations": [{"result": [{"id": "r", "type": "labels", "value": {
        "start": 0, "end": 1, "labels": ["AREA", "PERCENT"]}}]}]}, "2 labels"),
    ({"data": {"text": "ab"}, "annotations": [{"result": [{"id": "r", "type": "labels", "value": {
        "start": 0, "end": 1}}]}]}, "0 labels"),
    ({"data": {"text": "ab"}, "annotations": [{"result": [{"id": "r", "type": "labels", "value": {
        "end": 1, "labels": ["AREA"]}}]}]}, "start"),
])
def test_bad_tasks_raise_clear_errors(task, match):
    with pytest.raises(ValueError, match=match):
        task_to_document(task)


def test_bad_source_raises():
    with pytest.raises(ValueError, match="source"):
        task_to_document({"data": {"text": ""}}, source="gold")


# ---------------------------------------------------------------------------
# Files
# ---------------------------------------------------------------------------


@settings(max_examples=25)
@given(task_lists())
def test_dumps_and_load_round_trip_through_a_file(tmp_path_factory, task_list):
    path = tmp_path_factory.getbasetemp() / "roundtrip.json"
    save_tasks(task_list, path)
    raw = path.read_text(encoding="utf-8")
    assert raw == dumps_tasks(task_list) and raw.endswith("]\n")
    assert load_tasks(path) == task_list
    docs = load_documents(path)
    save_documents(docs, path)
    assert load_tasks(path) == task_list


def test_load_tasks_accepts_a_single_task_and_json_lines(tmp_path):
    task = {"data": {"text": "Huế", "doc_id": "a"}}
    (tmp_path / "one.json").write_text(json.dumps(task), encoding="utf-8")
    assert load_tasks(tmp_path / "one.json") == [task]
    (tmp_path / "t.jsonl").write_text(json.dumps(task) + "\n\n" + json.dumps(task) + "\n", encoding="utf-8")
    assert load_tasks(tmp_path / "t.jsonl") == [task, task]


@pytest.mark.parametrize("content,error", [("42", ValueError), ("[1, ", json.JSONDecodeError)])
def test_load_tasks_rejects_non_task_json(tmp_path, content, error):
    (tmp_path / "x.json").write_text(content, encoding="utf-8")
    with pytest.raises(error):
        load_tasks(tmp_path / "x.json")


def test_dumps_is_utf8_not_escaped():
    assert "Tân Tạo 😀" in dumps_tasks([{"data": {"text": "Tân Tạo 😀"}}])


def test_write_atomic_replaces_and_leaves_no_temporary_files(tmp_path):
    path = tmp_path / "sub" / "f.json"
    write_atomic(path, "one")
    write_atomic(path, "two")
    assert path.read_text(encoding="utf-8") == "two"
    assert [p.name for p in path.parent.iterdir()] == ["f.json"]


def test_documents_to_tasks_keeps_order():
    docs = [Document(str(i), f"text {i}") for i in range(3)]
    assert [t["data"]["doc_id"] for t in documents_to_tasks(docs)] == ["0", "1", "2"]


@pytest.mark.parametrize("start,end", [("0", 3), (0, 3.0), (0.5, 3), (True, 3), (None, 3)])
def test_offsets_that_are_not_integers_are_refused(start, end):
    from annotations.labelstudio import task_to_document

    task = {"data": {"text": "KCN Tân Tạo"}, "annotations": [{"result": [
        {"id": "r1", "from_name": "label", "to_name": "text", "type": "labels",
         "value": {"start": start, "end": end, "text": "KCN", "labels": ["CLUSTER"]}}]}]}
    with pytest.raises(ValueError, match="r1.*must be integers"):
        task_to_document(task)
