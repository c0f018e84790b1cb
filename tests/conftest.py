"""Shared fixtures. Keep each section small; say which tests use it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

# ---------------------------------------------------------------------------
# Paths
# ---------------------------------------------------------------------------

REPO_ROOT = Path(__file__).resolve().parent.parent
#: read-only material shared between checkouts (never copied into the repo)
SHARED_DIR = REPO_ROOT.parent / "shared"

# ---------------------------------------------------------------------------
# Hypothesis profiles (HYPOTHESIS_PROFILE=ci runs 5x more examples)
# ---------------------------------------------------------------------------

settings.register_profile("fast", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("ci", parent=settings.get_profile("fast"), max_examples=500)


def pytest_configure(config: pytest.Config) -> None:
    settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "fast"))


# ---------------------------------------------------------------------------
# Shared data (test_annotations_cli.py)
# ---------------------------------------------------------------------------


@pytest.fixture
def dev_json() -> Path:
    """../shared/corpus/dev.json (evaluation-only: tests may run tools on it, never inspect it)."""
    path = SHARED_DIR / "corpus" / "dev.json"
    if not path.is_file():
        pytest.skip(f"shared corpus not available: {path} is absent")
    return path


# ---------------------------------------------------------------------------
# Running ``python -m <package>`` (test_annotations_cli.py)
# ---------------------------------------------------------------------------


@pytest.fixture
def run_module():
    """``run_module("annotations", "validate", path)`` -> CompletedProcess (text, no check)."""

    def run(module: str, *args: object, timeout: float = 60) -> subprocess.CompletedProcess[str]:
        env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
        return subprocess.run([sys.executable, "-m", module, *map(str, args)], cwd=REPO_ROOT, env=env,
                              capture_output=True, text=True, encoding="utf-8", timeout=timeout)

    return run


# ---------------------------------------------------------------------------
# A trained tiny model (test_tagger.py, test_training.py, evaluation and Label Studio tests)
# ---------------------------------------------------------------------------


@pytest.fixture(scope="session")
def smoke_model(tmp_path_factory) -> Path:
    """A model directory trained with configs/smoke.yaml (about half a minute on 2 cores)."""
    from training import train_model

    out = tmp_path_factory.mktemp("smoke-model")
    return train_model("smoke", out, progress=False)
