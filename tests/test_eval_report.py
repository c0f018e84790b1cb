"""The report files are written, and the figures in report.md and report.html equal report.json's."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from annotations.document import Document, Span
from annotations.labels import LABELS
from evaluation.evaluate import evaluate_set
from evaluation.report import load_report, make_report, summary_text, write_report
from evaluation.systems import FixedSystem, SystemUnavailable

TEXTS = {
    "a": "KCN Tân Tạo ở TP.HCM rộng 100 ha, lấp đầy 80%.",
    "b": "Cụm công nghiệp Huyền Tụng (thành phố Bắc Kạn, 16ha) đạt 100%.",
    "c": "Tỉnh Long An có 14.674,3 ha đất khu công nghiệp | tỷ lệ 1/500.",
}


def span(doc: str, sub: str, label: str, nth: int = 0) -> Span:
    text = TEXTS[doc]
    start = -1
    for _ in range(nth + 1):
        start = text.index(sub, start + 1)
    return Span.from_text(text, start, start + len(sub), label)


GOLD = {
    "a": [span("a", "KCN Tân Tạo", "CLUSTER"), span("a", "TP.HCM", "LOCATION"), span("a", "100 ha", "AREA"),
          span("a", "80%", "PERCENT")],
    "b": [span("b", "Cụm công nghiệp Huyền Tụng", "CLUSTER"), span("b", "thành phố Bắc Kạn", "LOCATION"),
          span("b", "16ha", "AREA"), span("b", "100%", "PERCENT")],
    "c": [span("c", "Tỉnh Long An", "LOCATION"), span("c", "14.674,3 ha", "AREA")],
}
PRED = {
    "a": [span("a", "Tân Tạo", "CLUSTER"), span("a", "TP.HCM", "LOCATION"), span("a", "100 ha", "AREA")],
    "b": [span("b", "Cụm công nghiệp Huyền Tụng", "CLUSTER"), span("b", "thành phố Bắc Kạn", "CLUSTER"),
          span("b", "16ha", "AREA"), span("b", "100%", "PERCENT")],
    "c": [span("c", "Long An", "LOCATION"), span("c", "14.674,3 ha", "AREA"), span("c", "1/500", "PERCENT")],
}


class Unavailable:
    name, labels, source = "missing", LABELS, "nowhere"

    def predict(self, docs):
        raise SystemUnavailable("not installed here")


def docs() -> list[Document]:
    return [Document(i, TEXTS[i], GOLD[i]) for i in TEXTS]


@pytest.fixture(scope="module")
def report() -> dict:
    systems = [FixedSystem("model", PRED), FixedSystem("loc-only", {k: [s for s in v if s.label == "LOCATION"]
                                                                     for k, v in PRED.items()}, labels=("LOCATION",)),
               FixedSystem("gold", GOLD), Unavailable()]
    sets = {"tiny": evaluate_set(docs(), systems, n_boot=200, seed=3, context_width=20)}
    return make_report(sets, n_boot=200, seed=3, context_chars=20)


@pytest.fixture(scope="module")
def written(report, tmp_path_factory) -> dict[str, Path]:
    return write_report(report, tmp_path_factory.mktemp("report"))


def test_files_written(written) -> None:
    assert {p.name for p in written.values()} == {"report.json", "report.md", "report.html"}
    for path in written.values():
        assert path.stat().st_size > 0


def test_json_schema_and_content(written, report) -> None:
    data = load_report(written["json"])
    assert data["schema"] == 1
    sysrep = data["sets"]["tiny"]["systems"]["model"]
    assert (sysrep["strict"]["micro"]["tp"], sysrep["strict"]["micro"]["fp"], sysrep["strict"]["micro"]["fn"]) == (6, 4, 4)
    assert sysrep["strict"]["CLUSTER"]["ci"]["f1"] is not None
    assert data["sets"]["tiny"]["systems"]["loc-only"]["strict"]["CLUSTER"] is None  # n/a, not zero
    assert data["sets"]["tiny"]["systems"]["missing"] == {"available": False, "reason": "not installed here",
                                                           "source": "nowhere", "labels": list(LABELS)}
    assert data["sets"]["tiny"]["gold_counts"] == {"CLUSTER": 2, "LOCATION": 3, "AREA": 3, "PERCENT": 2}
    assert "NaN" not in written["json"].read_text(encoding="utf-8")


def test_every_strict_error_is_listed_once(report) -> None:
    sysrep = report["sets"]["tiny"]["systems"]["model"]
    errors = sysrep["errors"]
    fn = sum(1 for e in errors if e["gold"])
    fp = sum(1 for e in errors if e["pred"])
    assert (fp, fn) == (sysrep["strict"]["micro"]["fp"], sysrep["strict"]["micro"]["fn"])
    kinds = sorted(e["kind"] for e in errors)
    assert kinds == ["boundary", "boundary", "missed", "spurious", "type"]
    tân = next(e for e in errors if e["doc"] == "a" and e["kind"] == "boundary")
    assert tân["gold"]["text"] == "KCN Tân Tạo" and tân["pred"]["text"] == "Tân Tạo"
    assert tân["context"]["left"] == "" and tân["context"]["text"] == "KCN Tân Tạo"
    assert tân["context"]["right"] == TEXTS["a"][11:31]
    assert report["sets"]["tiny"]["systems"]["gold"]["errors"] == []


def test_confusions_rank_by_count(report) -> None:
    conf = report["sets"]["tiny"]["systems"]["model"]["confusions"]
    assert {(c["gold"], c["pred"], c["kind"]) for c in conf} == {
        ("CLUSTER", "CLUSTER", "boundary"), ("LOCATION", "LOCATION", "boundary"), ("PERCENT", None, "missed"),
        (None, "PERCENT", "spurious"), ("LOCATION", "CLUSTER", "type")}
    assert next(c for c in conf if c["kind"] == "type")["examples"] == ["'thành phố Bắc Kạn' → 'thành phố Bắc Kạn'"]
    assert sum(c["count"] for c in conf) == len(report["sets"]["tiny"]["systems"]["model"]["errors"])


def test_confusions_order() -> None:
    from evaluation.errors import confusions

    err = lambda g, p, k: {"gold": g and {"label": g, "text": "x"}, "pred": p and {"label": p, "text": "y"},  # noqa: E731
                           "kind": k}
    ranked = confusions([err("AREA", None, "missed")] + [err(None, "LOCATION", "spurious")] * 3, top=1)
    assert ranked == [{"gold": None, "pred": "LOCATION", "kind": "spurious", "count": 3, "examples": ["'y'"]}]


# ---------------------------------------------------------------- consistency between the files


def fmt(v) -> str:
    return "–" if v is None else f"{v:.3f}"


def expected_summary(data: dict) -> dict[str, list[str]]:
    out = {}
    for name, s in data["sets"]["tiny"]["systems"].items():
        if not s["available"]:
            out[name] = ["unavailable"] * 9
            continue
        st = s["strict"]
        ci = st["micro"]["ci"]["f1"]
        out[name] = [*("n/a" if st[label] is None else fmt(st[label]["f1"]) for label in LABELS),
                     fmt(st["micro"]["p"]), fmt(st["micro"]["r"]), fmt(st["micro"]["f1"]),
                     f"{ci[0]:.3f}–{ci[1]:.3f}", fmt(st["macro"]["f1"])]
    return out


def md_table_after(md: str, heading: str) -> list[list[str]]:
    lines = md.split(heading, 1)[1].strip().splitlines()
    rows = [ln for ln in lines if ln.startswith("|")]
    block = []
    for ln in lines:
        if not ln.startswith("|"):
            if block:
                break
            continue
        block.append([c.strip() for c in ln.strip("|").split(" | ")])
    assert rows
    return block[2:]  # header and rule


class Tables(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self._id = None
        self._row: list[str] | None = None
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self._id = dict(attrs).get("id")
            self.tables.setdefault(self._id, [])
        elif tag == "tr":
            self._row = []
        elif tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._row is not None:
            self._row.append("".join(self._cell or []))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self.tables[self._id].append(self._row)
            self._row = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def test_markdown_figures_equal_json(written) -> None:
    data = json.loads(written["json"].read_text(encoding="utf-8"))
    md = written["md"].read_text(encoding="utf-8")
    rows = {r[0]: r[1:] for r in md_table_after(md, "### Summary: tiny")}
    assert rows == expected_summary(data)
    detail = {r[0]: r[1:] for r in md_table_after(md, "### System `model` on `tiny`")}
    st = data["sets"]["tiny"]["systems"]["model"]["strict"]
    for label in (*LABELS, "micro"):
        assert detail[label][:3] == [fmt(st[label][k]) for k in ("p", "r", "f1")]
        assert detail[label][4:] == [str(st[label][k]) for k in ("support", "tp", "fp", "fn")]


def test_html_figures_equal_json(written) -> None:
    data = json.loads(written["json"].read_text(encoding="utf-8"))
    parser = Tables()
    parser.feed(written["html"].read_text(encoding="utf-8"))
    summary = {r[0]: r[1:] for r in parser.tables["summary-tiny"][1:]}
    assert summary == expected_summary(data)
    seq = {r[0]: r[1:] for r in parser.tables["seqeval-tiny-model"][1:]}
    sq = data["sets"]["tiny"]["systems"]["model"]["seqeval"]
    assert seq["micro"][:3] == [fmt(sq["micro"][k]) for k in ("p", "r", "f1")]
    partial = {r[0]: r[1:] for r in parser.tables["partial-tiny-model"][1:]}
    pt = data["sets"]["tiny"]["systems"]["model"]["partial"]["schemes"]
    for scheme, row in pt.items():
        assert partial[scheme] == [str(row[k]) for k in ("cor", "inc", "par", "mis", "spu")] + \
            [fmt(row[k]) for k in ("p", "r", "f1")]


def test_html_is_self_contained_with_chart_and_errors(written, report) -> None:
    html = written["html"].read_text(encoding="utf-8")
    assert re.search(r'<img[^>]+src="data:image/png;base64,iVBORw0KGgo', html)  # an embedded PNG
    assert "<link" not in html and "<script src" not in html and "http" not in html
    n_errors = len(report["sets"]["tiny"]["systems"]["model"]["errors"])
    assert f"All {n_errors} errors" in html
    assert '<mark class="err">KCN Tân Tạo</mark>' in html
    assert "Unavailable: not installed here" in html


def test_summary_text_matches(report) -> None:
    text = summary_text(report)
    row = next(ln for ln in text.splitlines() if ln.startswith("model "))
    assert row.split() == ["model", *expected_summary(report)["model"]]


def test_load_report_rejects_other_files(tmp_path) -> None:
    path = tmp_path / "x.json"
    path.write_text('{"schema": 99}', encoding="utf-8")
    with pytest.raises(ValueError, match="schema-1"):
        load_report(path)
