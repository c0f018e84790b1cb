"""Weak labelling of unlabelled articles."""

from __future__ import annotations

import json

import pytest

from annotations.validate import check_spans
from training.weak import read_articles, weakly_label


def test_articles_are_labelled_by_the_rules(tmp_path):
    path = tmp_path / "a.jsonl"
    rows = [{"doc_id": "x", "text": "KCN Tân Tạo ở TP.HCM rộng 444 ha, lấp đầy 95%."}, {"text": "Không có gì."}]
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n\n", encoding="utf-8")
    docs = weakly_label(path)
    assert [d.id for d in docs] == ["weak:x", "weak:a:2"]
    assert {s.label for s in docs[0].spans} == {"CLUSTER", "LOCATION", "AREA", "PERCENT"}
    assert docs[1].spans == []
    assert all(not check_spans(d.text, d.spans) for d in docs)
    assert len(weakly_label(path, limit=1)) == 1


def test_bad_input_is_reported_with_its_line(tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text('{"text": "ok"}\n{"doc_id": 3}\n', encoding="utf-8")
    with pytest.raises(ValueError, match=r"bad.jsonl:2: expected an object with a string 'text'"):
        read_articles(path)
    with pytest.raises(FileNotFoundError):
        read_articles(tmp_path / "missing.jsonl")


def test_articles_of_the_shared_gold_are_left_out(tmp_path, monkeypatch):
    shared = tmp_path / "shared"
    (shared / "corpus").mkdir(parents=True)
    gold = [{"data": {"doc_id": "g1", "text": "KCN A."}, "annotations": []},
            {"data": {"doc_id": "other-id", "text": "Cùng một bài."}, "annotations": []}]
    (shared / "corpus" / "train.json").write_text(json.dumps(gold, ensure_ascii=False), encoding="utf-8")
    (shared / "corpus" / "dev.json").write_text(json.dumps([{"data": {"doc_id": "d1", "text": "Dev."}}]),
                                                encoding="utf-8")
    monkeypatch.setenv("VICLUSTER_SHARED", str(shared))
    path = tmp_path / "u.jsonl"
    rows = [{"doc_id": "g1", "text": "changed text, same id"}, {"doc_id": "u2", "text": "Cùng một bài."},
            {"doc_id": "d1", "text": "x"}, {"doc_id": "u4", "text": "KCN Tân Tạo."}, {"doc_id": "u5", "text": "y"}]
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", encoding="utf-8")
    assert [d for d, _ in read_articles(path)] == ["weak:u4", "weak:u5"]
    assert [d for d, _ in read_articles(path, limit=1)] == ["weak:u4"]
    monkeypatch.setenv("VICLUSTER_SHARED", str(tmp_path / "absent"))
    assert len(read_articles(path)) == 5
