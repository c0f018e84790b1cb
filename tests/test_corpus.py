"""Corpus assembly with and without the shared folder's real gold (training.corpus)."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, strategies as st

from annotations.document import Document
from training.config import load_config
from training.corpus import build_corpus, subsample
from training.train import _repeat_gold_rows
from training.features import EncodedCorpus


def _shared_gold(tmp_path, n: int):
    shared = tmp_path / "shared"
    (shared / "corpus").mkdir(parents=True)
    tasks = [{"data": {"doc_id": f"real-{i}", "text": f"KCN Tân Tạo số {i}."},
              "annotations": [{"result": [{"id": f"r{i}", "from_name": "label", "to_name": "text", "type": "labels",
                                           "value": {"start": 0, "end": 11, "text": "KCN Tân Tạo",
                                                     "labels": ["CLUSTER"]}}]}]} for i in range(n)]
    (shared / "corpus" / "train.json").write_text(json.dumps(tasks, ensure_ascii=False), encoding="utf-8")
    return shared


def _cfg(**data):
    return load_config("smoke", {"data.shared_gold": ["corpus/train.json"], **{f"data.{k}": v for k, v in data.items()}})


def test_shared_gold_joins_training_and_alone_makes_the_dev_split(tmp_path, monkeypatch):
    monkeypatch.setenv("VICLUSTER_SHARED", str(_shared_gold(tmp_path, 20)))
    corpus = build_corpus(_cfg(dev_fraction=0.25))
    assert len(corpus.dev) == 5 and all(d.id.startswith("real-") for d in corpus.dev)
    train_ids = {d.id for d in corpus.train}
    assert {f"real-{i}" for i in range(20)} - {d.id for d in corpus.dev} <= train_ids
    assert len(train_ids) == 15 + 5  # the 5 seeds also train
    assert corpus.gold_ids == train_ids and corpus.shared_files == ["corpus/train.json"]
    assert corpus.sources["shared gold (train)"] == 15 and corpus.sources["shared gold (dev)"] == 5


def test_without_the_shared_folder_the_repository_alone_trains(tmp_path, monkeypatch):
    monkeypatch.setenv("VICLUSTER_SHARED", str(tmp_path / "absent"))
    corpus = build_corpus(_cfg())
    assert corpus.shared_files == [] and "shared gold (train)" not in corpus.sources
    assert len(corpus.train) + len(corpus.dev) == 5


def test_the_fraction_keeps_the_dev_split_and_shrinks_training(tmp_path, monkeypatch):
    monkeypatch.setenv("VICLUSTER_SHARED", str(_shared_gold(tmp_path, 40)))
    full = build_corpus(_cfg(dev_fraction=0.25))
    half = build_corpus(_cfg(dev_fraction=0.25, shared_gold_fraction=0.5))
    none = build_corpus(_cfg(dev_fraction=0.25, shared_gold_fraction=0.0))
    assert [d.id for d in half.dev] == [d.id for d in full.dev] == [d.id for d in none.dev]
    real = lambda c: {d.id for d in c.train if d.id.startswith("real-")}
    assert len(real(full)) == 30 and len(real(half)) == 15 and real(none) == set()
    assert real(half) <= real(full)


@given(st.integers(0, 60), st.floats(0, 1), st.floats(0, 1), st.integers(0, 5))
def test_subsamples_are_nested_and_sized(n, a, b, seed):
    docs = [Document(id=str(i), text="x") for i in range(n)]
    small, large = sorted((a, b))
    s, l = subsample(docs, small, seed), subsample(docs, large, seed)
    assert {d.id for d in s} <= {d.id for d in l}
    assert len(l) == (n if large >= 1 else round(large * n))
    assert [d.id for d in l] == sorted((d.id for d in l), key=int)  # original order


def test_gold_windows_are_repeated():
    docs = [Document(id="g", text="a"), Document(id="s", text="b")]
    enc = EncodedCorpus(docs=docs, encoded=[], rows=[{"k": 0}, {"k": 1}, {"k": 2}], window_doc=[0, 0, 1],
                        split_words=0, unaligned=[])
    rows = _repeat_gold_rows(enc, {"g"}, 3)
    assert [r["k"] for r in rows] == [0, 0, 0, 1, 1, 1, 2]


def test_windows_whose_hints_the_labels_overrule_are_repeated():
    from models.hints import HINT_TYPES

    b_loc, memory = 3, HINT_TYPES  # a hint tag id and a remembered-name type (rules said O)
    docs = [Document(id="g", text="a"), Document(id="s", text="b")]
    rows = [{"k": 0, "labels": [-100, 0, 3, -100], "token_type_ids": [0, 0, b_loc, 0]},   # hints agree
            {"k": 1, "labels": [-100, 0, 0, -100], "token_type_ids": [0, b_loc, 0, 0]},   # rules' span is wrong
            {"k": 2, "labels": [-100, 3, -100], "token_type_ids": [0, memory, memory]},   # rules said O
            {"k": 3, "labels": [-100, 0, -100], "token_type_ids": [b_loc, 0, b_loc]}]     # only unlabelled tokens
    enc = EncodedCorpus(docs=docs, encoded=[], rows=rows, window_doc=[0, 1, 1, 1], split_words=0, unaligned=[])
    assert [r["k"] for r in _repeat_gold_rows(enc, {"g"}, 2, overrule_repeat=3)] == [0, 0, 1, 1, 1, 2, 2, 2, 3]
    assert [r["k"] for r in _repeat_gold_rows(enc, {"g"}, 2)] == [0, 0, 1, 2, 3]


@pytest.mark.parametrize("key,value", [("shared_gold_fraction", 1.5), ("shared_gold_fraction", True),
                                       ("gold_repeat", 0), ("gold_repeat", 2.5), ("overrule_repeat", 0),
                                       ("overrule_repeat", 1.5)])
def test_bad_data_settings_are_refused(key, value):
    with pytest.raises(ValueError, match=key):
        load_config("smoke", {f"data.{key}": value})

