"""The tagger: a token-classification model directory -> character spans of raw text
(the stages, in order: :mod:`models.pipeline`)."""

from __future__ import annotations

import json
import logging
import os
from collections import OrderedDict
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Iterable, Iterator, Sequence

from annotations.document import Span

log = logging.getLogger(__name__)

#: file in a model directory with what the tagger needs besides weights and tokenizer
TAGGER_CONFIG = "vicluster.json"


@dataclass
class TaggerSettings:
    segmenter: str = "syllable"
    join_numbers: bool = False
    line_breaks: bool = False
    #: per-word hints read as token type ids (:mod:`models.hints`; None: none)
    hints: str | None = None
    #: :func:`models.hints.fingerprint` of the rules the model was trained with
    hints_fingerprint: str | None = None
    #: :func:`models.hints.rules_version` of the rules and lexicon the model was trained with
    rules_version: dict | None = None
    #: spans whose score (mean tag probability) is below this are dropped
    min_score: float = 0.0
    #: tag-bigram counts of the training data, ``{"tags": [...], "counts": [[...]]}``;
    #: decoding adds their log-probabilities to the model's (None: constraints only)
    tag_transitions: dict | None = None
    #: with tag_transitions, divide the model's posteriors by ``P(tag) ** prior_scale``
    #: before Viterbi (:func:`models.decoding.decode_tags`); 0: off
    prior_scale: float = 0.0
    max_length: int = 256
    stride: int = 64
    model_version: str | None = None

    @classmethod
    def load(cls, directory: Path) -> "TaggerSettings":
        path = directory / TAGGER_CONFIG
        if not path.exists():
            return cls()
        values = json.loads(path.read_text(encoding="utf-8"))
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in values.items() if k in known})


def _looks_local(name: str) -> bool:
    """A name that can only mean a path: absolute, ``./``, ``../``, ``~``, or more than one ``/``
    (hub names are ``owner/name``)."""
    return name.startswith((".", "/", "~", "\\")) or name.count("/") > 1 or os.sep != "/" and os.sep in name


def pick_device(device: str | None = None):
    import torch

    if device:
        return torch.device(device)
    return torch.device("cuda" if torch.cuda.is_available() else "cpu")


class Tagger:
    """Extract CLUSTER, LOCATION, AREA and PERCENT spans from Vietnamese text.

    >>> tagger = Tagger.from_pretrained("runs/default")      # doctest: +SKIP
    >>> tagger.extract("KCN Tân Tạo rộng 16ha")                # doctest: +SKIP
    [Span(start=0, end=11, label='CLUSTER', ...), Span(start=17, end=21, label='AREA', ...)]
    """

    def __init__(self, model, tokenizer, settings: TaggerSettings, device=None, dtype: str = "auto") -> None:
        from .decoding import check_prior_scale, tag_log_prior, transition_matrix
        from .encoding import WordPieceEncoder
        from .precision import limit_threads, resolve_dtype
        from .segment import get_segmenter

        self.model = model.eval()
        self.tokenizer = tokenizer
        self.settings = settings
        self.device = pick_device(device) if not hasattr(device, "type") else device
        self.model.to(self.device)
        #: the dtype the model computes in (:mod:`models.precision`; the weights stay fp32)
        self.dtype = resolve_dtype(dtype, self.device)
        if self.device.type == "cpu":
            limit_threads()
        self.segmenter = get_segmenter(settings.segmenter)
        self.encoder = WordPieceEncoder(tokenizer)
        self.id2label = {int(k): v for k, v in model.config.id2label.items()}
        self.transitions = transition_matrix(settings.tag_transitions, self.id2label)
        scale = check_prior_scale(settings.prior_scale, settings.tag_transitions is not None)
        self.log_prior = scale * tag_log_prior(settings.tag_transitions, self.id2label) if scale else None
        limit = getattr(model.config, "max_position_embeddings", None)
        if limit is not None and getattr(model.config, "model_type", "") in ("roberta", "xlm-roberta", "camembert"):
            limit -= 2  # RoBERTa positions start after the padding index
        if limit is not None and settings.max_length > limit:
            raise ValueError(f"max_length {settings.max_length} exceeds the model's {limit} positions")
        if settings.hints is not None:
            from .hints import fingerprint, hint_types, version_differences

            needed = hint_types(settings.hints)
            types = getattr(model.config, "type_vocab_size", 1)
            if types < needed:
                raise ValueError(f"hints {settings.hints!r} need {needed} token types; the model has {types}")
            changed = version_differences(settings.rules_version)
            if not changed and settings.rules_version is None and settings.hints_fingerprint not in (None, fingerprint()):
                changed = [f"fingerprint {settings.hints_fingerprint} -> {fingerprint()}"]
            if changed:
                log.warning("this model was trained with other rules (%s): its rule hints may differ from "
                            "those it learned from", "; ".join(changed))

    @property
    def model_version(self) -> str:
        return self.settings.model_version or getattr(self.model.config, "_name_or_path", "") or "unknown"

    @classmethod
    def from_pretrained(cls, name_or_path: str | os.PathLike[str], *, device: str | None = None,
                        dtype: str = "auto", **overrides) -> "Tagger":
        """Load a model directory written by ``python -m training`` (or a hub name, where
        the hub can be reached). ``overrides`` replace settings (``segmenter``, ``stride``...).
        ``dtype``: ``"auto"``, ``"float32"`` or ``"bfloat16"`` (see :mod:`models.precision`)."""
        from transformers import AutoModelForTokenClassification, AutoTokenizer

        path = Path(name_or_path)
        local = path.exists() or _looks_local(str(name_or_path))
        if local and not path.is_dir():
            raise FileNotFoundError(f"model directory {path} does not exist" if not path.exists()
                                    else f"{path} is a file, not a model directory")
        if local and not (path / "config.json").exists():
            raise FileNotFoundError(f"{path} is not a model directory (no config.json); "
                                    f"train one with `vicluster train --output {path}`")
        settings = TaggerSettings.load(path) if local else TaggerSettings()
        for key, value in overrides.items():
            if not hasattr(settings, key):
                raise TypeError(f"unknown tagger setting {key!r}")
            setattr(settings, key, value)
        try:
            model = AutoModelForTokenClassification.from_pretrained(str(name_or_path))
        except Exception as exc:  # transformers raises OSError, ValueError, safetensors' own errors...
            where = f"{path}: cannot read the model" if local else \
                f"{name_or_path}: not a local directory, and the hub cannot give it"
            raise ValueError(f"{where} ({type(exc).__name__}: {str(exc).splitlines()[0][:300]})") from exc
        try:
            tokenizer = AutoTokenizer.from_pretrained(str(name_or_path))
        except Exception as exc:
            raise ValueError(f"{name_or_path}: cannot read the tokenizer files "
                             f"({type(exc).__name__}: {str(exc).splitlines()[0][:300]})") from exc
        vocab = getattr(model.config, "vocab_size", None)
        if vocab and not vocab // 2 <= len(tokenizer) <= vocab:
            raise ValueError(f"{name_or_path}: the tokenizer has {len(tokenizer)} tokens for a model of {vocab}: "
                             "its tokenizer files are missing or belong to another model")
        if local and not (path / TAGGER_CONFIG).exists() and getattr(model.config, "type_vocab_size", 1) > 1:
            raise FileNotFoundError(
                f"{path / TAGGER_CONFIG} is missing: the model reads {model.config.type_vocab_size} token types "
                "(rule hints) and its segmentation and hint settings live in that file; without it the output "
                "would silently change. Copy it back from the training run, or retrain.")
        labels = set(model.config.id2label.values())
        if not any(label.startswith("B-") for label in labels):
            raise ValueError(f"{name_or_path} has no BIO labels in its config (id2label={model.config.id2label}); "
                             "it is a backbone, not a trained tagger")
        return cls(model, tokenizer, settings, device=device, dtype=dtype)

    def encode(self, text: str):
        """``text`` -> normalised text -> words -> hints -> windows (:func:`models.pipeline.encode_document`)."""
        from .pipeline import encode_document

        return encode_document(text, self.segmenter, self.encoder,
                               max_length=self.settings.max_length, stride=self.settings.stride,
                               join_numbers=self.settings.join_numbers, line_breaks=self.settings.line_breaks,
                               hints=self.settings.hints)

    def _token_budget(self, batch_size: int, max_tokens: int | None) -> int:
        if max_tokens is None:
            if isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size < 1:
                raise ValueError(f"batch_size must be an integer >= 1, got {batch_size!r}")
            return batch_size * self.settings.max_length
        if isinstance(max_tokens, bool) or not isinstance(max_tokens, int) or max_tokens < 1:
            raise ValueError(f"max_tokens must be an integer >= 1, got {max_tokens!r}")
        return max_tokens

    def window_logits(self, windows: Sequence, batch_size: int = 64, progress: bool = False,
                      max_tokens: int | None = None):
        """Logits ``[len(input_ids), labels]`` (float32 numpy) for each window. Windows are sorted
        by length and packed into batches of at most ``max_tokens`` tokens counted with padding
        (default ``batch_size * max_length``: ``batch_size`` full windows, more short ones), each
        padded only to its longest window."""
        import numpy as np
        import torch

        from .precision import autocast

        budget = self._token_budget(batch_size, max_tokens)
        order = sorted(range(len(windows)), key=lambda i: len(windows[i].input_ids))
        batches: list[list[int]] = []
        for i in order:  # ascending length: the window added is the batch's longest
            if batches and (len(batches[-1]) + 1) * len(windows[i].input_ids) <= budget:
                batches[-1].append(i)
            else:
                batches.append([i])
        out: list = [None] * len(windows)
        pad = self.tokenizer.pad_token_id
        iterator: Iterable = batches
        if progress:
            from tqdm.auto import tqdm

            iterator = tqdm(batches, desc="tagging", unit="batch")
        with torch.inference_mode(), autocast(self.device, self.dtype):
            for batch in iterator:
                width = max(len(windows[i].input_ids) for i in batch)
                ids = torch.full((len(batch), width), pad, dtype=torch.long)
                mask = torch.zeros((len(batch), width), dtype=torch.long)
                inputs = {"input_ids": ids, "attention_mask": mask}
                if self.settings.hints is not None:  # rule hints ride in the token types
                    inputs["token_type_ids"] = torch.zeros((len(batch), width), dtype=torch.long)
                for row, i in enumerate(batch):
                    seq = windows[i].input_ids
                    ids[row, :len(seq)] = torch.tensor(seq, dtype=torch.long)
                    mask[row, :len(seq)] = 1
                    if "token_type_ids" in inputs:
                        inputs["token_type_ids"][row, :len(seq)] = torch.tensor(windows[i].token_type_ids)
                logits = self.model(**{k: v.to(self.device) for k, v in inputs.items()}).logits
                logits = logits.float().cpu().numpy()
                for row, i in enumerate(batch):
                    out[i] = np.array(logits[row, :len(windows[i].input_ids)])  # a copy: the batch is freed
        return out

    def iter_extract(self, texts: Iterable[str], batch_size: int = 64, progress: bool = False,
                     max_tokens: int | None = None) -> Iterator[list[Span]]:
        """Spans of each text, yielded in order as the texts are read: each text is encoded
        (:meth:`encode`), the windows of a group of texts go through the model together
        (:meth:`window_logits`), and each text's logits are decoded (:meth:`decode`); the stages
        are listed in :mod:`models.pipeline`. Documents are encoded and tagged a group at a time (about 8 batches of windows), and each group's logits are decoded
        and dropped before the next is read, so memory stays flat however many texts there are.
        Batching as in :meth:`window_logits`."""
        from .clean import looks_like_mojibake

        if isinstance(texts, str):
            raise TypeError("extract_batch takes a list of texts; use extract() for one text")
        budget = self._token_budget(batch_size, max_tokens)
        bar = None
        if progress:
            from tqdm.auto import tqdm

            bar = tqdm(total=len(texts) if hasattr(texts, "__len__") else None, desc="tagging", unit="article")
        group: list = []
        tokens = 0
        try:
            for i, text in enumerate(texts):
                if not isinstance(text, str):  # the texts before it are tagged and yielded first
                    if group:
                        yield from self._decode_group(group, budget, bar)
                        group, tokens = [], 0
                    raise TypeError(f"text {i} is {type(text).__name__}, not str")
                if looks_like_mojibake(text):
                    log.warning("text %d looks like mojibake (UTF-8 read as Latin-1 or cp1252: %r...); its spans "
                                "will be poor: decode the bytes as UTF-8", i, text[:40])
                enc = self.encode(text)
                group.append((text, enc))
                tokens += sum(len(w.input_ids) for w in enc.windows)
                if tokens >= 8 * budget:
                    yield from self._decode_group(group, budget, bar)
                    group, tokens = [], 0
            if group:
                yield from self._decode_group(group, budget, bar)
        finally:
            if bar is not None:
                bar.close()

    def decode(self, text: str, encoded, logits: Sequence) -> list[Span]:
        """Logits -> tags -> spans in ``text``'s offsets (:func:`models.pipeline.decode_document`)."""
        from .pipeline import decode_document

        return decode_document(text, encoded, logits, self.id2label, min_score=self.settings.min_score,
                               transitions=self.transitions, log_prior=self.log_prior)

    def _decode_group(self, group: list, budget: int, bar) -> Iterator[list[Span]]:
        from .pipeline import decode_documents

        logits = self.window_logits([w for _, enc in group for w in enc.windows], max_tokens=budget)
        documents, pos = [], 0
        for text, enc in group:
            documents.append((text, enc, logits[pos:pos + len(enc.windows)]))
            pos += len(enc.windows)
        del logits
        spans = decode_documents(documents, self.id2label, min_score=self.settings.min_score,
                                 transitions=self.transitions, log_prior=self.log_prior)
        del documents  # the group's logits are dropped before the next group is read
        for doc_spans in spans:
            if bar is not None:
                bar.update(1)
            yield doc_spans

    def extract_batch(self, texts: Sequence[str], batch_size: int = 64, progress: bool = False,
                      max_tokens: int | None = None) -> list[list[Span]]:
        """Spans for each text; offsets and ``span.text`` refer to the caller's strings.
        See :meth:`iter_extract` for batching and memory."""
        if isinstance(texts, str):
            raise TypeError("extract_batch takes a list of texts; use extract() for one text")
        return list(self.iter_extract(texts, batch_size=batch_size, progress=progress, max_tokens=max_tokens))

    def extract(self, text: str) -> list[Span]:
        return self.extract_batch([text])[0]

    def records(self, text: str) -> list:
        """One :class:`models.records.ClusterRecord` per distinct cluster of ``text``: this
        tagger's spans grouped and linked by :func:`models.records.build_records`."""
        from .records import build_records

        return build_records(text, self.extract(text))


#: taggers loaded by :func:`extract`, most recently used last; at most :data:`CACHE_SIZE`
_CACHE: "OrderedDict[str, Tagger]" = OrderedDict()
CACHE_SIZE = 2


def extract(text: str, model: str | os.PathLike[str] | Tagger) -> list[Span]:
    """One-off extraction: ``extract(text, model="runs/default")``. The last :data:`CACHE_SIZE`
    models loaded are cached (a PhoBERT-base tagger holds about 0.5 GB)."""
    if isinstance(model, Tagger):
        return model.extract(text)
    key = str(Path(model).resolve()) if Path(model).exists() else str(model)
    if key in _CACHE:
        _CACHE.move_to_end(key)
    else:
        _CACHE[key] = Tagger.from_pretrained(model)
        while len(_CACHE) > CACHE_SIZE:
            _CACHE.popitem(last=False)
    return _CACHE[key].extract(text)
