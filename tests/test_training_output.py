"""Training never clobbers: an output directory that holds files is refused without
--overwrite, and with it nothing training did not write is deleted."""

from __future__ import annotations

import pytest

from training import train_model
from training.__main__ import main

pytestmark = pytest.mark.slow
QUICK = {"training.max_steps": 4, "training.eval_steps": 2}


def test_a_directory_with_files_is_refused_and_left_untouched(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(FileExistsError, match="already holds 1 entries"):
        train_model("smoke", out, overrides=QUICK, progress=False)
    assert sorted(p.name for p in out.iterdir()) == ["notes.txt"]


def test_overwrite_replaces_the_model_and_keeps_other_files(tmp_path):
    out = tmp_path / "out"
    train_model("smoke", out, overrides=QUICK, progress=False)
    with pytest.raises(FileExistsError, match="already holds a model"):
        train_model("smoke", out, overrides=QUICK, progress=False)
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    before = (out / "metrics.json").read_text(encoding="utf-8")
    train_model("smoke", out, overrides=QUICK, progress=False, overwrite=True)
    assert (out / "notes.txt").read_text(encoding="utf-8") == "mine"
    assert (out / "config.json").exists() and (out / "metrics.json").read_text(encoding="utf-8") != before


def test_the_cli_refuses_with_one_line_and_exit_code_2(tmp_path, capsys):
    (tmp_path / "x").write_text("x", encoding="utf-8")
    assert main(["--config", "smoke", "--output", str(tmp_path), "--no-progress"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "--overwrite" in err[0]
    assert main(["--config", "smoke", "--output", str(tmp_path / "x"), "--no-progress"]) == 2
    assert "is a file" in capsys.readouterr().err


def _run_with_checkpoints(out):
    overrides = {"training.max_steps": 10, "training.eval_steps": 5, "training.save_total_limit": 3,
                 "data.dev_fraction": 0.0}
    train_model("smoke", out, overrides=overrides, progress=False, keep_checkpoints=True)
    return overrides


def test_resume_refuses_a_changed_config_and_names_the_difference(tmp_path):
    out = tmp_path / "m"
    overrides = _run_with_checkpoints(out)
    with pytest.raises(ValueError, match=r"training.learning_rate: 0.\d+ -> 0.5"):
        train_model("smoke", out, overrides={**overrides, "training.learning_rate": 0.5}, progress=False, resume=True)


def test_resume_skips_a_half_written_last_checkpoint(tmp_path, caplog):
    from training.train import read_metrics

    out = tmp_path / "m"
    overrides = _run_with_checkpoints(out)
    ckpts = out / "checkpoints"
    assert {p.name for p in ckpts.glob("checkpoint-*")} == {"checkpoint-5", "checkpoint-10"}
    (ckpts / "checkpoint-10" / "trainer_state.json").unlink()  # as if the process died while writing it
    with caplog.at_level("WARNING", logger="training.train"):
        train_model("smoke", out, overrides={**overrides, "training.max_steps": 12}, progress=False, resume=True)
    assert "checkpoint-10 is incomplete" in caplog.text and "continuing from checkpoint-5" in caplog.text
    assert read_metrics(out)["global_step"] == 12


def test_metrics_after_a_resume_cover_the_whole_run(tmp_path):
    from training.callbacks import elapsed_before
    from training.train import read_metrics

    out = tmp_path / "m"
    overrides = _run_with_checkpoints(out)
    before = elapsed_before(out / "checkpoints" / "checkpoint-10")
    assert before > 0
    train_model("smoke", out, overrides={**overrides, "training.max_steps": 12}, progress=False, resume=True)
    metrics = read_metrics(out)
    assert metrics["global_step"] == 12 and metrics["train_seconds"] > before


def test_checkpoints_hold_relative_paths_and_resume_after_a_move(tmp_path):
    import json
    import shutil

    from training.train import read_metrics

    overrides = {"training.max_steps": 10, "training.eval_steps": 5, "training.save_total_limit": 3}
    first = tmp_path / "first"
    train_model("smoke", first, overrides=overrides, progress=False, keep_checkpoints=True)
    states = sorted((first / "checkpoints").glob("checkpoint-*/trainer_state.json"))
    assert states
    for state_file in states:
        text = state_file.read_text(encoding="utf-8")
        assert str(tmp_path) not in text
        best = json.loads(text)["best_model_checkpoint"]
        assert best and best.startswith("checkpoint-") and (state_file.parent.parent / best).is_dir()
    moved = tmp_path / "moved"
    shutil.move(str(first), str(moved))
    train_model("smoke", moved, overrides={**overrides, "training.max_steps": 12}, progress=False, resume=True,
                keep_checkpoints=True)
    assert read_metrics(moved)["global_step"] == 12
    states = list((moved / "checkpoints").glob("checkpoint-*/trainer_state.json"))
    assert any(p.parent.name == "checkpoint-12" for p in states)
    for state_file in states:
        best = json.loads(state_file.read_text(encoding="utf-8"))["best_model_checkpoint"]
        assert str(tmp_path) not in state_file.read_text(encoding="utf-8")
        assert best.startswith("checkpoint-") and (moved / "checkpoints" / best).is_dir()


def test_resume_without_a_checkpoint_is_a_usage_error_that_writes_nothing(tmp_path, capsys):
    out = tmp_path / "never-trained"
    assert main(["--config", "smoke", "--output", str(out), "--resume", "--no-progress"]) == 2
    err = capsys.readouterr().err
    assert err.strip() == f"error: --resume: no complete checkpoint in {out / 'checkpoints'}"
    assert not out.exists()
    out.mkdir()
    (out / "checkpoints").mkdir()
    (out / "checkpoints" / "checkpoint-4").mkdir()  # begun, never finished
    assert main(["--config", "smoke", "--output", str(out), "--resume", "--no-progress"]) == 2
    assert "no complete checkpoint in" in capsys.readouterr().err


def test_python_m_training_fails_in_one_line(tmp_path, run_module):
    bad = tmp_path / "broken.yaml"
    bad.write_text("training: [unclosed\n", encoding="utf-8")
    r = run_module("training", "--config", bad, "--output", tmp_path / "m", "--no-progress")
    assert r.returncode in (1, 2) and "Traceback" not in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1 and str(bad) in r.stderr
