"""Validation: every problem code, where it is reported, and that nothing is dropped silently."""

from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotations.document import Span
from annotations.labels import LABELS
from annotations.validate import Problem, check_spans, validate_tasks
from strategies import label_regions, task_lists, utf16

TEXT = "KCN Tân Tạo 😀 ở tỉnh Long An, 16ha"


def region(start, end, label="LOCATION", text=None, **extra):
    value = {"start": start, "end": end, "labels": [label]}
    if text is not ...:
        value["text"] = TEXT.encode("utf-16-le")[2 * start:2 * end].decode("utf-16-le", "replace") \
            if text is None else text
    return {"id": extra.pop("id", "r"), "from_name": "label", "to_name": "text", "type": "labels",
            "value": value, **extra}


def at(sub, label, text=TEXT):
    """A correct region for the first occurrence of ``sub``."""
    i = text.index(sub)
    return region(utf16(text, i), utf16(text, i + len(sub)), label, sub)


def task(*results, doc_id="doc-a", text=TEXT):
    data = {"text": text}
    if doc_id is not None:
        data["doc_id"] = doc_id
    return {"id": 1, "data": data, "annotations": [{"result": list(results)}]}


TEXTAREA = {"id": "n", "from_name": "notes", "to_name": "text", "type": "textarea", "value": {"text": ["x"]}}
GOOD = [at("KCN Tân Tạo", "CLUSTER"), at("tỉnh Long An", "LOCATION"), at("16ha", "AREA")]


def only(report):
    (problem,) = report.problems
    return problem


# ---------------------------------------------------------------------------
# A valid file
# ---------------------------------------------------------------------------


def test_valid_tasks_report_per_label_counts():
    report = validate_tasks([task(*GOOD), task(TEXTAREA, at("30%", "PERCENT", "tăng 30%"), doc_id="doc-b",
                                               text="tăng 30%"), {"data": {"text": "chưa gán nhãn"}}])
    assert report.ok and report.problems == []
    assert report.tasks == 3
    assert report.counts == Counter({"CLUSTER": 1, "LOCATION": 1, "AREA": 1, "PERCENT": 1})


def test_predictions_are_validated_with_source_predictions():
    t = {"data": {"text": TEXT, "doc_id": "p"}, "annotations": [{"result": [region(0, 2, "ORG")]}],
         "predictions": [{"result": [dict(at("16ha", "AREA"), score=0.5)]}]}
    assert validate_tasks([t], source="predictions").ok
    assert validate_tasks([t], source="predictions").counts == Counter({"AREA": 1})
    assert [p.code for p in validate_tasks([t]).problems] == ["unknown-label"]


# ---------------------------------------------------------------------------
# Every problem code, with task index, doc id and region index
# ---------------------------------------------------------------------------

SPAN_CASES = {
    "out-of-range/end": (region(0, 99, text="x"), "out-of-range", "out of range"),
    "out-of-range/negative": (region(-1, 3, text="x"), "out-of-range", "out of range"),
    "out-of-range/reversed": (region(7, 3, text="x"), "out-of-range", "start after end"),
    "out-of-range/surrogate": (region(13, 20, text="x"), "out-of-range", "surrogate pair"),
    "text-mismatch": (region(0, 3, "CLUSTER", "KCX"), "text-mismatch", "'KCX'"),
    "text-mismatch/missing": (region(0, 3, "CLUSTER", ...), "text-mismatch", "no value.text"),
    "unknown-label": (region(0, 3, "ORG"), "unknown-label", "'ORG'"),
    "empty": (region(4, 4, "CLUSTER"), "empty", "empty"),
    "whitespace": (region(3, 11, "CLUSTER"), "whitespace", "whitespace"),
    "bad-region/no-label": (dict(region(0, 3), value={"start": 0, "end": 3, "text": "KCN", "labels": []}),
                            "bad-region", "exactly one label"),
    "bad-region/labels-missing": (dict(region(0, 3), value={"start": 0, "end": 3, "text": "KCN"}),
                                  "bad-region", "exactly one label"),
    "bad-region/two-labels": (dict(region(0, 3), value={"start": 0, "end": 3, "text": "KCN",
                                                        "labels": ["CLUSTER", "AREA"]}),
                              "bad-region", "exactly one label"),
    "bad-region/no-start": (dict(region(0, 3), value={"end": 3, "text": "KCN", "labels": ["CLUSTER"]}),
                            "bad-region", "start/end"),
    "bad-region/no-end": (dict(region(0, 3), value={"start": 0, "text": "KCN", "labels": ["CLUSTER"]}),
                          "bad-region", "start/end"),
    "bad-region/bad-end": (dict(region(0, 3), value={"start": 0, "end": "x", "text": "KCN", "labels": ["CLUSTER"]}),
                           "bad-region", "start/end"),
    "bad-region/string-start": (dict(region(0, 3), value={"start": "0", "end": 3, "text": "KCN",
                                                          "labels": ["CLUSTER"]}), "bad-region", "must be integers"),
    "bad-region/float-end": (dict(region(0, 3), value={"start": 0, "end": 3.0, "text": "KCN", "labels": ["CLUSTER"]}),
                             "bad-region", "must be integers"),
    "bad-region/bool-start": (dict(region(0, 3), value={"start": False, "end": 3, "text": "KCN",
                                                        "labels": ["CLUSTER"]}), "bad-region", "must be integers"),
    "bad-region/no-value": ({"id": "r", "from_name": "label", "to_name": "text", "type": "labels"},
                            "bad-region", "no value"),
}


@pytest.mark.parametrize("bad,code,message", SPAN_CASES.values(), ids=SPAN_CASES.keys())
def test_each_span_problem_is_reported_with_its_location(bad, code, message):
    # a good task first, so the task index is 1; a textarea before the bad region, so its index is 2
    report = validate_tasks([task(*GOOD), task(at("16ha", "AREA"), TEXTAREA, bad, doc_id="doc-b")])
    problem = only(report)
    assert (problem.code, problem.task, problem.doc_id, problem.span) == (code, 1, "doc-b", 2)
    assert message in problem.message
    assert str(problem).startswith(f"task 1, doc doc-b, span 2: {code}: ")
    assert not report.ok


def test_overlap_names_both_regions_by_their_result_index():
    a, b = at("KCN Tân Tạo", "CLUSTER"), at("Tân", "LOCATION")
    report = validate_tasks([task(TEXTAREA, a, TEXTAREA, b)])
    problem = only(report)
    assert (problem.code, problem.task, problem.doc_id, problem.span) == ("overlap", 0, "doc-a", 3)
    assert "overlaps span 1 " in problem.message
    assert report.counts == Counter({"CLUSTER": 1, "LOCATION": 1})


def test_overlap_every_pair_and_touching_is_fine():
    t = "abcdef"
    spans = [Span(0, 4, "AREA", "abcd"), Span(1, 2, "AREA", "b"), Span(3, 6, "AREA", "def"), Span(6, 6, "AREA", "")]
    problems = check_spans(t, spans)
    assert sorted((p.code, p.span) for p in problems) == [("empty", 3), ("overlap", 1), ("overlap", 2)]
    assert check_spans(t, [Span(0, 3, "AREA", "abc"), Span(3, 6, "AREA", "def")]) == []


@pytest.mark.parametrize("bad,code,doc_id", [
    (["not a task"], "bad-task", None),
    ([{"data": {"doc_id": "x"}}], "no-text", "x"),
    ([{"data": {"text": 3, "doc_id": "x"}}], "no-text", "x"),
    ([{"data": "text"}], "no-text", None),
    ([{"data": {"text": "a", "doc_id": "x"}, "annotations": {"result": []}}], "bad-task", "x"),
    ([{"data": {"text": "a", "doc_id": "x"}, "annotations": [{"result": None}]}], "bad-task", "x"),
    ([{"data": {"text": "a", "doc_id": "x"}, "annotations": ["oops"]}], "bad-task", "x"),
])
def test_each_task_problem_is_reported_with_task_index_and_doc_id(bad, code, doc_id):
    report = validate_tasks([task(*GOOD)] + bad)
    problem = only(report)
    assert (problem.code, problem.task, problem.doc_id, problem.span) == (code, 1, doc_id, None)
    assert str(problem).startswith("task 1")
    assert report.counts == Counter({"CLUSTER": 1, "LOCATION": 1, "AREA": 1})


def test_duplicate_doc_id_names_the_first_task():
    report = validate_tasks([task(doc_id="a"), task(doc_id="b"), task(doc_id="a"), task(doc_id=None)])
    problem = only(report)
    assert (problem.code, problem.task, problem.doc_id) == ("duplicate-doc-id", 2, "a")
    assert "task 0" in problem.message


@pytest.mark.parametrize("content", [{"data": {"text": "a"}}, "x", None])
def test_a_file_that_is_not_a_list(content):
    problem = only(validate_tasks(content))
    assert (problem.code, problem.task, str(problem)) == ("bad-file", None, "file: bad-file: expected a JSON list of tasks")


def test_several_problems_in_one_region_are_all_reported():
    report = validate_tasks([task(region(3, 7, "ORG", "xx"))])
    assert sorted(p.code for p in report.problems) == ["text-mismatch", "unknown-label", "whitespace"]
    assert {p.span for p in report.problems} == {0}


def test_check_spans_out_of_range_and_custom_labels():
    problems = check_spans("abc", [Span(2, 5, "X", "c"), Span(0, 1, "X", "a")], labels=["X"], task=4, doc_id="d")
    assert [(p.code, p.task, p.doc_id, p.span) for p in problems] == [("out-of-range", 4, "d", 0)]
    assert str(Problem("empty", "m")) == "file: empty: m"


# ---------------------------------------------------------------------------
# Properties: generated tasks
# ---------------------------------------------------------------------------


@settings(max_examples=40)
@given(task_lists())
def test_generated_tasks_problems_are_exactly_the_whitespace_spans(tasks):
    report = validate_tasks(tasks)
    expected = []
    regions = []
    for i, t in enumerate(tasks):
        entries = t.get("annotations") or []
        rs = label_regions(entries[0]) if entries else []
        regions += rs
        for j, r in enumerate(entries[0]["result"] if entries else []):
            if r["type"] == "labels" and r["value"]["text"] != r["value"]["text"].strip():
                expected.append(("whitespace", i, j))
    assert sorted((p.code, p.task, p.span) for p in report.problems) == sorted(expected)
    assert report.counts == Counter(r["value"]["labels"][0] for r in regions)
    assert report.tasks == len(tasks)


MUTATIONS = ("none", "label", "labels", "start", "end", "text", "value", "unknown", "surrogate")


def mutate(text, r, how):
    v = r["value"]
    if how == "label":
        v["labels"] = []
    elif how == "labels":
        v["labels"] = v["labels"] * 2
    elif how == "start":
        del v["start"]
    elif how == "end":
        v["end"] = len(text.encode("utf-16-le")) // 2 + 1
    elif how == "text":
        v["text"] = v["text"] + "#"
    elif how == "value":
        r["value"] = "v"
    elif how == "unknown":
        v["labels"] = ["ORG"]
    elif how == "surrogate":
        astral = [utf16(text, i) + 1 for i, ch in enumerate(text) if ord(ch) > 0xFFFF]
        if astral:
            v["start"] = astral[0]


@settings(max_examples=40)
@given(task_lists(min_annotations=1), st.data())
def test_nothing_is_dropped_silently(tasks, data):
    """Every label region is either counted or named by a problem that says why it is not."""
    n_regions = 0
    for t in tasks:
        for r in label_regions(t["annotations"][0]):
            mutate(t["data"]["text"], r, data.draw(st.sampled_from(MUTATIONS)))
            n_regions += 1
    report = validate_tasks(tasks)
    uncounted = {(p.task, p.span) for p in report.problems if p.code in ("bad-region", "out-of-range")}
    assert sum(report.counts.values()) + len(uncounted) == n_regions
    for p in report.problems:
        assert p.task is not None and p.span is not None
        assert tasks[p.task]["annotations"][0]["result"][p.span]["type"] == "labels"
        assert p.doc_id == tasks[p.task]["data"].get("doc_id")
    assert set(report.counts) <= set(LABELS) | {"ORG"}
