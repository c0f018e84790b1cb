"""``python -m evaluation`` on tiny Label Studio exports built here, and the floor check."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotations.document import Document, Span
from annotations.labelstudio import document_to_task, save_tasks
from evaluation.floor import check_floor
from evaluation.systems import load_predictions, parse_system

TEXT_A = "KCN Tân Tạo ở TP.HCM rộng 100 ha, lấp đầy 80%."
TEXT_B = "Tỉnh Long An có 14.674,3 ha đất, tăng 5 phần trăm."


def s(text: str, sub: str, label: str) -> Span:
    start = text.index(sub)
    return Span.from_text(text, start, start + len(sub), label)


GOLD = [Document("a", TEXT_A, [s(TEXT_A, "KCN Tân Tạo", "CLUSTER"), s(TEXT_A, "TP.HCM", "LOCATION"),
                               s(TEXT_A, "100 ha", "AREA"), s(TEXT_A, "80%", "PERCENT")]),
        Document("b", TEXT_B, [s(TEXT_B, "Tỉnh Long An", "LOCATION"), s(TEXT_B, "14.674,3 ha", "AREA"),
                               s(TEXT_B, "5 phần trăm", "PERCENT")])]
PRED = {"a": [s(TEXT_A, "Tân Tạo", "CLUSTER"), s(TEXT_A, "TP.HCM", "LOCATION"), s(TEXT_A, "100 ha", "AREA")],
        "b": [s(TEXT_B, "Tỉnh Long An", "LOCATION"), s(TEXT_B, "14.674,3 ha", "AREA")]}


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    gold = tmp_path / "gold.json"
    save_tasks([document_to_task(d) for d in GOLD], gold)
    pred = tmp_path / "pred.json"
    save_tasks([document_to_task(d.with_spans(PRED[d.id]), as_predictions=True, model_version="tiny-v1")
                for d in GOLD], pred)
    return {"gold": gold, "pred": pred, "dir": tmp_path}


def test_scores_a_predictions_file(run_module, files) -> None:
    out = files["dir"] / "out"
    r = run_module("evaluation", "--gold", files["gold"], "--predictions", files["pred"], "--out", out,
                   "--no-baselines", "--bootstrap", "100")
    assert r.returncode == 0, r.stderr
    assert "tiny-v1" in r.stdout and "gold: 2 documents" in r.stdout
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    micro = report["sets"]["gold"]["systems"]["tiny-v1"]["strict"]["micro"]
    assert (micro["tp"], micro["fp"], micro["fn"]) == (4, 1, 3)
    row = next(ln for ln in r.stdout.splitlines() if ln.startswith("tiny-v1"))
    assert f"{micro['f1']:.3f}" in row.split()
    assert (out / "report.md").is_file() and (out / "report.html").is_file()


def test_systems_side_by_side(run_module, files) -> None:
    out = files["dir"] / "out"
    r = run_module("evaluation", "--gold", f"tiny={files['gold']}", "--system", f"mine={files['pred']}",
                   "--system", f"perfect=predictions:{files['gold']}", "--system", "rules=rules",
                   "--out", out, "--bootstrap", "50", "--no-chart", "--no-baselines")
    assert r.returncode == 0, r.stderr
    systems = json.loads((out / "report.json").read_text(encoding="utf-8"))["sets"]["tiny"]["systems"]
    assert list(systems) == ["mine", "perfect", "rules"]
    # a gold export read as predictions has none: every gold span is missed
    assert systems["perfect"]["strict"]["micro"]["fn"] == 7
    assert systems["rules"]["strict"]["micro"]["support"] == 7


def test_baselines_are_in_by_default() -> None:
    from evaluation.cli import _baselines, build_parser

    args = build_parser("score").parse_args(["--gold", "g.json"])
    assert [(b.name, b.labels) for b in _baselines(args)] == [
        ("rules", ("CLUSTER", "LOCATION", "AREA", "PERCENT")), ("underthesea", ("LOCATION",))]
    assert _baselines(build_parser("score").parse_args(["--gold", "g.json", "--no-baselines"])) == []


def test_bad_input_is_a_clear_error(run_module, files, tmp_path) -> None:
    r = run_module("evaluation", "--gold", tmp_path / "nope.json", "--system", "r=rules")
    assert r.returncode == 2 and "does not exist" in r.stderr
    r = run_module("evaluation", "--gold", files["gold"], "--system", "x=neither-a-file-nor-builtin")
    assert r.returncode == 2 and "not a built-in" in r.stderr
    r = run_module("evaluation", "--gold", files["gold"], "--system", "no-equals-sign")
    assert r.returncode == 2 and "NAME=SOURCE" in r.stderr


def test_predictions_for_other_documents_are_rejected(files, tmp_path) -> None:
    other = tmp_path / "other.json"
    save_tasks([document_to_task(Document("zzz", "x", []), as_predictions=True)], other)
    with pytest.raises(ValueError, match="no predictions for 2 gold document"):
        load_predictions(other).predict(GOLD)
    changed = tmp_path / "changed.json"
    save_tasks([document_to_task(Document(d.id, d.text + " ", []), as_predictions=True) for d in GOLD], changed)
    with pytest.raises(ValueError, match="differs from the gold text"):
        load_predictions(changed).predict(GOLD)


def test_parse_system_sources(files) -> None:
    assert parse_system("r=rules").name == "r"
    assert parse_system(f"p={files['pred']}").predict(GOLD)[0] == PRED["a"]
    model = parse_system(f"m={files['dir']}")  # a directory is a model; nothing is loaded until predict
    assert model.source == f"model:{files['dir']}"
    with pytest.raises(ValueError, match="unknown built-in"):
        parse_system("x=builtin:spacy")


# ---------------------------------------------------------------- floor


def write_floor(path: Path, floor: float, required: bool = True, system: str = "tiny-*") -> Path:
    path.write_text(f"sets:\n  gold:\n    system: '{system}'\n    micro_f1: {floor}\n"
                    f"  dev:\n    system: model\n    micro_f1: 0.9\n    required: {str(required).lower()}\n",
                    encoding="utf-8")
    return path


def test_check_floor_command(run_module, files) -> None:
    out = files["dir"] / "out"
    r = run_module("evaluation", "--gold", files["gold"], "--predictions", files["pred"], "--out", out,
                   "--no-baselines", "--bootstrap", "20", "--no-chart")
    assert r.returncode == 0, r.stderr
    report = out / "report.json"
    micro = json.loads(report.read_text(encoding="utf-8"))["sets"]["gold"]["systems"]["tiny-v1"]["strict"]["micro"]
    ok = run_module("evaluation", "check-floor", report, "--floor",
                    write_floor(files["dir"] / "ok.yaml", round(micro["f1"] - 0.01, 3), required=False))
    assert ok.returncode == 0, ok.stderr
    assert "floor ok" in ok.stdout and "optional; skipped" in ok.stdout
    low = run_module("evaluation", "check-floor", report, "--floor",
                     write_floor(files["dir"] / "low.yaml", round(micro["f1"] + 0.01, 3), required=False))
    assert low.returncode == 1
    assert "below the floor" in low.stderr and "tiny-v1" in low.stderr
    missing = run_module("evaluation", "check-floor", report, "--floor",
                         write_floor(files["dir"] / "req.yaml", 0.0, required=True))
    assert missing.returncode == 1 and "'dev' is not in the report" in missing.stderr


def test_floor_rules() -> None:
    report = {"sets": {"s": {"systems": {"cv:a": {"available": True, "strict": {"micro": {"f1": 0.5}}},
                                         "cv:b": {"available": True, "strict": {"micro": {"f1": 0.7}}},
                                         "u": {"available": False, "reason": "not installed"}}}}}
    fail, ok = check_floor(report, {"sets": {"s": {"system": "cv:*", "micro_f1": 0.6}}})
    assert len(fail) == 1 and "cv:a" in fail[0] and len(ok) == 1 and "cv:b" in ok[0]
    fail, _ = check_floor(report, {"sets": {"s": {"system": "u", "micro_f1": 0.0}}})
    assert "not installed" in fail[0]
    fail, _ = check_floor(report, {"sets": {"s": {"system": "model", "micro_f1": 0.0}}})
    assert "no system matches" in fail[0]


def test_repository_floor_file_is_valid() -> None:
    from evaluation.cli import DEFAULT_FLOOR
    from evaluation.floor import load_floor

    floor = load_floor(DEFAULT_FLOOR)
    assert {"seeds-cv", "dev"} <= set(floor["sets"])


def test_bad_floor_file(tmp_path) -> None:
    from evaluation.floor import load_floor

    path = tmp_path / "f.yaml"
    path.write_text("sets:\n  s:\n    system: x\n    micro_f1: 3\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"in \[0, 1\]"):
        load_floor(path)
