"""Alignment and SemEval-2013 partial matching on hand-computed cases, plus invariants."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from annotations.document import Span
from evaluation.partial import align, score_partial
from strategies import document_lists, spans_for

TEXT = "Cụm công nghiệp Huyền Tụng (thành phố Bắc Kạn, 16ha) đạt 100%."


def sp(start: int, end: int, label: str) -> Span:
    return Span.from_text(TEXT, start, end, label)


CLUSTER = sp(0, 26, "CLUSTER")      # Cụm công nghiệp Huyền Tụng
LOC = sp(28, 45, "LOCATION")        # thành phố Bắc Kạn
AREA = sp(47, 51, "AREA")           # 16ha
PCT = sp(57, 61, "PERCENT")         # 100%


def test_fixture_offsets() -> None:
    assert [CLUSTER.text, LOC.text, AREA.text, PCT.text] == ["Cụm công nghiệp Huyền Tụng", "thành phố Bắc Kạn",
                                                              "16ha", "100%"]


def kinds(gold, pred):
    return [p.kind for p in align(gold, pred)]


def test_kinds_of_pairs() -> None:
    bare = sp(38, 45, "LOCATION")           # "Bắc Kạn": boundary error
    as_cluster = sp(28, 45, "CLUSTER")      # right offsets, wrong label: type error
    assert kinds([LOC], [LOC]) == ["exact"]
    assert kinds([LOC], [bare]) == ["boundary"]
    assert kinds([LOC], [as_cluster]) == ["type"]
    assert kinds([LOC], [sp(38, 45, "CLUSTER")]) == ["boundary+type"]
    assert kinds([LOC], []) == ["missed"]
    assert kinds([], [LOC]) == ["spurious"]


def test_one_to_one_prefers_exact_then_largest_overlap() -> None:
    # two predictions overlap the cluster; the larger overlap is the boundary pair, the other is spurious
    p1, p2 = sp(0, 15, "CLUSTER"), sp(16, 26, "CLUSTER")  # "Cụm công nghiệp" (15), "Huyền Tụng" (10)
    pairs = align([CLUSTER], [p2, p1])
    assert [(p.kind, p.pred) for p in pairs] == [("boundary", p1), ("spurious", p2)]
    # an exact match wins over an overlapping prediction with the same label
    pairs = align([LOC], [sp(28, 37, "LOCATION"), LOC])
    assert sorted(p.kind for p in pairs) == ["exact", "spurious"]


def test_schemes_hand_computed() -> None:
    gold = [CLUSTER, LOC, AREA, PCT]
    pred = [CLUSTER,                         # exact
            sp(38, 45, "LOCATION"),          # boundary
            sp(47, 51, "PERCENT"),           # type (AREA labelled PERCENT)
            sp(0, 3, "AREA")]                # overlaps the CLUSTER, but that is taken: spurious
    # PCT is missed
    r = score_partial([gold], [pred])
    s = r["schemes"]
    assert {k: s["strict"][k] for k in ("cor", "inc", "par", "mis", "spu")} == \
        {"cor": 1, "inc": 2, "par": 0, "mis": 1, "spu": 1}
    assert s["strict"]["possible"] == 4 and s["strict"]["actual"] == 4
    assert s["strict"]["p"] == s["strict"]["r"] == pytest.approx(0.25)
    assert (s["exact"]["cor"], s["exact"]["inc"]) == (2, 1)            # the type error has exact offsets
    assert (s["partial"]["cor"], s["partial"]["par"]) == (2, 1)
    assert s["partial"]["p"] == pytest.approx((2 + 0.5) / 4)
    assert (s["type"]["cor"], s["type"]["inc"]) == (2, 1)              # the boundary error has the right label
    assert s["type"]["f1"] == pytest.approx(0.5)
    k = r["kinds"]
    assert k["CLUSTER"]["exact"] == 1 and k["LOCATION"]["boundary"] == 1
    assert k["AREA"]["type"] == 1 and k["PERCENT"]["missed"] == 1 and k["AREA"]["spurious"] == 1


def test_empty_gold_and_prediction() -> None:
    r = score_partial([[]], [[]])
    for scheme in r["schemes"].values():
        assert scheme["p"] is None and scheme["r"] is None and scheme["f1"] is None
    r = score_partial([[LOC]], [[]])
    assert r["schemes"]["partial"]["r"] == 0.0 and r["schemes"]["partial"]["p"] is None


@st.composite
def gold_and_pred(draw):
    docs = draw(document_lists())
    return docs, [draw(spans_for(d.text)) for d in docs]


@given(gold_and_pred())
def test_alignment_uses_every_span_once(case) -> None:
    docs, preds = case
    for doc, pred in zip(docs, preds):
        pairs = align(doc.spans, pred)
        assert sorted(id(p.gold) for p in pairs if p.gold) == sorted(id(s) for s in doc.spans)
        assert sorted(id(p.pred) for p in pairs if p.pred) == sorted(id(s) for s in pred)
        for p in pairs:
            if p.gold and p.pred:
                assert p.gold.overlaps(p.pred)


@given(gold_and_pred())
def test_strict_scheme_equals_strict_matching_on_flat_spans(case) -> None:
    """Gold and predictions without overlaps: the strict scheme is strict span matching,
    and the lenient schemes never score lower."""
    from annotations.scoring import score_strict

    docs, preds = case
    gold = [d.spans for d in docs]
    s = score_partial(gold, preds)["schemes"]
    m = score_strict(gold, preds)["micro"]
    assert s["strict"]["cor"] == m["tp"]
    assert s["strict"]["possible"] == m["tp"] + m["fn"] and s["strict"]["actual"] == m["tp"] + m["fp"]
    if m["f1"] is not None:
        assert s["strict"]["f1"] == pytest.approx(m["f1"])
        for lenient in ("exact", "partial", "type"):
            assert s[lenient]["f1"] >= m["f1"] - 1e-12
