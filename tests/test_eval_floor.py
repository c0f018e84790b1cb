"""The gate (evaluation/floor.py): the model must beat the rules on dev, the dev floor is
required while the dev file is present, and the repository's floor file says so."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from evaluation.floor import check_floor, is_required, load_floor

DEV_RULE = {"system": "model:*", "micro_f1": 0.5, "beat_system": "rules", "margin": 0.0}
f1s = st.floats(min_value=0, max_value=1, allow_nan=False)


def sysrep(f1: float | None, available: bool = True) -> dict:
    if not available:
        return {"available": False, "reason": "not installed"}
    return {"available": True, "strict": {"micro": {"f1": f1}}}


def report(**systems: dict) -> dict:
    return {"sets": {"dev": {"systems": systems}}}


def dev_report(model: float, rules: float) -> dict:
    return report(**{"model:default": sysrep(model), "rules": sysrep(rules), "underthesea": sysrep(0.1)})


def test_model_below_the_rules_fails() -> None:
    fail, ok = check_floor(dev_report(0.90, 0.921), {"sets": {"dev": DEV_RULE}})
    assert fail == ["set 'dev', system 'model:default': micro-F1 0.9000 is below 'rules' (0.9210) + margin 0.0000"]
    assert ok == ["set 'dev', system 'model:default': micro-F1 0.900 >= floor 0.500"]


def test_model_level_with_or_above_the_rules_passes() -> None:
    for model in (0.921, 0.925):
        fail, ok = check_floor(dev_report(model, 0.921), {"sets": {"dev": DEV_RULE}})
        assert fail == [] and len(ok) == 2
        assert ok[1].startswith("set 'dev', system 'model:default': micro-F1")
        assert ">= 'rules' (0.9210) + margin" in ok[1]


def test_margin_and_the_floor_are_both_checked() -> None:
    floor = {"sets": {"dev": {**DEV_RULE, "micro_f1": 0.95, "margin": 0.01}}}
    fail, _ = check_floor(dev_report(0.925, 0.921), floor)
    assert len(fail) == 2 and "below the floor 0.950" in fail[0] and "+ margin 0.0100" in fail[1]


@given(f1s, f1s, st.floats(min_value=-0.2, max_value=0.2, allow_nan=False))
def test_beat_gate_fails_exactly_below_rules_plus_margin(model, rules, margin) -> None:
    floor = {"sets": {"dev": {"system": "model:*", "micro_f1": 0.0, "beat_system": "rules", "margin": margin}}}
    fail, ok = check_floor(dev_report(model, rules), floor)
    assert bool(fail) == (model < rules + margin)
    assert len(fail) + len(ok) == 2  # the floor line and the comparison line
    if margin == 0:
        assert bool(fail) == (model < rules)


@given(f1s, f1s, st.floats(min_value=0, max_value=0.2, allow_nan=False))
def test_a_larger_margin_never_turns_a_failure_into_a_pass(model, rules, extra) -> None:
    def failed(margin: float) -> bool:
        return bool(check_floor(dev_report(model, rules), {"sets": {"dev": {**DEV_RULE, "micro_f1": 0.0,
                                                                          "margin": margin}}})[0])

    assert failed(extra) or not failed(0.0)


def test_every_matching_model_must_beat_the_rules_but_not_the_rules_itself() -> None:
    rep = report(**{"model:a": sysrep(0.95), "model:b": sysrep(0.80), "rules": sysrep(0.9)})
    fail, ok = check_floor(rep, {"sets": {"dev": {**DEV_RULE, "system": "*"}}})
    assert len(fail) == 1 and "'model:b'" in fail[0] and "below 'rules' (0.9000)" in fail[0]
    assert not any("system 'rules': micro-F1 0.9000 >=" in m for m in ok)


def test_missing_or_unavailable_reference_fails() -> None:
    fail, _ = check_floor(report(**{"model:a": sysrep(0.95)}), {"sets": {"dev": DEV_RULE}})
    assert fail == ["set 'dev': beat_system 'rules' is not in the report (systems: model:a)"]
    fail, _ = check_floor(report(**{"model:a": sysrep(0.95), "rules": sysrep(None, available=False)}),
                          {"sets": {"dev": DEV_RULE}})
    assert fail == ["set 'dev': beat_system 'rules' has no micro-F1 (not installed)"]


# ------------------------------------------------------------------ required while the dev file is present

DEV_FLOOR = {"sets": {"dev": {**DEV_RULE, "required_if_present": "corpus/dev.json"}}}


def test_dev_floor_is_required_while_the_dev_file_is_present(tmp_path, monkeypatch) -> None:
    shared = tmp_path / "shared"
    (shared / "corpus").mkdir(parents=True)
    monkeypatch.setenv("VICLUSTER_SHARED", str(shared))
    fail, ok = check_floor({"sets": {}}, DEV_FLOOR)
    assert fail == [] and ok == [f"set 'dev' is not in the report (optional; skipped: "
                                 f"{shared / 'corpus' / 'dev.json'} is absent)"]
    (shared / "corpus" / "dev.json").write_text("[]", encoding="utf-8")
    fail, ok = check_floor({"sets": {}}, DEV_FLOOR)
    assert ok == [] and fail == [f"set 'dev' is not in the report; {shared / 'corpus' / 'dev.json'} is present, "
                                 "so the set is required"]
    assert check_floor(dev_report(0.95, 0.9), DEV_FLOOR)[0] == []
    assert is_required({"system": "x", "micro_f1": 0}) == (True, "")
    assert is_required({"system": "x", "micro_f1": 0, "required": False}) == (False, "")


def test_floor_file_validation(tmp_path) -> None:
    path = tmp_path / "f.yaml"
    bad = {
        "required: true\n    required_if_present: corpus/dev.json": "not both",
        "required: maybe": "true or false",
        "margin: 0.1": "margin needs beat_system",
        "beat_system: rules\n    margin: 3": r"margin must be a number in \[-1, 1\]",
        "beat_system: ''": "beat_system must be a system name",
        "required_if_present: 3": "required_if_present must be a file path",
        "beat: rules": "unknown key",
    }
    for extra, match in bad.items():
        path.write_text(f"sets:\n  dev:\n    system: x\n    micro_f1: 0.5\n    {extra}\n", encoding="utf-8")
        with pytest.raises(ValueError, match=match):
            load_floor(path)


def test_repository_floor_requires_dev_and_holds_the_model_to_its_rules() -> None:
    from evaluation.cli import DEFAULT_FLOOR

    sets = load_floor(DEFAULT_FLOOR)["sets"]
    assert sets["dev"]["required_if_present"] == "corpus/dev.json" and "required" not in sets["dev"]
    # the model may lie at most 0.025 below its rules, what two CI runs of 2026-12-08 measured
    # (configs/quality-floor.yaml says why); no looser
    assert sets["dev"]["beat_system"] == "rules" and -0.025 <= sets["dev"]["margin"] <= 0.02
    assert sets["dev"]["system"] == "model:*"
    assert sets["seeds-cv"]["required"] is False  # cross-validation runs in CI only when asked


# ------------------------------------------------------------------ printed like the other floor lines


def test_check_floor_command_prints_the_comparison(run_module, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("VICLUSTER_SHARED", str(tmp_path / "no-shared"))
    rep = tmp_path / "report.json"
    floor = tmp_path / "floor.yaml"
    floor.write_text("sets:\n  dev:\n    system: 'model:*'\n    micro_f1: 0.5\n"
                     "    required_if_present: corpus/dev.json\n    beat_system: rules\n    margin: 0.0\n",
                     encoding="utf-8")
    rep.write_text(json.dumps({"schema": 1, "meta": {}, **dev_report(0.90, 0.921)}), encoding="utf-8")
    r = run_module("evaluation", "check-floor", rep, "--floor", floor)
    assert r.returncode == 1
    assert "floor ok: set 'dev', system 'model:default': micro-F1 0.900 >= floor 0.500" in r.stdout
    assert "FLOOR FAILED: set 'dev', system 'model:default': micro-F1 0.9000 is below 'rules' (0.9210)" in r.stderr
    rep.write_text(json.dumps({"schema": 1, "meta": {}, **dev_report(0.93, 0.921)}), encoding="utf-8")
    r = run_module("evaluation", "check-floor", rep, "--floor", floor)
    assert r.returncode == 0
    assert "floor ok: set 'dev', system 'model:default': micro-F1 0.9300 >= 'rules' (0.9210)" in r.stdout
    rep.write_text(json.dumps({"schema": 1, "meta": {}, "sets": {}}), encoding="utf-8")
    r = run_module("evaluation", "check-floor", rep, "--floor", floor)
    assert r.returncode == 0 and "optional; skipped" in r.stdout and "is absent" in r.stdout


def test_ci_without_the_shared_folder_skips_cv_dev_and_curve(run_module, tmp_path, monkeypatch) -> None:
    """No training at all: cross-validation is off by default and the dev set is absent, so the
    repository floors pass as skipped."""
    monkeypatch.setenv("VICLUSTER_SHARED", str(tmp_path / "empty"))
    out = tmp_path / "reports"
    r = run_module("evaluation", "ci", "--config", "smoke", "--bootstrap", "20", "--no-chart", "--out", out)
    assert r.returncode == 0, r.stderr[-3000:]
    assert "seeds cross-validation skipped (--cv-steps 0)" in r.stderr
    assert "dev set and learning curve skipped" in r.stderr
    assert "floor ok: set 'seeds-cv' is not in the report (optional; skipped)" in r.stdout
    assert "floor ok: set 'dev' is not in the report (optional; skipped: " in r.stdout
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    # Only the hand-written record gold, which needs no shared folder and no training, is scored.
    assert set(report["sets"]) == {"written-records"}
    assert "learning_curve" not in report and report["meta"]["cv_steps"] == 0
    written = report["sets"]["written-records"]
    assert not any(name.startswith(("model:", "cv:")) for name in written["systems"])
