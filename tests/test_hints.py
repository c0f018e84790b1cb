"""Rule hints (models.hints): per-word rule tags read by the model as token type ids."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, strategies as st

from annotations.labels import BIO_TAGS
from annotations.labelstudio import load_documents
from models.pipeline import encode_document
from models.word_spans import words_to_spans
from models.hints import HINT_TYPES, check_hints, token_types, word_hints
from models.rules import extract as rules
from models.segment import get_segmenter
from training.features import TrainingRows

GOLD = "annotations/gold/seeds.json"
SYL = get_segmenter("syllable")

FRAGMENTS = ["KCN Tân Tạo", "rộng 16ha", "tại huyện Bình Chánh", ", TP.HCM", "lấp đầy 90%", "Cụm công nghiệp Đình Lập",
             "; Hồ Sơn 1", "và", "ông Nguyễn Văn An", "\n", "sông Hồng", "1.156,77 ha", "nhà máy", "(", ")", "."]


class CharEncoder:
    """Each character one token: enough to test windows and alignment without a tokenizer."""

    cls_id, sep_id, pad_id, unk_id = 0, 1, 2, 3

    def pieces(self, form):
        return [10 + ord(c) % 50 for c in form] or [self.unk_id]


texts = st.lists(st.sampled_from(FRAGMENTS), min_size=1, max_size=40).map(" ".join)


def test_word_hints_are_the_rules_tags_on_words():
    text = "KCN Tân Tạo rộng 16ha ở huyện Bình Chánh, lấp đầy 90%."
    words = SYL.segment(text)
    tags = [BIO_TAGS[i] for i in word_hints(text, words)]
    assert dict(zip([w.form for w in words], tags)) == {
        "KCN": "B-CLUSTER", "Tân": "I-CLUSTER", "Tạo": "I-CLUSTER", "rộng": "O", "16ha": "B-AREA", "ở": "O",
        "huyện": "B-LOCATION", "Bình": "I-LOCATION", "Chánh": "I-LOCATION", ",": "O", "lấp": "O", "đầy": "O",
        "90": "B-PERCENT", "%": "I-PERCENT", ".": "O"}
    assert words_to_spans(text, words, tags) == rules(text)


@given(texts)
def test_hints_read_back_as_spans_are_the_rules_spans_on_word_edges(text):
    words = SYL.segment(text)
    edges = {w.start for w in words} | {w.end for w in words}
    expected = [s for s in rules(text) if s.start in edges and s.end in edges]
    got = words_to_spans(text, words, [BIO_TAGS[i] for i in word_hints(text, words)])
    assert [s.key for s in got] == [s.key for s in expected]


@given(texts, st.integers(8, 40), st.data())
def test_every_piece_carries_its_words_hint_and_specials_are_O(text, max_length, data):
    stride = data.draw(st.integers(0, max_length - 3))
    doc = encode_document(text, SYL, CharEncoder(), max_length=max_length, stride=stride, hints="rules")
    assert doc.hints is not None and len(doc.hints) == len(doc.words)
    for window in doc.windows:
        assert len(window.token_type_ids) == len(window.input_ids)
        for w, t in zip(window.word_ids, window.token_type_ids):
            assert t == (0 if w is None else doc.hints[w])
            assert 0 <= t < HINT_TYPES
    plain = encode_document(text, SYL, CharEncoder(), max_length=max_length, stride=stride)
    assert plain.hints is None and all(w.token_type_ids is None for w in plain.windows)
    assert [w.input_ids for w in plain.windows] == [w.input_ids for w in doc.windows]


def test_hints_of_decomposed_text_are_those_of_its_nfc_form():
    text = "Khu công nghiệp Hòa Khánh ở thành phố Đà Nẵng, quận Liên Chiểu rộng 400 ha"
    nfd = unicodedata.normalize("NFD", text)
    assert nfd != text
    a = encode_document(text, SYL, CharEncoder(), max_length=64, stride=8, hints="rules")
    b = encode_document(nfd, SYL, CharEncoder(), max_length=64, stride=8, hints="rules")
    assert a.hints == b.hints and any(a.hints)
    assert [w.token_type_ids for w in a.windows] == [w.token_type_ids for w in b.windows]


def test_hints_on_the_gold_mostly_agree_with_it():
    """A sanity check of the plumbing, not of the rules: the hints decode to most gold spans."""
    docs = load_documents(GOLD)
    hit = total = 0
    for doc in docs:
        enc = encode_document(doc.text, SYL, CharEncoder(), max_length=128, stride=32, hints="rules")
        spans = words_to_spans(doc.text, enc.words, [BIO_TAGS[i] for i in enc.hints])
        hit += len({s.key for s in spans} & {s.key for s in doc.spans})
        total += len(doc.spans)
    assert hit / total > 0.8


def test_token_types_and_bad_sources():
    assert token_types([None, 0, 0, 1, None], [3, 4]) == [0, 3, 3, 4, 0]
    check_hints(None)
    check_hints("rules")
    with pytest.raises(ValueError, match="hints must be one of rules"):
        check_hints("gazetteer")
    with pytest.raises(ValueError, match="hints must be"):
        encode_document("KCN Tân Tạo", SYL, CharEncoder(), hints="Rules")


def test_training_rows_drop_hints_at_the_asked_rate():
    rows = [{"input_ids": [0, 5, 6, 1], "labels": [-100, 1, 2, -100], "token_type_ids": [0, 1, 2, 0]}
            for _ in range(50)]
    assert all(TrainingRows(rows)[i] is rows[i] for i in range(50))
    data = TrainingRows(rows, hint_dropout=0.3, seed=1)
    assert len(data) == 50
    reads = [data[i % 50] for i in range(5000)]
    dropped = [r for r in reads if r["token_type_ids"] == [0, 0, 0, 0]]
    kept = [r for r in reads if r["token_type_ids"] == [0, 1, 2, 0]]
    assert len(dropped) + len(kept) == 5000 and 0.25 < len(dropped) / 5000 < 0.35
    assert all(r["input_ids"] == [0, 5, 6, 1] and r["labels"] == [-100, 1, 2, -100] for r in dropped)
    assert rows[0]["token_type_ids"] == [0, 1, 2, 0]  # the stored rows are never changed
    no_hints = [{"input_ids": [0, 1], "labels": [-100, -100]}]
    assert TrainingRows(no_hints, hint_dropout=0.5)[0] == no_hints[0]
    with pytest.raises(ValueError, match="hint dropout"):
        TrainingRows(rows, hint_dropout=1.0)


def test_config_checks_hints_and_dropout():
    from training.config import load_config

    assert load_config("default", {"hints": None}).hints is None
    with pytest.raises(ValueError, match="hints must be one of"):
        load_config("default", {"hints": "gazetteer"})
    for bad in (1.0, -0.1, True, "0.3"):
        with pytest.raises(ValueError, match="hint_dropout"):
            load_config("default", {"training.hint_dropout": bad})


def test_collator_pads_token_types_with_O():
    from transformers import DataCollatorForTokenClassification

    from training.tokenizer_build import build_tokenizer

    tok = build_tokenizer([["KCN", "Tân", "Tạo"]], vocab_size=100)
    rows = [{"input_ids": [0, 5, 6, 2], "labels": [-100, 1, 2, -100], "token_type_ids": [0, 1, 2, 0]},
            {"input_ids": [0, 5, 2], "labels": [-100, 3, -100], "token_type_ids": [0, 3, 0]}]
    batch = DataCollatorForTokenClassification(tok, label_pad_token_id=-100)(rows)
    assert batch["token_type_ids"].tolist() == [[0, 1, 2, 0], [0, 3, 0, 0]]
    assert batch["labels"].tolist()[1] == [-100, 3, -100, -100]


def test_a_pretrained_backbone_grows_token_types_without_changing_its_output(tmp_path):
    """PhoBERT has one token type; hints add types that start as copies of it."""
    import torch
    from transformers import RobertaConfig, RobertaForTokenClassification

    from training.backbone import build_model
    from training.config import BackboneConfig

    torch.manual_seed(0)
    small = RobertaConfig(vocab_size=50, hidden_size=16, num_hidden_layers=1, num_attention_heads=2,
                          intermediate_size=32, max_position_embeddings=40, type_vocab_size=1, num_labels=3)
    RobertaForTokenClassification(small).save_pretrained(tmp_path / "base")
    cfg = BackboneConfig(type="pretrained", name_or_path=str(tmp_path / "base"))
    plain = build_model(cfg, None, 32).eval()
    grown = build_model(cfg, None, 32, type_vocab_size=HINT_TYPES).eval()
    assert grown.config.type_vocab_size == HINT_TYPES and plain.config.type_vocab_size == 1
    grown.classifier.load_state_dict(plain.classifier.state_dict())  # the new heads are random
    ids = torch.tensor([[0, 7, 8, 9, 2]])
    with torch.no_grad():
        expected = plain(input_ids=ids).logits
        for t in range(HINT_TYPES):
            types = torch.full_like(ids, t)
            assert torch.allclose(grown(input_ids=ids, token_type_ids=types).logits, expected, atol=1e-6)
    grown.save_pretrained(tmp_path / "grown")
    again = RobertaForTokenClassification.from_pretrained(tmp_path / "grown")
    assert again.roberta.embeddings.token_type_embeddings.num_embeddings == HINT_TYPES


# ---------------------------------------------------------------- a trained model with hints (smoke config)


def test_the_smoke_model_reads_hints_and_records_the_rules(smoke_model):
    import json

    from transformers import AutoModelForTokenClassification

    from models.hints import fingerprint

    settings = json.loads((smoke_model / "vicluster.json").read_text(encoding="utf-8"))
    assert settings["hints"] == "rules" and settings["hints_fingerprint"] == fingerprint()
    assert AutoModelForTokenClassification.from_pretrained(smoke_model).config.type_vocab_size == HINT_TYPES
    assert "Rule hints: the `rules` tag" in (smoke_model / "README.md").read_text(encoding="utf-8")


def test_the_tagger_feeds_the_hints_to_the_model(smoke_model):
    import numpy as np
    import torch

    from models import Tagger

    tagger = Tagger.from_pretrained(smoke_model, dtype="float32")  # compared with the model's own fp32 output
    text = "KCN Tân Tạo rộng 16ha ở huyện Bình Chánh, lấp đầy 90%. Ông Nguyễn Văn An nói."
    windows = tagger.encode(text).windows
    assert windows[0].token_type_ids is not None and any(windows[0].token_type_ids)
    got = tagger.window_logits(windows)[0]
    ids = torch.tensor([windows[0].input_ids])
    with torch.inference_mode():
        with_hints = tagger.model(input_ids=ids, token_type_ids=torch.tensor([windows[0].token_type_ids])).logits[0]
        without = tagger.model(input_ids=ids).logits[0]
    assert np.allclose(got, with_hints.numpy(), atol=1e-5)
    assert not np.allclose(got, without.numpy(), atol=1e-3)


def test_a_model_without_token_types_cannot_take_hints():
    from transformers import RobertaConfig, RobertaForTokenClassification

    from models.tagger import Tagger, TaggerSettings
    from training.backbone import label_maps
    from training.tokenizer_build import build_tokenizer

    id2label, label2id = label_maps()
    tok = build_tokenizer([["KCN", "Tân", "Tạo"]], vocab_size=100)
    model = RobertaForTokenClassification(RobertaConfig(
        vocab_size=len(tok), hidden_size=16, num_hidden_layers=1, num_attention_heads=2, intermediate_size=32,
        max_position_embeddings=40, type_vocab_size=1, id2label=id2label, label2id=label2id))
    with pytest.raises(ValueError, match="need 9 token types; the model has 1"):
        Tagger(model, tok, TaggerSettings(hints="rules", max_length=32, stride=8))
    assert Tagger(model, tok, TaggerSettings(max_length=32, stride=8)).extract("KCN Tân Tạo") is not None


def test_a_model_trained_with_other_rules_loads_with_a_warning(smoke_model, tmp_path, caplog):
    import json
    import shutil

    from models import Tagger

    copy = shutil.copytree(smoke_model, tmp_path / "copy")
    path = copy / "vicluster.json"
    settings = json.loads(path.read_text(encoding="utf-8"))
    assert settings["rules_version"]["lexicon_sha256"]
    changed = {**settings["rules_version"], "lexicon_sha256": "0" * 16}
    path.write_text(json.dumps({**settings, "rules_version": changed}), encoding="utf-8")
    with caplog.at_level("WARNING", logger="models.tagger"):
        Tagger.from_pretrained(copy)
    assert "trained with other rules" in caplog.text and "lexicon_sha256 0000000000000000 ->" in caplog.text
    caplog.clear()
    # a model of the older format records only the fingerprint string
    path.write_text(json.dumps({**settings, "rules_version": None, "hints_fingerprint": "0" * 16}), encoding="utf-8")
    with caplog.at_level("WARNING", logger="models.tagger"):
        Tagger.from_pretrained(copy)
    assert "trained with other rules" in caplog.text
    caplog.clear()
    with caplog.at_level("WARNING", logger="models.tagger"):
        Tagger.from_pretrained(smoke_model)
    assert "trained with other rules" not in caplog.text
