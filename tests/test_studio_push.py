"""Reading articles and building predictions for push (no server needed)."""

from __future__ import annotations

import json

import pytest

from annotations.document import Span
from annotations.labelstudio import task_to_document
from annotations.studio.predictor import Predictor, prediction_entry, task_score
from annotations.studio.push import read_articles
from annotations.studio.client import StudioError


def test_push_reads_articles_with_the_one_reader(tmp_path):
    from annotations.reader import read_articles as reader

    d = tmp_path / "arts"
    d.mkdir()
    (d / "b.txt").write_text("văn bản B", encoding="utf-8")
    (d / "a.txt").write_text("văn bản A 😀\n", encoding="utf-8")
    jl = tmp_path / "more.jsonl"
    jl.write_text(json.dumps({"doc_id": 7, "text": "K"}) + "\n", encoding="utf-8")
    assert read_articles([d, jl]) == reader([d, jl])
    assert [a.doc_id for a in read_articles([d, jl])] == ["a", "b", "7"]


@pytest.mark.parametrize("setup,message", [
    (lambda p: None, "no such file"),
    (lambda p: p.mkdir(), "no .txt files"),
])
def test_bad_paths(tmp_path, setup, message):
    path = tmp_path / "thing"
    setup(path)
    with pytest.raises(StudioError, match=message):
        read_articles([path])


def test_any_other_file_is_text_and_jsonl_ids_default_to_file_and_line(tmp_path):
    thing = tmp_path / "thing.md"
    thing.write_text("KCN Tân Tạo\n", encoding="utf-8")
    jl = tmp_path / "x.jsonl"
    jl.write_text('\n{"text": "A"}\n{"doc_id": "", "text": "B"}\n', encoding="utf-8")
    assert [(a.doc_id, a.text) for a in read_articles([thing, jl])] == [
        ("thing", "KCN Tân Tạo\n"), ("x:2", "A"), ("x:3", "B")]
    bad = tmp_path / "latin1.txt"
    bad.write_bytes("Hà Nội".encode("latin-1", "replace") + b"\xff")
    with pytest.raises(StudioError, match="latin1.txt: not UTF-8"):
        read_articles([bad])


def test_bad_jsonl_and_duplicates(tmp_path):
    jl = tmp_path / "x.jsonl"
    jl.write_text('{"doc_id": "a"}\n', encoding="utf-8")
    with pytest.raises(StudioError, match=r"x.jsonl:1: expected an object"):
        read_articles([jl])
    jl.write_text("{not json\n", encoding="utf-8")
    with pytest.raises(StudioError, match=r"x.jsonl:1: not JSON"):
        read_articles([jl])
    t = tmp_path / "a.txt"
    t.write_text("A", encoding="utf-8")
    jl.write_text('{"doc_id": "a", "text": "A"}\n', encoding="utf-8")
    with pytest.raises(StudioError, match="doc_id 'a' given more than once"):
        read_articles([t, jl])


def test_task_score_is_the_lowest_span_score():
    spans = [Span(0, 1, "AREA", "x", 0.9), Span(2, 3, "AREA", "y", 0.4), Span(4, 5, "AREA", "z")]
    assert task_score(spans) == 0.4
    assert task_score([]) == 1.0


def test_prediction_entry_has_utf16_offsets_scores_and_version():
    text = "😀 KCN Tân Tạo rộng 5 ha"
    spans = [Span(19, 23, "AREA", "5 ha", 0.8), Span(2, 13, "CLUSTER", "KCN Tân Tạo", 0.6)]
    entry = prediction_entry("doc", text, spans, "m-1")
    assert entry["model_version"] == "m-1" and entry["score"] == 0.6
    assert [r["id"] for r in entry["result"]] == ["doc-p0", "doc-p1"]
    assert [(r["value"]["start"], r["value"]["end"], r["score"]) for r in entry["result"]] == [(3, 14, 0.6), (20, 24, 0.8)]
    back = task_to_document({"data": {"text": text, "doc_id": "doc"}, "predictions": [entry]}, source="predictions")
    assert [(s.start, s.end, s.label, s.score) for s in back.spans] == [(2, 13, "CLUSTER", 0.6), (19, 23, "AREA", 0.8)]


def test_predictor_checks_result_count():
    p = Predictor(lambda texts: [[]], "v")
    assert p.run(["a"]) == [[]]
    with pytest.raises(ValueError, match="1 results for 2 texts"):
        p.run(["a", "b"])
