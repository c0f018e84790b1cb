"""Record scores (evaluation/record_scores.py) and the records section of the report."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotations.document import Document, Relation, Span
from annotations.labelstudio import load_documents
from evaluation.evaluate import GOLD_SPANS, evaluate_set
from evaluation.record_scores import gold_clusters, score_records
from evaluation.render_html import render_html
from evaluation.render_md import render_md
from evaluation.report import make_report, summary_text
from evaluation.systems import builtin
from models.records import ClusterRecord, build_records

ROOT = Path(__file__).resolve().parents[1]
SEEDS = load_documents(ROOT / "annotations" / "gold" / "seeds.json")

TEXT = ("KCN Tân Tạo (TP.HCM) rộng 444 ha, đã lấp đầy 95%. KCN Tân Tạo mở rộng. "
        "KCN Lê Minh Xuân ở huyện Bình Chánh rộng 100 ha.")


def _span(surface: str, label: str, region_id: str, after: int = 0) -> Span:
    start = TEXT.index(surface, after)
    return Span(start, start + len(surface), label, surface, id=region_id)


S = {s.id: s for s in [_span("KCN Tân Tạo", "CLUSTER", "a"), _span("TP.HCM", "LOCATION", "b"),
                       _span("444 ha", "AREA", "c"), _span("95%", "PERCENT", "d"),
                       _span("KCN Tân Tạo", "CLUSTER", "e", after=5), _span("KCN Lê Minh Xuân", "CLUSTER", "f"),
                       _span("huyện Bình Chánh", "LOCATION", "g"), _span("100 ha", "AREA", "h")]}
GOLD = Document(id="t", text=TEXT, spans=list(S.values()), relations=[
    Relation("a", "b", "located_in"), Relation("a", "c", "area"), Relation("a", "d", "fill_rate"),
    Relation("e", "a", "same_as"), Relation("f", "g", "located_in"), Relation("f", "h", "area")])


def offsets(*ids: str) -> list[tuple[int, int]]:
    return [(S[i].start, S[i].end) for i in ids]


def record(mentions, province=None, area=None, fill=None, locations=()) -> ClusterRecord:
    rec = ClusterRecord(name="x", type=None, mentions=offsets(*mentions), province=province)
    for kind, span_id in (("area_ha", area), ("fill_rate", fill)):
        if span_id:
            setattr(rec, kind, S[span_id].value)
            rec.evidence[kind] = offsets(span_id)[0]
    rec.evidence["locations"] = offsets(*locations)
    return rec


def test_the_gold_clusters_of_a_document():
    a, f = gold_clusters(GOLD)
    assert a.mentions == offsets("a", "e") and a.province == "Hồ Chí Minh"
    assert a.values == {"area": [[444.0, 444.0]], "fill_rate": [[95.0, 95.0]]}
    assert f.links["located_in"] == set(offsets("g")) and f.province == "Hồ Chí Minh"


def test_the_rules_grouping_of_the_gold_spans_is_perfect_here():
    s = score_records([GOLD], [build_records(GOLD.text, GOLD.spans)])
    assert s["merge"]["pairwise"]["f1"] == s["merge"]["bcubed"]["f1"] == 1.0
    assert s["linking"]["micro"] == {"p": 1.0, "r": 1.0, "f1": 1.0, "tp": 5, "fp": 0, "fn": 0}
    assert (s["province"]["accuracy"], s["values"]["area"]["accuracy"], s["values"]["fill_rate"]["accuracy"]) == \
        (1.0, 1.0, 1.0)


def test_split_merged_and_wrong_records_are_counted():
    split = [record("a", "Hồ Chí Minh", area="c", locations=("b",)), record("e", "Hà Nội", fill="d"),
             record("f", None, area="c")]  # 444 ha given to Lê Minh Xuân: wrong value, wrong link
    s = score_records([GOLD], [split])
    assert s["merge"]["pairwise"] == {"p": None, "r": 0.0, "f1": None, "tp": 0, "fp": 0, "fn": 1}
    assert s["merge"]["bcubed"]["p"] == 1.0 and s["merge"]["bcubed"]["r"] == pytest.approx((0.5 + 0.5 + 1) / 3)
    assert s["province"] == {"gold": 2, "found": 2, "correct": 1, "claimed_without_gold": 0, "accuracy": 0.5}
    assert s["values"]["area"] == {"gold": 2, "correct": 1, "wrong": 1, "missing": 0, "spurious": 0, "accuracy": 0.5}
    assert s["linking"]["area"] == {"p": 0.5, "r": 0.5, "f1": 0.5, "tp": 1, "fp": 1, "fn": 1}
    assert s["linking"]["fill_rate"]["tp"] == 1  # "e" is a mention of the gold cluster that has it
    merged = [record(("a", "e", "f"), "Hồ Chí Minh")]
    s = score_records([GOLD], [merged])
    assert (s["merge"]["pairwise"]["p"], s["merge"]["pairwise"]["r"]) == (pytest.approx(1 / 3), 1.0)
    assert s["values"]["area"]["missing"] == 2 and s["linking"]["micro"]["fn"] == 5


def test_a_missed_cluster_counts_against_accuracy_and_a_spurious_one_against_precision():
    s = score_records([GOLD], [[record(("a", "e"), "Hồ Chí Minh", area="c", fill="d", locations=("b",))]])
    assert s["province"]["found"] == 1 and s["province"]["accuracy"] == 0.5
    assert s["values"]["area"]["missing"] == 1
    assert s["linking"]["micro"] == {"p": 1.0, "r": 0.6, "f1": pytest.approx(0.75), "tp": 3, "fp": 0, "fn": 2}


@st.composite
def partitions(draw):
    n = draw(st.integers(1, 7))
    return [draw(st.integers(0, n - 1)) for _ in range(n)], [draw(st.integers(0, n - 1)) for _ in range(n)]


@settings(max_examples=80, deadline=None)
@given(partitions())
def test_merge_scores_are_one_exactly_when_the_partitions_agree(parts):
    gold_of, pred_of = parts
    text = " ".join(f"KCN A{i}" for i in range(len(gold_of)))
    spans, pos = [], 0
    for i in range(len(gold_of)):
        start = text.index(f"KCN A{i}", pos)
        spans.append(Span(start, start + len(f"KCN A{i}"), "CLUSTER", f"KCN A{i}", id=f"m{i}"))
        pos = start + 1
    first = {}
    rels = []
    for i, g in enumerate(gold_of):
        if g in first:
            rels.append(Relation(f"m{i}", f"m{first[g]}", "same_as"))
        first.setdefault(g, i)
    doc = Document(id="p", text=text, spans=spans, relations=rels)
    groups: dict[int, list] = {}
    for i, p in enumerate(pred_of):
        groups.setdefault(p, []).append((spans[i].start, spans[i].end))
    recs = [ClusterRecord(name="x", type=None, mentions=m) for m in groups.values()]
    s = score_records([doc], [recs])["merge"]
    same = {frozenset(i for i, g in enumerate(gold_of) if g == k) for k in gold_of} == \
        {frozenset(i for i, p in enumerate(pred_of) if p == k) for k in pred_of}
    for key in ("p", "r"):
        assert 0.0 <= s["bcubed"][key] <= 1.0
    assert (s["bcubed"]["f1"] == 1.0) == same
    if same:
        assert s["pairwise"]["fp"] == s["pairwise"]["fn"] == 0


def test_the_report_has_a_records_section_where_the_gold_has_relations():
    set_rep = evaluate_set(SEEDS, [builtin("rules")], n_boot=20)
    assert list(set_rep["records"]) == [GOLD_SPANS, "rules"]
    gold_row = set_rep["records"][GOLD_SPANS]
    assert (gold_row["gold_clusters"], gold_row["province"]["gold"], gold_row["values"]["area"]["gold"],
            gold_row["values"]["fill_rate"]["gold"], gold_row["linking"]["micro"]["tp"]
            + gold_row["linking"]["micro"]["fn"]) == (29, 26, 20, 4, 52)
    report = make_report({"seeds": set_rep}, n_boot=20, seed=0)
    assert "### Records: seeds" in render_md(report) and 'id="records-seeds"' in render_html(report, charts=False)
    assert "seeds: cluster records" in summary_text(report)
    plain = [Document(id=d.id, text=d.text, spans=d.spans) for d in SEEDS]
    assert "records" not in evaluate_set(plain, [builtin("rules")], n_boot=20)


def test_only_documents_with_record_gold_are_scored_as_records() -> None:
    bare = Document(id="bare", text=TEXT, spans=[Span(s.start, s.end, s.label, s.text) for s in S.values()])
    mixed = evaluate_set([GOLD, bare], [builtin("rules")], n_boot=10)["records"][GOLD_SPANS]
    alone = evaluate_set([GOLD], [builtin("rules")], n_boot=10)["records"][GOLD_SPANS]
    assert mixed == alone and mixed["documents"] == 1 and mixed["gold_clusters"] == 2


def test_inline_markup_is_a_gold_set_with_records(tmp_path, run_module) -> None:
    marked = tmp_path / "mine.txt"
    marked.write_text("comment\n\n### m1\n{{CLUSTER=tt|KCN Tân Tạo}} ({{LOCATION>tt|TP.HCM}}) rộng "
                      "{{AREA>tt|444 ha}}, lấp đầy {{PERCENT>tt|95%}}. {{CLUSTER=lmx|KCN Lê Minh Xuân}} "
                      "cũng vậy; {{CLUSTER=tt|Tân Tạo}} mở rộng.\n", encoding="utf-8")
    out = tmp_path / "report"
    r = run_module("evaluation", "--gold", f"mine={marked}", "--bootstrap", "10", "--no-chart", "--out", out,
                   timeout=300)
    assert r.returncode == 0, r.stderr
    import json

    records = json.loads((out / "report.json").read_text(encoding="utf-8"))["sets"]["mine"]["records"]
    gold = records[GOLD_SPANS]
    assert gold["gold_clusters"] == 2 and gold["documents"] == 1
    assert gold["values"]["area"]["gold"] == 1 and gold["values"]["fill_rate"]["gold"] == 1
    assert gold["province"]["gold"] == 1
