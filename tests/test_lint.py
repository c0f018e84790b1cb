"""Gold linting: each boundary convention of the guideline, found where it is broken and
silent where it holds (the repository's gold is clean)."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from annotations import GOLD_DIR
from annotations.__main__ import main
from annotations.document import Document, Span
from annotations.labelstudio import documents_to_tasks, load_documents
from annotations.lexicon import vocabulary as v
from annotations.lint import lint_document


def _doc(text: str, *marked: tuple[str, str]) -> Document:
    spans, pos = [], 0
    for surface, label in marked:
        start = text.index(surface, pos)
        spans.append(Span.from_text(text, start, start + len(surface), label))
        pos = start + len(surface)
    return Document(id="t", text=text, spans=spans)


@pytest.mark.parametrize("text,marked,code", [
    ("Nhà máy ở xã Minh Sơn.", [("Minh Sơn", "LOCATION")], "admin-word-outside"),
    ("Trụ sở tại TP. Hồ Chí Minh.", [("Hồ Chí Minh", "LOCATION")], "admin-word-outside"),
    ("Kè dọc sông Chu.", [("Chu", "LOCATION")], "admin-word-outside"),
    ("Đầu tư vào KCN Yên Phong.", [("Yên Phong", "CLUSTER")], "type-word-outside"),
    ("Quy mô khoảng 50 ha.", [("khoảng 50 ha", "AREA")], "qualifier-inside"),
    ("Lấp đầy hơn 90%.", [("hơn 90%", "PERCENT")], "qualifier-inside"),
    ("Rộng hàng nghìn ha.", [("hàng nghìn ha", "AREA")], "no-digit"),
    ("Dài 30 mét.", [("30 mét", "AREA")], "no-unit"),
])
def test_each_broken_convention_is_found(text, marked, code):
    problems = lint_document(_doc(text, *marked))
    assert [p.code for p in problems] == [code]
    assert problems[0].doc_id == "t" and problems[0].span == 0


@pytest.mark.parametrize("text,marked", [
    ("Nhà máy ở xã Minh Sơn.", [("xã Minh Sơn", "LOCATION")]),
    ("hai xã Lệ Chi và Kim Sơn", [("xã Lệ Chi", "LOCATION"), ("Kim Sơn", "LOCATION")]),
    ("các tỉnh Tây Nguyên", [("Tây Nguyên", "LOCATION")]),
    ("phát triển nông thôn Nam Định", [("Nam Định", "LOCATION")]),
    ("du lịch biển Đà Nẵng", [("Đà Nẵng", "LOCATION")]),
    ("1 khu công nghiệp Hòa Phú", [("khu công nghiệp Hòa Phú", "CLUSTER")]),
    ("các KCN Nhơn Trạch 1, Nhơn Trạch 2", [("KCN Nhơn Trạch 1", "CLUSTER"), ("Nhơn Trạch 2", "CLUSTER")]),
    ("quy mô khoảng 50 ha, lấp đầy 60% - 85%", [("50 ha", "AREA"), ("60% - 85%", "PERCENT")]),
])
def test_conventions_that_hold_give_no_finding(text, marked):
    assert lint_document(_doc(text, *marked)) == []


@given(st.sampled_from(v.AREA_UNITS), st.integers(1, 99999), st.sampled_from(("", " ")))
def test_every_unit_of_the_lexicon_is_an_area_unit(unit, number, space):
    text = f"rộng {number}{space}{unit} đất"
    assert lint_document(_doc(text, (f"{number}{space}{unit}", "AREA"))) == []


def test_the_repository_gold_is_clean():
    for path in GOLD_DIR.glob("*.json"):
        assert [str(p) for d in load_documents(path) for p in lint_document(d)] == [], path


def test_the_cli_prints_findings_and_exits_1(tmp_path, capsys):
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(documents_to_tasks([_doc("Ở xã Minh Sơn.", ("Minh Sơn", "LOCATION"))])),
                   encoding="utf-8")
    assert main(["lint", str(bad)]) == 1
    captured = capsys.readouterr()
    assert "admin-word-outside" in captured.out and "1 findings" in captured.err
    assert main(["lint", str(GOLD_DIR / "seeds.json")]) == 0
    assert main(["lint", str(tmp_path / "missing.json")]) == 2
