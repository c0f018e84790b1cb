"""Batched inference (token-budget batches, streamed decoding, dtype, model cache) gives the
spans of the plain implementation, on a small randomly initialised model and random texts."""

from __future__ import annotations

import random

import numpy as np
import pytest

WORDS = ("KCN", "CCN", "khu", "công", "nghiệp", "Tân", "Tạo", "tỉnh", "Lạng", "Sơn", "Bắc", "Kạn", "huyện",
         "xã", "rộng", "186,4", "ha", "100", "%", "lấp", "đầy", "ở", "TP.HCM", "(", ")", ",", ".", "\n")


def _texts(seed: int, n: int) -> list[str]:
    rng = random.Random(seed)
    texts = []
    for _ in range(n):
        length = rng.choice([0, 1, 3, 10, 40, 120, 400])  # empty, one window, many windows
        texts.append(" ".join(rng.choice(WORDS) for _ in range(length)))
    return texts


def _small_tagger(hints: str | None, dtype: str = "float32"):
    import torch
    from transformers import RobertaConfig, RobertaForTokenClassification

    from models.hints import hint_types
    from models.tagger import Tagger, TaggerSettings
    from training.backbone import label_maps
    from training.tokenizer_build import build_tokenizer

    id2label, label2id = label_maps()
    tok = build_tokenizer([w.split() for w in _texts(0, 30)], vocab_size=120)
    torch.manual_seed(0)
    model = RobertaForTokenClassification(RobertaConfig(
        vocab_size=len(tok), hidden_size=32, num_hidden_layers=2, num_attention_heads=2, intermediate_size=64,
        max_position_embeddings=40, type_vocab_size=hint_types(hints) if hints else 1, pad_token_id=tok.pad_token_id,
        id2label=id2label, label2id=label2id))
    with torch.no_grad():  # random but decided logits: every tag wins somewhere
        model.classifier.weight.mul_(100.0)
    return Tagger(model, tok, TaggerSettings(hints=hints, max_length=32, stride=8), device="cpu", dtype=dtype)


@pytest.fixture(scope="module", params=[None, "rules"], ids=["plain", "hints"])
def small(request):
    return _small_tagger(request.param)


def _model_logits(tagger, windows: list) -> list[np.ndarray]:
    """The model on each window alone: no batch, no padding."""
    import torch

    out = []
    with torch.inference_mode():
        for w in windows:
            inputs = {"input_ids": torch.tensor([w.input_ids])}
            if w.token_type_ids is not None:
                inputs["token_type_ids"] = torch.tensor([w.token_type_ids])
            out.append(tagger.model(**inputs).logits[0].numpy())
    return out


def _previous_extract_batch(tagger, texts: list[str], batch_size: int) -> list:
    """The implementation before token budgets: every window of every text sorted by length,
    ``batch_size`` windows a batch, all logits kept, then each document decoded."""
    import torch

    from models.pipeline import decode_document

    encoded = [tagger.encode(t) for t in texts]
    flat = [w for e in encoded for w in e.windows]
    order = sorted(range(len(flat)), key=lambda i: len(flat[i].input_ids))
    logits: list = [None] * len(flat)
    pad = tagger.tokenizer.pad_token_id
    with torch.inference_mode():
        for b in range(0, len(order), batch_size):
            batch = order[b:b + batch_size]
            width = max(len(flat[i].input_ids) for i in batch)
            ids = torch.full((len(batch), width), pad)
            mask = torch.zeros((len(batch), width), dtype=torch.long)
            types = torch.zeros((len(batch), width), dtype=torch.long)
            for row, i in enumerate(batch):
                n = len(flat[i].input_ids)
                ids[row, :n], mask[row, :n] = torch.tensor(flat[i].input_ids), 1
                if flat[i].token_type_ids is not None:
                    types[row, :n] = torch.tensor(flat[i].token_type_ids)
            inputs = {"input_ids": ids, "attention_mask": mask}
            if tagger.settings.hints is not None:
                inputs["token_type_ids"] = types
            out = tagger.model(**inputs).logits.numpy()
            for row, i in enumerate(batch):
                logits[i] = out[row, :len(flat[i].input_ids)]
    results, pos = [], 0
    for text, enc in zip(texts, encoded):
        n = len(enc.windows)
        results.append(decode_document(text, enc, logits[pos:pos + n], tagger.id2label,
                                       transitions=tagger.transitions, log_prior=tagger.log_prior))
        pos += n
    return results


def _same(a: list, b: list) -> None:
    assert [[s.key for s in doc] for doc in a] == [[s.key for s in doc] for doc in b]
    assert np.allclose([s.score for doc in a for s in doc], [s.score for doc in b for s in doc], atol=1e-5)


@pytest.mark.parametrize("batch_size,max_tokens", [(16, None), (3, None), (1, None), (16, 1), (16, 100)])
def test_token_budget_batches_give_the_previous_spans(small, batch_size, max_tokens):
    texts = _texts(1, 40)
    got = small.extract_batch(texts, batch_size=batch_size, max_tokens=max_tokens)
    _same(got, _previous_extract_batch(small, texts, batch_size=16))
    assert sum(map(len, got)) > 20  # the random model tags things: the comparison is not of empty lists
    assert got[[i for i, t in enumerate(texts) if not t][0]] == []


def test_window_logits_equal_the_model_on_each_window_alone(small):
    windows = [w for t in _texts(2, 12) for w in small.encode(t).windows]
    assert len({len(w.input_ids) for w in windows}) > 3  # the batches pad
    alone = _model_logits(small, windows)
    for budget in (1, 64, 10_000):
        got = small.window_logits(windows, max_tokens=budget)
        assert [g.shape for g in got] == [a.shape for a in alone]
        assert all(g.dtype == np.float32 for g in got)
        assert max(float(np.abs(g - a).max()) for g, a in zip(got, alone)) < 1e-4


def test_batches_never_exceed_the_token_budget(small, monkeypatch):
    windows = [w for t in _texts(3, 20) for w in small.encode(t).windows]
    shapes = []
    forward = small.model.forward

    def spy(**inputs):
        shapes.append(tuple(inputs["input_ids"].shape))
        return forward(**inputs)

    monkeypatch.setattr(small.model, "forward", spy)
    small.window_logits(windows, max_tokens=100)
    assert sum(rows for rows, _ in shapes) == len(windows)
    assert all(rows * width <= 100 or rows == 1 for rows, width in shapes)
    # sorted by length: batches are packed, not one window each
    assert len(shapes) < len(windows) / 2
    # each batch is padded to its own longest window only
    assert len({width for _, width in shapes}) > 1


def test_iter_extract_streams_documents(small):
    texts = _texts(4, 60)
    read = []

    def source():
        for t in texts:
            read.append(t)
            yield t

    stream = small.iter_extract(source(), batch_size=1)
    first = next(stream)
    assert len(read) < len(texts)  # the first document's spans came before the last text was read
    rest = list(stream)
    _same([first, *rest], small.extract_batch(texts))


def test_bad_arguments_are_refused(small):
    with pytest.raises(TypeError, match="list of texts"):
        small.extract_batch("one text")
    with pytest.raises(TypeError, match="text 1 is int"):
        small.extract_batch(["a", 3])
    for bad in ({"batch_size": 0}, {"max_tokens": 0}, {"max_tokens": 2.5}):
        with pytest.raises(ValueError):
            small.extract_batch(["KCN Tân Tạo"], **bad)


def test_bfloat16_runs_and_gives_valid_spans():
    import torch

    tagger = _small_tagger(None, dtype="bfloat16")
    assert tagger.dtype == torch.bfloat16
    texts = _texts(5, 10)
    for text, spans in zip(texts, tagger.extract_batch(texts)):
        assert all(text[s.start:s.end] == s.text and 0 <= s.score <= 1 for s in spans)
    windows = tagger.encode(texts[-1] or "KCN Tân Tạo").windows
    bf16, fp32 = tagger.window_logits(windows), _model_logits(tagger, windows)
    assert all(b.dtype == np.float32 for b in bf16)  # logits come back as float32
    assert any(not np.array_equal(b, f) for b, f in zip(bf16, fp32))  # and were computed in bf16


def test_the_extract_cache_is_bounded(tmp_path, monkeypatch):
    import models.tagger as tagger_module

    small = _small_tagger(None)
    loaded = []

    def fake_load(name, **kwargs):
        loaded.append(str(name))
        return small

    monkeypatch.setattr(tagger_module, "_CACHE", type(tagger_module._CACHE)())
    monkeypatch.setattr(tagger_module.Tagger, "from_pretrained", staticmethod(fake_load))
    for name in ("a", "b", "a", "c", "a", "b"):
        (tmp_path / name).mkdir(exist_ok=True)
        tagger_module.extract("KCN Tân Tạo", model=tmp_path / name)
        assert len(tagger_module._CACHE) <= tagger_module.CACHE_SIZE
    # a, b loaded; a hit; c evicts b (a was used last); a hit; b loaded again
    assert [n.rsplit("/", 1)[1] for n in loaded] == ["a", "b", "c", "b"]


def test_extract_cli_dtype_and_token_budget(tmp_path, capsys):
    import json

    from models.__main__ import main

    small = _small_tagger(None)
    model_dir = tmp_path / "small"
    small.model.save_pretrained(model_dir)
    small.tokenizer.save_pretrained(model_dir)
    (model_dir / "vicluster.json").write_text(json.dumps({"max_length": 32, "stride": 8}), encoding="utf-8")
    texts = [t for t in _texts(6, 8) if t]
    lines = tmp_path / "in.jsonl"
    lines.write_text("".join(json.dumps({"doc_id": f"d{i}", "text": t}, ensure_ascii=False) + "\n"
                             for i, t in enumerate(texts)), encoding="utf-8")
    expected = small.extract_batch(texts)
    for extra in (["--dtype", "float32"], ["--dtype", "float32", "--max-tokens", "40", "--batch-size", "1"]):
        assert main(["extract", str(lines), "--model", str(model_dir), "--format", "jsonl", *extra]) == 0
        got = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
        assert [r["doc_id"] for r in got] == [f"d{i}" for i in range(len(texts))]
        assert [[(e["start"], e["end"], e["label"]) for e in r["entities"]] for r in got] == \
            [[(s.start, s.end, s.label) for s in spans] for spans in expected]
    assert main(["extract", str(lines), "--model", str(model_dir), "--dtype", "bfloat16"]) == 0
    assert len(json.loads(capsys.readouterr().out)) == len(texts)
    assert main(["extract", str(lines), "--model", str(model_dir), "--max-tokens", "0"]) == 2
    assert "--max-tokens must be at least 1" in capsys.readouterr().err
    assert main(["extract", str(lines), "--model", str(model_dir), "--dtype", "float16", "--device", "cpu"]) == 2
    assert "float16 is for CUDA" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["extract", str(lines), "--model", str(model_dir), "--dtype", "int8"])


def test_a_text_that_is_no_str_fails_at_its_turn_after_the_texts_before_it(small):
    """Nothing is lost: the spans of every text before the bad one are yielded, then it fails."""
    texts = _texts(5, 12)
    expected = _previous_extract_batch(small, texts, batch_size=16)
    got = []
    with pytest.raises(TypeError, match="text 4 is int, not str"):
        for spans in small.iter_extract(texts[:4] + [7] + texts[4:], batch_size=16):
            got.append(spans)
    _same(got, expected[:4])
