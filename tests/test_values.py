"""Values of AREA and PERCENT spans: Vietnamese number formats, units, ranges; never a wrong number."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from annotations.document import Span
from annotations.lexicon import vocabulary as v
from annotations.values import parse_number, parse_value


def vi(x: float, decimals: int) -> str:
    """Vietnamese style: 1.156,77"""
    return f"{x:,.{decimals}f}".replace(",", "_").replace(".", ",").replace("_", ".")


@pytest.mark.parametrize("text,label,expected", [
    ("1.156,77 ha", "AREA", [1156.77, 1156.77]),
    ("16ha", "AREA", [16.0, 16.0]),
    ("15 - 20 ha", "AREA", [15.0, 20.0]),
    ("15-20ha", "AREA", [15.0, 20.0]),
    ("từ 15 đến 20 ha", "AREA", [15.0, 20.0]),
    ("1,2 nghìn ha", "AREA", [1200.0, 1200.0]),
    ("hai nghìn ha", "AREA", [2000.0, 2000.0]),
    ("1,5 triệu m2", "AREA", [150.0, 150.0]),
    ("2 km²", "AREA", [200.0, 200.0]),
    ("3 mẫu", "AREA", [1.08, 1.08]),
    ("1,952.5 ha", "AREA", [1952.5, 1952.5]),
    ("60% - 85%", "PERCENT", [60.0, 85.0]),
    ("5 phần trăm", "PERCENT", [5.0, 5.0]),
    ("20 - 15 %", "PERCENT", [15.0, 20.0]),
])
def test_surfaces(text, label, expected):
    got = parse_value(text, label)
    assert got is not None and all(math.isclose(a, b) for a, b in zip(got, expected)), got


@pytest.mark.parametrize("text,label", [("abc ha", "AREA"), ("1.2.3 ha", "AREA"), ("90", "PERCENT"),
                                         ("30 mét", "AREA"), ("16 ha", "CLUSTER"), ("", "AREA")])
def test_what_cannot_be_read_is_none(text, label):
    assert parse_value(text, label) is None


@given(st.floats(0.01, 1e7, allow_nan=False), st.integers(0, 2), st.sampled_from(v.AREA_UNITS),
       st.sampled_from(("", " ")))
def test_vietnamese_numbers_round_trip_in_every_unit(x, decimals, unit, space):
    shown = vi(x, decimals)
    expected = float(f"{x:.{decimals}f}") * v.HECTARES_PER_UNIT[unit]
    low, high = parse_value(f"{shown}{space}{unit}", "AREA")
    assert low == high and math.isclose(low, expected, rel_tol=1e-9, abs_tol=1e-12)


@given(st.floats(0, 1000), st.floats(0, 1000), st.sampled_from((" - ", "-", " – ", " đến ")))
def test_ranges_are_ordered_and_hold_both_ends(a, b, dash):
    low, high = parse_value(f"{vi(a, 1)}{dash}{vi(b, 1)}%", "PERCENT")
    assert low <= high
    assert {round(low, 1), round(high, 1)} == {round(float(f"{a:.1f}"), 1), round(float(f"{b:.1f}"), 1)}


def test_parse_number_forms():
    assert parse_number("1.500") == 1500 and parse_number("1,5") == 1.5 and parse_number("1,234,567") == 1234567
    assert parse_number("ba trăm") == 300 and parse_number("x") is None


def test_span_value_is_in_the_api_and_in_to_dict():
    text = "KCN A rộng 1.156,77 ha, lấp đầy 90%."
    area = Span.from_text(text, 11, 22, "AREA")
    assert area.text == "1.156,77 ha" and area.value == [1156.77, 1156.77]
    assert area.to_dict()["value"] == [1156.77, 1156.77]
    assert "value" not in Span.from_text(text, 0, 5, "CLUSTER").to_dict()


@pytest.mark.parametrize("text,label,expected", [
    ("8\u00ad0%", "PERCENT", [80.0, 80.0]),  # a soft hyphen inside the number
    ("1\u200b6\u00a0ha", "AREA", [16.0, 16.0]),  # zero-width space, no-break space
    ("1.156,77\u202fha", "AREA", [1156.77, 1156.77]),
])
def test_values_read_through_invisible_characters_and_unicode_spaces(text, label, expected):
    assert parse_value(text, label) == expected
