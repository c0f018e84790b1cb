"""The wheel is the product: built from the checkout, installed into a fresh virtual
environment, it extracts from another directory without reading the checkout."""

from __future__ import annotations

import json
import os
import shutil
import site
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    # built from a copy of the source, so that setuptools' build/ never lands in the checkout
    src = tmp_path_factory.mktemp("src") / "vicluster"
    shutil.copytree(ROOT, src, ignore=shutil.ignore_patterns(".git", ".venv", ".ls-venv", "runs", "reports", "build",
                                                             "*.egg-info", "__pycache__", ".hypothesis", "tests"))
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(out),
                    str(src)], check=True, cwd=src, env={**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1"})
    (whl,) = out.glob("vicluster-*.whl")
    return whl


def test_the_wheel_holds_the_data_the_system_reads(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for needed in ("annotations/lexicon/data/admin_units.tsv", "annotations/lexicon/data/country.txt",
                   "annotations/labeling_config.xml", "annotations/gold/seeds.json",
                   "training/data/synth/synth_templates.txt",
                   "training/data/synth/synth_vocabulary.yaml", "training/data/synth/synth_probabilities.yaml"):
        assert needed in names, needed
    assert any(n.startswith("training/data/written/") for n in names)
    assert any(n.endswith("data/share/vicluster/configs/default.yaml") for n in names)
    entry = next(n for n in names if n.endswith("entry_points.txt"))
    assert "vicluster = evaluation.command:main" in zipfile.ZipFile(wheel).read(entry).decode()


def test_the_installed_wheel_extracts_from_another_directory(wheel, smoke_model, tmp_path):
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    py = venv / "bin" / "python"
    subprocess.run([str(py), "-m", "pip", "install", "-q", "--no-deps", "--disable-pip-version-check", str(wheel)],
                   check=True)
    # the dependencies (torch, transformers...) come from the test environment's site-packages;
    # its .pth files (the editable checkout) are not read from PYTHONPATH, so the checkout stays out
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(site.getsitepackages())}
    work = tmp_path / "elsewhere"
    work.mkdir()
    (work / "a.txt").write_text("KCN Tân Tạo ở quận Bình Tân rộng 16ha, lấp đầy 90%.", encoding="utf-8")
    where = subprocess.run([str(py), "-c", "import models, annotations.lexicon as l; print(models.__file__); "
                            "print(len(l.load('province')))"], cwd=work, env=env, capture_output=True, text=True,
                           check=True).stdout.split()
    assert where[0].startswith(str(venv)) and int(where[1]) > 60
    run = subprocess.run([str(venv / "bin" / "vicluster"), "extract", "a.txt", "--model", str(smoke_model),
                          "--format", "jsonl"], cwd=work, env=env, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    doc = json.loads(run.stdout)
    print(run.stdout)
    assert doc["doc_id"] == "a" and {e["label"] for e in doc["entities"]} >= {"CLUSTER", "AREA"}
    text = (work / "a.txt").read_text(encoding="utf-8")
    assert all(text[e["start"]:e["end"]] == e["text"] for e in doc["entities"])
    # the configs ship too: the installed training finds the default config by name
    cfg = subprocess.run([str(py), "-c", "from training.config import load_config, CONFIG_DIR; "
                          "print(CONFIG_DIR); print(load_config('default').name)"], cwd=work, env=env,
                         capture_output=True, text=True, check=True).stdout.split()
    assert cfg[0].startswith(str(venv)) and cfg[1] == "default"
