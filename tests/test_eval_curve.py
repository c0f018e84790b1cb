"""The learning curve (evaluation/curve.py): plan, scoring of fixed predictions, tables, chart,
files, the points run with a fake trainer, the report section and the command's errors.

Only the slow test at the end trains real (tiny) models.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from annotations.document import Document, Span
from annotations.labels import LABELS
from annotations.labelstudio import document_to_task, save_tasks
from evaluation.curve import (CURVE_HEADER, FILES, CurveEntry, SharedGoldMissing, build_curve, curve_markdown,
                              curve_rows, curve_text, learning_curve, load_curve, parse_fractions, plan_points,
                              point_name, run_points, write_curve)
from annotations.scoring import score_strict

TEXTS = {
    "a": "KCN Tân Tạo ở TP.HCM rộng 100 ha, lấp đầy 80%.",
    "b": "Cụm công nghiệp Huyền Tụng (thành phố Bắc Kạn, 16ha) đạt 100%.",
    "c": "Tỉnh Long An có 14.674,3 ha đất khu công nghiệp.",
}


def span(doc: str, sub: str, label: str) -> Span:
    start = TEXTS[doc].index(sub)
    return Span.from_text(TEXTS[doc], start, start + len(sub), label)


GOLD = {
    "a": [span("a", "KCN Tân Tạo", "CLUSTER"), span("a", "TP.HCM", "LOCATION"), span("a", "100 ha", "AREA"),
          span("a", "80%", "PERCENT")],
    "b": [span("b", "Cụm công nghiệp Huyền Tụng", "CLUSTER"), span("b", "thành phố Bắc Kạn", "LOCATION"),
          span("b", "16ha", "AREA"), span("b", "100%", "PERCENT")],
    "c": [span("c", "Tỉnh Long An", "LOCATION"), span("c", "14.674,3 ha", "AREA")],
}
DOCS = [Document(i, TEXTS[i], GOLD[i]) for i in TEXTS]
ALL_GOLD = [GOLD[d.id] for d in DOCS]
#: the rules miss LOCATION in b and c; a tagged point misses them all but for the fraction's share
RULES = [GOLD["a"], [s for s in GOLD["b"] if s.label != "LOCATION"], [GOLD["c"][1]]]


def entries() -> list[CurveEntry]:
    return [CurveEntry("rules", "rules", RULES),
            CurveEntry("no-hints@100%", "no-hints", [[], [], []], fraction=1.0, train_documents=90,
                       train_seconds=31.26, steps=20),
            CurveEntry("hints@0%", "hints", [GOLD["a"], [], []], fraction=0.0, train_documents=0,
                       train_seconds=12.0, steps=20),
            CurveEntry("hints@100%", "hints", ALL_GOLD, fraction=1.0, train_documents=90, train_seconds=400.0,
                       steps=5000, reused=True, model_dir="runs/default")]


# ------------------------------------------------------------------ plan


def test_parse_fractions() -> None:
    assert parse_fractions("1,0,0.5,0.25,0.5") == [0.0, 0.25, 0.5, 1.0]
    assert parse_fractions(" 0.3 , ") == [0.3]
    assert parse_fractions([1, 0]) == [0.0, 1.0]
    for bad, match in (("0,2", r"not in \[0, 1\]"), ("a", "not a number"), ("", "at least one"),
                       ("-0.1", r"not in \[0, 1\]")):
        with pytest.raises(ValueError, match=match):
            parse_fractions(bad)


@given(st.lists(st.floats(min_value=0, max_value=1, allow_nan=False), min_size=1, max_size=8))
def test_parse_fractions_is_sorted_and_distinct(values) -> None:
    out = parse_fractions(",".join(repr(v) for v in values))
    assert out == sorted(set(out)) and set(out) == {float(v) for v in values}
    assert all(0 <= v <= 1 for v in out)


def test_plan_points() -> None:
    plan = plan_points([0, 0.5, 1])
    assert [p["name"] for p in plan] == ["no-hints@100%", "hints@0%", "hints@50%", "hints@100%"]
    assert plan[0]["overrides"] == {"hints": None, "data.shared_gold_fraction": 1.0}
    assert plan[2]["overrides"] == {"hints": "rules", "data.shared_gold_fraction": 0.5}
    reused = plan_points([0, 0.5, 1], reuse_full=True)
    assert [p["name"] for p in reused] == ["no-hints@100%", "hints@0%", "hints@50%"]
    assert point_name("hints", 1 / 3) == "hints@33.3%" and point_name("rules") == "rules"


# ------------------------------------------------------------------ scoring and tables


def test_build_curve_scores_each_system_on_dev() -> None:
    curve = build_curve(DOCS, entries(), source="dev.json", config="smoke")
    assert curve["schema"] == 1 and curve["config"] == "smoke"
    assert curve["dev"] == {"source": "dev.json", "documents": 3,
                            "gold_counts": {"CLUSTER": 2, "LOCATION": 3, "AREA": 3, "PERCENT": 2}}
    by_name = {s["name"]: s for s in curve["systems"]}
    assert list(by_name) == ["rules", "no-hints@100%", "hints@0%", "hints@100%"]
    assert by_name["rules"]["strict"] == score_strict(ALL_GOLD, RULES)
    assert by_name["rules"]["strict"]["LOCATION"]["f1"] == pytest.approx(0.5)  # 1 of 3 found, no false positive
    assert by_name["hints@100%"]["strict"]["micro"]["f1"] == 1.0
    assert by_name["no-hints@100%"]["strict"]["micro"]["f1"] == 0.0
    assert by_name["rules"]["train_documents"] is None and by_name["hints@100%"]["reused"] is True
    assert by_name["no-hints@100%"]["train_seconds"] == 31.3


def test_build_curve_rejects_bad_entries() -> None:
    with pytest.raises(ValueError, match="2 predicted span lists for 3 dev documents"):
        build_curve(DOCS, [CurveEntry("x", "hints", [[], []])])
    with pytest.raises(ValueError, match="two curve systems are named 'x'"):
        build_curve(DOCS, [CurveEntry("x", "hints", [[], [], []]), CurveEntry("x", "rules", [[], [], []])])
    with pytest.raises(ValueError, match="unknown kind"):
        build_curve(DOCS, [CurveEntry("x", "other", [[], [], []])])
    bad = Span(0, 3, "KCN", "PLACE")
    with pytest.raises(ValueError, match="unknown label"):
        build_curve(DOCS, [CurveEntry("x", "hints", [[bad], [], []])])


def test_curve_table_rows() -> None:
    curve = build_curve(DOCS, entries(), source="dev.json")
    rows = curve_rows(curve)
    assert len(rows) == 4 and all(len(r) == len(CURVE_HEADER) for r in rows)
    assert CURVE_HEADER[1:5] == list(LABELS)
    assert rows[0] == ["rules", "1.000", "0.500", "1.000", "1.000", "1.000", "0.800", "0.889", "–", "–", "–"]
    assert rows[3][0] == "hints@100% (reused)" and rows[3][-3:] == ["90", "5000", "400"]
    assert rows[1][CURVE_HEADER.index("micro P")] == "–"  # nothing predicted: precision undefined
    text = curve_text(curve)
    assert "learning curve: dev, 3 documents" in text and "hints@0%" in text


@given(st.lists(st.lists(st.booleans(), min_size=4, max_size=4), min_size=3, max_size=3))
def test_curve_figures_follow_the_predictions(keep) -> None:
    """Any subset of the gold as predictions: precision 1 where defined, recall = share kept,
    perfect F1 exactly when everything is kept."""
    pred = [[s for s, k in zip(GOLD[d.id], flags) if k] for d, flags in zip(DOCS, keep)]
    curve = build_curve(DOCS, [CurveEntry("p", "hints", pred, fraction=0.5, train_documents=3)])
    micro = curve["systems"][0]["strict"]["micro"]
    kept = sum(len(p) for p in pred)
    assert micro["tp"] == kept and micro["fp"] == 0 and micro["fn"] == 10 - kept
    assert micro["p"] in (None, 1.0) and micro["r"] == pytest.approx(kept / 10)
    assert (micro["f1"] == 1.0) == (kept == 10)
    row = curve_rows(curve)[0]
    assert all(c == "–" or 0 <= float(c) <= 1 for c in row[1:8])


def test_curve_markdown_has_the_table_and_the_chart_link() -> None:
    curve = build_curve(DOCS, entries(), source="dev.json", notes=["a note"])
    md = curve_markdown(curve)
    assert md.startswith("# Learning curve on dev")
    assert "| system | CLUSTER | LOCATION | AREA | PERCENT | micro P |" in md
    assert f"]({FILES['png']})" in md and "- a note" in md
    assert "hints@100% (reused)" in md
    assert "](" not in curve_markdown(curve, image=None)


# ------------------------------------------------------------------ chart and files


def is_png(data: bytes) -> bool:
    return data[:8] == b"\x89PNG\r\n\x1a\n"


def test_chart_is_a_png_also_for_odd_curves() -> None:
    from evaluation.chart import learning_curve_png

    assert is_png(learning_curve_png(build_curve(DOCS, entries())))
    # the rules alone; a label without gold or predictions (F1 undefined); one trained point
    assert is_png(learning_curve_png(build_curve(DOCS, entries()[:1])))
    no_percent = [Document(d.id, d.text, [s for s in d.spans if s.label != "PERCENT"]) for d in DOCS]
    preds = [[s for s in GOLD[d.id] if s.label != "PERCENT"] for d in DOCS]
    curve = build_curve(no_percent, [CurveEntry("hints@50%", "hints", preds, fraction=0.5, train_documents=4)])
    assert curve["systems"][0]["strict"]["PERCENT"]["f1"] is None
    assert is_png(learning_curve_png(curve))


def test_write_curve_files(tmp_path) -> None:
    curve = build_curve(DOCS, entries(), source="dev.json")
    paths = write_curve(curve, tmp_path / "out")
    assert {p.name for p in paths.values()} == set(FILES.values())
    assert load_curve(paths["json"])["systems"] == json.loads(json.dumps(curve["systems"]))
    assert "| hints@0% |" in paths["md"].read_text(encoding="utf-8")
    assert is_png(paths["png"].read_bytes())
    (tmp_path / "bad.json").write_text("{}", encoding="utf-8")
    with pytest.raises(ValueError, match="not a schema-1 learning curve"):
        load_curve(tmp_path / "bad.json")


# ------------------------------------------------------------------ points with a fake trainer

N_SHARED_TRAIN = 8


class FakeTrainer:
    """Writes a model card like training/card.py; its model finds the gold spans of the first
    ``round(fraction * 3)`` dev documents (more real gold, better), with hints only."""

    def __init__(self) -> None:
        self.calls: list[dict] = []

    def train(self, overrides: dict, output_dir: Path) -> Path:
        self.calls.append(dict(overrides))
        output_dir.mkdir(parents=True)
        f = overrides["data.shared_gold_fraction"]
        (output_dir / "metrics.json").write_text(json.dumps({
            "train_seconds": 10.0 + f, "global_step": 20,
            "documents": {"gold": 5, "shared gold (train)": round(f * N_SHARED_TRAIN), "shared gold (dev)": 2}}))
        (output_dir / "training_config.yaml").write_text(
            f"hints: {overrides['hints'] or 'null'}\ndata:\n  shared_gold_fraction: {f}\n")
        return output_dir

    @staticmethod
    def predict(model_dir: Path, docs) -> list[list[Span]]:
        cfg = (model_dir / "training_config.yaml").read_text()
        f = float(cfg.split("shared_gold_fraction:")[1])
        if "hints: null" in cfg:
            return [[] for _ in docs]
        return [list(d.spans) if i < round(f * len(docs)) else [] for i, d in enumerate(docs)]


def rules_predict(docs) -> list[list[Span]]:
    return [list(p) for p in RULES]


def test_run_points_trains_each_share_and_reads_the_cards(tmp_path) -> None:
    fake = FakeTrainer()
    log = tmp_path / "log.txt"
    with log.open("w") as fh:
        got = run_points(DOCS, tmp_path / "work", fractions=[0, 0.5, 1], train=fake.train, predict=fake.predict,
                         rules_predict=rules_predict, log=fh)
    assert [e.name for e in got] == ["rules", "no-hints@100%", "hints@0%", "hints@50%", "hints@100%"]
    assert [c["data.shared_gold_fraction"] for c in fake.calls] == [1.0, 0.0, 0.5, 1.0]
    assert fake.calls[0]["hints"] is None and all(c["hints"] == "rules" for c in fake.calls[1:])
    assert [e.train_documents for e in got] == [None, 8, 0, 4, 8]
    assert [e.steps for e in got[1:]] == [20] * 4 and got[3].train_seconds == 10.5
    curve = build_curve(DOCS, got)
    micro = [s["strict"]["micro"]["f1"] for s in curve["systems"] if s["kind"] == "hints"]
    assert micro == sorted(micro) and micro[-1] == 1.0
    text = log.read_text()
    assert "learning curve: training hints@50% (3/4" in text and "dev micro-F1 1.000" in text


def test_run_points_reuses_the_full_model(tmp_path) -> None:
    fake = FakeTrainer()
    full = fake.train({"hints": "rules", "data.shared_gold_fraction": 1.0}, tmp_path / "main-model")
    fake.calls.clear()
    got = run_points(DOCS, tmp_path / "work", fractions=[0, 1], train=fake.train, predict=fake.predict,
                     rules_predict=rules_predict, full_model=full)
    assert [c["data.shared_gold_fraction"] for c in fake.calls] == [1.0, 0.0]  # the 100 % one is not trained
    assert got[-1].name == "hints@100%" and got[-1].reused and got[-1].model_dir == str(full)
    assert got[-1].train_documents == 8
    with pytest.raises(FileNotFoundError, match="does not exist"):
        run_points(DOCS, tmp_path / "w2", fractions=[1], train=fake.train, predict=fake.predict,
                   rules_predict=rules_predict, full_model=tmp_path / "nowhere")


def test_run_points_warns_when_the_reused_model_is_not_the_full_point(tmp_path, capsys) -> None:
    import sys

    fake = FakeTrainer()
    partial = fake.train({"hints": None, "data.shared_gold_fraction": 0.0}, tmp_path / "m")
    run_points(DOCS, tmp_path / "work", fractions=[1], train=fake.train, predict=fake.predict,
               rules_predict=rules_predict, full_model=partial, log=sys.stderr)
    err = capsys.readouterr().err
    assert "trained without hints" in err and "trained on 0 train.json documents" in err


def shared_folder(root: Path, *, train: bool = True, dev: bool = True) -> Path:
    (root / "corpus").mkdir(parents=True)
    if train:
        save_tasks([document_to_task(Document(f"t{i}", TEXTS["a"], GOLD["a"])) for i in range(10)],
                   root / "corpus" / "train.json")
    if dev:
        save_tasks([document_to_task(d) for d in DOCS], root / "corpus" / "dev.json")
    return root


def test_learning_curve_adds_the_shared_gold_and_needs_it(tmp_path, monkeypatch) -> None:
    fake = FakeTrainer()
    seen: list[dict] = []

    def train(overrides, out):
        seen.append(overrides)
        return fake.train(overrides, out)

    monkeypatch.setenv("VICLUSTER_SHARED", str(shared_folder(tmp_path / "shared")))
    curve = learning_curve("smoke", DOCS, tmp_path / "work", fractions=[0, 1],
                           overrides={"training.max_steps": 20}, train=train, predict=fake.predict,
                           rules_predict=rules_predict, source="dev.json")
    assert curve["config"] == "smoke" and curve["shared_gold"] == ["corpus/train.json"]
    assert curve["shared_gold_documents"] == 10 and curve["fractions"] == [0.0, 1.0]
    assert curve["overrides"] == {"training.max_steps": 20, "data.shared_gold": ["corpus/train.json"]}
    assert [s["name"] for s in curve["systems"]] == ["rules", "no-hints@100%", "hints@0%", "hints@100%"]
    monkeypatch.setenv("VICLUSTER_SHARED", str(tmp_path / "empty"))
    with pytest.raises(SharedGoldMissing, match="train.json is absent"):
        learning_curve("smoke", DOCS, tmp_path / "w2", train=train, predict=fake.predict,
                       rules_predict=rules_predict)


# ------------------------------------------------------------------ the report section


def test_report_carries_the_curve(tmp_path) -> None:
    from evaluation.evaluate import evaluate_set
    from evaluation.report import load_report, make_report, summary_text, write_report
    from evaluation.systems import FixedSystem

    sets = {"dev": evaluate_set(DOCS, [FixedSystem("rules", {d.id: p for d, p in zip(DOCS, RULES)})],
                                n_boot=20, log=None)}
    report = make_report(sets, n_boot=20, seed=0)
    report["learning_curve"] = build_curve(DOCS, entries(), source="dev.json")
    paths = write_report(report, tmp_path, charts=True)
    assert {"curve_json", "curve_md", "curve_png"} <= set(paths)
    assert load_report(paths["json"])["learning_curve"]["systems"][0]["name"] == "rules"
    md = paths["md"].read_text(encoding="utf-8")
    assert "## Learning curve on dev" in md and "![dev F1 against train.json documents](learning_curve.png)" in md
    html = paths["html"].read_text(encoding="utf-8")
    assert 'id="learning-curve-table"' in html and html.count("data:image/png;base64,") == 2
    assert "hints@100% (reused)" in html
    assert "learning curve: dev" in summary_text(report)
    no_charts = tmp_path / "nc"
    write_report(report, no_charts, charts=False)
    assert "data:image/png" not in (no_charts / "report.html").read_text(encoding="utf-8")
    assert is_png((no_charts / "learning_curve.png").read_bytes())  # report.md links it


# ------------------------------------------------------------------ the command


def test_learning_curve_command_needs_the_dev_set(run_module, tmp_path, monkeypatch) -> None:
    empty = tmp_path / "empty-shared"
    empty.mkdir()
    monkeypatch.setenv("VICLUSTER_SHARED", str(empty))  # run_module passes the environment on
    r = run_module("evaluation", "learning-curve", "--config", "smoke", "--out", tmp_path / "out")
    assert r.returncode == 2
    assert f"error: the dev set {empty / 'corpus' / 'dev.json'} is absent" in r.stderr
    assert "VICLUSTER_SHARED" in r.stderr and not (tmp_path / "out").exists()


def test_learning_curve_command_argument_errors(run_module, tmp_path) -> None:
    r = run_module("evaluation", "learning-curve", "--config", "smoke", "--fractions", "0,2")
    assert r.returncode == 2 and "not in [0, 1]" in r.stderr
    r = run_module("evaluation", "learning-curve", "--config", "smoke", "--model", tmp_path / "nope",
                   "--dev", shared_folder(tmp_path / "s") / "corpus" / "dev.json")
    assert r.returncode == 2 and "model directory" in r.stderr and "does not exist" in r.stderr


@pytest.mark.slow
def test_learning_curve_command_end_to_end(run_module, tmp_path, dev_json) -> None:
    """Three tiny models (the smoke config, 20 steps) on the real shared gold, scored on dev."""
    out = tmp_path / "curve"
    r = run_module("evaluation", "learning-curve", "--config", "smoke", "--max-steps", "20", "--fractions", "0,1",
                   "--out", out, timeout=300)
    assert r.returncode == 0, r.stderr[-3000:]
    curve = load_curve(out / "learning_curve.json")
    names = [s["name"] for s in curve["systems"]]
    assert names == ["rules", "no-hints@100%", "hints@0%", "hints@100%"]
    by = {s["name"]: s for s in curve["systems"]}
    assert by["hints@0%"]["train_documents"] == 0
    assert by["hints@100%"]["train_documents"] == by["no-hints@100%"]["train_documents"] > 0
    assert all(by[n]["steps"] == 20 for n in names[1:])
    assert curve["dev"]["documents"] == 25
    assert "learning curve: training hints@0%" in r.stderr
    assert (out / "learning_curve.md").is_file() and is_png((out / "learning_curve.png").read_bytes())
