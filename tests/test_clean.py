"""Cleaning before NFC: invisible characters, markup and surrogates never break a name or a
number, and every span maps back exactly to the caller's text."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from models.clean import REMOVED, SPACES, clean, looks_like_mojibake
from models.normalize import normalize
from models.rules import extract

PIECES = st.lists(st.one_of(
    st.sampled_from(["KCN", "Tân", "Tạo", "rộng", "16", "ha", "90", "%", "Hòa", "xã", " ", ",", "\n"]),
    st.sampled_from(list(REMOVED) + list(SPACES) + ["&acirc;", "&amp;", "&#226;", "&nbsp;", "<b>", "</p>", "\ud800",
                                                    "\x00", "e\u0301", "&bogus;"]),
), max_size=30)


@given(PIECES)
def test_maps_lead_back_to_pieces_that_clean_to_the_same_text(pieces):
    original = "".join(pieces)
    c = clean(original)
    if c is None:
        return
    n = len(c.text)
    assert len(c.c2o_start) == len(c.c2o_end) == n + 1 and len(c.o2c_start) == len(c.o2c_end) == len(original) + 1
    for a in range(n + 1):
        for b in range(a + 1, min(n, a + 6) + 1):
            if c.text[a].isspace() or c.text[b - 1].isspace():
                continue  # spans start and end on letters (a tag's spaces are not a name's edge)
            o_a, o_b = c.c2o_start[a], c.c2o_end[b]
            assert 0 <= o_a < o_b <= len(original)
            again = clean(original[o_a:o_b])
            assert (again.text if again else original[o_a:o_b]) == c.text[a:b]
    assert all(x <= y for x, y in zip(c.o2c_start, c.o2c_start[1:]))
    assert all(c.o2c_start[j] <= c.o2c_end[j] for j in range(len(original) + 1))


@given(PIECES)
def test_rules_spans_are_exact_in_the_callers_text(pieces):
    text = "".join(pieces)
    for span in extract(text):
        assert text[span.start:span.end] == span.text and span.text == span.text.strip()


@pytest.mark.parametrize("text,expected", [
    ("KCN\u00a0Tân\u00a0Tạo rộng 16\u00a0ha", [("CLUSTER", "KCN\u00a0Tân\u00a0Tạo"), ("AREA", "16\u00a0ha")]),
    ("KCN Tân\u200b Tạo rộng 1\u200b6 ha", [("CLUSTER", "KCN Tân\u200b Tạo"), ("AREA", "1\u200b6 ha")]),
    ("KCN Tân Ta\u00ado rộng 16 ha", [("CLUSTER", "KCN Tân Ta\u00ado"), ("AREA", "16 ha")]),
    ("<p>KCN T&acirc;n Tạo</p> rộng 16&nbsp;ha", [("CLUSTER", "KCN T&acirc;n Tạo"), ("AREA", "16&nbsp;ha")]),
    ("KCN Tân Tạo \ud800 lấp đầy 90%", [("CLUSTER", "KCN Tân Tạo"), ("PERCENT", "90%")]),
])
def test_the_rules_read_through_invisible_characters_and_markup(text, expected):
    assert [(s.label, s.text) for s in extract(text)] == expected


def test_clean_text_is_left_alone():
    assert clean("KCN Tân Tạo rộng 16 ha, R&D và a < b") is None
    assert not normalize("KCN Tân Tạo").changed


def test_removed_characters_do_not_make_cuts_inexact():
    nt = normalize("Tân\u200b Tạo")
    assert nt.text == "Tân Tạo" and all(nt.is_exact(i) for i in range(len(nt.text) + 1))
    assert nt.span_to_original(4, 7) == (5, 8)


def test_mojibake_is_recognised():
    assert looks_like_mojibake("KCN TÃ¢n TÃ¡Âº¡o rá»™ng 16 ha, lá»£i Ã­ch")
    assert not looks_like_mojibake("KCN Tân Tạo rộng 16 ha, lợi ích")
