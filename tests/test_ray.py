"""Extraction as a Ray Data pipeline on a local Ray runtime gives the spans of one process, in
input order (issue 15, part 6; models/ray_extract.py, the optional [scale] extra). Skipped
where Ray is not installed."""

from __future__ import annotations

import json

import pytest

pytest.importorskip("ray")
pytest.importorskip("ray.data")

from test_parallel import _keys, _paragraphs  # noqa: E402

pytestmark = pytest.mark.slow


def test_ray_pipeline_equals_one_process(smoke_model):
    import ray

    from models.ray_extract import ray_extract
    from models.tagger import Tagger

    texts = _paragraphs()[:20]
    one = Tagger.from_pretrained(smoke_model, device="cpu").extract_batch(texts)
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)  # a local runtime
    try:
        got = list(ray_extract(texts, str(smoke_model), workers=2, device="cpu", texts_per_batch=3, num_cpus=0.5))
    finally:
        ray.shutdown()
    assert len(got) == len(texts)
    assert _keys(got) == _keys(one)
    assert sum(map(len, one)) > 0
    for a, b in zip(one, got):
        assert [s.score for s in b] == pytest.approx([s.score for s in a], abs=1e-5)


def test_extract_cli_ray_equals_one_process(smoke_model, tmp_path, run_module):
    src = tmp_path / "paragraphs.jsonl"
    src.write_text("".join(json.dumps({"doc_id": f"p{i}", "text": t}, ensure_ascii=False) + "\n"
                           for i, t in enumerate(_paragraphs()[:12])), encoding="utf-8")
    runs = {}
    for extra in ((), ("--ray",)):
        proc = run_module("models", "extract", src, "--model", smoke_model, "--format", "jsonl", "--device", "cpu",
                          *extra, timeout=600)
        assert proc.returncode == 0, proc.stderr[-3000:]
        runs[extra] = [json.loads(line) for line in proc.stdout.splitlines()]
    strip = lambda docs: [(d["doc_id"], [(e["start"], e["end"], e["label"]) for e in d["entities"]])  # noqa: E731
                          for d in docs]
    assert strip(runs[("--ray",)]) == strip(runs[()])
