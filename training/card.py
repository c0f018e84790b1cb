"""The files that make a model directory self-contained: tagger settings, the training
config, metrics and a model card."""

from __future__ import annotations

import datetime as _dt
import json
from collections import Counter
from pathlib import Path
from typing import Any

from annotations.labels import LABELS

from .config import Config


def _fmt(value: Any) -> str:
    return f"{value:.3f}" if isinstance(value, float) else str(value)


def _processes(metrics: dict) -> str:
    n = metrics.get("processes", 1)
    return f" in each of {n} processes" if n > 1 else ""


def _yes(flag: bool) -> str:
    return "yes" if flag else "no"


def write_model_directory(output_dir: Path, cfg: Config, *, corpus, train_enc, dev_enc, dev_metrics: dict,
                          train_metrics: dict, train_seconds: float, global_step: int, device: str,
                          threads: int, processes: int = 1) -> None:
    from models.hints import fingerprint as hints_fingerprint
    from models.hints import rules_version
    from models.tagger import TAGGER_CONFIG

    stamp = _dt.datetime.now(_dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    version = f"vicluster-{cfg.name}-{stamp}"
    (output_dir / TAGGER_CONFIG).write_text(json.dumps({
        "segmenter": cfg.segmenter,
        "join_numbers": cfg.join_numbers,
        "line_breaks": cfg.line_breaks,
        "hints": cfg.hints,
        "hints_fingerprint": hints_fingerprint() if cfg.hints else None,
        "rules_version": rules_version() if cfg.hints else None,
        "min_score": cfg.min_score,
        "tag_transitions": train_enc.transition_spec() if cfg.tag_transitions else None,
        "prior_scale": cfg.prior_scale,
        "max_length": cfg.max_length,
        "stride": cfg.stride,
        "model_version": version,
        "labels": list(LABELS),
    }, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    (output_dir / "training_config.yaml").write_text(cfg.to_yaml(), encoding="utf-8")
    span_counts = Counter(s.label for d in corpus.train for s in d.spans)
    metrics = {
        "model_version": version,
        "config": cfg.name,
        "train_seconds": round(train_seconds, 1),
        "global_step": global_step,
        "device": device,
        "threads": threads,
        #: processes that trained it together (torchrun); each ran ``threads`` threads
        "processes": processes,
        "documents": dict(corpus.sources),
        #: real gold read from the shared folder (relative to it); empty: the repository's data alone
        "shared_gold": list(corpus.shared_files),
        "gold_repeat": cfg.data.gold_repeat,
        "train_documents": len(corpus.train),
        "dev_documents": len(corpus.dev),
        "train_windows": len(train_enc.rows),
        "train_spans": dict(span_counts),
        "words_split_at_span_boundaries": train_enc.split_words + (dev_enc.split_words if dev_enc else 0),
        "dev": dev_metrics,
        "train": train_metrics,
    }
    (output_dir / "metrics.json").write_text(json.dumps(metrics, ensure_ascii=False, indent=1) + "\n",
                                             encoding="utf-8")
    (output_dir / "README.md").write_text(model_card(cfg, metrics), encoding="utf-8")


def model_card(cfg: Config, metrics: dict) -> str:
    b = cfg.backbone
    if b.type == "scratch":
        backbone = (f"RobertaForTokenClassification trained from scratch: {b.num_hidden_layers} layers, "
                    f"hidden {b.hidden_size}, {b.num_attention_heads} heads, BPE vocabulary of up to "
                    f"{b.vocab_size} built from the training text")
    else:
        backbone = f"fine-tuned from `{b.name_or_path}`"
    dev = metrics.get("dev") or {}
    rows = ["| label | F1 |", "|---|---|"]
    for label in LABELS:
        if f"f1_{label}" in dev:
            rows.append(f"| {label} | {_fmt(dev[f'f1_{label}'])} |")
    if "entity_f1" in dev:
        rows.append(f"| micro | {_fmt(dev['entity_f1'])} |")
    dev_table = "\n".join(rows) if len(rows) > 2 else "No dev split was held out."
    sources = "\n".join(f"- {name}: {n} documents" for name, n in metrics["documents"].items())
    shared = metrics.get("shared_gold") or []
    provenance = (f"Trained on the repository's data and the real gold of the shared folder "
                  f"({', '.join(f'`../shared/{f}`' for f in shared)}); gold windows were shown "
                  f"{metrics.get('gold_repeat', 1)} times per epoch." if shared else
                  "Trained on the repository's data alone (the shared folder's real gold was not present).")
    return f"""---
language: vi
license: mit
library_name: transformers
pipeline_tag: token-classification
tags: [vicluster, ner, vietnamese, industrial-parks]
---

# vicluster tagger `{metrics['model_version']}`

Extracts CLUSTER (industrial clusters, parks, export-processing zones), LOCATION, AREA and
PERCENT spans from Vietnamese news, under the project's annotation contract
(`annotations/guidelines.md`).

- Backbone: {backbone}.
- Word segmentation: `{cfg.segmenter}` (numbers kept whole: {_yes(cfg.join_numbers)}; line-break
  words: {_yes(cfg.line_breaks)}); windows of at most {cfg.max_length} tokens with
  {cfg.stride} tokens of overlap (long texts are windowed, never truncated).
- Rule hints: {f"the `{cfg.hints}` tag of each word is read as its token type (`models.hints`); "
               f"{cfg.training.hint_dropout:.0%} of training windows were shown without them" if cfg.hints else "none"}.
- Decoding: constrained Viterbi{" with tag-bigram probabilities of the training split" if cfg.tag_transitions else ""}{f", posteriors divided by tag prior ** {cfg.prior_scale}" if cfg.prior_scale else ""};
  minimum span score {cfg.min_score}.
- Config: `{cfg.name}` (full copy in `training_config.yaml`).

## Use

```python
from models import Tagger
tagger = Tagger.from_pretrained("path/to/this/directory")
tagger.extract("KCN Tân Tạo rộng 16ha")
```

`AutoModelForTokenClassification.from_pretrained` and `AutoTokenizer.from_pretrained` load
this directory too; word segmentation and windowing settings are in `vicluster.json`.

## Training data

{provenance}

{sources}

Document-level split: {metrics['train_documents']} training documents, {metrics['dev_documents']}
dev documents (drawn from the shared gold when present; generated text is only ever in training). Spans in training: {json.dumps(metrics['train_spans'], ensure_ascii=False)}.

## Scores on the held-out dev split (strict character spans)

{dev_table}

These dev documents are held out of training (real news when the shared gold is present, else
the project's own data); see the evaluation report for scores on unseen news.

## Training

{metrics['global_step']} steps in {metrics['train_seconds']} s on `{metrics['device']}` ({metrics['threads']} threads{_processes(metrics)}).

## Limitations

Trained on a small amount of real text plus generated text; names it has never seen in
unusual contexts, and page furniture of unfamiliar sites, are the likeliest errors.
"""
