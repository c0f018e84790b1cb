"""The benchmark measures the matmul peak and every system on the same texts, and writes one
JSON object (issue 15, part 4) whose figures are positive."""

from __future__ import annotations

import json

import pytest

from conftest import REPO_ROOT

ROW_KEYS = {"name", "dtype", "articles", "chars_per_s", "articles_per_s", "tokens_per_s", "gflops_per_s", "mfu",
            "peak_rss_mb"}
TINY = ["--texts", str(REPO_ROOT / "annotations" / "articles"), "--limit", "2", "--no-phobert", "--no-underthesea",
        "--dtype", "float32", "--peak-size", "256", "--peak-reps", "1"]


def test_benchmark_writes_one_json_object_with_positive_figures(smoke_model, tmp_path, capsys):
    from models.benchmark import main

    out = tmp_path / "bench.json"
    assert main([str(smoke_model), *TINY, "--train-steps", "1", "--train-batch", "2", "--json", str(out)]) == 0
    captured = capsys.readouterr()
    result = json.loads(out.read_text(encoding="utf-8"))
    assert json.loads(captured.out) == result  # stdout: the same object

    assert set(result["peak_gflops"]) == {"fp32", "bf16"}
    assert all(v > 0 for v in result["peak_gflops"].values())
    assert result["texts"]["articles"] == 2
    systems = {r["name"]: r for r in result["systems"]}
    assert list(systems) == ["rules", smoke_model.name]
    for row in systems.values():
        assert ROW_KEYS <= set(row) and "error" not in row
        assert row["articles"] == 2
        assert row["chars_per_s"] > 0 and row["articles_per_s"] > 0 and row["peak_rss_mb"] > 0
    rules, model = systems["rules"], systems[smoke_model.name]
    assert rules["dtype"] is None and rules["tokens_per_s"] is None and rules["mfu"] is None
    assert model["dtype"] == "float32"
    assert model["tokens_per_s"] > 0 and model["gflops_per_s"] > 0
    assert model["mfu"] == pytest.approx(model["gflops_per_s"] / result["peak_gflops"]["fp32"], abs=1e-3)

    [train] = result["training"]
    assert train["name"] == smoke_model.name and train["kind"] == "train" and train["steps"] == 1
    assert train["tokens_per_s"] > 0 and train["gflops_per_s"] > 0 and train["mfu"] > 0

    table = captured.err.splitlines()
    assert any(line.startswith("matmul peak: fp32 ") for line in table)
    names = [line.split()[0] for line in table if line.split() and line.split()[-1].isdigit()]
    assert names == ["rules", smoke_model.name, smoke_model.name]
    assert any(line.startswith(f"{smoke_model.name} train ") for line in table)


def test_benchmark_reports_a_system_that_fails(tmp_path, capsys):
    """A model directory that cannot be loaded is an error row and exit code 1, not a crash."""
    from models.benchmark import main

    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "config.json").write_text("{}", encoding="utf-8")
    assert main([str(broken), *TINY]) == 1
    result = json.loads(capsys.readouterr().out)
    rules, bad = result["systems"]
    assert "error" not in rules and rules["chars_per_s"] > 0
    assert bad["name"] == "broken" and bad["error"]
