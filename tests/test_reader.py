"""The one article reader (annotations.reader)."""

from __future__ import annotations

import io
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotations.reader import Article, ArticleError, iter_articles, read_articles


def test_all_kinds_of_input_in_order(tmp_path):
    d = tmp_path / "dir"
    d.mkdir()
    (d / "b.txt").write_text("B\r\n", encoding="utf-8")
    (d / "a.txt").write_text("A", encoding="utf-8")
    (d / "skip.md").write_text("not read", encoding="utf-8")
    jl = tmp_path / "rows.jsonl"
    jl.write_text(json.dumps({"doc_id": 7, "text": "seven"}) + "\n\n" + json.dumps({"text": "no id"}) + "\n",
                  encoding="utf-8")
    md = tmp_path / "note.md"
    md.write_text("Khu công nghiệp\n", encoding="utf-8")
    got = read_articles([d, jl, "-", md], stdin=io.StringIO("from stdin"))
    assert got == [Article("a", "A"), Article("b", "B\r\n"), Article("7", "seven"), Article("rows:3", "no id"),
                   Article("stdin", "from stdin"), Article("note", "Khu công nghiệp\n")]


def test_limit_stops_reading(tmp_path):
    jl = tmp_path / "rows.jsonl"
    jl.write_text('{"text": "1"}\n{"text": "2"}\nnot json\n', encoding="utf-8")
    assert [a.text for a in read_articles(jl, limit=2)] == ["1", "2"]
    assert read_articles(jl, limit=0) == []
    with pytest.raises(ArticleError, match=r"rows.jsonl:3: not JSON"):
        read_articles(jl)
    with pytest.raises(ValueError, match="limit"):
        list(iter_articles([jl], limit=-1))


@pytest.mark.parametrize("content,message", [
    ('{"doc_id": "a"}\n', r"x.jsonl:1: expected an object with a string 'text'"),
    ('[1, 2]\n', r"x.jsonl:1: expected an object"),
    ('{"text": 3}\n', r"x.jsonl:1: expected an object"),
    ('{"text": "a", "doc_id": "d"}\n{"text": "b", "doc_id": "d"}\n', r"doc_id 'd' given more than once"),
])
def test_bad_jsonl(tmp_path, content, message):
    path = tmp_path / "x.jsonl"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ArticleError, match=message):
        read_articles(path)


def test_missing_empty_dir_and_bad_encoding(tmp_path):
    with pytest.raises(ArticleError, match="no such file"):
        read_articles(tmp_path / "missing.txt")
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(ArticleError, match="no .txt files"):
        read_articles(empty)
    bad = tmp_path / "bad.jsonl"
    bad.write_bytes(b'{"text": "ok"}\n\xff\xfe\n')
    with pytest.raises(ArticleError, match=r"bad.jsonl:2: not UTF-8"):
        read_articles(bad)


@given(st.lists(st.text(max_size=40), max_size=8))
@settings(max_examples=50, deadline=None)
def test_jsonl_texts_come_back_exactly(tmp_path_factory, texts):
    path = tmp_path_factory.mktemp("rt") / "t.jsonl"
    path.write_text("".join(json.dumps({"text": t}) + "\n" for t in texts), encoding="utf-8")
    got = read_articles(path)
    assert [a.text for a in got] == texts
    assert len({a.doc_id for a in got}) == len(got)
