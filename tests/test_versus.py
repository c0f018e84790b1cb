"""evaluation.versus: what a system gains and loses against the rules, span by span."""

from __future__ import annotations

from hypothesis import given, settings, strategies as st

from annotations.document import Document, Span
from annotations.labels import LABELS
from annotations.scoring import score_strict
from evaluation.evaluate import evaluate_set
from evaluation.report import make_report, render_md, summary_text
from evaluation.systems import FixedSystem
from evaluation.versus import compare

TEXT = "KCN Tân Tạo ở TP.HCM rộng 100 ha, lấp đầy 80%, gần Long An và Bình Dương."


def at(sub: str, label: str) -> Span:
    start = TEXT.index(sub)
    return Span.from_text(TEXT, start, start + len(sub), label)


GOLD = [at("KCN Tân Tạo", "CLUSTER"), at("TP.HCM", "LOCATION"), at("100 ha", "AREA"), at("80%", "PERCENT"),
        at("Long An", "LOCATION")]
DOC = Document(id="d", text=TEXT, spans=GOLD)


def test_counts_on_a_hand_made_case() -> None:
    rules = [at("KCN Tân Tạo", "CLUSTER"), at("HCM", "LOCATION"), at("100 ha", "AREA"), at("80%", "PERCENT")]
    model = [at("KCN Tân Tạo", "CLUSTER"), at("TP.HCM", "LOCATION"), at("100 ha", "AREA"),
             at("Bình Dương", "LOCATION")]
    c = compare([DOC], [model], [rules])
    assert c["LOCATION"] == {"gained": 1, "lost": 0, "removed": 1, "added": 1, "agree": 0}
    assert c["PERCENT"] == {"gained": 0, "lost": 1, "removed": 0, "added": 0, "agree": 0}
    assert c["micro"] == {"gained": 1, "lost": 1, "removed": 1, "added": 1, "agree": 2}


def test_a_copy_gains_nothing() -> None:
    spans = [at("KCN Tân Tạo", "CLUSTER"), at("HCM", "LOCATION")]
    c = compare([DOC], [spans], [spans])["micro"]
    assert (c["gained"], c["lost"], c["removed"], c["added"], c["agree"]) == (0, 0, 0, 0, 2)


CANDIDATES = [at(s, label) for s, label in (
    ("KCN Tân Tạo", "CLUSTER"), ("Tân Tạo", "LOCATION"), ("TP.HCM", "LOCATION"), ("HCM", "LOCATION"),
    ("100 ha", "AREA"), ("100", "AREA"), ("80%", "PERCENT"), ("Long An", "LOCATION"), ("Long An", "CLUSTER"),
    ("Bình Dương", "LOCATION"))]
span_sets = st.lists(st.sampled_from(CANDIDATES), unique=True)


@settings(max_examples=200, deadline=None)
@given(span_sets, span_sets)
def test_net_counts_equal_the_difference_of_strict_counts(system, reference) -> None:
    c = compare([DOC], [system], [reference])
    s = score_strict([GOLD], [system])
    r = score_strict([GOLD], [reference])
    for label in [*LABELS, "micro"]:
        assert c[label]["gained"] - c[label]["lost"] == s[label]["tp"] - r[label]["tp"]
        assert c[label]["added"] - c[label]["removed"] == s[label]["fp"] - r[label]["fp"]
        assert c[label]["agree"] + c[label]["added"] + c[label]["gained"] == s[label]["tp"] + s[label]["fp"]


def test_report_has_the_section_against_the_rules() -> None:
    rules = FixedSystem(name="rules", predictions={"d": [at("KCN Tân Tạo", "CLUSTER"), at("HCM", "LOCATION")]})
    model = FixedSystem(name="model:x", predictions={"d": [at("KCN Tân Tạo", "CLUSTER"), at("TP.HCM", "LOCATION")]})
    set_rep = evaluate_set([DOC], [rules, model], n_boot=10)
    assert set_rep["versus"]["reference"] == "rules"
    assert set_rep["versus"]["systems"]["model:x"]["LOCATION"]["gained"] == 1
    report = make_report({"s": set_rep}, n_boot=10, seed=0)
    assert "Against the rules: s" in render_md(report)
    assert "against rules" in summary_text(report)
    alone = evaluate_set([DOC], [model], n_boot=10)
    assert "versus" not in alone
