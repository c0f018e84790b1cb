"""Evaluation answers bad gold and mismatched predictions clearly instead of scoring them."""

from __future__ import annotations

import json

import pytest

from annotations import GOLD_DIR
from annotations.labelstudio import load_documents, load_tasks
from evaluation.cli import main
from evaluation.systems import FixedSystem


def test_empty_gold_is_refused(tmp_path, capsys):
    (tmp_path / "empty.json").write_text("[]", encoding="utf-8")
    assert main(["--gold", str(tmp_path / "empty.json"), "--out", str(tmp_path / "out")]) == 2
    assert "holds no documents" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_gold_spans_that_do_not_match_the_text_are_refused(tmp_path, capsys):
    tasks = load_tasks(GOLD_DIR / "seeds.json")[:1]
    tasks[0]["annotations"][0]["result"][0]["value"]["text"] = "WRONG"
    (tmp_path / "bad.json").write_text(json.dumps(tasks, ensure_ascii=False), encoding="utf-8")
    assert main(["--gold", str(tmp_path / "bad.json"), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert "'WRONG': text at offsets is" in err and "annotate validate" in err


def test_predictions_for_documents_not_in_the_gold_are_reported_not_scored(caplog):
    docs = load_documents(GOLD_DIR / "seeds.json")
    system = FixedSystem("p", {**{d.id: d.spans for d in docs}, "elsewhere": []})
    with caplog.at_level("WARNING", logger="evaluation.systems"):
        assert system.predict(docs) == [d.spans for d in docs]
    assert "1 document(s) not in the gold" in caplog.text and "elsewhere" in caplog.text
    with pytest.raises(ValueError, match="no predictions for 1 gold document"):
        FixedSystem("q", {d.id: d.spans for d in docs[1:]}).predict(docs)
