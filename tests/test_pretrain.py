"""Domain-adaptive pre-training (training/pretrain.py, ``python -m training pretrain``)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from training.config import load_config

REPO_ROOT = Path(__file__).resolve().parent.parent
SHARED_DIR = REPO_ROOT.parent / "shared"

TEXTS = [
    "KCN Tân Tạo (TP.HCM) rộng 444 ha, đã lấp đầy 95%. Khu công nghiệp Thanh Bình ở tỉnh Bắc Kạn có diện "
    "tích 186,4ha.\nCCN Hoàng Gia thuộc huyện Na Rì.",
    "Tỉnh Bình Dương có 29 khu công nghiệp với tổng diện tích 12.000 ha, tỷ lệ lấp đầy đạt 85%.",
]


def write_jsonl(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path


def write_export(path: Path, docs: list[tuple[str, str]]) -> Path:
    tasks = [{"data": {"doc_id": doc_id, "text": text}, "annotations": []} for doc_id, text in docs]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(tasks, ensure_ascii=False), encoding="utf-8")
    return path


def repeated_articles(n: int = 40) -> list[dict]:
    return [{"doc_id": f"u{i}", "text": f"{TEXTS[i % 2]} Bài số {i}."} for i in range(n)]


# ----------------------------------------------------------------------------- exclusion


def test_train_and_dev_articles_are_excluded_by_doc_id_and_by_text(tmp_path, monkeypatch):
    from training.pretrain import load_pretraining_text

    shared = tmp_path / "shared"
    records = [{"doc_id": f"a{i}", "text": f"Bài {i} về khu công nghiệp ở tỉnh Long An."} for i in range(30)]
    records.append({"doc_id": "renamed", "text": "Văn bản của tập dev, dưới một doc_id khác."})
    shared.mkdir()
    write_jsonl(shared / "u.jsonl", records)
    write_export(shared / "corpus" / "train.json", [("a3", "whatever text"), ("a7", "other")])
    write_export(shared / "corpus" / "dev.json", [("a11", "x"), ("dev-id", "Văn bản của tập dev, dưới một doc_id khác.")])
    extra = write_export(tmp_path / "extra.json", [("a20", "y")])
    monkeypatch.setenv("VICLUSTER_SHARED", str(shared))

    # the shared train.json and dev.json whatever pretrain.exclude says, plus what it names
    text = load_pretraining_text(load_config("smoke", {"pretrain.exclude": [str(extra)]}), shared / "u.jsonl")
    assert text.read == 31
    assert sorted(text.excluded) == ["a11", "a20", "a3", "a7", "renamed"]
    kept = [a.doc_id for a in text.train + text.held_out]
    assert len(kept) == 26 and not set(kept) & {"a3", "a7", "a11", "a20", "renamed"}
    assert len(text.held_out) == 1  # 5% of 26, at least one
    assert not {a.doc_id for a in text.train} & {a.doc_id for a in text.held_out}
    assert str(shared / "corpus" / "train.json") in text.exclusions.files


def test_the_shared_train_and_dev_articles_never_reach_pretraining():
    from annotations.labelstudio import load_tasks
    from training.pretrain import load_pretraining_text, resolve_input

    path = resolve_input("corpus/unlabelled.jsonl")
    gold = [resolve_input(f"corpus/{name}.json") for name in ("train", "dev")]
    if path is None or None in gold:
        pytest.skip("shared corpus (unlabelled.jsonl, train.json, dev.json) not available")
    labelled = {t["data"]["doc_id"] for g in gold for t in load_tasks(g)}
    labelled_texts = {t["data"]["text"] for g in gold for t in load_tasks(g)}
    text = load_pretraining_text(load_config("default"), path)
    used = text.train + text.held_out
    assert not {a.doc_id for a in used} & labelled
    assert not {a.text for a in used} & labelled_texts
    assert len(text.excluded) >= len(labelled & {json.loads(line)["doc_id"] for line in path.open(encoding="utf-8")})
    assert text.read == len(used) + len(text.excluded)


# ----------------------------------------------------------------------------- a tiny backbone


@pytest.fixture(scope="module")
def tiny_backbone(tmp_path_factory) -> Path:
    """A smoke-sized scratch backbone pre-trained for 40 steps on a tiny repeated text."""
    from training.pretrain import pretrain

    work = tmp_path_factory.mktemp("pretrain")
    unlabelled = write_jsonl(work / "u.jsonl", repeated_articles())
    return pretrain("smoke", work / "backbone", progress=False, overrides={
        "pretrain.unlabelled": str(unlabelled), "pretrain.max_steps": 40, "pretrain.eval_steps": 0})


def test_backbone_directory_is_self_contained(tiny_backbone):
    from transformers import AutoModelForMaskedLM, RobertaForMaskedLM

    from models.hints import HINT_TYPES
    from training.pretrain import read_card

    for name in ("model.safetensors", "config.json", "tokenizer.json", "tokenizer_config.json", "pretrain.json",
                 "README.md"):
        assert (tiny_backbone / name).is_file(), name
    assert not (tiny_backbone / "_trainer").exists()
    model = AutoModelForMaskedLM.from_pretrained(tiny_backbone)
    assert type(model) is RobertaForMaskedLM
    assert model.config.type_vocab_size == HINT_TYPES  # smoke reads rule hints
    card = read_card(tiny_backbone)
    assert card["articles"] == {"read": 40, "excluded": 0, "pretraining": 38, "held_out": 2,
                                "chars_pretraining": card["articles"]["chars_pretraining"]}
    assert card["steps"] == 40 and card["seconds"] > 0
    assert card["recipe"]["words"]["segmenter"] == "syllable"


def test_mlm_loss_decreases_on_a_tiny_repeated_text(tiny_backbone):
    from training.pretrain import read_card

    card = read_card(tiny_backbone)
    held = card["held_out"]
    assert held["loss"] < held["loss_before"] - 0.5
    assert held["perplexity"] == pytest.approx(2.718281828 ** held["loss"], rel=1e-2)


def test_backbone_tokenizer_loads_back_and_folds_digits(tiny_backbone):
    from transformers import AutoTokenizer

    from models.encoding import WordPieceEncoder
    from training.backbone import load_tokenizer

    tok = AutoTokenizer.from_pretrained(tiny_backbone)
    assert tok.mask_token == "<mask>" and tok.pad_token == "<pad>"
    assert tok.tokenize("1.952") == tok.tokenize("7.346")  # fold_digits: numbers by shape
    assert "1" not in "".join(tok.tokenize("186,4"))
    for word in ("Khu", "công", "nghiệp", "tỉnh", "KCN"):
        assert tok.decode(tok.encode(word, add_special_tokens=False)) == word
    via_config = load_tokenizer(load_config("smoke", {"backbone.type": "pretrained",
                                                      "backbone.name_or_path": str(tiny_backbone)}).backbone, 128)
    assert WordPieceEncoder(via_config).pieces("Bình") == WordPieceEncoder(tok).pieces("Bình")


def test_collator_masks_whole_words_and_never_specials(tiny_backbone):
    import torch
    from transformers import AutoTokenizer

    from models.encoding import WordPieceEncoder
    from training.pretrain import encode_windows, masking_collator, premask

    tok = AutoTokenizer.from_pretrained(tiny_backbone)
    cfg = load_config("smoke")
    rows = encode_windows(cfg, TEXTS * 8, WordPieceEncoder(tok))
    assert all("token_type_ids" in r for r in rows)  # rule hints ride along
    batch = masking_collator(tok, seed=0, mlm_probability=0.3)(rows)
    assert set(batch) == {"input_ids", "attention_mask", "token_type_ids", "labels"}
    for i, row in enumerate(rows):
        n = len(row["input_ids"])
        targets = batch["labels"][i] != -100
        assert targets[:n].any() and not targets[n:].any()
        words = torch.as_tensor(row["word_ids"], dtype=torch.long)
        assert not (targets[:n] & (words < 0)).any()  # never <s> or </s>
        for w in words[targets[:n]].unique():
            assert targets[:n][words == w].all()  # every piece of a chosen word
        assert torch.equal(batch["labels"][i, :n][targets[:n]], torch.as_tensor(row["input_ids"])[targets[:n]].long())
    fixed = premask(rows, masking_collator(tok, seed=1))
    again = masking_collator(tok, seed=5)(fixed)
    assert torch.equal(again["labels"][0, :len(fixed[0]["labels"])], torch.as_tensor(fixed[0]["labels"]).long())


# ----------------------------------------------------------------------------- fine-tuning from it


def test_fine_tuning_from_a_pretrained_backbone_keeps_its_token_types(tiny_backbone, tmp_path):
    import torch
    from safetensors.torch import load_file

    from models import Tagger
    from models.hints import HINT_TYPES
    from training import train_model
    from training.backbone import build_model, load_tokenizer

    overrides = {"backbone.type": "pretrained", "backbone.name_or_path": str(tiny_backbone),
                 "training.max_steps": 6, "training.eval_steps": 6}
    cfg = load_config("smoke", overrides)
    model = build_model(cfg.backbone, load_tokenizer(cfg.backbone, cfg.max_length), cfg.max_length,
                        type_vocab_size=HINT_TYPES)
    saved = load_file(str(tiny_backbone / "model.safetensors"))
    assert model.config.type_vocab_size == HINT_TYPES
    assert torch.equal(model.roberta.embeddings.token_type_embeddings.weight,
                       saved["roberta.embeddings.token_type_embeddings.weight"])
    assert torch.equal(model.roberta.embeddings.word_embeddings.weight, saved["roberta.embeddings.word_embeddings.weight"])

    out = train_model("smoke", tmp_path / "tagger", overrides=overrides, progress=False)
    tagger = Tagger.from_pretrained(out)
    assert tagger.model.config.type_vocab_size == HINT_TYPES
    assert isinstance(tagger.extract("KCN Tân Tạo (TP.HCM) rộng 444 ha."), list)
    assert tagger.tokenizer.tokenize("1.952") == tagger.tokenizer.tokenize("7.346")


def test_backbone_pretrained_with_shorter_windows_is_refused(tiny_backbone):
    from training.pretrain import check_backbone

    check_backbone(load_config("smoke", {"backbone.type": "pretrained", "backbone.name_or_path": str(tiny_backbone)}))
    with pytest.raises(ValueError, match="max_length 256"):
        check_backbone(load_config("smoke", {"backbone.type": "pretrained", "backbone.name_or_path": str(tiny_backbone),
                                             "max_length": 256}))


def test_config_switch_pretrains_into_the_output_reuses_it_and_is_silent_without_text(tmp_path, monkeypatch):
    import training.pretrain as pt
    from models import Tagger
    from training import train_model

    unlabelled = write_jsonl(tmp_path / "u.jsonl", repeated_articles(12))
    quick = {"training.max_steps": 4, "training.eval_steps": 4, "pretrain.max_steps": 4}

    absent = train_model("smoke", tmp_path / "absent", progress=False,
                         overrides={**quick, "pretrain.unlabelled": str(tmp_path / "none.jsonl")})
    assert not (absent / pt.SUBDIR).exists()
    assert load_config(absent / "training_config.yaml").backbone.type == "scratch"

    out = train_model("smoke", tmp_path / "with", progress=False, overrides={**quick, "pretrain.unlabelled": str(unlabelled)})
    backbone = out / pt.SUBDIR
    assert pt.read_card(backbone)["steps"] == 4
    saved = load_config(out / "training_config.yaml")
    assert saved.backbone.type == "pretrained" and Path(saved.backbone.name_or_path) == backbone.resolve()
    Tagger.from_pretrained(out)

    def refuse(*args, **kwargs):
        raise AssertionError("pre-trained again although the recipe matches")

    monkeypatch.setattr(pt, "pretrain", refuse)
    from training.corpus import build_corpus

    cfg = load_config("smoke", {**quick, "pretrain.unlabelled": str(unlabelled)})
    texts = [d.text for d in build_corpus(cfg).train]
    assert pt.prepare_backbone(cfg, out, texts, progress=False).backbone.name_or_path == str(backbone.resolve())
    with pytest.raises(AssertionError, match="pre-trained again"):  # another recipe: pre-train anew
        pt.prepare_backbone(load_config(cfg, {"pretrain.max_steps": 5}), out, texts, progress=False)


# ----------------------------------------------------------------------------- PhoBERT-like


def test_continuing_a_pretrained_checkpoint_uses_its_tokenizer_and_grows_token_types(tmp_path):
    tokenizer_dir = SHARED_DIR / "phobert-tokenizer"
    if not (tokenizer_dir / "bpe.codes").is_file():
        pytest.skip("shared PhoBERT tokenizer not available")
    pytest.importorskip("pyvi")
    from transformers import AutoModelForMaskedLM, PhobertTokenizer, RobertaConfig, RobertaForMaskedLM

    from models.hints import HINT_TYPES
    from training.pretrain import pretrain, read_card

    start = tmp_path / "tiny-phobert"
    tok = PhobertTokenizer(vocab_file=str(tokenizer_dir / "vocab.txt"), merges_file=str(tokenizer_dir / "bpe.codes"))
    RobertaForMaskedLM(RobertaConfig(vocab_size=len(tok), hidden_size=32, num_hidden_layers=1, num_attention_heads=2,
                                     intermediate_size=64, max_position_embeddings=258, type_vocab_size=1,
                                     pad_token_id=1, bos_token_id=0, eos_token_id=2)).save_pretrained(start)
    tok.save_pretrained(start)
    unlabelled = write_jsonl(tmp_path / "u.jsonl", repeated_articles(10))
    out = pretrain("smoke", tmp_path / "continued", progress=False, overrides={
        "segmenter": "pyvi", "max_length": 64, "stride": 16, "backbone": {"type": "pretrained", "name_or_path": str(start)},
        "pretrain.unlabelled": str(unlabelled), "pretrain.max_steps": 3})
    card = read_card(out)
    assert card["started_from"] == str(start) and card["vocabulary"]["size"] == len(tok)
    model = AutoModelForMaskedLM.from_pretrained(out)
    assert model.config.type_vocab_size == HINT_TYPES
    assert (out / "bpe.codes").is_file()


# ----------------------------------------------------------------------------- command line


def test_pretrain_cli_reports_a_missing_file(run_module, tmp_path):
    result = run_module("training", "pretrain", "--config", "smoke", "--unlabelled", tmp_path / "nothing.jsonl",
                        "--output", tmp_path / "out", "--no-progress")
    assert result.returncode == 2
    assert "no unlabelled articles" in result.stderr
    assert not (tmp_path / "out").exists()
