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
