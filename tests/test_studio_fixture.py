"""The server fixture's contract: without the server venv, skip locally but fail under CI."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent

INNER = '''
from labelstudio_server import label_studio  # noqa: F401


def test_needs_server(label_studio):
    assert label_studio.url
'''


@pytest.mark.parametrize("ci,outcome", [(None, "1 skipped"), ("true", "1 error")])
def test_missing_server_venv(tmp_path, ci, outcome):
    (tmp_path / "test_inner.py").write_text(INNER, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    env["VICLUSTER_LS_VENV"] = str(tmp_path / "no-venv")
    env["PYTHONPATH"] = str(TESTS)
    if ci is not None:
        env["CI"] = ci
    r = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-rsE",
                        str(tmp_path / "test_inner.py")], cwd=tmp_path, env=env, capture_output=True, text=True,
                       timeout=120)
    assert outcome in r.stdout, r.stdout + r.stderr
    if ci:
        assert r.returncode != 0
        assert "CI must run these tests" in r.stdout
    else:
        assert r.returncode == 0
        assert "run .ci/install-label-studio.sh" in r.stdout
