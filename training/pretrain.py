"""Domain-adaptive pre-training: masked-language modelling of the backbone on unlabelled news.

``python -m training pretrain`` starts (compact scratch backbone) or continues (a pretrained
checkpoint such as PhoBERT, with its own tokenizer) masked-language pre-training on the
unlabelled in-domain articles (``../shared/corpus/unlabelled.jsonl`` by default), and writes a
self-contained backbone directory: ``RobertaForMaskedLM`` weights (``model.safetensors``),
``config.json``, the tokenizer files, ``pretrain.json`` (what it was trained on and how well)
and a short ``README.md``. Fine-tuning reads it as ``backbone.type: pretrained`` with
``backbone.name_or_path`` set to the directory, or by itself with a ``pretrain:`` section in the
config (:func:`prepare_backbone`: ``OUTPUT/pretrained``, reused when its recipe matches).

The model sees at pre-training exactly the words it sees at fine-tuning: the same
normalisation, segmenter, word shaping (``join_numbers``, ``line_breaks``), word-by-word
tokenization and windows (:func:`models.pipeline.encode_document`), and with rule hints the same
token types, so that their embeddings are learned too. A scratch backbone's vocabulary is built
from the pre-training articles plus the fine-tuning training text, with the config's tokenizer
settings (``fold_digits``), and fine-tuning then uses that tokenizer.

Every article of the shared gold (``corpus/train.json``, ``corpus/dev.json``:
:data:`annotations.shared.LABELLED`; and the config's own gold files) is left out, by doc_id
and by identical text, so that no labelled text is seen, not even unlabelled. 5% of the
remaining articles are held out to measure the masked language loss (fixed masks, so the
figures before and after training compare).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
import math
import os
import random
import shutil
import time
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Sequence

from .callbacks import time_budget_callback
from .config import REPO_ROOT, Config, load_config
from .distributed import trainer_device

log = logging.getLogger(__name__)

#: the unlabelled articles ``python -m training pretrain`` reads unless told otherwise
DEFAULT_UNLABELLED = "corpus/unlabelled.jsonl"
#: the card of a pretrained backbone directory
CARD = "pretrain.json"
#: where :func:`prepare_backbone` writes the backbone, inside the fine-tuning output directory
SUBDIR = "pretrained"


# ----------------------------------------------------------------------------- input text


def resolve_input(name: str | os.PathLike[str]) -> Path | None:
    """The file ``name``: an absolute path, else inside the shared folder
    (:func:`annotations.shared.shared_file`), else relative to the repository or the current
    directory; None when none of them exists."""
    from annotations.shared import shared_file

    path = Path(name)
    if path.is_absolute():
        return path if path.is_file() else None
    for candidate in (shared_file(path), REPO_ROOT / path, Path.cwd() / path):
        if candidate is not None and candidate.is_file():
            return candidate
    return None


def _text_key(text: str) -> str:
    return unicodedata.normalize("NFC", text).strip()


@dataclass
class Exclusions:
    """What must not be pre-trained on: doc_ids and texts of labelled documents."""

    ids: set[str] = field(default_factory=set)
    texts: set[str] = field(default_factory=set)
    #: the files read, and those named but absent
    files: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)

    def excludes(self, doc_id: str, text: str) -> bool:
        return doc_id in self.ids or _text_key(text) in self.texts


def load_exclusions(cfg: Config) -> Exclusions:
    """doc_ids and texts of the shared labelled articles (:data:`annotations.shared.LABELLED`,
    whatever the config says), of ``pretrain.exclude`` and of the config's gold
    (``data.gold``, ``data.shared_gold``): Label Studio exports (``data.doc_id``, ``data.text``)."""
    from annotations.labelstudio import load_tasks
    from annotations.shared import LABELLED

    from .corpus import _resolve

    out = Exclusions()
    names: list[tuple[str, list[Path]]] = []
    for name in dict.fromkeys([*LABELLED, *cfg.pretrain.exclude, *cfg.data.shared_gold]):
        path = resolve_input(name)
        names.append((name, [path] if path else []))
    for pattern in cfg.data.gold:
        names.append((pattern, _resolve(pattern)))
    for name, paths in names:
        if not paths:
            out.missing.append(name)
            continue
        for path in paths:
            for task in load_tasks(path):
                data = task.get("data", task) if isinstance(task, dict) else {}
                if data.get("doc_id") not in (None, ""):
                    out.ids.add(str(data["doc_id"]))
                if isinstance(data.get("text"), str):
                    out.texts.add(_text_key(data["text"]))
            out.files.append(str(path))
    return out


@dataclass
class PretrainText:
    path: Path
    read: int
    #: doc_ids of the articles left out because they are labelled
    excluded: list[str]
    train: list  # annotations.reader.Article
    held_out: list
    exclusions: Exclusions


def load_pretraining_text(cfg: Config, path: str | os.PathLike[str]) -> PretrainText:
    """The unlabelled articles of ``path`` (read with :mod:`annotations.reader`) less every
    labelled one, at most ``pretrain.limit`` of them, split by article into pre-training and
    held-out (``pretrain.held_out``) by ``pretrain.seed``."""
    from annotations.reader import iter_articles

    p = cfg.pretrain
    path = Path(path)
    exclusions = load_exclusions(cfg)
    kept, excluded, read = [], [], 0
    for article in iter_articles([path]):
        read += 1
        if exclusions.excludes(article.doc_id, article.text):
            excluded.append(article.doc_id)
        elif article.text.strip():
            kept.append(article)
    if p.limit is not None:
        kept = kept[:p.limit]
    order = list(range(len(kept)))
    random.Random(p.seed).shuffle(order)
    n_held = min(len(kept) - 1, max(1, round(p.held_out * len(kept)))) if p.held_out and len(kept) > 1 else 0
    held = set(order[:n_held])
    return PretrainText(path=path, read=read, excluded=excluded,
                        train=[a for i, a in enumerate(kept) if i not in held],
                        held_out=[a for i, a in enumerate(kept) if i in held], exclusions=exclusions)


# ----------------------------------------------------------------------------- windows


def _type_vocab_size(hints: str | None) -> int:
    from models import hints as h

    if hints is None:
        return 1
    return h.hint_types(hints) if hasattr(h, "hint_types") else h.HINT_TYPES


def segment_texts(cfg: Config, texts: Iterable[str], *, progress: bool = False, desc: str = "segmenting") -> list:
    """:func:`models.words.model_words` of each normalised text, as fine-tuning segments it."""
    from models.words import model_words
    from models.normalize import normalize
    from models.segment import get_segmenter

    segmenter = get_segmenter(cfg.segmenter)
    texts = list(texts)
    if progress:
        from tqdm.auto import tqdm

        texts = tqdm(texts, desc=desc, unit="doc")
    return [model_words(normalize(t).text, segmenter, join_numbers=cfg.join_numbers, line_breaks=cfg.line_breaks)
            for t in texts]


def encode_windows(cfg: Config, texts: Sequence[str], encoder, *, words: Sequence | None = None,
                   progress: bool = False, desc: str = "encoding") -> list[dict]:
    """Model windows of ``texts`` exactly as fine-tuning builds them
    (:func:`models.pipeline.encode_document`, rule hints as token types when the config reads
    them), with ``pretrain.stride`` tokens of overlap. Each row: ``input_ids``,
    ``word_ids`` (the word of each token, -1 for specials) and with hints ``token_type_ids``,
    as compact numpy arrays."""
    import numpy as np

    from models.pipeline import encode_document
    from models.segment import get_segmenter

    segmenter = get_segmenter(cfg.segmenter)
    items = list(range(len(texts)))
    if progress:
        from tqdm.auto import tqdm

        items = tqdm(items, desc=desc, unit="doc")
    rows = []
    for i in items:
        enc = encode_document(texts[i], segmenter, encoder, max_length=cfg.max_length, stride=cfg.pretrain.stride,
                              join_numbers=cfg.join_numbers, line_breaks=cfg.line_breaks,
                              words=None if words is None else words[i], hints=cfg.hints)
        for window in enc.windows:
            row = {"input_ids": np.asarray(window.input_ids, dtype=np.int32),
                   "word_ids": np.asarray([-1 if w is None else w for w in window.word_ids], dtype=np.int32)}
            if window.token_type_ids is not None:
                row["token_type_ids"] = np.asarray(window.token_type_ids, dtype=np.int16)
            rows.append(row)
    return rows


# ----------------------------------------------------------------------------- masking


def masking_collator(tokenizer, *, mlm_probability: float = 0.15, whole_words: bool = True, seed: int | None = None):
    """A :class:`transformers.DataCollatorForLanguageModeling` over the rows of
    :func:`encode_windows`: pads ``input_ids`` / ``token_type_ids`` itself and, with
    ``whole_words``, chooses whole project words (each with ``mlm_probability``; every piece of
    a chosen word is a target, at least one word per window) instead of single tokens. Targets
    are replaced 80% by ``<mask>``, 10% by a random token, 10% kept. Rows that already carry
    ``labels`` (pre-masked held-out windows) are only padded."""
    from transformers import DataCollatorForLanguageModeling

    @dataclass
    class WordMaskingCollator(DataCollatorForLanguageModeling):
        whole_words: bool = True

        def torch_call(self, examples):
            import torch

            if self.seed is not None and (not isinstance(self.generator, torch.Generator)
                                          or self._generator_pid != os.getpid()):
                self.create_rng("pt")
            b, n = len(examples), max(len(e["input_ids"]) for e in examples)
            input_ids = torch.full((b, n), self.tokenizer.pad_token_id, dtype=torch.long)
            attention = torch.zeros((b, n), dtype=torch.long)
            words = torch.full((b, n), -1, dtype=torch.long)
            has_types = "token_type_ids" in examples[0]
            types = torch.zeros((b, n), dtype=torch.long)
            premasked = "labels" in examples[0]
            labels = torch.full((b, n), -100, dtype=torch.long)
            for i, e in enumerate(examples):
                k = len(e["input_ids"])
                input_ids[i, :k] = torch.as_tensor(e["input_ids"], dtype=torch.long)
                attention[i, :k] = 1
                if "word_ids" in e:
                    words[i, :k] = torch.as_tensor(e["word_ids"], dtype=torch.long)
                if has_types:
                    types[i, :k] = torch.as_tensor(e["token_type_ids"], dtype=torch.long)
                if premasked:
                    labels[i, :k] = torch.as_tensor(e["labels"], dtype=torch.long)
            batch = {"input_ids": input_ids, "attention_mask": attention}
            if has_types:
                batch["token_type_ids"] = types
            if not premasked:
                if self.whole_words and "word_ids" in examples[0]:
                    input_ids, labels = self._mask_words(input_ids, words)
                else:  # single tokens, never the specials or padding
                    special = (words < 0) if "word_ids" in examples[0] else torch.as_tensor(
                        [self.tokenizer.get_special_tokens_mask(r, already_has_special_tokens=True)
                         for r in input_ids.tolist()], dtype=torch.bool)
                    input_ids, labels = self.torch_mask_tokens(input_ids, special_tokens_mask=special | (attention == 0))
                batch["input_ids"] = input_ids
            batch["labels"] = labels
            return batch

        def _mask_words(self, inputs, words):
            import torch

            valid = words >= 0
            # each window's words numbered from 0, one draw per word
            big = torch.iinfo(torch.long).max
            first = torch.where(valid, words, big).min(dim=1, keepdim=True).values
            local = torch.where(valid, words - torch.where(first == big, 0, first), 0)
            width = int(local.max()) + 1
            draw = torch.rand((inputs.shape[0], width), generator=self.generator) < self.mlm_probability
            chosen = torch.gather(draw, 1, local) & valid
            for i in torch.nonzero(valid.any(dim=1) & ~chosen.any(dim=1)).flatten().tolist():
                candidates = torch.nonzero(valid[i]).flatten()
                t = candidates[torch.randint(len(candidates), (1,), generator=self.generator)]
                chosen[i] = valid[i] & (words[i] == words[i, t])
            labels = torch.where(chosen, inputs, -100)
            replaced = (torch.rand(inputs.shape, generator=self.generator) < self.mask_replace_prob) & chosen
            inputs = inputs.clone()
            inputs[replaced] = self.tokenizer.mask_token_id
            rest = 1 - self.mask_replace_prob
            if rest > 0 and self.random_replace_prob > 0:
                scaled = self.random_replace_prob / rest
                randomised = (torch.rand(inputs.shape, generator=self.generator) < scaled) & chosen & ~replaced
                tokens = torch.randint(len(self.tokenizer), inputs.shape, generator=self.generator)
                inputs[randomised] = tokens[randomised]
            return inputs, labels

    return WordMaskingCollator(tokenizer=tokenizer, mlm_probability=mlm_probability, whole_words=whole_words,
                               seed=seed)


def premask(rows: list[dict], collator, batch_size: int = 64) -> list[dict]:
    """``rows`` with masks drawn once (the held-out set: the same targets at every evaluation)."""
    out = []
    for k in range(0, len(rows), batch_size):
        chunk = rows[k:k + batch_size]
        batch = collator(chunk)
        for i, row in enumerate(chunk):
            n = len(row["input_ids"])
            masked = {"input_ids": batch["input_ids"][i, :n].numpy().astype("int32"),
                      "labels": batch["labels"][i, :n].numpy().astype("int32")}
            if "token_type_ids" in row:
                masked["token_type_ids"] = row["token_type_ids"]
            out.append(masked)
    return out


def _sparse_mlm_class():
    """``RobertaForMaskedLM`` whose loss runs the output layer on the masked positions only (15%
    of the tokens: the vocabulary-wide layer is most of a compact model's cost); the weights
    and their names are RobertaForMaskedLM's, and it is saved as one (:func:`_plain_mlm`)."""
    import torch
    from transformers import RobertaForMaskedLM
    from transformers.modeling_outputs import MaskedLMOutput

    class SparseRobertaForMaskedLM(RobertaForMaskedLM):
        # an explicit signature: the Trainer then averages the loss itself
        def forward(self, input_ids=None, attention_mask=None, token_type_ids=None, labels=None):
            hidden = self.roberta(input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids)[0]
            if labels is None:
                return MaskedLMOutput(logits=self.lm_head(hidden))
            targets = labels != -100
            logits = self.lm_head(hidden[targets])
            loss = torch.nn.functional.cross_entropy(logits.float(), labels[targets])
            return MaskedLMOutput(loss=loss, logits=logits)

    return SparseRobertaForMaskedLM


def _plain_mlm(model):
    """The same weights as a plain ``RobertaForMaskedLM`` (what ``AutoModelForMaskedLM`` loads)."""
    from transformers import RobertaForMaskedLM

    if type(model) is RobertaForMaskedLM or not isinstance(model, RobertaForMaskedLM):
        return model
    plain = RobertaForMaskedLM(model.config)
    plain.load_state_dict(model.state_dict())
    return plain


class _Rows:
    def __init__(self, rows: list[dict]) -> None:
        self.rows = rows

    def __len__(self) -> int:
        return len(self.rows)

    def __getitem__(self, i: int) -> dict:
        return self.rows[i]


# ----------------------------------------------------------------------------- recipe


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _sha256_texts(texts: Iterable[str]) -> str:
    digest = hashlib.sha256()
    for t in texts:
        digest.update(t.encode("utf-8") + b"\0")
    return digest.hexdigest()


def recipe(cfg: Config, unlabelled: Path, vocab_texts: Sequence[str] = ()) -> dict[str, Any]:
    """Everything a pretrained backbone depends on; :func:`prepare_backbone` reuses a backbone
    directory only when its card holds the same recipe."""
    from models.hints import fingerprint

    p = dataclasses.asdict(cfg.pretrain)
    p.pop("unlabelled", None)  # the file's content counts, not its name
    scratch = cfg.backbone.type == "scratch"
    return {
        "backbone": dataclasses.asdict(cfg.backbone),
        "words": {"segmenter": cfg.segmenter, "join_numbers": cfg.join_numbers, "line_breaks": cfg.line_breaks,
                  "hints": cfg.hints, "hints_fingerprint": fingerprint() if cfg.hints else None,
                  "max_length": cfg.max_length},
        "pretrain": p,
        "unlabelled_sha256": _sha256_file(unlabelled),
        "gold": sorted(cfg.data.gold), "shared_gold": sorted(cfg.data.shared_gold),
        # the scratch vocabulary is also built from the fine-tuning training text
        "vocab_text_sha256": _sha256_texts(vocab_texts) if scratch else None,
    }


# ----------------------------------------------------------------------------- pre-training


def pretrain(config: str | Path | dict[str, Any] | Config | None, output_dir: str | Path, *,
             overrides: dict[str, Any] | None = None, vocab_texts: Sequence[str] | None = None,
             progress: bool = True) -> Path:
    """Masked-language pre-training of ``config``'s backbone on ``pretrain.unlabelled``
    (default ``corpus/unlabelled.jsonl`` in the shared folder); writes a backbone directory
    to ``output_dir`` and returns it.

    ``vocab_texts``: the fine-tuning training texts a scratch vocabulary is also built from
    (default: the training split of the config's corpus, :func:`training.corpus.build_corpus`).
    """
    import torch
    from transformers import AutoConfig, AutoModelForMaskedLM, Trainer, TrainingArguments, set_seed

    from models.encoding import WordPieceEncoder

    from .backbone import _grow_token_types, _local_or_hub, build_model, build_scratch_tokenizer, load_tokenizer

    cfg = load_config(config, overrides)
    p = cfg.pretrain
    output_dir = Path(output_dir)
    name = p.unlabelled or DEFAULT_UNLABELLED
    path = resolve_input(name)
    if path is None:
        raise FileNotFoundError(f"pre-training: no unlabelled articles at {name!r} (looked in the shared folder, "
                                f"see annotations.shared, the repository and the current directory)")
    set_seed(p.seed)
    started = time.monotonic()
    text = load_pretraining_text(cfg, path)
    if not text.train:
        raise ValueError(f"pre-training: no articles left in {path} after excluding {len(text.excluded)}")
    log.info("pre-training on %d articles of %s (%d read, %d excluded as labelled, %d held out)",
             len(text.train), path, text.read, len(text.excluded), len(text.held_out))
    if text.exclusions.missing:
        log.warning("pre-training: exclusion files absent, nothing excluded from them: %s",
                    ", ".join(text.exclusions.missing))

    scratch = cfg.backbone.type == "scratch"
    train_texts = [a.text for a in text.train]
    held_texts = [a.text for a in text.held_out]
    train_words = segment_texts(cfg, train_texts, progress=progress)
    n_vocab_docs = 0
    if scratch:
        if vocab_texts is None:
            from .corpus import build_corpus

            vocab_texts = [d.text for d in build_corpus(cfg).train]
        vocab_texts = list(vocab_texts)
        n_vocab_docs = len(vocab_texts)
        extra_words = segment_texts(cfg, vocab_texts, progress=progress, desc="segmenting (training text)")
        forms = ([w.form for w in words] for words in [*train_words, *extra_words])
        tokenizer = build_scratch_tokenizer(cfg.backbone, forms, cfg.max_length)
        model = _sparse_mlm_class()(build_model(cfg.backbone, tokenizer, cfg.max_length,
                                                type_vocab_size=_type_vocab_size(cfg.hints)).config)
        source = "scratch"
    else:
        tokenizer = load_tokenizer(cfg.backbone, cfg.max_length)
        source = _local_or_hub(cfg.backbone.name_or_path or "")
        try:
            config = AutoConfig.from_pretrained(source)
            loader = _sparse_mlm_class() if config.model_type == "roberta" else AutoModelForMaskedLM
            model = loader.from_pretrained(source)
        except OSError as exc:
            raise OSError(f"cannot load the backbone {source!r} for pre-training: {exc}") from exc
        needed = _type_vocab_size(cfg.hints)
        if needed > model.config.type_vocab_size:
            _grow_token_types(model, needed)
    encoder = WordPieceEncoder(tokenizer)
    train_rows = encode_windows(cfg, train_texts, encoder, words=train_words, progress=progress)
    del train_words
    collator = masking_collator(tokenizer, mlm_probability=p.mlm_probability, whole_words=p.whole_word_mask,
                                seed=p.seed)
    held_rows = premask(encode_windows(cfg, held_texts, encoder, progress=progress, desc="encoding (held out)"),
                        masking_collator(tokenizer, mlm_probability=p.mlm_probability,
                                         whole_words=p.whole_word_mask, seed=p.seed + 1)) if held_texts else []
    prepare_seconds = time.monotonic() - started

    lr = p.learning_rate if p.learning_rate is not None else (1e-3 if scratch else 5e-5)
    work = output_dir / "_trainer"
    has_eval = bool(held_rows)
    args = TrainingArguments(
        output_dir=str(work),
        seed=p.seed,
        learning_rate=lr,
        weight_decay=p.weight_decay,
        warmup_steps=p.warmup_ratio,  # a float below 1 is a fraction of the steps
        max_steps=p.max_steps,
        per_device_train_batch_size=p.batch_size,
        per_device_eval_batch_size=max(p.batch_size, 32),
        eval_strategy="steps" if has_eval and p.eval_steps else "no",
        eval_steps=p.eval_steps or None,
        save_strategy="no",
        remove_unused_columns=False,  # the collator reads word_ids
        prediction_loss_only=True,
        logging_steps=max(1, min(50, p.max_steps // 10 or 1)),
        report_to="none",
        bf16=bool(torch.cuda.is_available() and torch.cuda.is_bf16_supported()),
        dataloader_num_workers=0,
        disable_tqdm=not progress,
        **trainer_device(),
    )
    trainer = Trainer(model=model, args=args, train_dataset=_Rows(train_rows),
                      eval_dataset=_Rows(held_rows) if has_eval else None, data_collator=collator,
                      callbacks=[time_budget_callback(p.max_seconds, "pre-training")] if p.max_seconds else [])
    before = trainer.evaluate()["eval_loss"] if has_eval else None
    train_started = time.monotonic()
    result = trainer.train()
    train_seconds = time.monotonic() - train_started
    after = trainer.evaluate()["eval_loss"] if has_eval else None
    losses = [h["loss"] for h in trainer.state.log_history if "loss" in h]

    if trainer.is_world_process_zero():
        output_dir.mkdir(parents=True, exist_ok=True)
        _plain_mlm(trainer.model).save_pretrained(str(output_dir))
        tokenizer.save_pretrained(str(output_dir))
        n_tokens = sum(len(r["input_ids"]) for r in train_rows)
        card = {
            "kind": "vicluster masked-language backbone",
            "created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "config": cfg.name,
            "started_from": source,
            "unlabelled": str(path),
            "articles": {"read": text.read, "excluded": len(text.excluded), "pretraining": len(text.train),
                         "held_out": len(text.held_out),
                         "chars_pretraining": sum(len(t) for t in train_texts)},
            "excluded_ids": len(text.excluded),
            "exclusion_files": text.exclusions.files,
            "exclusion_files_absent": text.exclusions.missing,
            "vocabulary": ({"size": len(tokenizer), "built_from": "pretraining articles + fine-tuning training text",
                            "training_documents": n_vocab_docs, "fold_digits": cfg.backbone.fold_digits}
                           if scratch else {"size": len(tokenizer), "built_from": source}),
            "windows": {"pretraining": len(train_rows), "held_out": len(held_rows), "tokens": n_tokens,
                        "max_length": cfg.max_length, "stride": p.stride},
            "masking": {"mlm_probability": p.mlm_probability, "whole_words": p.whole_word_mask},
            "type_vocab_size": model.config.type_vocab_size,
            "steps": trainer.state.global_step,
            "epochs": round(trainer.state.global_step * p.batch_size / max(1, len(train_rows)), 2),
            "learning_rate": lr,
            "batch_size": p.batch_size,
            "seconds": round(train_seconds, 1),
            "prepare_seconds": round(prepare_seconds, 1),
            "train_loss": round(float(result.metrics.get("train_loss", float("nan"))), 4),
            "last_logged_loss": losses[-1] if losses else None,
            "held_out": ({"loss_before": round(before, 4), "loss": round(after, 4),
                          "perplexity": round(math.exp(min(after, 50)), 2)} if has_eval else None),
            "device": str(args.device),
            "threads": torch.get_num_threads(),
            "recipe": recipe(cfg, path, vocab_texts or ()),
        }
        (output_dir / CARD).write_text(json.dumps(card, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        (output_dir / "README.md").write_text(_readme(card), encoding="utf-8")
        shutil.rmtree(work, ignore_errors=True)
    return output_dir


def _readme(card: dict) -> str:
    a, held = card["articles"], card["held_out"] or {}
    lines = [
        "# vicluster pretrained backbone", "",
        f"Masked-language pre-training (started from {card['started_from']}) on {a['pretraining']} unlabelled "
        f"news articles of `{card['unlabelled']}` ({a['read']} read, {a['excluded']} labelled ones excluded, "
        f"{a['held_out']} held out).", "",
        f"- steps: {card['steps']} ({card['epochs']} epochs of {card['windows']['pretraining']} windows), "
        f"{card['seconds']} s on {card['device']} ({card['threads']} threads)",
        f"- held-out masked-language loss: {held.get('loss_before')} before, {held.get('loss')} after "
        f"(perplexity {held.get('perplexity')})",
        f"- words: {json.dumps(card['recipe']['words'], ensure_ascii=False)}",
        "", "Fine-tune with `--set backbone.type=pretrained --set backbone.name_or_path=THIS_DIRECTORY`.", "",
    ]
    return "\n".join(lines)


# ----------------------------------------------------------------------------- fine-tuning hook


def read_card(directory: str | Path) -> dict | None:
    path = Path(directory) / CARD
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else None


def check_backbone(cfg: Config) -> None:
    """For a backbone directory written here: the fine-tuning config must read the words it
    was pre-trained on (warned otherwise) and fit its positions (an error otherwise)."""
    if cfg.backbone.type != "pretrained" or not cfg.backbone.name_or_path:
        return
    from .backbone import _local_or_hub

    card = read_card(_local_or_hub(cfg.backbone.name_or_path))
    if card is None:
        return
    words = card["recipe"]["words"]
    if cfg.max_length > words["max_length"]:
        raise ValueError(f"max_length {cfg.max_length} exceeds the {words['max_length']} the backbone "
                         f"{cfg.backbone.name_or_path} was pre-trained with")
    mine = {"segmenter": cfg.segmenter, "join_numbers": cfg.join_numbers, "line_breaks": cfg.line_breaks,
            "hints": cfg.hints}
    differ = {k: (words[k], v) for k, v in mine.items() if words.get(k) != v}
    if differ:
        log.warning("the backbone %s was pre-trained on other words than this config reads: %s",
                    cfg.backbone.name_or_path,
                    ", ".join(f"{k} {a!r} there, {b!r} here" for k, (a, b) in differ.items()))


def prepare_backbone(cfg: Config, output_dir: str | Path, train_texts: Sequence[str], *,
                     progress: bool = True) -> Config:
    """The config fine-tuning should use. With ``pretrain.unlabelled`` set and the file present,
    pre-train into ``OUTPUT/pretrained`` (or reuse the one there when its recipe matches) and
    return ``cfg`` with that directory as its pretrained backbone (``pretrain.unlabelled``
    cleared: the saved training config then says what fine-tuning read); when the file is
    absent, ``cfg`` unchanged (the configured backbone, from scratch by default)."""
    if cfg.pretrain.unlabelled:
        path = resolve_input(cfg.pretrain.unlabelled)
        if path is None:
            log.info("pre-training: %s is absent; fine-tuning the configured backbone as it is",
                     cfg.pretrain.unlabelled)
        else:
            target = Path(output_dir) / SUBDIR
            card = read_card(target)
            wanted = recipe(cfg, path, train_texts)
            if card is not None and card.get("recipe") == wanted and (target / "config.json").is_file():
                log.info("pre-training: reusing %s (same recipe)", target)
            else:
                pretrain(cfg, target, vocab_texts=train_texts, progress=progress)
            backbone = dataclasses.replace(cfg.backbone, type="pretrained", name_or_path=str(target.resolve()),
                                           tokenizer=None)
            cfg = dataclasses.replace(cfg, backbone=backbone,
                                      pretrain=dataclasses.replace(cfg.pretrain, unlabelled=None))
    check_backbone(cfg)
    return cfg
