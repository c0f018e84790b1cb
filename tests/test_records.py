"""Cluster records (models/records.py, models/places.py, models/cluster_names.py): merging,
linking, provinces, qualifiers, and the invariants every record keeps on any text and spans."""

from __future__ import annotations

import re
from pathlib import Path
from types import SimpleNamespace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotations.document import Span
from annotations.labelstudio import load_documents
from annotations.lexicon import vocabulary as v
from annotations.values import parse_value
from models import rules
from models.cluster_names import canonical_type, name_key, split_cluster
from models.places import province_candidates, resolve
from models.records import build_records, qualifier_before, rules_records

from strategies import texts

ROOT = Path(__file__).resolve().parents[1]
SEEDS = {d.id: d for d in load_documents(ROOT / "annotations" / "gold" / "seeds.json")}


def tagged(marked: str) -> tuple[str, list[Span]]:
    """``"[[CLUSTER|KCN Yên Phong]] rộng [[AREA|600 ha]]"`` -> text and spans."""
    text, spans, pos = "", [], 0
    for m in re.finditer(r"\[\[(\w+)\|(.*?)\]\]", marked):
        text += marked[pos:m.start()]
        spans.append(Span(len(text), len(text) + len(m.group(2)), m.group(1), m.group(2)))
        text += m.group(2)
        pos = m.end()
    return text + marked[pos:], spans


def records_of(marked: str):
    return build_records(*tagged(marked))


# ------------------------------------------------------------------ names, types, places

@pytest.mark.parametrize("text, type_, name", [
    ("KCN Yên Phong", "khu công nghiệp", "Yên Phong"),
    ("Khu công nghiệp Yên Phong", "khu công nghiệp", "Yên Phong"),
    ("khu Công nghiệp (KCN) Tân Tạo", "khu công nghiệp", "Tân Tạo"),
    ("Cụm CN Việt Nhật", "cụm công nghiệp", "Việt Nhật"),
    ("KCX Linh Trung I", "khu chế xuất", "Linh Trung I"),
    ("CCN-TTCN Hà Mãn", "cụm công nghiệp - tiểu thủ công nghiệp", "Hà Mãn"),
    ("Yên Phong", None, "Yên Phong"),
])
def test_split_cluster(text, type_, name):
    assert split_cluster(text) == (type_, name)


def test_every_lexicon_type_word_has_a_canonical_long_form():
    long_forms = {"khu công nghiệp", "khu chế xuất", "cụm công nghiệp", "cụm tiểu thủ công nghiệp",
                  "cụm công nghiệp - tiểu thủ công nghiệp"}
    for word in v.CLUSTER_TYPE_WORDS + v.CLUSTER_TYPE_ABBREVIATIONS + v.CLUSTER_TYPE_BRACKETED:
        assert canonical_type(word) in long_forms, word


def test_name_key_ignores_case_tone_placement_spacing_and_descriptors():
    assert name_key("Hòa  Phú") == name_key("hoà phú")
    assert name_key("địa phương số 2") == name_key("số 2")
    assert name_key("Văn Lãng") != name_key("Văn Lãng 2")


@pytest.mark.parametrize("text, provinces", [
    ("huyện Chi Lăng", ("Lạng Sơn",)), ("TP.HCM", ("Hồ Chí Minh",)), ("Tỉnh Long An", ("Long An",)),
    ("thành phố Bắc Kạn", ("Bắc Kạn",)), ("Na Rì", ("Bắc Kạn",)), ("huyện Hiệp Hoà", ("Bắc Giang",)),
    ("Chợ Mới", ("An Giang", "Bắc Kạn")), ("Trung Quốc", ()), ("Đông Nam Bộ", ()),
])
def test_province_candidates(text, provinces):
    assert province_candidates(text) == provinces


def test_an_ambiguous_district_takes_the_province_the_document_names_most():
    from collections import Counter

    assert resolve("Chợ Mới", Counter({"Bắc Kạn": 3})) == "Bắc Kạn"
    assert resolve("Chợ Mới", Counter()) is None


@pytest.mark.parametrize("before, qualifier", [
    ("diện tích khoảng ", "khoảng"), ("hơn ", "hơn"), ("Gần ", "gần"), ("đạt trên ", "trên"),
    ("diện tích ", None), ("(", None), ("thu hút hơn", None),
])
def test_qualifier_just_before_a_number(before, qualifier):
    assert qualifier_before(before + "50 ha", len(before)) == qualifier


# ------------------------------------------------------------------ merging

def test_mentions_of_one_park_merge_and_the_type_is_the_long_form():
    recs = records_of("[[CLUSTER|Khu công nghiệp Yên Phong]] ở [[LOCATION|Bắc Ninh]] rộng [[AREA|1.200 ha]]. "
                      "Năm nay [[CLUSTER|KCN Yên Phong]] đón 5 dự án. Doanh nghiệp ở [[CLUSTER|Yên Phong]] "
                      "đã lấp đầy [[PERCENT|95%]]. [[CLUSTER|KCN Quế Võ]] thì chưa.")
    assert [(r.name, r.type, len(r.mentions)) for r in recs] == [("Yên Phong", "khu công nghiệp", 3),
                                                                  ("Quế Võ", "khu công nghiệp", 1)]
    yp = recs[0]
    assert (yp.area_ha, yp.fill_rate, yp.province, yp.province_source) == ([1200.0, 1200.0], [95.0, 95.0],
                                                                           "Bắc Ninh", "linked")
    assert recs[1].province == "Bắc Ninh" and recs[1].province_source == "document"


def test_same_name_of_another_type_is_another_cluster():
    recs = records_of("[[CLUSTER|KCN Hòa Phú]] và [[CLUSTER|cụm công nghiệp Hoà Phú]] ở [[LOCATION|Bắc Giang]].")
    assert [r.type for r in recs] == ["khu công nghiệp", "cụm công nghiệp"]


def test_bare_names_of_a_list_take_the_type_word_before_them():
    recs = records_of("Các dự án [[CLUSTER|Khu công nghiệp Thế Kỷ]], [[CLUSTER|Tân Tập]], [[CLUSTER|Thủ Thừa]]. "
                      "Nhiều cụm đã kín đất như: [[CLUSTER|Đồng Đình]], [[CLUSTER|Việt Nhật]].")
    assert [r.type for r in recs] == ["khu công nghiệp"] * 3 + ["cụm công nghiệp"] * 2


# ------------------------------------------------------------------ figures

def test_a_percent_is_a_fill_rate_only_near_a_fill_word():
    recs = records_of("[[CLUSTER|Cụm công nghiệp Vằng Mười]] ([[LOCATION|Na Rì]], [[AREA|15ha]]): "
                      "công tác san nền đã đạt [[PERCENT|60% - 85%]] giá trị hợp đồng.")
    assert recs[0].area_ha == [15.0, 15.0] and recs[0].fill_rate is None
    for phrase in ("tỷ lệ lấp đầy đạt khoảng", "đã cho thuê được", "thu hút"):
        rec, = records_of(f"[[CLUSTER|KCN A]] {phrase} [[PERCENT|60%]] diện tích đất công nghiệp.")
        assert rec.fill_rate == [60.0, 60.0], phrase


def test_figures_of_unnamed_clusters_belong_to_no_record():
    recs = records_of("Tỉnh có 2 khu công nghiệp với diện tích khoảng [[AREA|762 ha]] gồm: "
                      "[[CLUSTER|Khu Công nghiệp Đồng Bành]] có diện tích [[AREA|162 ha]]. "
                      "Tỷ lệ lấp đầy các khu công nghiệp đạt [[PERCENT|75%]].")
    assert recs[0].area_ha == [162.0, 162.0] and recs[0].fill_rate is None


def test_a_figure_goes_to_the_previous_sentence_subject_or_a_mention_right_after():
    rec, = records_of("[[CLUSTER|Cụm công nghiệp Việt Nhật]] đã hoàn thành giải phóng mặt bằng. "
                      "Với tổng diện tích gần [[AREA|50 ha]], nhà đầu tư đang thi công hạ tầng cụm công nghiệp.")
    assert (rec.area_ha, rec.qualifier["area_ha"]) == ([50.0, 50.0], "gần")
    rec, = records_of("Với diện tích [[AREA|444 ha]], [[CLUSTER|KCN Tân Tạo]] là khu lớn nhất.")
    assert rec.area_ha == [444.0, 444.0]


def test_a_list_shares_a_fill_rate_but_not_a_total_area():
    recs = records_of("[[CLUSTER|KCN Tiên Sơn]], [[CLUSTER|Quế Võ]] và [[CLUSTER|Yên Phong]] đều đã lấp đầy "
                      "trên [[PERCENT|90%]]. Các [[CLUSTER|KCN Nam Tràng Cát]], [[CLUSTER|An Hòa]] với tổng diện "
                      "tích hơn [[AREA|1.000 ha]].")
    assert [r.fill_rate for r in recs[:3]] == [[90.0, 90.0]] * 3
    assert {r.qualifier["fill_rate"] for r in recs[:3]} == {"trên"}
    assert [r.area_ha for r in recs[3:]] == [None, None]
    recs = records_of("[[CLUSTER|KCN Phú Tài]] ([[AREA|348 ha]]) và [[CLUSTER|Long Mỹ]] ([[AREA|100 ha]]) "
                      "đã lấp đầy lần lượt [[PERCENT|97,8%]] và [[PERCENT|92%]].")
    assert [(r.area_ha[0], r.fill_rate[0]) for r in recs] == [(348.0, 97.8), (100.0, 92.0)]


def test_a_phases_fill_rate_and_a_lists_joint_one_belong_to_no_park():
    for sentence in ("[[CLUSTER|KCN Tiên Sơn]] giai đoạn 1 đã lấp đầy [[PERCENT|100%]].",
                     "[[CLUSTER|KCN Nhơn Hội]] khu A rộng [[AREA|630 ha]] đã lấp đầy khoảng [[PERCENT|75%]].",
                     "[[CLUSTER|KCN Sông Hậu]] giai đoạn 1 ([[AREA|290 ha]]) đã lấp đầy [[PERCENT|100%]]."):
        rec, = records_of(sentence)
        assert rec.fill_rate is None, sentence
    recs = records_of("Đồng Tháp có [[CLUSTER|KCN Sa Đéc]], [[CLUSTER|Trần Quốc Toản]] và [[CLUSTER|Sông Hậu]] với "
                      "tổng diện tích [[AREA|240 ha]], tỷ lệ lấp đầy khoảng [[PERCENT|85%]].")
    assert [(r.area_ha, r.fill_rate) for r in recs] == [(None, None)] * 3
    rec, = records_of("[[CLUSTER|KCN Phú Hà]] rộng [[AREA|450 ha]] đã lấp đầy [[PERCENT|60%]].")
    assert rec.fill_rate == [60.0, 60.0]


def test_an_area_that_is_not_the_clusters_size_is_left_out():
    for sentence in ("[[CLUSTER|KCN A]] đã cho thuê [[AREA|300 ha]].",
                     "[[CLUSTER|KCN A]] có nhà máy trên diện tích [[AREA|30 ha]].",
                     "[[CLUSTER|KCN A]] còn vướng [[AREA|8,2 héc-ta]].",
                     "[[CLUSTER|KCN A]] có phòng rộng [[AREA|40m2]].",
                     "[[CLUSTER|KCN A]] có phân xưởng rộng [[AREA|2,5 ha]].",
                     "Vừa đưa vào vận hành [[AREA|62.000 m2]] nhà xưởng tại [[CLUSTER|KCN A]].",
                     "[[CLUSTER|KCN A]] giai đoạn 1 có diện tích [[AREA|498 ha]]."):
        rec, = records_of(sentence)
        assert rec.area_ha is None, sentence


# ------------------------------------------------------------------ locations and provinces

def test_locations_follow_their_mention_in_the_clause():
    rec, = records_of("[[CLUSTER|Cụm công nghiệp Văn Lãng 2]], diện tích [[AREA|39,5 ha]] tại [[LOCATION|xã Tân Mỹ]], "
                      "[[LOCATION|huyện Văn Lãng]]; [[LOCATION|tỉnh Cao Bằng]] cũng vậy.")
    assert rec.locations == ["xã Tân Mỹ", "huyện Văn Lãng"] and rec.province == "Lạng Sơn"
    rec, = records_of("[[CLUSTER|Cụm công nghiệp Việt Nhật]] đã được [[LOCATION|huyện Hiệp Hòa]] tập trung.")
    assert rec.locations == [] and (rec.province, rec.province_source) == ("Bắc Giang", "document")


def test_a_place_after_the_bracketed_size_or_a_phase_word_still_links():
    rec, = records_of("[[CLUSTER|KCN Tràng Duệ 3]] ([[AREA|687 ha]]) tại [[LOCATION|Hải Phòng]].")
    assert (rec.locations, rec.area_ha, rec.province) == (["Hải Phòng"], [687.0, 687.0], "Hải Phòng")
    rec, = records_of("[[CLUSTER|KCN Phú Mỹ II]] mở rộng ([[LOCATION|BR-VT]]).")
    assert rec.province == "Bà Rịa - Vũng Tàu"


def test_a_province_named_before_the_mention_in_its_sentence_beats_the_documents():
    text, spans = tagged("[[LOCATION|Bắc Ninh]] và [[LOCATION|Bắc Ninh]] dẫn đầu. Tại [[LOCATION|Bắc Giang]], tỷ lệ "
                         "lấp đầy của [[CLUSTER|KCN Quang Châu]] đã đạt [[PERCENT|98%]]. [[CLUSTER|KCN Yên Phong]] "
                         "thì đầy.")
    recs = build_records(text, spans)
    assert [(r.province, r.province_source) for r in recs] == [("Bắc Giang", "sentence"), ("Bắc Ninh", "document")]
    assert recs[0].evidence["province"] == (text.index("Bắc Giang"), text.index("Bắc Giang") + len("Bắc Giang"))


# ------------------------------------------------------------------ the seed articles

def test_seed_records_from_gold_spans():
    recs = {r.name: r for r in build_records(SEEDS["003_07ee45463fff9faf"].text, SEEDS["003_07ee45463fff9faf"].spans)}
    db = recs["Đồng Bành"]
    assert (len(db.mentions), db.area_ha, db.fill_rate, db.qualifier["fill_rate"], db.province) == \
        (4, [162.0, 162.0], [60.0, 60.0], "khoảng", "Lạng Sơn")
    assert recs["Hồng Phong"].qualifier == {"area_ha": "khoảng", "fill_rate": "khoảng"}
    doc = SEEDS["000_36c0e3efaf75f18f"]
    recs = build_records(doc.text, doc.spans)
    assert {r.province for r in recs} == {"Bắc Kạn"}  # Chợ Mới is also a district of An Giang
    assert recs[1].name == "Huyền Tụng" and recs[1].fill_rate == [100.0, 100.0]


def test_rules_records_and_tagger_records_need_no_model():
    from models.tagger import Tagger

    doc = SEEDS["003_07ee45463fff9faf"]
    expected = [r.to_dict() for r in build_records(doc.text, rules.extract(doc.text))]
    assert [r.to_dict() for r in rules_records(doc.text)] == expected
    fake = SimpleNamespace(extract=rules.extract)  # Tagger.records only groups what extract gives
    assert [r.to_dict() for r in Tagger.records(fake, doc.text)] == expected


def test_spans_that_do_not_match_the_text_are_refused():
    with pytest.raises(ValueError, match="does not match"):
        build_records("KCN Tân Tạo", [Span(0, 3, "CLUSTER", "KCX")])


# ------------------------------------------------------------------ invariants

def check_invariants(text: str, spans: list[Span]) -> None:
    recs = build_records(text, spans)
    clusters = sorted((s.start, s.end) for s in spans if s.label == "CLUSTER")
    assert sorted(m for r in recs for m in r.mentions) == clusters  # each mention in exactly one record
    by_offsets = {(s.start, s.end, s.label) for s in spans}
    for r in recs:
        d = r.to_dict()
        assert d["name"] and r.key.count("|") == 2
        for kind, label in (("area_ha", "AREA"), ("fill_rate", "PERCENT")):
            ev = d["evidence"][kind]
            if ev is None:
                assert d[kind] is None and d["qualifier"][kind] is None
                continue
            assert (ev[0], ev[1], label) in by_offsets
            assert d[kind] == parse_value(text[ev[0]:ev[1]], label) is not None  # the value is the evidence's
            assert d[kind][0] <= d[kind][1]
            q = d["qualifier"][kind]
            assert q is None or (q in {w.lower() for w in v.QUALIFIERS} and
                                 text[:ev[0]].rstrip().lower().endswith(q))
        assert d["locations"] == list(dict.fromkeys(text[a:b] for a, b in d["evidence"]["locations"]))
        assert all((a, b, "LOCATION") in by_offsets for a, b in d["evidence"]["locations"])
        if d["province_source"] == "linked":
            assert d["evidence"]["province"] in d["evidence"]["locations"]
        assert (d["province"] is None) == (d["province_source"] is None)


@st.composite
def spans_over(draw, text_strategy=texts):
    """A text and non-overlapping spans of any label over it (gold-like or nonsense)."""
    text = draw(text_strategy)
    cuts = sorted(set(draw(st.lists(st.integers(0, len(text)), max_size=12))))
    spans = []
    for a, b in zip(cuts[::2], cuts[1::2]):
        if a < b:
            spans.append(Span.from_text(text, a, b, draw(st.sampled_from(("CLUSTER", "LOCATION", "AREA", "PERCENT")))))
    return text, spans


SENTENCES = [s for d in SEEDS.values() for s in re.split(r"(?<=[.;:\n])", d.text) if s.strip()]
seed_mix = st.lists(st.sampled_from(SENTENCES), min_size=1, max_size=8).map("".join)


@settings(max_examples=60, deadline=None)
@given(seed_mix)
def test_invariants_on_rules_spans_of_mixed_seed_sentences(text):
    check_invariants(text, rules.extract(text))


@settings(max_examples=100, deadline=None)
@given(spans_over())
def test_invariants_on_arbitrary_spans(case):
    check_invariants(*case)


@settings(max_examples=40, deadline=None)
@given(spans_over(seed_mix))
def test_invariants_on_arbitrary_spans_of_real_sentences(case):
    check_invariants(*case)


@pytest.mark.parametrize("doc_id", sorted(SEEDS))
def test_invariants_on_the_seeds(doc_id):
    doc = SEEDS[doc_id]
    check_invariants(doc.text, doc.spans)
    check_invariants(doc.text, rules.extract(doc.text))
