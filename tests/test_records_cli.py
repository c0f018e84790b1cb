"""``python -m models records`` and ``vicluster records``: inputs, formats, --aggregate, errors.
The spans come from the rules (--rules) or the gold (--gold); no model is trained."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from annotations.labelstudio import load_documents
from evaluation.command import main as vicluster
from models.__main__ import main
from models.records import build_records, rules_records
from models.records_output import AGGREGATE_FIELDS, CSV_FIELDS, number

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "annotations" / "gold" / "seeds.json"
ARTICLES = ROOT / "annotations" / "articles"


def run(capsys, *argv) -> tuple[int, str, str]:
    code = main(["records", *map(str, argv)])
    out, err = capsys.readouterr()
    return code, out, err


def test_jsonl_is_one_object_per_document_with_the_rules_records(capsys):
    code, out, _ = run(capsys, ARTICLES, "--rules")
    assert code == 0
    lines = [json.loads(x) for x in out.splitlines()]
    assert [x["doc_id"] for x in lines] == sorted(p.stem for p in ARTICLES.glob("*.txt"))
    for x in lines:
        text = (ARTICLES / f"{x['doc_id']}.txt").read_text(encoding="utf-8")
        assert x["clusters"] == [r.to_dict() for r in rules_records(text)]
        for c in x["clusters"]:
            assert set(c) >= {"name", "type", "mentions", "province", "locations", "area_ha", "fill_rate",
                              "qualifier", "evidence"}


def test_gold_spans_of_a_label_studio_export(capsys):
    code, out, _ = run(capsys, GOLD, "--gold", "--format", "json")
    assert code == 0
    got = json.loads(out)
    docs = load_documents(GOLD)
    assert got == [{"doc_id": d.id, "clusters": [r.to_dict() for r in build_records(d.text, d.spans)]} for d in docs]
    dong_banh = next(c for x in got for c in x["clusters"] if c["name"] == "Đồng Bành")
    assert dong_banh["area_ha"] == [162.0, 162.0] and dong_banh["fill_rate"] == [60.0, 60.0]


def test_rules_read_label_studio_text_and_jsonl_alike(capsys, tmp_path):
    doc = load_documents(GOLD)[3]
    jsonl = tmp_path / "a.jsonl"
    jsonl.write_text(json.dumps({"doc_id": doc.id, "text": doc.text}, ensure_ascii=False) + "\n", encoding="utf-8")
    outs = [run(capsys, path, "--rules")[1] for path in (jsonl, ARTICLES / f"{doc.id}.txt")]
    assert outs[0] == outs[1]
    from_export = [x for x in map(json.loads, run(capsys, GOLD, "--rules")[1].splitlines()) if x["doc_id"] == doc.id]
    assert from_export == [json.loads(outs[0])]


def test_csv_and_table_have_one_row_per_cluster(capsys):
    total = sum(len(rules_records(p.read_text(encoding="utf-8"))) for p in ARTICLES.glob("*.txt"))
    code, out, _ = run(capsys, ARTICLES, "--rules", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert code == 0 and len(rows) == total and list(rows[0]) == list(CSV_FIELDS)
    hong_phong = next(r for r in rows if r["name"] == "Hồng Phong")
    assert (hong_phong["area_low"], hong_phong["area_qualifier"], hong_phong["fill_low"]) == ("400", "khoảng", "30")
    code, out, _ = run(capsys, ARTICLES, "--rules", "--format", "table")
    lines = out.splitlines()
    assert code == 0 and len(lines) == total + 1 and all(line.count("\t") == 8 for line in lines)
    assert any("\tkhoảng 400 ha\tkhoảng 30%\t" in line for line in lines)


def test_aggregate_is_one_row_per_cluster_and_document_and_shows_disagreement(capsys, tmp_path):
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text("KCN Tân Tạo (TP.HCM) rộng 444 ha, đã lấp đầy 95%.", encoding="utf-8")
    b.write_text("Khu công nghiệp Tân Tạo ở TP.HCM rộng 442 ha. KCN Tân Tạo đã lấp đầy 95%.", encoding="utf-8")
    out = tmp_path / "agg" / "clusters.csv"
    code, _, _ = run(capsys, a, b, "--rules", "--aggregate", out)
    assert code == 0
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert list(rows[0]) == list(AGGREGATE_FIELDS)
    assert [(r["key"], r["doc_id"], r["area_low"], r["fill_low"], r["documents"], r["disagree"]) for r in rows] == [
        ("tân tạo|khu công nghiệp|Hồ Chí Minh", "a", "444", "95", "2", "area"),
        ("tân tạo|khu công nghiệp|Hồ Chí Minh", "b", "442", "95", "2", "area")]


def test_vicluster_records_is_the_same_command(capsys):
    assert vicluster(["records", str(ARTICLES / "004_c8c43b73ad3f5292.txt"), "--rules", "--format", "csv"]) == 0
    out = capsys.readouterr().out
    assert main(["records", str(ARTICLES / "004_c8c43b73ad3f5292.txt"), "--rules", "--format", "csv"]) == 0
    assert capsys.readouterr().out == out
    assert vicluster(["records", "--help"]) == 0 and "--aggregate" in capsys.readouterr().out


@pytest.mark.parametrize("argv, code, message", [
    (["no-such-file.txt", "--rules"], 2, "no-such-file.txt: no such file or directory"),
    ([str(ARTICLES), "--gold"], 2, "--gold reads the spans of Label Studio exports"),
    ([str(ARTICLES), "--model", str(ROOT / "runs" / "no-such-model")], 2, "no-such-model does not exist"),
])
def test_bad_input_is_one_line_exit_2(capsys, argv, code, message):
    got, out, err = run(capsys, *argv)
    assert (got, out) == (code, "") and err.count("\n") == 1 and message in err


def test_a_broken_export_and_an_unwritable_aggregate(capsys, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"data": {}}', encoding="utf-8")
    got, _, err = run(capsys, bad, "--rules")
    assert got == 2 and "not a Label Studio export" in err and err.count("\n") == 1
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    got, _, err = run(capsys, ARTICLES, "--rules", "--aggregate", blocker / "out.csv")
    assert got == 1 and err.startswith("error: cannot write") and err.count("\n") == 1


def test_usage_errors_are_exit_2(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["records", str(ARTICLES)])  # no span source
    assert exc.value.code == 2
    assert vicluster(["records", str(ARTICLES), "--rules", "--gold"]) == 2


@pytest.mark.parametrize("x, shown", [(16.0, "16"), (1156.77, "1156.77"), (0.0036, "0.0036"), (None, "")])
def test_numbers_in_tables(x, shown):
    assert number(x) == shown
