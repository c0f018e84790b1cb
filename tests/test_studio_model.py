"""The studio commands with a real trained (tiny) tagger: ``serve --model`` and ``push --model``."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid

import pytest

from annotations import ARTICLES_DIR
from annotations.labelstudio import task_to_document
from annotations.studio.predictor import Predictor
from annotations.validate import check_spans
from labelstudio_server import free_port, label_studio  # noqa: F401 - the fixture
from labelstudio_server import REPO, run_cli

pytestmark = pytest.mark.slow

SEEDS = sorted(ARTICLES_DIR.glob("*.txt"))[:2]


@pytest.fixture(scope="module")
def model_version(smoke_model) -> str:
    return Predictor.from_model_dir(str(smoke_model)).model_version


def _get(url: str, timeout: float = 2) -> dict:
    with urllib.request.urlopen(url, timeout=timeout) as r:
        return json.loads(r.read())


def test_serve_answers_label_studio_requests_with_the_tagger(smoke_model, model_version, tmp_path):
    port = free_port()
    log = open(tmp_path / "serve.log", "w+", encoding="utf-8")
    proc = subprocess.Popen([sys.executable, "-m", "annotations", "serve", "--model", str(smoke_model),
                             "--port", str(port)], cwd=REPO, stdout=log, stderr=subprocess.STDOUT,
                            stdin=subprocess.DEVNULL, start_new_session=True, env=dict(os.environ))
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                health = _get(f"{url}/health")
                break
            except (urllib.error.URLError, OSError):
                assert proc.poll() is None, (tmp_path / "serve.log").read_text()
                assert time.monotonic() < deadline, "serve did not answer /health in 120 s"
                time.sleep(0.5)
        assert health["status"] == "UP" and health["model_version"] == model_version
        texts = [p.read_text(encoding="utf-8") for p in SEEDS] + ["Tin 😀 KCN Tân Tạo rộng 10 ha"]
        body = json.dumps({"tasks": [{"id": i, "data": {"text": t}} for i, t in enumerate(texts)]}).encode()
        req = urllib.request.Request(f"{url}/predict", data=body, headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=120) as r:
            results = json.loads(r.read())["results"]
        assert len(results) == len(texts)
        for text, result in zip(texts, results):
            assert result["model_version"] == model_version
            doc = task_to_document({"data": {"text": text}, "predictions": [result]}, source="predictions")
            assert check_spans(text, doc.spans) == []
            scores = [s.score for s in doc.spans]
            assert all(0.0 <= s <= 1.0 for s in scores)
            assert result["score"] == (min(scores) if scores else 1.0)
    finally:
        os.killpg(proc.pid, 15)
        proc.wait(20)
        log.close()


def test_serve_with_a_missing_model_is_one_line(tmp_path):
    r = run_cli("serve", "--model", str(tmp_path / "nothing-here"), "--port", str(free_port()))
    assert r.returncode == 2
    assert r.stderr.strip().splitlines() == [r.stderr.strip()]
    assert r.stderr.startswith(f"error: cannot load the model from {tmp_path / 'nothing-here'}")


@pytest.mark.labelstudio
def test_push_with_model_attaches_its_predictions(label_studio, smoke_model, model_version):  # noqa: F811
    title = f"vicluster model {uuid.uuid4().hex[:8]}"
    args = ["push", "--articles", *map(str, SEEDS), "--project", title, "--model", str(smoke_model)]
    r = run_cli(*args, url=label_studio.url, key=label_studio.api_key, timeout=300)
    assert r.returncode == 0, r.stderr
    assert f"2 prediction(s) added with model_version {model_version}" in r.stdout
    client = label_studio.client()
    project = next(p for p in client.projects.list() if p.title == title)
    tasks = list(client.tasks.list(project=project.id, fields="all"))
    assert len(tasks) == 2
    for task in tasks:
        [pred] = task.predictions
        assert pred.model_version == model_version
        doc = task_to_document({"data": task.data, "predictions": [{"result": pred.result}]}, source="predictions")
        assert check_spans(task.data["text"], doc.spans) == []
        scores = [s.score for s in doc.spans]
        assert pred.score == pytest.approx(min(scores) if scores else 1.0)
    r = run_cli(*args, url=label_studio.url, key=label_studio.api_key, timeout=300)
    assert r.returncode == 0 and "0 prediction(s) added" in r.stdout
