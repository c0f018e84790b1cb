"""``python -m annotations validate|convert`` run as a subprocess: exit codes and output."""

from __future__ import annotations

import json

import pytest

from annotations.bio import to_conll
from annotations.labelstudio import dumps_tasks, load_documents
from conftest import REPO_ROOT

TEXT = "KCN Tân Tạo 😀 ở tỉnh Long An có 186,4ha, lấp đầy 100%."


def region(sub, label, text=TEXT, rid="r"):
    i = text.index(sub)
    to16 = lambda k: len(text[:k].encode("utf-16-le")) // 2  # noqa: E731
    return {"id": rid, "from_name": "label", "to_name": "text", "type": "labels",
            "value": {"start": to16(i), "end": to16(i + len(sub)), "text": sub, "labels": [label]}}


GOOD_TASKS = [
    {"id": 1, "data": {"text": TEXT, "doc_id": "a"}, "annotations": [{"result": [
        region("KCN Tân Tạo", "CLUSTER"), region("tỉnh Long An", "LOCATION"), region("186,4ha", "AREA"),
        region("100%", "PERCENT")]}]},
    {"id": 2, "data": {"text": "Hà Nội\tvà \"Huế\"\n", "doc_id": "b"}, "annotations": [{"result": [
        region("Hà Nội", "LOCATION", "Hà Nội\tvà \"Huế\"\n"), region("Huế", "LOCATION", "Hà Nội\tvà \"Huế\"\n")]}]},
]
COUNTS = "CLUSTER 1, LOCATION 3, AREA 1, PERCENT 1"


def write(path, tasks):
    path.write_text(dumps_tasks(tasks), encoding="utf-8")
    return path


def doc_tuples(docs):
    return [(d.id, d.text, sorted((s.key, s.text) for s in d.spans)) for d in docs]


# ---------------------------------------------------------------------------
# validate
# ---------------------------------------------------------------------------


def test_validate_ok_prints_per_label_counts(tmp_path, run_module):
    path = write(tmp_path / "good.json", GOOD_TASKS)
    r = run_module("annotations", "validate", path)
    assert (r.returncode, r.stderr) == (0, "")
    assert r.stdout == f"{path}: OK: 2 tasks, 6 spans ({COUNTS})\n"


def test_validate_errors_go_to_stderr_with_location_and_exit_1(tmp_path, run_module):
    bad = json.loads(json.dumps(GOOD_TASKS))
    bad[1]["annotations"][0]["result"][1]["value"]["labels"] = ["ORG"]
    bad[0]["annotations"][0]["result"].append(region("Tân", "LOCATION"))
    path = write(tmp_path / "bad.json", bad)
    r = run_module("annotations", "validate", path)
    assert r.returncode == 1 and r.stdout == ""
    lines = r.stderr.splitlines()
    assert lines[0].startswith(f"{path}: task 0, doc a, span 4: overlap: ")
    assert lines[1].startswith(f"{path}: task 1, doc b, span 1: unknown-label: ")
    assert lines[2] == (f"{path}: 2 problem(s) in 2 tasks, 7 spans "
                        f"(CLUSTER 1, LOCATION 3, AREA 1, PERCENT 1, ORG 1)")
    assert len(lines) == 3


def test_validate_several_files_reports_each(tmp_path, run_module):
    good = write(tmp_path / "good.json", GOOD_TASKS)
    bad = write(tmp_path / "bad.json", [{"data": {"doc_id": "x"}}])
    r = run_module("annotations", "validate", good, bad)
    assert r.returncode == 1
    assert r.stdout == f"{good}: OK: 2 tasks, 6 spans ({COUNTS})\n"
    assert f"{bad}: task 0, doc x: no-text: " in r.stderr


@pytest.mark.parametrize("content,reason", [
    (None, "No such file"),
    ("[{\"data\": ", "Expecting"),
    ("42", "expected a JSON list"),
    (b"\xff\xfe[]", "codec"),
])
def test_validate_unreadable_or_invalid_json_is_a_clear_error(tmp_path, run_module, content, reason):
    path = tmp_path / "x.json"
    if isinstance(content, bytes):
        path.write_bytes(content)
    elif content is not None:
        path.write_text(content, encoding="utf-8")
    r = run_module("annotations", "validate", path)
    assert r.returncode == 1 and r.stdout == ""
    assert r.stderr.startswith(f"{path}: cannot read: ") and reason in r.stderr
    assert "Traceback" not in r.stderr


def test_validate_json_lines_and_predictions(tmp_path, run_module):
    task = {"data": {"text": "tăng 30%", "doc_id": "p"},
            "predictions": [{"model_version": "m", "score": 0.4, "result": [dict(region("30%", "PERCENT", "tăng 30%"),
                                                                                 score=0.4)]}]}
    path = tmp_path / "t.jsonl"
    path.write_text(json.dumps(task, ensure_ascii=False) + "\n", encoding="utf-8")
    r = run_module("annotations", "validate", "--source", "predictions", path)
    assert (r.returncode, r.stdout) == (0, f"{path}: OK: 1 tasks, 1 spans (CLUSTER 0, LOCATION 0, AREA 0, PERCENT 1)\n")
    r = run_module("annotations", "validate", path)
    assert (r.returncode, r.stdout) == (0, f"{path}: OK: 1 tasks, 0 spans (CLUSTER 0, LOCATION 0, AREA 0, PERCENT 0)\n")


@pytest.mark.parametrize("args", [(), ("validate",), ("convert", "x.json"), ("frobnicate",)])
def test_usage_errors_exit_2(run_module, args):
    r = run_module("annotations", *args)
    assert r.returncode == 2 and "usage:" in r.stderr


# ---------------------------------------------------------------------------
# convert
# ---------------------------------------------------------------------------


def test_convert_to_conll_and_back_reproduces_the_documents(tmp_path, run_module):
    src = write(tmp_path / "in.json", GOOD_TASKS)
    conll, back = tmp_path / "out.conll", tmp_path / "back.json"
    r = run_module("annotations", "convert", src, "--to", "conll", "--out", conll)
    assert (r.returncode, r.stdout, r.stderr) == (0, f"wrote 2 documents to {conll}\n", "")
    assert conll.read_text(encoding="utf-8") == to_conll(load_documents(src))[0]
    r = run_module("annotations", "convert", conll, "--to", "labelstudio", "--out", back)
    assert (r.returncode, r.stdout) == (0, f"wrote 2 documents to {back}\n")
    assert doc_tuples(load_documents(back)) == doc_tuples(load_documents(src))
    assert run_module("annotations", "validate", back).returncode == 0


def test_convert_reports_spans_it_cannot_encode_and_exits_1(tmp_path, run_module):
    tasks = json.loads(json.dumps(GOOD_TASKS))
    tasks[0]["annotations"][0]["result"].append(region("KCN", "LOCATION", rid="x"))  # overlaps the cluster
    tasks[1]["annotations"][0]["result"][0] = region("Hà N", "LOCATION", "Hà Nội\tvà \"Huế\"\n")
    src, conll = write(tmp_path / "in.json", tasks), tmp_path / "out.conll"
    r = run_module("annotations", "convert", src, "--to", "conll", "--out", conll)
    assert r.returncode == 1
    # of two overlapping spans the first in (start, end) order is kept
    assert "a: span [0, 11) CLUSTER 'KCN Tân Tạo' does not start and end on syllable boundaries or overlaps" \
        in r.stderr
    assert "b: span [0, 4) LOCATION 'Hà N' does not" in r.stderr
    back = tmp_path / "back.json"
    assert run_module("annotations", "convert", conll, "--to", "labelstudio", "--out", back).returncode == 0
    assert sum(len(d.spans) for d in load_documents(back)) == 5


@pytest.mark.parametrize("to,content", [("conll", "[{\"data\": "), ("conll", "[{\"data\": {}}]"),
                                        ("labelstudio", "not conll\n")])
def test_convert_bad_input_is_a_clear_error(tmp_path, run_module, to, content):
    src, out = tmp_path / "in.txt", tmp_path / "out"
    src.write_text(content, encoding="utf-8")
    r = run_module("annotations", "convert", src, "--to", to, "--out", out)
    assert r.returncode == 1
    assert r.stderr.startswith(f"{src}: cannot read: ") and "Traceback" not in r.stderr
    assert not out.exists()


# ---------------------------------------------------------------------------
# The shared dev set (evaluation only: the tools run on it, tests never inspect it)
# ---------------------------------------------------------------------------


def test_dev_set_validates(dev_json, run_module):
    r = run_module("annotations", "validate", dev_json)
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith(f"{dev_json}: OK: ")


def test_dev_set_converts_to_conll_and_back(dev_json, tmp_path, run_module):
    conll, back = tmp_path / "dev.conll", tmp_path / "dev.json"
    r = run_module("annotations", "convert", dev_json, "--to", "conll", "--out", conll)
    assert r.returncode == 0, r.stderr
    assert run_module("annotations", "convert", conll, "--to", "labelstudio", "--out", back).returncode == 0
    assert doc_tuples(load_documents(back)) == doc_tuples(load_documents(dev_json))


def test_convert_doc_id_with_a_line_break_is_a_clear_error(tmp_path, run_module):
    src = write(tmp_path / "in.json", [{"data": {"text": "Huế", "doc_id": "a\nb"}}])
    r = run_module("annotations", "convert", src, "--to", "conll", "--out", tmp_path / "out.conll")
    assert r.returncode == 1
    assert r.stderr.startswith("cannot convert: doc id 'a\\nb' contains a line break") and "Traceback" not in r.stderr


def test_convert_into_a_missing_directory_is_a_usage_error_before_any_work(tmp_path, run_module):
    out = tmp_path / "no" / "such" / "out.conll"
    r = run_module("annotations", "convert", REPO_ROOT / "annotations/gold/seeds.json", "--to", "conll", "--out", out)
    assert r.returncode == 2
    assert r.stderr.strip() == f"--out {out}: the directory {out.parent} does not exist"
    assert not (tmp_path / "no").exists()
