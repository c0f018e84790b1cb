"""The inference benchmark prints its figures for every system."""

from __future__ import annotations

import re


def test_benchmark_prints_a_row_per_system(smoke_model, capsys):
    from models.benchmark import main

    assert main([str(smoke_model), "--repeat", "1"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("5 articles, ")
    rows = [line for line in out.splitlines() if re.search(r"\d+\.\d\d\s+\d+\s+\d+\.\d$", line)]
    assert [r.split()[0] for r in rows] == ["rules", smoke_model.name]
    assert re.search(r"peak resident memory \d+ MB", out)
