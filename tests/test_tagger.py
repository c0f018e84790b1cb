"""The tagger and the extract CLI, on a trained tiny model and on PhoBERT-base's shapes."""

from __future__ import annotations

import json
import shutil
import unicodedata

import pytest
from hypothesis import given, settings, strategies as st

from annotations.labels import LABELS
from annotations.labelstudio import load_documents
from conftest import SHARED_DIR

GOLD = "annotations/gold/seeds.json"


@pytest.fixture(scope="module")
def tagger(smoke_model):
    from models import Tagger

    return Tagger.from_pretrained(smoke_model)


@pytest.fixture(scope="module")
def seed_texts():
    return [d.text for d in load_documents(GOLD)]


def _valid(text, spans):
    return all(0 <= s.start < s.end <= len(text) and text[s.start:s.end] == s.text and s.label in LABELS
               and 0.0 <= s.score <= 1.0 for s in spans) and all(
        a.end <= b.start for a, b in zip(spans, spans[1:]))


def test_save_load_round_trip_gives_identical_predictions(tagger, smoke_model, seed_texts, tmp_path):
    from models import Tagger

    copy = tmp_path / "copy"
    tagger.model.save_pretrained(copy)
    tagger.tokenizer.save_pretrained(copy)
    shutil.copy(smoke_model / "vicluster.json", copy / "vicluster.json")
    again = Tagger.from_pretrained(copy)
    before, after = tagger.extract_batch(seed_texts), again.extract_batch(seed_texts)
    assert [[(s.key, s.text) for s in doc] for doc in before] == [[(s.key, s.text) for s in doc] for doc in after]
    assert [[round(s.score, 5) for s in doc] for doc in before] == [[round(s.score, 5) for s in doc] for doc in after]
    assert sum(map(len, before)) > 0


def test_batch_equals_one_by_one(tagger, seed_texts):
    batch = tagger.extract_batch(seed_texts, batch_size=3)
    single = [tagger.extract(t) for t in seed_texts]
    assert [[s.key for s in d] for d in batch] == [[s.key for s in d] for d in single]


def test_nfd_input_gives_spans_of_the_callers_string(tagger, seed_texts):
    nfd = unicodedata.normalize("NFD", seed_texts[0])
    assert nfd != seed_texts[0]
    nfc_spans, nfd_spans = tagger.extract(seed_texts[0]), tagger.extract(nfd)
    assert _valid(nfd, nfd_spans)
    # Same predictions, mapped to the decomposed string's offsets.
    assert [unicodedata.normalize("NFC", s.text) for s in nfd_spans] == [s.text for s in nfc_spans]


_VI = "aăâbcdđeêghiklmnoôơpqrstuưvxy ÀÁẢÃẠàáảãạệồ%,.-()\n0123456789KCN"


@settings(max_examples=25)
@given(st.text(alphabet=_VI, max_size=300), st.sampled_from(["NFC", "NFD"]))
def test_every_span_is_a_slice_of_the_input(tagger, raw, form):
    text = unicodedata.normalize(form, raw)
    assert _valid(text, tagger.extract(text))


def test_long_document_is_windowed_not_truncated(tagger, seed_texts):
    words = " ".join(seed_texts).split()
    text = " ".join((words * (20000 // len(words) + 1))[:20000])
    encoded = tagger.encode(text)
    assert len(encoded.windows) > 1
    assert max(len(w.input_ids) for w in encoded.windows) <= tagger.settings.max_length
    spans = tagger.extract(text)
    assert _valid(text, spans)
    # Predictions reach the end of the document, not just the first window.
    assert spans and spans[-1].end > len(text) * 0.9


def test_min_score_setting_keeps_exactly_the_confident_spans(smoke_model, seed_texts):
    from models import Tagger

    everything = Tagger.from_pretrained(smoke_model, min_score=0.0).extract_batch(seed_texts[:2])
    scores = sorted(s.score for spans in everything for s in spans)
    assert scores, "the smoke model predicts something on the seeds"
    cut = scores[len(scores) // 2]
    confident = Tagger.from_pretrained(smoke_model, min_score=cut).extract_batch(seed_texts[:2])
    assert confident == [[s for s in spans if s.score >= cut] for spans in everything]


def test_extract_function_and_errors(smoke_model, tagger, tmp_path):
    from models import Tagger, extract

    text = "KCN Tân Tạo ở TP.HCM rộng 16ha"
    assert [s.key for s in extract(text, model=smoke_model)] == [s.key for s in tagger.extract(text)]
    assert [s.key for s in extract(text, model=tagger)] == [s.key for s in tagger.extract(text)]
    assert tagger.extract("") == []
    with pytest.raises(TypeError):
        tagger.extract_batch("not a list")
    with pytest.raises(FileNotFoundError, match="not a model directory"):
        Tagger.from_pretrained(tmp_path)


def test_cli_formats(run_module, smoke_model, tmp_path):
    article = tmp_path / "a.txt"
    article.write_text("Khu công nghiệp Thanh Bình tỉnh Bắc Kạn rộng 16ha, lấp đầy 100%.", encoding="utf-8")
    lines = tmp_path / "b.jsonl"
    lines.write_text(json.dumps({"doc_id": "b1", "text": "KCN Tân Tạo"}, ensure_ascii=False) + "\n", encoding="utf-8")
    as_json = run_module("models", "extract", article, lines, "--model", smoke_model, timeout=120)
    assert as_json.returncode == 0, as_json.stderr
    records = json.loads(as_json.stdout)
    assert [r["doc_id"] for r in records] == ["a", "b1"]
    text = article.read_text(encoding="utf-8")
    assert all(text[e["start"]:e["end"]] == e["text"] for e in records[0]["entities"])
    as_jsonl = run_module("models", "extract", article, "--model", smoke_model, "--format", "jsonl", timeout=120)
    assert json.loads(as_jsonl.stdout.splitlines()[0]) == records[0]
    table = run_module("models", "extract", article, "--model", smoke_model, "--format", "table", timeout=120)
    assert table.stdout.splitlines()[0] == "doc_id\tstart\tend\tlabel\tscore\ttext"
    assert len(table.stdout.splitlines()) == 1 + len(records[0]["entities"])
    missing = run_module("models", "extract", tmp_path / "nope.txt", "--model", smoke_model)
    assert missing.returncode == 2 and "error:" in missing.stderr


# ---------------------------------------------------------------------------
# PhoBERT-base: the real tokenizer and a randomly initialised model of its exact config
# ---------------------------------------------------------------------------

PHOBERT_TOKENIZER = SHARED_DIR / "phobert-tokenizer"


@pytest.fixture(scope="module")
def phobert_base_random(tmp_path_factory):
    if not (PHOBERT_TOKENIZER / "bpe.codes").is_file():
        pytest.skip(f"PhoBERT tokenizer files not available: {PHOBERT_TOKENIZER} is absent")
    from models.phobert import random_phobert_base

    return random_phobert_base(PHOBERT_TOKENIZER, tmp_path_factory.mktemp("phobert-base-random"))


def test_phobert_base_shapes_windows_and_spans(phobert_base_random, seed_texts):
    from models import Tagger

    tagger = Tagger.from_pretrained(phobert_base_random, segmenter="syllable")
    assert tagger.model.num_parameters() > 130_000_000
    text = seed_texts[1]  # the longest seed: several PhoBERT windows
    encoded = tagger.encode(text)
    assert len(encoded.windows) > 1
    assert max(len(w.input_ids) for w in encoded.windows) <= 256
    unk = tagger.tokenizer.unk_token_id
    pieces = [p for w in encoded.windows for p in w.input_ids]
    assert pieces.count(unk) / len(pieces) < 0.01  # NFC Vietnamese is in PhoBERT's vocabulary
    assert _valid(text, tagger.extract(text))
    with pytest.raises(ValueError, match="exceeds"):
        Tagger.from_pretrained(phobert_base_random, max_length=512)


@pytest.mark.slow
def test_phobert_training_code_path(phobert_base_random, tmp_path):
    """``backbone.type: pretrained`` from a local directory trains and saves a loadable tagger."""
    from models import Tagger
    from training import train_model

    overrides = {"backbone.name_or_path": str(phobert_base_random), "segmenter": "syllable",
                 "data.written": [], "data.synthetic_docs": 0, "data.dev_fraction": 0.0,
                 "training.max_steps": 2, "training.per_device_train_batch_size": 2,
                 "training.gradient_accumulation_steps": 1}
    out = train_model("phobert-base", tmp_path / "m", overrides=overrides, progress=False)
    tagger = Tagger.from_pretrained(out)
    assert tagger.model.num_parameters() > 130_000_000
    assert (out / "bpe.codes").is_file() and (out / "vocab.txt").is_file()
    assert _valid("KCN Tân Tạo", tagger.extract("KCN Tân Tạo"))
