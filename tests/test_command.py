"""The ``vicluster`` command: subcommands, help, exit codes, one-line errors."""

from __future__ import annotations

import subprocess
import sys

import pytest

from evaluation.command import COMMANDS, main


def test_usage_lists_every_command(capsys):
    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    assert all(name in out for name in ("train", "pretrain", "extract", "evaluate", "annotate", "benchmark"))
    assert main([]) == 2  # no command is bad usage


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_command_has_help(name, capsys):
    assert main([name, "--help"] if name not in ("annotate", "lexicon") else [name, "--help"]) == 0
    assert "usage:" in capsys.readouterr().out


def test_unknown_command_and_bad_options_are_usage_errors(capsys):
    assert main(["nope"]) == 2
    assert "unknown command 'nope'" in capsys.readouterr().err
    assert main(["extract", "--no-such-option"]) == 2


def test_an_unexpected_error_is_one_line_unless_debug(capsys, monkeypatch):
    def boom(argv):
        raise RuntimeError("disk on fire")

    monkeypatch.setitem(COMMANDS, "boom", ("fails", boom))
    assert main(["boom"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "RuntimeError: disk on fire" in err
    with pytest.raises(RuntimeError):
        main(["--debug", "boom"])


def test_the_rules_lexicon_runs_from_the_installed_command(tmp_path):
    exe = [sys.executable, "-m", "evaluation.command", "lexicon", "show", "country"]
    out = subprocess.run(exe, cwd=tmp_path, capture_output=True, text=True, check=True).stdout
    assert "Nhật Bản" in out.splitlines()
