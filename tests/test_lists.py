"""List structure (models.lists) and the ``rules+context+lists`` hint source that reads it."""

from __future__ import annotations

from hypothesis import given, strategies as st

from annotations.document import Span
from models.context import memory_spans
from models.hints import HINT_TYPES, LIST_TAGS, MEMORY_TAGS, hint_types, word_hints
from models.lists import LIST_LABELS, list_spans
from models.rules import extract as rules
from models.segment import get_segmenter

SYL = get_segmenter("syllable")

FRAGMENTS = ["Khu công nghiệp Nhơn Trạch 1", "2", "3", "Mỹ Xuân A2", "KCN Tân Tạo", "Lê Minh Xuân", "quận 1",
             ",", ", ", ";", " và ", "và", "hoặc", "(Đồng Nai)", "rộng 16ha", "tỉnh Bắc Ninh", "Bắc Ninh", "ông",
             "Công ty", "nhà máy", ".", "\n", "lấp đầy 90%", "II", "-", "Yên Phong", "các", "xã Minh Sơn"]
texts = st.lists(st.sampled_from(FRAGMENTS), min_size=1, max_size=30).map(" ".join)


def _listed(text: str) -> list[tuple[str, str]]:
    spans = rules(text)
    return [(s.text, s.label) for s in list_spans(text, [*spans, *memory_spans(text, spans)])]


def test_numbered_items_continue_the_list_of_the_name_before_them():
    text = "Đồng Nai có 6 khu công nghiệp: Nhơn Trạch 1, 2, 3, 5; mỗi ngày xả thải."
    assert _listed(text) == [("2", "CLUSTER"), ("3", "CLUSTER"), ("5", "CLUSTER")]
    assert _listed("phân loại rác ở các quận 1,2,3, Củ Chi") == [("2", "LOCATION"), ("3", "LOCATION")]


def test_a_list_goes_through_tagged_items_and_stops_at_another_label_or_no_separator():
    text = "khu chế xuất Tân Thuận, Linh Trung 1 và 2, khu công nghiệp Tân Tạo rộng 200 ha, Công ty X"
    assert _listed(text) == [("2", "CLUSTER")]
    assert _listed("KCN Tân Tạo rộng 200 ha. Bắc Ninh") == []


def test_a_bare_number_needs_a_numbered_item_before_it():
    # "Bắc Ninh, 3 dự án": the list item before "3" ends in no number, so "3" is no item
    assert _listed("Tại tỉnh Bắc Ninh, 3 dự án mới") == []


@given(texts)
def test_proposals_are_exact_untagged_and_labelled_as_a_list_head(text):
    spans = rules(text)
    spans = [*spans, *memory_spans(text, spans)]
    out = list_spans(text, spans)
    assert all(text[s.start:s.end] == s.text and s.text.strip() == s.text and s.text for s in out)
    assert all(s.label in LIST_LABELS for s in out)
    assert all(a.end <= b.start for a, b in zip(out, out[1:]))
    assert not any(s.start < t.end and t.start < s.end for s in out for t in spans)


@given(texts)
def test_list_hints_add_types_only_where_the_rules_and_the_memory_say_O(text):
    """A list item outranks a known unit's name (the list is the more specific evidence), never
    a rules tag or a remembered name."""
    words = SYL.segment(text)
    context = word_hints(text, words, "rules+context")
    lists = word_hints(text, words, "rules+context+lists")
    assert len(context) == len(lists)
    first_list_type = hint_types("rules+context")
    known = range(HINT_TYPES + len(MEMORY_TAGS), first_list_type)
    for c, li in zip(context, lists):
        assert li == c or ((c == 0 or c in known) and first_list_type <= li < hint_types("rules+context+lists"))


def test_list_hint_types_follow_the_context_types():
    assert hint_types("rules+context+lists") == hint_types("rules+context") + len(LIST_TAGS)
    text = "Các KCN Nhơn Trạch 1, 2 và 3 đã lấp đầy."
    words = SYL.segment(text)
    hints = dict(zip([w.form for w in words], word_hints(text, words, "rules+context+lists")))
    b_cluster = hint_types("rules+context") + LIST_TAGS.index("B-CLUSTER")
    assert hints["2"] == hints["3"] == b_cluster and hints["Nhơn"] < HINT_TYPES
