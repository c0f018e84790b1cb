"""Training across processes: ``torchrun --nproc_per_node 2`` of the smoke config on the gloo
backend (CPU) finishes and writes one model directory, from the main process only (issue 15,
part 6; training/distributed.py)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from conftest import REPO_ROOT

pytestmark = pytest.mark.slow


def _torchrun(*args, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8", "OMP_NUM_THREADS": "1",
           "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO_ROOT), os.environ.get("PYTHONPATH")]))}
    cmd = [sys.executable, "-m", "torch.distributed.run", "--standalone", "--nproc_per_node", "2",
           "-m", "training", *map(str, args)]
    return subprocess.run(cmd, cwd=REPO_ROOT, env=env, capture_output=True, text=True, encoding="utf-8",
                          timeout=timeout)


def test_torchrun_two_cpu_processes_write_one_model(tmp_path):
    out = tmp_path / "model"
    proc = _torchrun("--config", "smoke", "--output", out, "--set", "training.max_steps=4",
                     "--set", "training.eval_steps=2", "--no-progress")
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model"]  # one directory, nothing beside it
    held = {p.name for p in out.iterdir()}
    assert {"config.json", "model.safetensors", "vicluster.json", "metrics.json", "tokenizer.json"} <= held
    assert "checkpoints" not in held and not any(name.endswith((".bin", ".pt", ".pkl")) for name in held)
    metrics = json.loads((out / "metrics.json").read_text(encoding="utf-8"))
    assert metrics["global_step"] == 4
    assert metrics["processes"] == 2  # data-parallel: each process trained its share, not all of it alone
    assert "parallel_mode != ParallelMode.DISTRIBUTED" not in proc.stderr
    assert proc.stdout.count(f"wrote {out}") == 1  # the main process alone reports

    from models.tagger import Tagger

    spans = Tagger.from_pretrained(out, device="cpu").extract("KCN Tân Tạo rộng 16 ha.")
    assert isinstance(spans, list)


def test_torchrun_refuses_a_used_output_once(tmp_path):
    out = tmp_path / "model"
    out.mkdir()
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    proc = _torchrun("--config", "smoke", "--output", out, "--no-progress", timeout=300)
    assert proc.returncode != 0
    assert proc.stderr.count("already holds 1 entries (notes.txt") == 1
    assert sorted(p.name for p in out.iterdir()) == ["notes.txt"]
    assert (out / "notes.txt").read_text(encoding="utf-8") == "mine"
