"""Leave-one-document-out cross-validation with a small dictionary tagger trained here.

The real trainer is exercised by the slow test at the end (the smoke config, two folds).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from annotations.document import Document, Span
from evaluation.crossval import cross_validate, leave_one_out
from evaluation.evaluate import evaluate_set


def doc(doc_id: str, text: str, *entities: tuple[str, str]) -> Document:
    spans = []
    for sub, label in entities:
        for m in re.finditer(re.escape(sub), text):
            spans.append(Span.from_text(text, m.start(), m.end(), label))
    return Document(doc_id, text, spans)


DOCS = [
    doc("d1", "KCN Tân Tạo ở TP.HCM.", ("KCN Tân Tạo", "CLUSTER"), ("TP.HCM", "LOCATION")),
    doc("d2", "TP.HCM có KCN Hiệp Phước.", ("TP.HCM", "LOCATION"), ("KCN Hiệp Phước", "CLUSTER")),
    doc("d3", "KCN Tân Tạo rộng 100 ha.", ("KCN Tân Tạo", "CLUSTER"), ("100 ha", "AREA")),
]


class DictionaryTagger:
    """Trains by remembering every (text, label) of its training spans; tags exact occurrences."""

    def __init__(self) -> None:
        self.calls: list[tuple[dict, Path, list[str]]] = []

    def train(self, config: dict, output_dir: Path, *, train_documents: list[Document]) -> Path:
        self.calls.append((config, output_dir, [d.id for d in train_documents]))
        output_dir.mkdir(parents=True)
        entries = sorted({(s.text, s.label) for d in train_documents for s in d.spans})
        (output_dir / "dictionary.json").write_text(json.dumps(entries), encoding="utf-8")
        return output_dir

    @staticmethod
    def predict(model_dir: Path, docs: list[Document]) -> list[list[Span]]:
        entries = json.loads((model_dir / "dictionary.json").read_text(encoding="utf-8"))
        return [[Span.from_text(d.text, m.start(), m.end(), label) for text, label in entries
                 for m in re.finditer(re.escape(text), d.text)] for d in docs]


def test_leave_one_out_folds() -> None:
    folds = leave_one_out(DOCS)
    assert [(held.id, [d.id for d in train]) for held, train in folds] == [
        ("d1", ["d2", "d3"]), ("d2", ["d1", "d3"]), ("d3", ["d1", "d2"])]
    assert len(leave_one_out(DOCS, folds=2)) == 2
    with pytest.raises(ValueError, match="between 1 and 3"):
        leave_one_out(DOCS, folds=4)
    with pytest.raises(ValueError, match="at least 2"):
        leave_one_out(DOCS[:1])


def test_cross_validate_never_trains_on_the_held_out_document(tmp_path) -> None:
    tagger = DictionaryTagger()
    system, held_out = cross_validate({"name": "dict"}, DOCS, tmp_path, overrides={"training.max_steps": 3},
                                      train=tagger.train, predict=tagger.predict)
    assert [d.id for d in held_out] == ["d1", "d2", "d3"]
    for (config, out_dir, train_ids), held in zip(tagger.calls, held_out):
        assert held.id not in train_ids and len(train_ids) == 2
        assert config["data"]["gold"] == []  # the config's own gold cannot leak the held-out document
        assert config["training"]["max_steps"] == 3
        assert not out_dir.exists()  # fold models are removed unless kept
    assert system.name == "cv:dict"
    preds = system.predict(held_out)
    # d1: "KCN Tân Tạo" known from d3, "TP.HCM" from d2; d2: only "TP.HCM" (Hiệp Phước unseen)
    assert [(s.text, s.label) for s in preds[0]] == [("KCN Tân Tạo", "CLUSTER"), ("TP.HCM", "LOCATION")]
    assert [(s.text, s.label) for s in preds[1]] == [("TP.HCM", "LOCATION")]
    assert [(s.text, s.label) for s in preds[2]] == [("KCN Tân Tạo", "CLUSTER")]
    folds = system.extra["folds"]
    assert [f["name"] for f in folds] == ["d1", "d2", "d3"]
    assert [f["strict"]["micro"]["f1"] for f in folds] == [1.0, pytest.approx(2 / 3), pytest.approx(2 / 3)]

    set_rep = evaluate_set(held_out, [system], n_boot=50)
    figures = set_rep["systems"]["cv:dict"]
    assert figures["folds"] == folds
    assert (figures["strict"]["micro"]["tp"], figures["strict"]["micro"]["fn"]) == (4, 2)


def test_keep_models(tmp_path) -> None:
    tagger = DictionaryTagger()
    cross_validate({"name": "dict"}, DOCS, tmp_path, folds=1, keep_models=True, train=tagger.train,
                   predict=tagger.predict)
    assert (tagger.calls[0][1] / "dictionary.json").is_file()


def test_bad_config_key_is_rejected(tmp_path) -> None:
    with pytest.raises(ValueError, match="unknown key"):
        cross_validate({"name": "x", "nonsense": 1}, DOCS, tmp_path, train=DictionaryTagger().train)


@pytest.mark.slow
def test_cross_validate_command_with_the_smoke_config(run_module, tmp_path) -> None:
    """Two folds of the real trainer (tiny model, a few steps): the command runs end to end."""
    out = tmp_path / "cv"
    r = run_module("evaluation", "cross-validate", "--config", "smoke", "--folds", "2", "--max-steps", "4",
                   "--no-baselines", "--bootstrap", "50", "--no-chart", "--out", out, timeout=600)
    assert r.returncode == 0, r.stderr[-3000:]
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    set_rep = report["sets"]["seeds-cv"]
    assert set_rep["documents"] == 2
    from annotations.labelstudio import load_documents
    from evaluation.cli import DEFAULT_GOLD

    first_two = [d.id for d in load_documents(DEFAULT_GOLD)[:2]]
    assert [f["name"] for f in set_rep["systems"]["cv:smoke"]["folds"]] == first_two
    assert set_rep["systems"]["cv:smoke"]["strict"]["micro"]["support"] == sum(set_rep["gold_counts"].values())


@pytest.mark.slow
def test_ci_command_gates_on_the_floor(run_module, tmp_path) -> None:
    """``ci --cv-steps N``: cross-validation, no dev set here, report under --out, exit 1 below the floor."""
    floor = tmp_path / "floor.yaml"
    floor.write_text("sets:\n  seeds-cv:\n    system: 'cv:*'\n    micro_f1: 0.999\n", encoding="utf-8")
    out = tmp_path / "reports"
    r = run_module("evaluation", "ci", "--config", "smoke", "--folds", "2", "--cv-steps", "2", "--no-baselines",
                   "--bootstrap", "20", "--no-chart", "--dev", tmp_path / "absent.json", "--floor", floor,
                   "--out", out, timeout=600)
    assert r.returncode == 1, r.stderr[-3000:]
    assert "FLOOR FAILED: set 'seeds-cv', system 'cv:smoke'" in r.stderr
    assert "dev set and learning curve skipped" in r.stderr
    assert "== seeds-cv: 2 documents" in r.stdout
    assert {p.name for p in out.iterdir()} >= {"report.json", "report.md", "report.html"}
