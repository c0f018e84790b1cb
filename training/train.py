"""The training loop: Hugging Face Trainer over windows of the configured corpus."""

from __future__ import annotations

import json
import logging
import shutil
import time
from pathlib import Path
from typing import Any

from annotations.document import Document

from .callbacks import (absolute_best, elapsed_before, elapsed_callback, relative_checkpoints_callback,
                        time_budget_callback)
from .config import Config, load_config
from .distributed import trainer_device

log = logging.getLogger(__name__)

CHECKPOINTS = "checkpoints"


class DevMetric:
    """Strict character-span F1 on the dev documents, decoded exactly as at inference."""

    def __init__(self, encoded_corpus, id2label: dict[int, str], min_score: float = 0.0,
                 transitions=None, log_prior=None) -> None:
        self.corpus = encoded_corpus
        self.id2label = id2label
        self.min_score = min_score
        self.transitions = transitions
        self.log_prior = log_prior

    def predict_spans(self, logits) -> list[list]:
        from models.pipeline import decode_documents

        per_doc: list[list] = [[] for _ in self.corpus.docs]
        for row, d in enumerate(self.corpus.window_doc):
            n = len(self.corpus.rows[row]["input_ids"])
            per_doc[d].append(logits[row][:n])
        return decode_documents([(doc.text, enc, per_doc[i]) for i, (doc, enc) in
                                 enumerate(zip(self.corpus.docs, self.corpus.encoded))],
                                self.id2label, min_score=self.min_score, transitions=self.transitions,
                                log_prior=self.log_prior)

    def __call__(self, eval_prediction) -> dict[str, float]:
        from annotations.labels import LABELS
        from annotations.scoring import score_strict

        predictions = eval_prediction.predictions
        if isinstance(predictions, tuple):
            predictions = predictions[0]
        predicted = self.predict_spans(predictions)
        result = score_strict([doc.spans for doc in self.corpus.docs], predicted)
        micro = result["micro"]
        metrics = {"entity_f1": micro["f1"] or 0.0, "entity_precision": micro["p"] or 0.0,
                   "entity_recall": micro["r"] or 0.0}
        for label in LABELS:
            if result[label]["f1"] is not None:
                metrics[f"f1_{label}"] = result[label]["f1"]
        return metrics


def _repeat_gold_rows(encoded, gold_ids: set[str], repeat: int, overrule_repeat: int = 1) -> list[dict]:
    """The training rows, those of gold documents ``repeat`` times and those whose labels
    overrule the rules' hint of a token ``overrule_repeat`` times as often (remembered names and
    known units count as words the rules left ``O``; the same dicts, not copies)."""
    from models.hints import hint_tag_ids

    from .features import overruled

    rules_view = hint_tag_ids(context=False)
    rows = []
    overruled_rows = 0
    for row, d in zip(encoded.rows, encoded.window_doc):
        n = repeat if encoded.docs[d].id in gold_ids else 1
        if overrule_repeat > 1 and "token_type_ids" in row and any(overruled(row, rules_view)):
            n *= overrule_repeat
            overruled_rows += 1
        rows.extend([row] * n)
    if overrule_repeat > 1:
        logging.getLogger(__name__).info("%d of %d training windows overrule a hint; each shown %d times as often",
                                         overruled_rows, len(encoded.rows), overrule_repeat)
    return rows


def _bf16_available() -> bool:
    import torch

    return bool(torch.cuda.is_available() and torch.cuda.is_bf16_supported())


#: the config a run started with, beside its checkpoints: what --resume compares against
RUN_CONFIG = "run_config.yaml"
#: settings --resume may change: they only lengthen or shorten the run
RESUMABLE = ("training.max_steps", "training.num_train_epochs", "training.max_train_seconds",
             "training.save_total_limit", "training.early_stopping_patience")


def _flat(d: dict, prefix: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in d.items():
        if isinstance(value, dict):
            out.update(_flat(value, f"{prefix}{key}."))
        else:
            out[f"{prefix}{key}"] = value
    return out


def resume_checkpoint(ckpt_dir: Path, cfg: Config) -> Path:
    """The checkpoint ``--resume`` continues from: the newest complete one (a half-written
    newer one is skipped with a warning). Refuses a config that differs from the run's in
    anything but :data:`RESUMABLE`, naming each difference."""
    import logging

    import yaml

    log = logging.getLogger(__name__)
    run_config = ckpt_dir / RUN_CONFIG
    if run_config.is_file():
        before = _flat(yaml.safe_load(run_config.read_text(encoding="utf-8")) or {})
        now = _flat(cfg.to_dict())
        changed = [f"{k}: {before.get(k)!r} -> {now.get(k)!r}" for k in sorted(set(before) | set(now))
                   if k not in RESUMABLE and before.get(k) != now.get(k)]
        if changed:
            raise ValueError(f"--resume: the config differs from the run's in {', '.join(changed)}; "
                             f"resume with the same config (only {', '.join(RESUMABLE)} may change) "
                             "or train afresh with --overwrite")
    steps = sorted((int(p.name.rpartition("-")[2]), p) for p in ckpt_dir.glob("checkpoint-*")
                   if p.is_dir() and p.name.rpartition("-")[2].isdigit())
    complete = [(n, p) for n, p in steps if (p / "trainer_state.json").is_file()
                and any((p / w).is_file() for w in ("model.safetensors", "pytorch_model.bin"))]
    if not complete:
        raise FileNotFoundError(f"--resume: no complete checkpoint in {ckpt_dir}")
    for n, p in steps:
        if n > complete[-1][0]:
            log.warning("--resume: %s is incomplete (half written?); continuing from %s", p, complete[-1][1].name)
    return complete[-1][1]


def check_output_dir(output_dir: Path, *, overwrite: bool) -> None:
    """Refuse an output directory that is a file, or that already holds files, unless ``overwrite``."""
    if output_dir.exists() and not output_dir.is_dir():
        raise FileExistsError(f"--output {output_dir} is a file, not a directory")
    if overwrite or not output_dir.is_dir():
        return
    held = sorted(p.name for p in output_dir.iterdir())
    if held:
        what = "a model" if "config.json" in held else f"{len(held)} entries ({', '.join(held[:4])}...)"
        raise FileExistsError(f"--output {output_dir} already holds {what}; pass --overwrite to replace the "
                              "model's files (nothing else there is deleted), --resume to continue, or choose "
                              "another directory")


def train_model(config: str | Path | dict[str, Any] | Config | None, output_dir: str | Path, *,
                train_documents: list[Document] | None = None, resume: bool = False,
                overrides: dict[str, Any] | None = None, progress: bool = True,
                keep_checkpoints: bool = False, overwrite: bool = False) -> Path:
    """Train a tagger as ``config`` says and write a self-contained model directory.

    ``train_documents`` replaces the config's gold documents (cross-validation folds).
    An ``output_dir`` that already holds files is refused unless ``overwrite`` (or ``resume``):
    training then replaces the files it writes and deletes nothing else. Returns ``output_dir``.
    """
    import torch
    from annotations.extras import require

    Dataset = require("datasets", "train", "training").Dataset
    require("accelerate", "train", "training")
    from transformers import (DataCollatorForTokenClassification, EarlyStoppingCallback, Trainer,
                              TrainingArguments, set_seed)

    from models.decoding import tag_log_prior, transition_matrix
    from models.encoding import WordPieceEncoder
    from models.words import model_words
    from models.hints import hint_types
    from models.normalize import normalize
    from models.segment import get_segmenter

    from .backbone import build_model, build_scratch_tokenizer, label_maps, load_tokenizer
    from .card import write_model_directory
    from .corpus import build_corpus
    from .features import TrainingRows, encode_corpus

    cfg = load_config(config, overrides)
    output_dir = Path(output_dir)
    ckpt_dir = output_dir / CHECKPOINTS
    if resume and not ckpt_dir.exists():
        raise FileNotFoundError(f"--resume: no checkpoints in {ckpt_dir}")
    check_output_dir(output_dir, overwrite=overwrite or resume)
    resume_from = resume_checkpoint(ckpt_dir, cfg) if resume else None
    if not resume:
        ckpt_dir.mkdir(parents=True, exist_ok=True)
        (ckpt_dir / RUN_CONFIG).write_text(cfg.to_yaml(), encoding="utf-8")
    set_seed(cfg.training.seed)
    started = time.monotonic()

    corpus = build_corpus(cfg, gold=train_documents)
    if not corpus.train:
        raise ValueError("the configuration yields no training documents")
    from .pretrain import prepare_backbone  # a pretrain: section -> the OUTPUT/pretrained backbone

    cfg = prepare_backbone(cfg, output_dir, [d.text for d in corpus.train], progress=progress)
    segmenter = get_segmenter(cfg.segmenter)
    shaping = {"join_numbers": cfg.join_numbers, "line_breaks": cfg.line_breaks}
    inputs = {**shaping, "hints": cfg.hints}
    # Segment the training text once: for the scratch vocabulary and for the features.
    docs_iter = corpus.train
    if progress:
        from tqdm.auto import tqdm

        docs_iter = tqdm(corpus.train, desc="segmenting", unit="doc")
    train_words = [model_words(normalize(doc.text).text, segmenter, **shaping) for doc in docs_iter]
    if cfg.backbone.type == "scratch":
        if resume and (ckpt_dir / "tokenizer").exists():
            from transformers import AutoTokenizer

            tokenizer = AutoTokenizer.from_pretrained(str(ckpt_dir / "tokenizer"))
        else:
            forms = ([w.form for w in words] for words in train_words)
            tokenizer = build_scratch_tokenizer(cfg.backbone, forms, cfg.max_length)
    else:
        tokenizer = load_tokenizer(cfg.backbone, cfg.max_length)
    encoder = WordPieceEncoder(tokenizer)
    train_enc = encode_corpus(corpus.train, segmenter, encoder, max_length=cfg.max_length,
                              stride=cfg.stride, progress=progress, words=train_words, **inputs)
    dev_enc = encode_corpus(corpus.dev, segmenter, encoder, max_length=cfg.max_length,
                            stride=cfg.stride, progress=progress, **inputs) if corpus.dev else None
    if train_enc.unaligned:
        raise ValueError(f"{len(train_enc.unaligned)} gold spans could not be aligned to words, e.g. "
                         f"{train_enc.unaligned[:3]}")
    model = build_model(cfg.backbone, tokenizer, cfg.max_length,
                        type_vocab_size=hint_types(cfg.hints))
    id2label, _ = label_maps()
    spec = train_enc.transition_spec() if cfg.tag_transitions else None
    transitions = transition_matrix(spec, id2label)
    log_prior = cfg.prior_scale * tag_log_prior(spec, id2label) if cfg.prior_scale else None

    t = cfg.training
    has_dev = dev_enc is not None and bool(dev_enc.rows)
    weighted = bool(cfg.hints) and t.overrule_weight != 1.0  # per-token loss weights (training/weighting.py)
    args = TrainingArguments(
        output_dir=str(ckpt_dir),
        seed=t.seed,
        learning_rate=t.learning_rate,
        weight_decay=t.weight_decay,
        warmup_steps=t.warmup_ratio,  # a float below 1 is a fraction of the steps
        num_train_epochs=t.num_train_epochs,
        max_steps=t.max_steps,
        per_device_train_batch_size=t.per_device_train_batch_size,
        per_device_eval_batch_size=t.per_device_eval_batch_size,
        gradient_accumulation_steps=t.gradient_accumulation_steps,
        eval_strategy="steps" if has_dev else "no",
        eval_steps=t.eval_steps,
        save_strategy="steps",
        save_steps=t.eval_steps,
        save_total_limit=t.save_total_limit,
        load_best_model_at_end=has_dev,
        metric_for_best_model="entity_f1" if has_dev else None,
        greater_is_better=True,
        logging_steps=max(1, min(50, t.eval_steps)),
        report_to="none",
        bf16=_bf16_available(),
        dataloader_num_workers=t.dataloader_num_workers,
        # Not "group_by_length": Trainer applies it to evaluation too, and DevMetric needs
        # the eval windows in dataset order.
        train_sampling_strategy="random",
        # the rows' loss_weights are no model argument: the Trainer must not drop them
        remove_unused_columns=not weighted,
        disable_tqdm=not progress,
        **trainer_device(),
    )
    earlier = elapsed_before(resume_from) if resume_from else 0.0
    callbacks = [elapsed_callback(started, earlier), relative_checkpoints_callback()]
    if has_dev and t.early_stopping_patience:
        callbacks.append(EarlyStoppingCallback(early_stopping_patience=t.early_stopping_patience))
    if t.max_train_seconds:
        callbacks.append(time_budget_callback(t.max_train_seconds))
    collator = DataCollatorForTokenClassification(tokenizer, label_pad_token_id=-100)
    if weighted:
        from .weighting import WeightedCollator, weighted_trainer_class

        Trainer = weighted_trainer_class()  # noqa: N806 (the class the Trainer line below builds)
        collator = WeightedCollator(collator)
    trainer = Trainer(
        model=model,
        args=args,
        train_dataset=TrainingRows(_repeat_gold_rows(train_enc, corpus.gold_ids, cfg.data.gold_repeat,
                                                    cfg.data.overrule_repeat),
                                   t.hint_dropout if cfg.hints else 0.0, seed=t.seed,
                                   overrule_weight=t.overrule_weight if weighted else 1.0,
                                   span_dropout=t.hint_span_dropout if cfg.hints else 0.0),
        eval_dataset=Dataset.from_list(dev_enc.rows) if has_dev else None,
        data_collator=collator,
        compute_metrics=DevMetric(dev_enc, id2label, cfg.min_score, transitions, log_prior) if has_dev else None,
        callbacks=callbacks,
    )
    if cfg.backbone.type == "scratch" and trainer.is_world_process_zero():
        tokenizer.save_pretrained(str(ckpt_dir / "tokenizer"))
    if resume_from:
        absolute_best(resume_from)
    train_result = trainer.train(resume_from_checkpoint=str(resume_from) if resume_from else None)
    dev_metrics = trainer.evaluate() if has_dev else {}
    # the whole run: the seconds recorded in the checkpoint resumed from, plus this process's
    train_seconds = earlier + time.monotonic() - started

    if trainer.is_world_process_zero():
        trainer.save_model(str(output_dir))
        # The Trainer pickles its arguments beside the weights; a model directory holds no
        # pickles (loading one runs code), and training_config.yaml records the settings.
        (output_dir / "training_args.bin").unlink(missing_ok=True)
        tokenizer.save_pretrained(str(output_dir))
        write_model_directory(
            output_dir, cfg,
            corpus=corpus, train_enc=train_enc, dev_enc=dev_enc,
            dev_metrics={k.removeprefix("eval_"): v for k, v in dev_metrics.items()},
            train_metrics=dict(train_result.metrics),
            train_seconds=train_seconds, global_step=trainer.state.global_step,
            device=str(args.device), threads=torch.get_num_threads(), processes=args.world_size,
        )
        if not keep_checkpoints:
            shutil.rmtree(ckpt_dir, ignore_errors=True)
    return output_dir


def read_metrics(model_dir: str | Path) -> dict[str, Any]:
    return json.loads((Path(model_dir) / "metrics.json").read_text(encoding="utf-8"))
