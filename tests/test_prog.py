"""Usage lines name the entry the user typed: ``vicluster extract`` through the ``vicluster``
command, ``python -m models extract`` through ``python -m`` (issue 13, annotations/prog.py)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO_ROOT

#: vicluster ARGS -> the start of its usage line
VICLUSTER = {
    ("extract",): "vicluster extract",
    ("records",): "vicluster records",
    ("train",): "vicluster train",
    ("train", "pretrain"): "vicluster train pretrain",
    ("pretrain",): "vicluster pretrain",
    ("evaluate",): "vicluster evaluate",
    ("evaluate", "ci"): "vicluster evaluate ci",
    ("annotate",): "vicluster annotate",
    ("annotate", "validate"): "vicluster annotate validate",
    ("benchmark",): "vicluster benchmark",
    ("lexicon",): "vicluster lexicon",
    ("lexicon", "show"): "vicluster lexicon show",
}
#: (module's main, ARGS) -> the start of its usage line
PYTHON_M = {
    ("models.__main__", ("extract",)): "python -m models extract",
    ("models.__main__", ("records",)): "python -m models records",
    ("training.__main__", ()): "python -m training",
    ("training.__main__", ("pretrain",)): "python -m training pretrain",
    ("evaluation.cli", ()): "python -m evaluation",
    ("evaluation.cli", ("ci",)): "python -m evaluation ci",
    ("annotations.__main__", ("validate",)): "python -m annotations validate",
    ("models.benchmark", ()): "python -m models.benchmark",
    ("annotations.lexicon.build", ("show",)): "python -m annotations.lexicon show",
}


def _usage(out: str) -> str:
    line = next(line for line in out.splitlines() if line.startswith("usage: "))
    return line.removeprefix("usage: ")


@pytest.mark.parametrize("args", sorted(VICLUSTER))
def test_vicluster_subcommands_say_vicluster(args, capsys):
    from evaluation.command import main

    assert main([*args, "--help"]) == 0
    assert _usage(capsys.readouterr().out).startswith(VICLUSTER[args] + " ")


@pytest.mark.parametrize("module,args", sorted(PYTHON_M))
def test_python_m_forms_say_python_m(module, args, capsys):
    """Also after a vicluster call in the same process: the name does not leak."""
    import importlib

    from evaluation.command import main as vicluster

    assert vicluster(["extract", "--help"]) == 0
    capsys.readouterr()
    with pytest.raises(SystemExit) as exit:
        importlib.import_module(module).main([*args, "--help"])
    assert exit.value.code in (0, None)
    assert _usage(capsys.readouterr().out).startswith(PYTHON_M[(module, args)] + " ")


def test_errors_name_the_entry_too(capsys):
    from evaluation.command import main

    assert main(["extract", "--no-such-option"]) == 2
    err = capsys.readouterr().err
    assert "usage: vicluster extract " in err and "python -m" not in err


def test_the_console_script_and_python_m_in_subprocesses():
    env = {**os.environ, "PYTHONIOENCODING": "utf-8", "PYTHONPATH": str(REPO_ROOT)}
    run = lambda *cmd: subprocess.run(cmd, cwd=REPO_ROOT, env=env, capture_output=True, text=True,  # noqa: E731
                                      encoding="utf-8", timeout=120)
    proc = run(sys.executable, "-m", "models", "extract", "--help")
    assert proc.returncode == 0 and _usage(proc.stdout).startswith("python -m models extract ")
    script = Path(sys.executable).with_name("vicluster")
    if not script.is_file():
        pytest.skip(f"no installed vicluster command beside {sys.executable}")
    proc = run(str(script), "extract", "--help")
    assert proc.returncode == 0 and _usage(proc.stdout).startswith("vicluster extract ")
