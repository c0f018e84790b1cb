"""PhoBERT-base's architecture with random weights: the real model's shapes, 256-token limit
and compute cost, for tests and benchmarks where the weights cannot be downloaded."""

from __future__ import annotations

from pathlib import Path

from annotations.labels import id_to_tag, tag_to_id


def random_phobert_base(tokenizer_dir: str | Path, out: str | Path, segmenter: str = "pyvi") -> Path:
    """A model directory with PhoBERT-base's exact architecture and real tokenizer but random
    weights: the shapes, 256-token limit and compute cost of the real model, for tests and
    benchmarks where the weights cannot be downloaded."""
    import json

    import torch
    from transformers import PhobertTokenizer, RobertaConfig, RobertaForTokenClassification

    tokenizer_dir, out = Path(tokenizer_dir), Path(out)
    torch.manual_seed(0)
    id2label, label2id = id_to_tag(), tag_to_id()
    # vinai/phobert-base's config.json, verbatim in every field that shapes the network.
    config = RobertaConfig(vocab_size=64001, hidden_size=768, num_hidden_layers=12, num_attention_heads=12,
                           intermediate_size=3072, max_position_embeddings=258, type_vocab_size=1,
                           pad_token_id=1, bos_token_id=0, eos_token_id=2, layer_norm_eps=1e-05,
                           hidden_act="gelu", num_labels=len(id2label), id2label=id2label, label2id=label2id)
    RobertaForTokenClassification(config).save_pretrained(out)
    PhobertTokenizer(vocab_file=str(tokenizer_dir / "vocab.txt"),
                     merges_file=str(tokenizer_dir / "bpe.codes")).save_pretrained(out)
    (out / "vicluster.json").write_text(json.dumps({"segmenter": segmenter, "max_length": 256, "stride": 64}) + "\n",
                                        encoding="utf-8")
    return out
