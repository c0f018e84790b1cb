"""Extraction with a pool of worker processes (models/parallel.py, ``extract --workers N``) gives the
spans of one process, in input order (issue 15, part 6)."""

from __future__ import annotations

import json

import pytest

from conftest import REPO_ROOT


def _paragraphs() -> list[str]:
    """The repository's articles, a paragraph a text: many short documents, several chunks."""
    texts = []
    for path in sorted((REPO_ROOT / "annotations" / "articles").glob("*.txt")):
        texts += [p for p in path.read_text(encoding="utf-8").split("\n\n") if p.strip()]
    return texts


def _keys(docs) -> list[list[tuple]]:
    return [[(s.start, s.end, s.label, s.text) for s in spans] for spans in docs]


def test_chunks_keep_order_and_bounds():
    from models.parallel import chunks

    texts = ["a" * 5, "b" * 5, "c" * 20, "d", "e", "f"]
    got = list(chunks(texts, max_chars=10, max_texts=2))
    assert got == [["a" * 5, "b" * 5], ["c" * 20], ["d", "e"], ["f"]]
    assert [t for c in got for t in c] == texts


def test_parallel_extract_equals_one_process(smoke_model):
    from models.parallel import parallel_extract
    from models.tagger import Tagger

    texts = _paragraphs()[:24]
    one = Tagger.from_pretrained(smoke_model, device="cpu").extract_batch(texts)
    # one text a chunk: every chunk goes to a worker, and they finish in any order
    two = list(parallel_extract(texts, str(smoke_model), workers=2, device="cpu", chunk_texts=3))
    assert len(two) == len(texts)
    assert _keys(two) == _keys(one)
    assert sum(map(len, one)) > 0
    for a, b in zip(one, two):
        assert [s.score for s in b] == pytest.approx([s.score for s in a], abs=1e-5)


def test_extract_cli_workers_2_equals_workers_1(smoke_model, tmp_path, run_module):
    texts = _paragraphs()
    assert len(texts) > 32  # more than one chunk
    src = tmp_path / "paragraphs.jsonl"
    src.write_text("".join(json.dumps({"doc_id": f"p{i}", "text": t}, ensure_ascii=False) + "\n"
                           for i, t in enumerate(texts)), encoding="utf-8")
    runs = {}
    for workers in (1, 2):
        proc = run_module("models", "extract", src, "--model", smoke_model, "--format", "jsonl",
                          "--workers", workers, timeout=300)
        assert proc.returncode == 0, proc.stderr
        runs[workers] = [json.loads(line) for line in proc.stdout.splitlines()]
    assert [d["doc_id"] for d in runs[2]] == [f"p{i}" for i in range(len(texts))]
    strip = lambda docs: [[{k: v for k, v in e.items() if k != "score"} for e in d["entities"]]  # noqa: E731
                          for d in docs]
    assert strip(runs[2]) == strip(runs[1])
    assert any(d["entities"] for d in runs[1])


def test_extract_cli_workers_refuses_a_bad_model(tmp_path, run_module):
    src = tmp_path / "a.txt"
    src.write_text("KCN Tân Tạo rộng 16 ha.", encoding="utf-8")
    proc = run_module("models", "extract", src, "--model", tmp_path / "nothing", "--workers", "2", timeout=300)
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert "cannot load model" in proc.stderr and "does not exist" in proc.stderr
    assert "Traceback" not in proc.stderr
    proc = run_module("models", "extract", src, "--model", tmp_path / "nothing", "--workers", "0")
    assert proc.returncode == 2 and "--workers must be at least 1" in proc.stderr
