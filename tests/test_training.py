"""Training: configs, corpus split, tokenizer, features and the model directory."""

from __future__ import annotations

import json

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from annotations.document import Document, Span
from annotations.labels import BIO_TAGS
from annotations.labelstudio import load_documents
from training.config import load_config, parse_override
from training.corpus import split_documents
from training.features import IGNORE, encode_corpus

GOLD = "annotations/gold/seeds.json"


def test_every_config_in_configs_loads(tmp_path):
    from training.config import CONFIG_DIR

    names = sorted(p.stem for p in CONFIG_DIR.glob("*.yaml") if p.stem != "quality-floor")
    assert {"default", "phobert-base", "phobert-base-v2", "phobert-large", "smoke"} <= set(names)
    for name in names:
        cfg = load_config(name)
        assert cfg.name == name
        assert cfg.max_length <= 256
        assert load_config(cfg.to_dict()) == cfg


def test_config_errors_name_the_problem(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: x\ntraining:\n  learning_rat: 0.1\n", encoding="utf-8")
    with pytest.raises(ValueError, match="learning_rat"):
        load_config(bad)
    with pytest.raises(FileNotFoundError, match="no-such-config"):
        load_config("no-such-config")


def test_overrides_are_parsed_as_yaml_and_applied():
    assert parse_override("training.max_steps=12") == ("training.max_steps", 12)
    assert parse_override("data.written=[]") == ("data.written", [])
    cfg = load_config("default", {"training.max_steps": 12, "backbone.hidden_size": 32})
    assert cfg.training.max_steps == 12 and cfg.backbone.hidden_size == 32
    with pytest.raises(ValueError):
        parse_override("no-equals-sign")


@given(n=st.integers(0, 40), fraction=st.floats(0, 0.9), seed=st.integers(0, 10))
def test_split_is_a_deterministic_partition_by_document(n, fraction, seed):
    docs = [Document(id=f"d{i}", text="x") for i in range(n)]
    train, dev = split_documents(docs, fraction, seed)
    assert sorted(d.id for d in train + dev) == sorted(d.id for d in docs)
    assert not {d.id for d in train} & {d.id for d in dev}
    assert (train, dev) == split_documents(docs, fraction, seed)
    if n >= 2 and fraction > 0:
        assert len(dev) == max(1, round(fraction * n))


def test_scratch_tokenizer_never_needs_unk_for_a_vietnamese_letter():
    from training.tokenizer_build import build_tokenizer, vietnamese_alphabet

    tok = build_tokenizer([["Khu", "công", "nghiệp"]], vocab_size=300)
    assert tok.convert_ids_to_tokens([tok.cls_token_id, tok.pad_token_id, tok.sep_token_id]) == ["<s>", "<pad>", "</s>"]
    word = "X" + "".join(ch for ch in vietnamese_alphabet() if ch.isalnum())
    assert tok.unk_token_id not in tok(word, add_special_tokens=False)["input_ids"]


@pytest.fixture(scope="module")
def folding_tokenizer(tmp_path_factory):
    from training.tokenizer_build import build_tokenizer

    tok = build_tokenizer([["diện", "tích", "537", "ha", "1.156,77", "2025", "84,21", "%"]] * 5, vocab_size=400,
                          fold_digits=True)
    path = tmp_path_factory.mktemp("folding") / "tokenizer"
    tok.save_pretrained(str(path))
    return tok, path


NUMBERS = st.from_regex(r"[0-9]{1,4}([.,][0-9]{1,3}){0,2}", fullmatch=True)


@given(NUMBERS, NUMBERS)
@settings(max_examples=60, deadline=None)
def test_fold_digits_tokenizer_sees_numbers_by_shape(folding_tokenizer, a, b):
    from transformers import AutoTokenizer

    from training.tokenizer_build import build_tokenizer

    tok, path = folding_tokenizer
    shape = lambda s: "".join("0" if c.isdigit() else c for c in s)  # noqa: E731
    ids = lambda t, s: t(s, add_special_tokens=False)["input_ids"]  # noqa: E731
    assert (ids(tok, a) == ids(tok, b)) == (shape(a) == shape(b))
    assert ids(AutoTokenizer.from_pretrained(str(path)), a) == ids(tok, a)  # saved with the tokenizer
    assert ids(tok, "KCN") != ids(tok, "Q0")
    plain = build_tokenizer([["Q9", "KCN"]], vocab_size=300)
    assert ids(plain, "Q9") != ids(plain, "Q1")


def test_first_subword_labels_decode_back_to_the_gold_spans():
    """Labels built for training, read back through the inference decoder, give the gold."""
    from models.pipeline import decode_document
    from models.encoding import WordPieceEncoder
    from models.segment import get_segmenter
    from training.tokenizer_build import build_tokenizer

    docs = load_documents(GOLD)
    seg = get_segmenter("syllable")
    tok = build_tokenizer([[w.form for w in seg.segment(d.text)] for d in docs], vocab_size=800)
    enc = encode_corpus(docs, seg, WordPieceEncoder(tok), max_length=64, stride=16)
    assert enc.unaligned == []
    assert all(len(r["input_ids"]) <= 64 and len(r["labels"]) == len(r["input_ids"]) for r in enc.rows)
    for d, doc in enumerate(docs):
        logits = []
        for row, owner in zip(enc.rows, enc.window_doc):
            if owner == d:
                onehot = np.zeros((len(row["labels"]), len(BIO_TAGS)), dtype=np.float32)
                for t, label in enumerate(row["labels"]):
                    onehot[t, label if label != IGNORE else 0] = 10.0
                logits.append(onehot)
        spans = decode_document(doc.text, enc.encoded[d], logits, dict(enumerate(BIO_TAGS)))
        assert sorted(s.key for s in spans) == sorted(s.key for s in doc.spans)


def test_a_span_inside_a_segmented_word_is_split_and_counted():
    from models.encoding import WordPieceEncoder
    from models.segment import get_segmenter
    from training.tokenizer_build import build_tokenizer

    text = "Nhà máy ở Bình Dương rộng 16ha"
    # "16" alone as AREA is not a syllable boundary ("16ha" is one syllable): split and counted.
    doc = Document(id="x", text=text, spans=[Span.from_text(text, 10, 20, "LOCATION"),
                                             Span.from_text(text, 26, 28, "AREA")])
    tok = build_tokenizer([text.split()], vocab_size=200)
    enc = encode_corpus([doc], get_segmenter("syllable"), WordPieceEncoder(tok), max_length=32, stride=8)
    assert enc.split_words == 1
    assert enc.unaligned == []


def test_model_directory_is_self_contained(smoke_model):
    from transformers import AutoModelForTokenClassification, AutoTokenizer

    for name in ("model.safetensors", "config.json", "tokenizer.json", "tokenizer_config.json", "vicluster.json",
                 "training_config.yaml", "metrics.json", "README.md"):
        assert (smoke_model / name).is_file(), name
    assert not (smoke_model / "checkpoints").exists()
    assert not [p.name for p in smoke_model.rglob("*") if p.suffix in (".bin", ".pkl", ".pt", ".pickle")]
    model = AutoModelForTokenClassification.from_pretrained(smoke_model)
    assert [model.config.id2label[i] for i in range(len(BIO_TAGS))] == list(BIO_TAGS)
    assert AutoTokenizer.from_pretrained(smoke_model).pad_token == "<pad>"
    metrics = json.loads((smoke_model / "metrics.json").read_text(encoding="utf-8"))
    assert metrics["global_step"] == 120 and metrics["documents"]["gold"] == 5
    assert load_config(smoke_model / "training_config.yaml").name == "smoke"
    card = (smoke_model / "README.md").read_text(encoding="utf-8")
    assert metrics["model_version"] in card and "| micro |" in card


def test_word_shaping_travels_with_the_model(smoke_model):
    """What the smoke config says about words is what inference does with the saved model."""
    from models import Tagger
    from models.segment import LINE_MARK

    settings = json.loads((smoke_model / "vicluster.json").read_text(encoding="utf-8"))
    assert settings["join_numbers"] is True and settings["line_breaks"] is True
    tagger = Tagger.from_pretrained(smoke_model)
    assert tagger.settings.join_numbers and tagger.settings.line_breaks
    text = "KCN Tân Tạo\n\nrộng 1.156,77ha"
    forms = [w.form for w in tagger.encode(text).words]
    assert forms == ["KCN", "Tân", "Tạo", LINE_MARK, "rộng", "1.156,77", "ha"]
    ids = lambda s: tagger.tokenizer(s, add_special_tokens=False)["input_ids"]  # noqa: E731
    assert ids("1.156,77") == ids("9.999,00")  # the tokenizer folds digits
    for span in tagger.extract(text * 3):
        assert "\n" not in span.text


def test_tag_transitions_are_counted_on_gold_tags_and_saved(smoke_model):
    from models import Tagger

    spec = json.loads((smoke_model / "vicluster.json").read_text(encoding="utf-8"))["tag_transitions"]
    assert spec["tags"] == list(BIO_TAGS)
    counts = np.array(spec["counts"])
    assert counts.shape == (len(BIO_TAGS), len(BIO_TAGS))
    o, b_loc, i_loc = (BIO_TAGS.index(t) for t in ("O", "B-LOCATION", "I-LOCATION"))
    assert counts[b_loc, i_loc] > 0 and counts[o, o] > counts[o, b_loc] > 0
    for j, tag in enumerate(BIO_TAGS):  # gold IOB2 never opens with I-
        if tag.startswith("I-"):
            assert counts[o, j] == 0
    tagger = Tagger.from_pretrained(smoke_model)
    assert tagger.transitions is not None and np.allclose(np.exp(tagger.transitions).sum(axis=1), 1.0)
    bad = dict(spec, tags=list(reversed(spec["tags"]))[:-1])
    with pytest.raises(ValueError, match="tag_transitions"):
        Tagger.from_pretrained(smoke_model, tag_transitions=bad)
    assert Tagger.from_pretrained(smoke_model, tag_transitions=None, prior_scale=0.0).transitions is None


def test_resume_continues_from_the_last_checkpoint(tmp_path):
    from training import train_model
    from training.train import read_metrics

    out = tmp_path / "m"
    overrides = {"training.max_steps": 10, "training.eval_steps": 5, "data.dev_fraction": 0.0}
    train_model("smoke", out, overrides=overrides, progress=False, keep_checkpoints=True)
    assert (out / "checkpoints" / "checkpoint-10").is_dir()
    overrides["training.max_steps"] = 15
    train_model("smoke", out, overrides=overrides, progress=False, resume=True)
    assert read_metrics(out)["global_step"] == 15
    with pytest.raises(FileNotFoundError, match="checkpoints"):
        train_model("smoke", tmp_path / "fresh", overrides=overrides, progress=False, resume=True)


def test_training_cli_reports_bad_config(run_module, tmp_path):
    result = run_module("training", "--config", "nope", "--output", tmp_path / "x")
    assert result.returncode == 2
    assert "no config 'nope'" in result.stderr


def test_prior_scale_travels_with_the_model_and_needs_the_counts(smoke_model):
    from models import Tagger
    from models.decoding import tag_log_prior

    settings = json.loads((smoke_model / "vicluster.json").read_text(encoding="utf-8"))
    assert settings["prior_scale"] == 0.5
    tagger = Tagger.from_pretrained(smoke_model)
    assert np.allclose(tagger.log_prior, 0.5 * tag_log_prior(settings["tag_transitions"], tagger.id2label))
    assert Tagger.from_pretrained(smoke_model, prior_scale=0.0).log_prior is None
    with pytest.raises(ValueError, match="prior_scale needs tag_transitions"):
        Tagger.from_pretrained(smoke_model, tag_transitions=None)
    with pytest.raises(ValueError, match="prior_scale needs tag_transitions"):
        load_config("smoke", {"tag_transitions": False})
    with pytest.raises(ValueError, match="prior_scale must be"):
        load_config("smoke", {"prior_scale": -1})


def test_the_time_budget_stops_training_and_keeps_a_model(tmp_path):
    from training import train_model
    from training.train import read_metrics

    out = train_model("smoke", tmp_path / "budget", progress=False,
                      overrides={"training.max_steps": 500, "training.eval_steps": 2,
                                 "training.max_train_seconds": 1e-6})
    metrics = read_metrics(out)
    assert metrics["global_step"] < 500
    assert (out / "model.safetensors").exists() and metrics["dev"]
