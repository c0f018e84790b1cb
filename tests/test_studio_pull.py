"""Pull without a server: export tasks as Label Studio writes them -> canonical gold file, merge, conflicts."""

from __future__ import annotations

import json
import random

from hypothesis import given, settings
from hypothesis import strategies as st

from annotations.document import Span
from annotations.labels import LABELS
from annotations.labelstudio import OffsetMap, load_tasks, task_to_document
from annotations.studio.pull import canonical_task, latest_annotation, merge, pull_tasks

TEXT = "KCN Tân Tạo 😀 ở TP.HCM rộng 500 ha, lấp đầy 90%."


def region(text: str, start: int, end: int, label: str, rid: str = "r") -> dict:
    om = OffsetMap(text)
    return {"id": rid, "from_name": "label", "to_name": "text", "type": "labels", "origin": "manual",
            "value": {"start": om.to_utf16(start), "end": om.to_utf16(end), "text": text[start:end],
                      "labels": [label]}}


def exported(doc_id: str, text: str, annotations: list[dict], task_id: int = 1) -> dict:
    """A task as Label Studio's JSON export has it (volatile fields included)."""
    return {"id": task_id, "data": {"text": text, "doc_id": doc_id}, "annotations": annotations,
            "predictions": [], "created_at": "2026-01-01T00:00:00Z", "updated_at": "2026-01-02T00:00:00Z",
            "inner_id": task_id, "total_annotations": len(annotations), "project": 3}


def annotation(results: list[dict], ann_id: int = 1, updated: str = "2026-01-02T10:00:00Z",
               cancelled: bool = False) -> dict:
    return {"id": ann_id, "completed_by": 1, "result": results, "was_cancelled": cancelled,
            "ground_truth": False, "created_at": updated, "updated_at": updated, "lead_time": 3.5,
            "unique_id": f"uuid-{ann_id}", "task": 1, "project": 3}


def _at(piece: str, label: str) -> tuple[int, int, str]:
    start = TEXT.index(piece)
    return start, start + len(piece), label


SPANS = [_at("KCN Tân Tạo", "CLUSTER"), _at("TP.HCM", "LOCATION"), _at("500 ha", "AREA"), _at("90%", "PERCENT")]


def one_task(spans=SPANS, doc_id="d1", ann_id=1, **kw) -> dict:
    return exported(doc_id, TEXT, [annotation([region(TEXT, s, e, lab, f"x{s}") for s, e, lab in spans], ann_id)],
                    **kw)


def test_spans_fixture_is_right():
    assert [TEXT[s:e] for s, e, _ in SPANS] == ["KCN Tân Tạo", "TP.HCM", "500 ha", "90%"]


def test_canonical_file_has_no_volatile_fields_and_exact_spans(tmp_path):
    out = tmp_path / "gold.json"
    report = pull_tasks([one_task()], out)
    assert report.ok and report.written and report.pulled == 1
    tasks = json.loads(out.read_text(encoding="utf-8"))
    assert tasks == [{
        "data": {"text": TEXT, "doc_id": "d1"},
        "annotations": [{"result": [
            {"id": f"d1-{i}", "from_name": "label", "to_name": "text", "type": "labels",
             "value": {"start": OffsetMap(TEXT).to_utf16(s), "end": OffsetMap(TEXT).to_utf16(e),
                       "text": TEXT[s:e], "labels": [lab]}}
            for i, (s, e, lab) in enumerate(SPANS)]}],
    }]
    doc = task_to_document(tasks[0])
    assert [(s.start, s.end, s.label) for s in doc.spans] == SPANS


def test_second_pull_is_byte_identical_and_not_rewritten(tmp_path):
    out = tmp_path / "gold.json"
    pull_tasks([one_task()], out)
    first = out.read_bytes()
    mtime = out.stat().st_mtime_ns
    report = pull_tasks([one_task(task_id=7, ann_id=9)], out)  # other server ids, same content
    assert report.ok and not report.written
    assert report.merge.unchanged == ["d1"]
    assert out.read_bytes() == first and out.stat().st_mtime_ns == mtime


def test_region_order_and_ids_do_not_change_the_bytes(tmp_path):
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    pull_tasks([one_task()], a)
    shuffled = one_task(spans=list(reversed(SPANS)))
    for i, r in enumerate(shuffled["annotations"][0]["result"]):
        r["id"] = f"other{i}"
    pull_tasks([shuffled], b)
    assert a.read_bytes() == b.read_bytes()


def test_latest_live_annotation_wins():
    older = annotation([region(TEXT, 0, 11, "CLUSTER")], 1, "2026-01-01T00:00:00Z")
    newer = annotation([region(TEXT, *SPANS[3])], 2, "2026-01-03T00:00:00Z")
    cancelled = annotation([], 3, "2026-01-05T00:00:00Z", cancelled=True)
    assert latest_annotation({"annotations": [newer, older, cancelled]})["id"] == 2
    assert latest_annotation({"annotations": [cancelled]}) is None
    assert latest_annotation({"annotations": []}) is None


def test_tasks_without_live_annotation_are_skipped_and_counted(tmp_path):
    out = tmp_path / "gold.json"
    tasks = [one_task(), exported("d2", "x", []),
             exported("d3", "y", [annotation([], 5, cancelled=True)])]
    report = pull_tasks(tasks, out)
    assert report.ok and report.pulled == 1 and sorted(report.skipped) == ["d2", "d3"]
    assert [t["data"]["doc_id"] for t in load_tasks(out)] == ["d1"]


def test_an_empty_annotation_is_gold_with_no_spans(tmp_path):
    out = tmp_path / "gold.json"
    report = pull_tasks([exported("d9", "không có gì", [annotation([])])], out)
    assert report.ok and report.pulled == 1
    assert load_tasks(out)[0]["annotations"] == [{"result": []}]


def test_validation_problems_write_nothing(tmp_path):
    out = tmp_path / "gold.json"
    bad = one_task(spans=[(0, 11, "CLUSTER"), (4, 11, "LOCATION"), (14, 15, "NOPE")])
    bad["annotations"][0]["result"].append(
        {"id": "t", "from_name": "label", "to_name": "text", "type": "labels",
         "value": {"start": 0, "end": 3, "text": "XYZ", "labels": ["CLUSTER"]}})
    no_id = exported("ignored", TEXT, [annotation([])])
    del no_id["data"]["doc_id"]
    report = pull_tasks([bad, no_id], out)
    codes = sorted(p.code for p in report.problems)
    assert codes == ["no-doc-id", "overlap", "overlap", "text-mismatch", "unknown-label"]
    assert not report.ok and not report.written and not out.exists()


def test_validation_problems_leave_an_existing_file_alone(tmp_path):
    out = tmp_path / "gold.json"
    out.write_text("[]\n", encoding="utf-8")
    report = pull_tasks([one_task(spans=[(0, 12, "CLUSTER")])], out)  # trailing space
    assert [p.code for p in report.problems] == ["whitespace"]
    assert out.read_text(encoding="utf-8") == "[]\n"


def test_new_tasks_are_added_and_existing_bytes_kept(tmp_path):
    out = tmp_path / "gold.json"
    pull_tasks([one_task(doc_id="b")], out)
    report = pull_tasks([one_task(doc_id="c"), one_task(doc_id="a"), one_task(doc_id="b")], out)
    assert report.merge.added == ["a", "c"] and report.merge.unchanged == ["b"] and report.written
    assert [t["data"]["doc_id"] for t in load_tasks(out)] == ["b", "a", "c"]


def test_conflict_is_reported_not_replaced(tmp_path):
    out = tmp_path / "gold.json"
    pull_tasks([one_task()], out)
    before = out.read_bytes()
    report = pull_tasks([one_task(spans=SPANS[:3]), one_task(doc_id="new")], out)
    assert not report.ok
    assert [d for d, _ in report.merge.conflicts] == ["d1"]
    assert f"1 span(s) only in the gold file (first [{SPANS[3][0]}, {SPANS[3][1]}) PERCENT '90%')" in report.merge.conflicts[0][1]
    tasks = load_tasks(out)
    assert tasks[0] == json.loads(before)[0]  # d1 untouched, the new doc added
    assert [t["data"]["doc_id"] for t in tasks] == ["d1", "new"]
    assert any(line.startswith("conflict: doc d1") for line in report.lines())


def test_overwrite_replaces_in_place(tmp_path):
    out = tmp_path / "gold.json"
    pull_tasks([one_task(doc_id="a"), one_task(doc_id="b")], out)
    report = pull_tasks([one_task(doc_id="a", spans=SPANS[1:])], out, overwrite=True)
    assert report.ok and report.merge.replaced == ["a"]
    tasks = load_tasks(out)
    assert [t["data"]["doc_id"] for t in tasks] == ["a", "b"]
    assert len(tasks[0]["annotations"][0]["result"]) == 3


def test_text_change_is_a_conflict(tmp_path):
    out = tmp_path / "gold.json"
    pull_tasks([one_task()], out)
    changed = exported("d1", TEXT + " ", [annotation([])])
    report = pull_tasks([changed], out)
    assert report.merge.conflicts == [("d1", "the text differs")]


def test_merge_with_no_existing_sorts_by_doc_id():
    pulled = [canonical_task({"data": {"text": "t", "doc_id": d}, "annotations": [{"result": []}]})
              for d in ("z", "m", "a")]
    result = merge([], pulled)
    assert [t["data"]["doc_id"] for t in result.tasks] == ["a", "m", "z"]


# --- property: any valid annotation survives export -> pull exactly -----------------------

ALPHABET = st.sampled_from(list("ab KCNđĐạờ.,%") + ["😀", "🏭", "𝒜", "\u0301"])


@st.composite
def doc_with_spans(draw):
    text = "".join(draw(st.lists(ALPHABET, min_size=1, max_size=40)))
    cuts = sorted(set(draw(st.lists(st.integers(0, len(text)), max_size=8))))
    spans = []
    for s, e in zip(cuts[::2], cuts[1::2]):
        piece = text[s:e]
        if piece and piece == piece.strip():
            spans.append(Span(s, e, draw(st.sampled_from(LABELS)), piece))
    return text, spans


@settings(deadline=None)
@given(doc_with_spans(), st.randoms(use_true_random=False))
def test_pull_preserves_every_span_exactly(tmp_path_factory, data, rnd: random.Random):
    text, spans = data
    regions = [region(text, s.start, s.end, s.label, f"r{i}") for i, s in enumerate(spans)]
    rnd.shuffle(regions)
    out = tmp_path_factory.mktemp("prop") / "gold.json"
    report = pull_tasks([exported("p", text, [annotation(regions)])], out)
    assert report.ok, report.problems
    task = load_tasks(out)[0]
    doc = task_to_document(task)
    assert [(s.start, s.end, s.label, s.text) for s in doc.spans] == \
        sorted((s.start, s.end, s.label, s.text) for s in spans)
    for item, s in zip(task["annotations"][0]["result"], doc.spans):
        assert item["value"]["start"] == len(text[:s.start].encode("utf-16-le")) // 2
