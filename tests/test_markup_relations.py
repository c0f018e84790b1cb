"""Record gold in the inline markup of the hand-written articles (training/markup.py):
cluster keys and links parse into spans with ids and relations, and back, without loss."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from training.markup import parse_markup, to_markup


def _structure(doc):
    """What the relations say, free of span ids and key names: the clusters as sets of
    mention offsets, and each link as (relation, its cluster, the linked span's offsets)."""
    by_id = {s.id: s for s in doc.spans}
    group = {s.id: {(s.start, s.end)} for s in doc.spans if s.label == "CLUSTER"}
    for r in doc.relations:
        if r.label == "same_as":
            merged = group[r.from_id] | group[r.to_id]
            for sid, g in group.items():
                if g is group[r.from_id] or g is group[r.to_id]:
                    group[sid] = merged
            group[r.from_id] = group[r.to_id] = merged
    clusters = {frozenset(g) for g in group.values()}
    links = {(r.label, frozenset(group[r.from_id]), (by_id[r.to_id].start, by_id[r.to_id].end))
             for r in doc.relations if r.label != "same_as"}
    return clusters, links


def test_keys_make_clusters_and_links():
    doc = parse_markup("{{CLUSTER=yp|KCN Yên Phong}} ở {{LOCATION>yp|huyện Yên Phong}}, {{LOCATION~yp|Bắc Ninh}}, "
                       "rộng {{AREA>yp|351 ha}}; {{CLUSTER=qv|KCN Quế Võ}} và {{CLUSTER=yp|Yên Phong}} "
                       "lấp đầy {{PERCENT>yp,qv|90%}}.", "d")
    ids = {s.text: s.id for s in doc.spans}
    got = {(r.label, r.from_id, r.to_id) for r in doc.relations}
    assert got == {("located_in", ids["KCN Yên Phong"], ids["huyện Yên Phong"]),
                   ("implied_in", ids["KCN Yên Phong"], ids["Bắc Ninh"]),
                   ("area", ids["KCN Yên Phong"], ids["351 ha"]),
                   ("same_as", ids["Yên Phong"], ids["KCN Yên Phong"]),
                   ("fill_rate", ids["KCN Yên Phong"], ids["90%"]),
                   ("fill_rate", ids["KCN Quế Võ"], ids["90%"])}
    assert doc.text.startswith("KCN Yên Phong ở huyện Yên Phong, Bắc Ninh")


def test_markup_without_keys_has_no_ids_or_relations():
    doc = parse_markup("{{CLUSTER|KCN Tân Tạo}} rộng {{AREA|16 ha}}", "d")
    assert doc.relations == [] and all(s.id is None for s in doc.spans)


@pytest.mark.parametrize("marked,says", [
    ("{{AREA=x|16 ha}}", "only a CLUSTER takes a key"),
    ("{{CLUSTER=a|KCN A}} {{CLUSTER>a|KCN B}}", "a CLUSTER cannot be linked"),
    ("{{CLUSTER=a|KCN A}} {{AREA~a|16 ha}}", "a AREA cannot be linked with '~'"),
    ("{{CLUSTER=a|KCN A}} {{AREA>b|16 ha}}", "links to 'b', which no CLUSTER mention declares"),
])
def test_wrong_marks_are_refused_by_name(marked, says):
    with pytest.raises(ValueError, match=says):
        parse_markup(marked, "d")


_LINKABLE = {"LOCATION": "Hải Dương", "AREA": "12 ha", "PERCENT": "80%"}


@st.composite
def marked_documents(draw):
    keys = draw(st.lists(st.sampled_from(["a", "b", "c", "d"]), min_size=1, max_size=4, unique=True))
    pieces = []
    for i in range(draw(st.integers(1, 12))):
        if draw(st.booleans()):
            key = draw(st.sampled_from(keys + [None]))
            pieces.append(f"{{{{CLUSTER{'=' + key if key else ''}|KCN số {i}}}}}")
        else:
            label = draw(st.sampled_from(sorted(_LINKABLE)))
            marks = ""
            to = draw(st.lists(st.sampled_from(keys), max_size=2, unique=True))
            if to:
                marks += ">" + ",".join(to)
            implied = draw(st.lists(st.sampled_from(keys), max_size=1)) if label == "LOCATION" else []
            if implied:
                marks += "~" + implied[0]
            pieces.append(f"{{{{{label}{marks}|{_LINKABLE[label]}}}}}")
    declared = [k for k in keys if any(f"={k}|" in p for p in pieces)]
    if not declared:  # every link must name a declared cluster
        pieces.append(f"{{{{CLUSTER={keys[0]}|KCN cuối}}}}")
    return " , ".join(pieces)


@settings(max_examples=200, deadline=None)
@given(marked_documents())
def test_relations_round_trip_through_markup(marked):
    try:
        doc = parse_markup(marked, "p")
    except ValueError as exc:  # a link to a key no cluster declares: refused, by name
        assert "which no CLUSTER mention declares" in str(exc)
        return
    for s in doc.spans:
        assert doc.text[s.start:s.end] == s.text
    again = parse_markup(to_markup(doc), "p")
    assert again.text == doc.text
    assert [s.key for s in again.spans] == [s.key for s in doc.sorted_spans()]
    assert _structure(again) == _structure(doc)
