"""Strict span scoring and seqeval on hand-computed cases, plus invariants."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotations.document import Document, Span
from annotations.scoring import prf, score_strict
from evaluation.seqeval_score import score_seqeval
from strategies import document_lists, spans_for

TEXT = "KCN Tân Tạo ở TP.HCM rộng 100 ha, lấp đầy 80%."


def sp(start: int, end: int, label: str, text: str = TEXT) -> Span:
    return Span.from_text(text, start, end, label)


KCN = sp(0, 11, "CLUSTER")      # KCN Tân Tạo
HCM = sp(14, 20, "LOCATION")    # TP.HCM
AREA = sp(26, 32, "AREA")       # 100 ha
PCT = sp(42, 45, "PERCENT")     # 80%


def test_fixture_offsets() -> None:
    assert [KCN.text, HCM.text, AREA.text, PCT.text] == ["KCN Tân Tạo", "TP.HCM", "100 ha", "80%"]


def test_exact_match_is_perfect() -> None:
    s = score_strict([[KCN, HCM, AREA, PCT]], [[KCN, HCM, AREA, PCT]])
    for key in ("CLUSTER", "LOCATION", "AREA", "PERCENT", "micro"):
        assert (s[key]["p"], s[key]["r"], s[key]["f1"]) == (1.0, 1.0, 1.0)
    assert s["micro"]["tp"] == 4 and s["micro"]["support"] == 4
    assert s["macro"]["f1"] == 1.0


def test_boundary_error_is_one_fp_and_one_fn() -> None:
    short = sp(4, 11, "CLUSTER")  # "Tân Tạo" without the type word
    s = score_strict([[KCN, HCM]], [[short, HCM]])
    assert (s["CLUSTER"]["tp"], s["CLUSTER"]["fp"], s["CLUSTER"]["fn"]) == (0, 1, 1)
    assert s["CLUSTER"]["f1"] == 0.0
    assert (s["micro"]["tp"], s["micro"]["fp"], s["micro"]["fn"]) == (1, 1, 1)
    assert s["micro"]["p"] == s["micro"]["r"] == s["micro"]["f1"] == 0.5


def test_type_error_counts_against_both_labels() -> None:
    s = score_strict([[HCM]], [[sp(14, 20, "CLUSTER")]])
    assert (s["LOCATION"]["tp"], s["LOCATION"]["fp"], s["LOCATION"]["fn"]) == (0, 0, 1)
    assert (s["CLUSTER"]["tp"], s["CLUSTER"]["fp"], s["CLUSTER"]["fn"]) == (0, 1, 0)
    assert s["LOCATION"]["r"] == 0.0 and s["LOCATION"]["p"] is None  # nothing predicted as LOCATION
    assert s["CLUSTER"]["p"] == 0.0 and s["CLUSTER"]["r"] is None  # no CLUSTER in the gold


def test_missed_and_spurious() -> None:
    # gold: KCN, HCM, AREA; predicted: KCN, PCT (spurious); HCM and AREA missed
    s = score_strict([[KCN, HCM, AREA]], [[KCN, PCT]])
    assert (s["micro"]["tp"], s["micro"]["fp"], s["micro"]["fn"]) == (1, 1, 2)
    assert s["micro"]["p"] == pytest.approx(1 / 2)
    assert s["micro"]["r"] == pytest.approx(1 / 3)
    assert s["micro"]["f1"] == pytest.approx(2 * 1 / (2 * 1 + 1 + 2))  # 0.4
    assert s["PERCENT"]["support"] == 0 and s["PERCENT"]["f1"] == 0.0
    # macro: mean over labels with a defined figure (CLUSTER 1.0, LOCATION 0, AREA 0, PERCENT 0)
    assert s["macro"]["f1"] == pytest.approx(0.25)
    assert s["macro"]["r"] == pytest.approx(1 / 3)  # PERCENT recall undefined, left out


def test_empty_gold() -> None:
    s = score_strict([[]], [[HCM]])
    assert s["micro"] == {"p": 0.0, "r": None, "f1": 0.0, "support": 0, "tp": 0, "fp": 1, "fn": 0}


def test_empty_prediction() -> None:
    s = score_strict([[KCN, HCM]], [[]])
    assert s["micro"] == {"p": None, "r": 0.0, "f1": 0.0, "support": 2, "tp": 0, "fp": 0, "fn": 2}


def test_both_empty_is_undefined_not_perfect_or_zero() -> None:
    s = score_strict([[], []], [[], []])
    assert s["micro"]["f1"] is None and s["CLUSTER"]["f1"] is None and s["macro"]["f1"] is None


def test_duplicate_prediction_counts_once() -> None:
    s = score_strict([[HCM]], [[HCM, HCM]])
    assert (s["micro"]["tp"], s["micro"]["fp"], s["micro"]["fn"]) == (1, 1, 0)


def test_counts_sum_over_documents() -> None:
    s = score_strict([[KCN], [HCM]], [[KCN], []])
    assert (s["micro"]["tp"], s["micro"]["fp"], s["micro"]["fn"]) == (1, 0, 1)


def test_label_subset_ignores_other_labels() -> None:
    s = score_strict([[KCN, HCM]], [[HCM, AREA]], labels=["LOCATION"])
    assert set(s) == {"LOCATION", "micro", "macro"}
    assert s["micro"]["f1"] == 1.0


def test_mismatched_lengths_raise() -> None:
    with pytest.raises(ValueError, match="gold documents"):
        score_strict([[KCN]], [])


@pytest.mark.parametrize("tp,fp,fn,expected", [(0, 0, 0, (None, None, None)), (3, 1, 0, (0.75, 1.0, 6 / 7)),
                                               (0, 2, 0, (0.0, None, 0.0))])
def test_prf(tp, fp, fn, expected) -> None:
    got = prf(tp, fp, fn)
    assert tuple(None if v is None else pytest.approx(v) for v in (got["p"], got["r"], got["f1"])) == \
        tuple(None if v is None else pytest.approx(v) for v in expected)


@given(document_lists())
def test_gold_against_itself_is_perfect(docs: list[Document]) -> None:
    s = score_strict([d.spans for d in docs], [d.spans for d in docs])
    n = sum(len(d.spans) for d in docs)
    assert s["micro"]["tp"] == n and s["micro"]["fp"] == s["micro"]["fn"] == 0
    assert s["micro"]["f1"] == (1.0 if n else None)


@st.composite
def gold_and_pred(draw):
    docs = draw(document_lists(aligned=True))
    return docs, [draw(spans_for(d.text, aligned=True)) for d in docs]


@given(gold_and_pred())
def test_invariants(case) -> None:
    docs, pred = case
    s = score_strict([d.spans for d in docs], pred)
    m = s["micro"]
    assert m["tp"] + m["fn"] == sum(len(d.spans) for d in docs)
    assert m["tp"] + m["fp"] == sum(len(p) for p in pred)
    for key in ("p", "r", "f1"):
        assert m[key] is None or 0.0 <= m[key] <= 1.0
    # swapping gold and prediction swaps precision and recall
    swapped = score_strict(pred, [d.spans for d in docs])["micro"]
    assert (swapped["p"], swapped["r"], swapped["f1"]) == (m["r"], m["p"], m["f1"])


@settings(max_examples=40)
@given(gold_and_pred())
def test_seqeval_agrees_with_strict_on_syllable_aligned_spans(case) -> None:
    """With every span on syllable boundaries, strict IOB2 equals strict span matching."""
    docs, pred = case
    strict = score_strict([d.spans for d in docs], pred)
    seq = score_seqeval(docs, pred)
    assert seq["misaligned"]["gold"] == seq["misaligned"]["pred"] == 0
    if strict["micro"]["tp"] + strict["micro"]["fp"] + strict["micro"]["fn"] == 0:
        assert seq["micro"]["f1"] is None
        return
    assert seq["micro"]["f1"] == pytest.approx(strict["micro"]["f1"])
    assert seq["micro"]["support"] == strict["micro"]["support"]


def test_seqeval_reports_misaligned_gold() -> None:
    text = "KCN Tân Tạo100 ha"
    gold = Document("d", text, [Span.from_text(text, 8, 11, "CLUSTER")])  # "Tạo" inside the syllable "Tạo100"
    seq = score_seqeval([gold], [[]])
    assert seq["misaligned"]["gold"] == 1
    assert seq["misaligned"]["gold_spans"][0]["text"] == "Tạo"


def test_seqeval_figures_equal_seqeval_metrics() -> None:
    """The counts over seqeval's own strict IOB2 entities reproduce seqeval.metrics' report."""
    from seqeval.metrics import classification_report
    from seqeval.scheme import IOB2

    from annotations.bio import spans_to_tags
    from annotations.syllables import syllable_spans

    text = "KCN Tân Tạo ở TP.HCM rộng 100 ha, lấp đầy 80%. Tỉnh Long An có 14.674,3 ha."
    gold = [Span.from_text(text, *r) for r in [(0, 11, "CLUSTER"), (14, 20, "LOCATION"), (26, 32, "AREA"),
                                                  (42, 45, "PERCENT"), (47, 59, "LOCATION"), (63, 74, "AREA")]]
    pred = [Span.from_text(text, *r) for r in [(4, 11, "CLUSTER"), (14, 20, "LOCATION"), (26, 32, "AREA"),
                                                  (52, 59, "LOCATION"), (63, 74, "PERCENT")]]
    ours = score_seqeval([Document("d", text, gold)], [pred])
    tokens = syllable_spans(text)
    ref = classification_report([spans_to_tags(tokens, gold)[0]], [spans_to_tags(tokens, pred)[0]],
                                mode="strict", scheme=IOB2, output_dict=True, zero_division=0)
    for label in ("CLUSTER", "LOCATION", "AREA", "PERCENT"):
        assert ours[label]["f1"] == pytest.approx(ref[label]["f1-score"])
        assert ours[label]["support"] == ref[label]["support"]
    assert ours["micro"]["f1"] == pytest.approx(ref["micro avg"]["f1-score"])
    assert ours["micro"]["p"] == pytest.approx(ref["micro avg"]["precision"])
    assert ours["macro"]["f1"] == pytest.approx(ref["macro avg"]["f1-score"])
    assert ours["CLUSTER"]["f1"] == 0.0 and ours["LOCATION"]["f1"] == pytest.approx(0.5)
