"""Backbones: a compact RoBERTa built here, or a pretrained checkpoint (PhoBERT)."""

from __future__ import annotations

from pathlib import Path
from typing import Iterable

from annotations.labels import id_to_tag, tag_to_id

from .config import REPO_ROOT, BackboneConfig


def label_maps() -> tuple[dict[int, str], dict[str, int]]:
    return id_to_tag(), tag_to_id()


def _local_or_hub(ref: str) -> str:
    path = Path(ref)
    if not path.is_absolute() and (REPO_ROOT / path).exists():
        return str(REPO_ROOT / path)
    return ref


def load_tokenizer(cfg: BackboneConfig, max_length: int):
    """The pretrained backbone's tokenizer (PhoBERT: vocab.txt + bpe.codes)."""
    from transformers import AutoTokenizer

    ref = _local_or_hub(cfg.tokenizer or cfg.name_or_path or "")
    if not ref:
        raise ValueError("backbone.type 'pretrained' needs backbone.name_or_path")
    path = Path(ref)
    if path.is_dir() and (path / "bpe.codes").exists() and not (path / "tokenizer_config.json").exists():
        from transformers import PhobertTokenizer

        return PhobertTokenizer(vocab_file=str(path / "vocab.txt"), merges_file=str(path / "bpe.codes"),
                                model_max_length=max_length)
    try:
        return AutoTokenizer.from_pretrained(ref, model_max_length=max_length)
    except OSError as exc:
        raise OSError(f"cannot load the tokenizer {ref!r}: {exc}. Without internet access, download "
                      f"the checkpoint elsewhere and point backbone.name_or_path at the local directory") from exc


def build_scratch_tokenizer(cfg: BackboneConfig, word_forms: Iterable[Iterable[str]], max_length: int):
    from .tokenizer_build import build_tokenizer

    return build_tokenizer(word_forms, vocab_size=cfg.vocab_size, model_max_length=max_length,
                           fold_digits=cfg.fold_digits)


def build_model(cfg: BackboneConfig, tokenizer, max_length: int, type_vocab_size: int = 1):
    """A token-classification model with the project's BIO labels and ``type_vocab_size``
    token types (more than 1 for rule hints, :mod:`models.hints`)."""
    from transformers import AutoModelForTokenClassification, RobertaConfig, RobertaForTokenClassification

    id2label, label2id = label_maps()
    if cfg.type == "scratch":
        config = RobertaConfig(
            vocab_size=len(tokenizer),
            hidden_size=cfg.hidden_size,
            num_hidden_layers=cfg.num_hidden_layers,
            num_attention_heads=cfg.num_attention_heads,
            intermediate_size=cfg.intermediate_size,
            hidden_dropout_prob=cfg.hidden_dropout_prob,
            attention_probs_dropout_prob=cfg.attention_probs_dropout_prob,
            max_position_embeddings=max_length + 2,  # RoBERTa positions start after padding_idx
            pad_token_id=tokenizer.pad_token_id,
            bos_token_id=tokenizer.bos_token_id,
            eos_token_id=tokenizer.eos_token_id,
            type_vocab_size=type_vocab_size,
            num_labels=len(id2label),
            id2label=id2label,
            label2id=label2id,
        )
        return RobertaForTokenClassification(config)
    if cfg.type == "pretrained":
        ref = _local_or_hub(cfg.name_or_path or "")
        try:
            model = AutoModelForTokenClassification.from_pretrained(
                ref, num_labels=len(id2label), id2label=id2label, label2id=label2id,
                ignore_mismatched_sizes=True)
        except OSError as exc:
            raise OSError(f"cannot load the backbone {ref!r}: {exc}. Without internet access, download the "
                          f"checkpoint elsewhere and set backbone.name_or_path to the local directory") from exc
        if type_vocab_size > model.config.type_vocab_size:
            _grow_token_types(model, type_vocab_size)
        return model
    raise ValueError(f"backbone.type must be 'scratch' or 'pretrained', not {cfg.type!r}")


def _grow_token_types(model, n: int) -> None:
    """Give a pretrained model ``n`` token types, each new one starting as a copy of type 0,
    so that the network computes exactly what it did until training moves them apart."""
    import torch

    embeddings = model.base_model.embeddings
    old = embeddings.token_type_embeddings
    new = torch.nn.Embedding(n, old.embedding_dim, dtype=old.weight.dtype, device=old.weight.device)
    with torch.no_grad():
        new.weight[:] = old.weight[0]
        new.weight[:old.num_embeddings] = old.weight
    embeddings.token_type_embeddings = new
    model.config.type_vocab_size = n
