"""Declarative training configuration (YAML in ``configs/``)."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

REPO_ROOT = Path(__file__).resolve().parent.parent


def _config_dir() -> Path:
    """``configs/`` of the checkout, or the copy an installed wheel puts under
    ``<prefix>/share/vicluster/configs``."""
    import sys

    checkout = REPO_ROOT / "configs"
    installed = Path(sys.prefix) / "share" / "vicluster" / "configs"
    return checkout if checkout.is_dir() or not installed.is_dir() else installed


CONFIG_DIR = _config_dir()


@dataclass
class BackboneConfig:
    #: "scratch": a compact RoBERTa initialised here with a tokenizer built from the data;
    #: "pretrained": a checkpoint by hub name or local directory (PhoBERT).
    type: str = "scratch"
    name_or_path: str | None = None
    #: directory with the tokenizer files when they are not beside the weights
    tokenizer: str | None = None
    vocab_size: int = 8000
    #: scratch tokenizer reads every digit as 0 (numbers by shape, not value)
    fold_digits: bool = False
    hidden_size: int = 256
    num_hidden_layers: int = 4
    num_attention_heads: int = 4
    intermediate_size: int = 1024
    hidden_dropout_prob: float = 0.1
    attention_probs_dropout_prob: float = 0.1


@dataclass
class DataConfig:
    #: Label Studio exports of gold documents (paths relative to the repository root)
    gold: list[str] = field(default_factory=lambda: ["annotations/gold/seeds.json"])
    #: hand-written markup files (glob patterns allowed)
    written: list[str] = field(default_factory=lambda: ["training/data/written/*.txt"])
    #: number of generated documents (0: none) and the generator's seed
    synthetic_docs: int = 0
    synthetic_seed: int = 0
    #: Label Studio exports of real gold in the shared folder (paths relative to it, see
    #: annotations.shared), used when present: their documents join the gold
    shared_gold: list[str] = field(default_factory=list)
    #: share of the shared gold's training part that is used (the learning curve), chosen by seed
    shared_gold_fraction: float = 1.0
    #: each gold document's training windows are shown this many times per epoch (real news
    #: among many generated documents)
    gold_repeat: int = 1
    #: a training window in which the rules' hint of some word differs from its label (what the
    #: network must learn to overrule) is shown this many times as often (1: no extra weight)
    overrule_repeat: int = 1
    #: fraction held out as the dev split (early stopping, checkpoint selection): of the
    #: shared gold when it is present, else of the real (gold + written) documents
    dev_fraction: float = 0.15
    #: optional unlabelled articles (JSON lines with "text"), weakly labelled; off by default
    unlabelled: str | None = None
    unlabelled_limit: int | None = None


    def __post_init__(self) -> None:
        f = self.shared_gold_fraction
        if isinstance(f, bool) or not isinstance(f, (int, float)) or not 0 <= f <= 1:
            raise ValueError(f"shared_gold_fraction must be a number in [0, 1], got {f!r}")
        self.shared_gold_fraction = float(f)
        r = self.gold_repeat
        if isinstance(r, bool) or not isinstance(r, int) or r < 1:
            raise ValueError(f"gold_repeat must be an integer >= 1, got {r!r}")
        r = self.overrule_repeat
        if isinstance(r, bool) or not isinstance(r, int) or r < 1:
            raise ValueError(f"overrule_repeat must be an integer >= 1, got {r!r}")


@dataclass
class TrainingConfig:
    seed: int = 13
    learning_rate: float = 5e-4
    weight_decay: float = 0.01
    warmup_ratio: float = 0.06
    num_train_epochs: float = 3.0
    max_steps: int = -1
    per_device_train_batch_size: int = 16
    per_device_eval_batch_size: int = 32
    gradient_accumulation_steps: int = 1
    eval_steps: int = 200
    early_stopping_patience: int = 3
    #: stop after this many seconds of training (None: no limit); the best checkpoint is kept
    max_train_seconds: float | None = None
    dataloader_num_workers: int = 0
    save_total_limit: int = 2
    #: with hints, the fraction of training windows shown without them (all type ids O), so
    #: that the model also learns to tag on its own
    hint_dropout: float = 0.0
    #: with hints, the loss weight of a word whose gold tag differs from its hint (where the
    #: model must overrule the rules); every other word weighs 1, and so do all words of a
    #: window shown without hints
    overrule_weight: float = 1.0
    #: with hints, the chance that one hinted span of a window read loses its hints (all O),
    #: each time anew, the rest of the window keeping theirs
    hint_span_dropout: float = 0.0

    def __post_init__(self) -> None:
        p = self.hint_dropout
        if isinstance(p, bool) or not isinstance(p, (int, float)) or not 0 <= p < 1:
            raise ValueError(f"hint_dropout must be a number in [0, 1), got {p!r}")
        self.hint_dropout = float(p)
        q = self.hint_span_dropout
        if isinstance(q, bool) or not isinstance(q, (int, float)) or not 0 <= q < 1:
            raise ValueError(f"hint_span_dropout must be a number in [0, 1), got {q!r}")
        self.hint_span_dropout = float(q)
        w = self.overrule_weight
        if isinstance(w, bool) or not isinstance(w, (int, float)) or not 0 < w <= 1000:
            raise ValueError(f"overrule_weight must be a number in (0, 1000], got {w!r}")
        self.overrule_weight = float(w)


@dataclass
class PretrainConfig:
    """Masked-language pre-training of the backbone on unlabelled news (training/pretrain.py)."""

    #: JSON lines of unlabelled articles (in the shared folder, see annotations.shared, or a
    #: path). Set in a config, ``python -m training`` first pre-trains into OUTPUT/pretrained
    #: (or reuses a matching one) when the file is present and fine-tunes from it; null: off.
    #: ``python -m training pretrain`` reads corpus/unlabelled.jsonl when this is null.
    unlabelled: str | None = None
    #: further Label Studio exports whose articles (doc_id or identical text) are never
    #: pre-trained on; the shared labelled articles (annotations.shared.LABELLED: train.json,
    #: dev.json) and the config's data.gold and data.shared_gold always are left out
    exclude: list[str] = field(default_factory=list)
    #: at most this many articles (after exclusion; None: all)
    limit: int | None = None
    #: fraction of the articles held out to measure the masked-language loss
    held_out: float = 0.05
    max_steps: int = 2000
    #: stop after this many seconds of training (None: no limit)
    max_seconds: float | None = None
    #: None: 1e-3 for a scratch backbone, 5e-5 to continue a pretrained one
    learning_rate: float | None = None
    weight_decay: float = 0.01
    warmup_ratio: float = 0.06
    batch_size: int = 16
    mlm_probability: float = 0.15
    #: mask whole words (the segmenter's words, all their subwords) rather than single tokens
    whole_word_mask: bool = True
    #: tokens of overlap between consecutive pre-training windows
    stride: int = 0
    #: held-out loss every this many steps (0: only before and after)
    eval_steps: int = 500
    seed: int = 13

    def __post_init__(self) -> None:
        for name in ("held_out", "mlm_probability"):
            v = getattr(self, name)
            if isinstance(v, bool) or not isinstance(v, (int, float)) or not 0 <= v < 1:
                raise ValueError(f"{name} must be a number in [0, 1), got {v!r}")
        for name in ("max_steps", "batch_size"):
            v = getattr(self, name)
            if isinstance(v, bool) or not isinstance(v, int) or v < 1:
                raise ValueError(f"{name} must be an integer >= 1, got {v!r}")


@dataclass
class Config:
    name: str = "default"
    description: str = ""
    #: word segmenter ("syllable", "pyvi", "underthesea", ...; see models.segment)
    segmenter: str = "syllable"
    #: keep numbers whole and apart from their units (``1.156,77`` ``ha``; models.segment.join_numbers)
    join_numbers: bool = False
    #: give the model a pseudo-word at each line break (models.segment.mark_line_breaks)
    line_breaks: bool = False
    #: decode with tag-bigram probabilities counted on the training split (saved with the model)
    tag_transitions: bool = True
    #: with tag_transitions, decode posteriors divided by ``P(tag) ** prior_scale`` (0: off)
    prior_scale: float = 0.0
    #: inference drops spans whose score (mean tag probability) is below this
    min_score: float = 0.0
    #: per-word hints the model reads as token type ids: "rules" (models.hints) or null
    hints: str | None = None
    #: sequence length including special tokens; longer texts are windowed
    max_length: int = 256
    #: tokens of overlap between consecutive windows
    stride: int = 64
    backbone: BackboneConfig = field(default_factory=BackboneConfig)
    data: DataConfig = field(default_factory=DataConfig)
    training: TrainingConfig = field(default_factory=TrainingConfig)
    pretrain: PretrainConfig = field(default_factory=PretrainConfig)

    def __post_init__(self) -> None:
        score = self.min_score
        if isinstance(score, bool) or not isinstance(score, (int, float)) or not 0 <= score <= 1:
            raise ValueError(f"min_score must be a number in [0, 1], got {score!r}")
        self.min_score = float(score)
        from models.decoding import check_prior_scale

        self.prior_scale = check_prior_scale(self.prior_scale, bool(self.tag_transitions))
        from models.hints import check_hints

        check_hints(self.hints)

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    def to_yaml(self) -> str:
        return yaml.safe_dump(self.to_dict(), sort_keys=False, allow_unicode=True)


def _positive(v) -> bool:
    return v > 0


def _at_least_one(v) -> bool:
    return v >= 1


def _non_negative(v) -> bool:
    return v >= 0


def _fraction(v) -> bool:
    return 0 <= v <= 1


#: value ranges of numeric fields, by name (the same name means the same kind of value everywhere)
_RANGES: dict[str, tuple[Any, str]] = {
    **{name: (_at_least_one, ">= 1") for name in (
        "per_device_train_batch_size", "per_device_eval_batch_size", "gradient_accumulation_steps", "eval_steps",
        "vocab_size", "hidden_size", "num_hidden_layers", "num_attention_heads", "intermediate_size", "max_length",
        "batch_size", "unlabelled_limit", "limit")},
    **{name: (_non_negative, ">= 0") for name in (
        "seed", "early_stopping_patience", "dataloader_num_workers", "save_total_limit", "stride", "weight_decay",
        "prior_scale")},
    **{name: (_fraction, "in [0, 1]") for name in (
        "dev_fraction", "warmup_ratio", "hidden_dropout_prob", "attention_probs_dropout_prob", "held_out",
        "mlm_probability")},
    **{name: (_positive, "> 0") for name in ("learning_rate", "num_train_epochs", "max_train_seconds", "max_seconds")},
    "max_steps": (lambda v: v == -1 or v >= 1, "-1 (no limit) or >= 1"),
    # where one name means another range in one section: pre-training's held-out loss every
    # eval_steps, 0 meaning only before and after
    "PretrainConfig.eval_steps": (_non_negative, ">= 0"),
}


def _check_value(name: str, value: Any, hint: Any, section: str = "") -> Any:
    """``value`` as field ``name`` of type ``hint`` needs it (an int where a float is asked
    becomes a float), or ValueError naming the field, the type and the value."""
    import types
    import typing

    args = typing.get_args(hint)
    if value is None:
        if type(None) in args:
            return None
        raise ValueError(f"{name} must not be null")
    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        hint = next(a for a in args if a is not type(None))
    if hint is bool:
        ok = isinstance(value, bool)
    elif hint is int:
        ok = isinstance(value, int) and not isinstance(value, bool)
    elif hint is float:
        ok = isinstance(value, (int, float)) and not isinstance(value, bool)
        value = float(value) if ok else value
    elif hint is str:
        ok = isinstance(value, str)
    elif typing.get_origin(hint) is list:
        ok = isinstance(value, list) and all(isinstance(v, str) for v in value)
    else:
        return value
    if not ok:
        kind = {bool: "true or false", int: "an integer", float: "a number", str: "a string"}.get(hint, "a list of strings")
        raise ValueError(f"{name} must be {kind}, got {value!r}")
    check = _RANGES.get(f"{section}.{name}", _RANGES.get(name))
    if check and not isinstance(value, (bool, str, list)) and not check[0](value):
        raise ValueError(f"{name} must be {check[1]}, got {value!r}")
    return value


def _build(cls: type, values: dict[str, Any], where: str) -> Any:
    if not isinstance(values, dict):
        raise ValueError(f"{where}: expected a mapping, got {type(values).__name__}")
    known = {f.name: f for f in dataclasses.fields(cls)}
    unknown = sorted(set(values) - set(known))
    if unknown:
        raise ValueError(f"{where}: unknown key(s) {', '.join(unknown)}; known: {', '.join(known)}")
    kwargs = {}
    nested = {"backbone": BackboneConfig, "data": DataConfig, "training": TrainingConfig,
              "pretrain": PretrainConfig}
    for key, value in values.items():
        if cls is Config and key in nested:
            kwargs[key] = _build(nested[key], value or {}, f"{where}.{key}")
        else:
            try:
                kwargs[key] = _check_value(key, value, _type_hints(cls)[key], cls.__name__)
            except ValueError as exc:
                raise ValueError(f"{where}: {exc}") from None
    try:
        return cls(**kwargs)
    except ValueError as exc:
        raise ValueError(f"{where}: {exc}") from None


def _type_hints(cls: type) -> dict[str, Any]:
    import typing

    return typing.get_type_hints(cls)


def resolve_config_path(ref: str | Path) -> Path:
    """A config given as a path, or as a name in ``configs/`` (``phobert-base``)."""
    path = Path(ref)
    if path.exists():
        return path
    candidate = CONFIG_DIR / f"{ref}.yaml"
    if candidate.exists():
        return candidate
    raise FileNotFoundError(f"no config {str(ref)!r} (not a file, and no {candidate})")


def load_config(ref: str | Path | dict[str, Any] | Config | None = None,
                overrides: dict[str, Any] | None = None) -> Config:
    """Load a config from a YAML path, a name in ``configs/``, a dict, or return a copy.

    ``overrides`` maps dotted keys (``training.max_steps``) to values.
    """
    if ref is None:
        ref = "default"
    if isinstance(ref, Config):
        values = ref.to_dict()
        where = ref.name
    elif isinstance(ref, dict):
        values, where = dict(ref), "config"
    else:
        path = resolve_config_path(ref)
        values = _read_yaml(path)
        where = str(path)
    for dotted, value in (overrides or {}).items():
        node = values
        *parents, leaf = dotted.split(".")
        for part in parents:
            node = node.setdefault(part, {})
        node[leaf] = value
    return _build(Config, values, where)


def _read_yaml(path: Path) -> dict:
    """The mapping a config file holds; a file that is not YAML, or not a mapping, is a
    ``ValueError`` in one line naming the file and the place."""
    try:
        values = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or type(exc).__name__
        raise ValueError(f"{path}: not valid YAML{where}: {problem}") from None
    except UnicodeDecodeError as exc:
        raise ValueError(f"{path}: not UTF-8 text (byte {exc.start})") from None
    if not isinstance(values, dict):
        raise ValueError(f"{path}: a config is a mapping of sections, not a {type(values).__name__}")
    return values


def parse_override(text: str) -> tuple[str, Any]:
    """``key.sub=value`` with the value parsed as YAML (numbers, booleans, null, lists)."""
    if "=" not in text:
        raise ValueError(f"override {text!r} is not KEY=VALUE")
    key, raw = text.split("=", 1)
    return key.strip(), yaml.safe_load(raw)
