"""A missing optional dependency is answered with the extra that brings it; the core
(inference) imports none of them."""

from __future__ import annotations

import subprocess
import sys

import pytest

from annotations.extras import EXTRAS, MissingExtra, require


def test_require_imports_what_is_there():
    assert require("json", "train", "x").dumps([]) == "[]"


@pytest.mark.parametrize("module,extra,call", [
    ("matplotlib", "eval", lambda: __import__("evaluation.chart", fromlist=["x"]).f1_chart_png("dev", {})),
    ("datasets", "train", lambda: __import__("annotations.hf", fromlist=["x"]).features()),
    ("pyvi", "phobert", lambda: __import__("models.segment", fromlist=["x"]).get_segmenter("pyvi").segment("a")),
    ("label_studio_sdk", "studio", lambda: (lambda c: c.connect(c.settings_from("http://127.0.0.1:9", "key")))(
        __import__("annotations.studio.client", fromlist=["x"]))),
    ("ray", "scale", lambda: __import__("models.ray_extract", fromlist=["x"]).ray_extract(["KCN A"], "runs/x")),
])
def test_a_missing_package_names_its_extra(monkeypatch, module, extra, call):
    monkeypatch.setitem(sys.modules, module, None)  # import of it now fails as if not installed
    monkeypatch.setitem(sys.modules, f"{module}.ViTokenizer", None)
    monkeypatch.setattr("importlib.util.find_spec", lambda name, *a: None if name.split(".")[0] == module else True)
    with pytest.raises(MissingExtra, match=rf"pip install 'vicluster\[{extra}\]'"):
        call()
    assert extra in EXTRAS


def test_inference_imports_no_optional_package(tmp_path):
    code = ("import sys; from models import Tagger, extract; from models.rules import extract as r; r('KCN A'); "
            "import models.tagger, models.decoding, models.encoding, models.hints; "
            "bad = {'datasets', 'accelerate', 'seqeval', 'matplotlib', 'label_studio_sdk', 'pyvi', 'underthesea'}; "
            "print(sorted(bad & {m.split('.')[0] for m in sys.modules}))")
    out = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
