"""The learning curve: how dev F1 grows with the real gold the model trains on.

Systems, all scored on the evaluation-only dev set (``../shared/corpus/dev.json``) with
strict character spans:

``rules``            the rule baseline the model reads as hints (nothing trained)
``no-hints@100%``    the model without hints (``hints: null``), on all of the shared gold
``hints@F%``         the model with hints, on the share F of the shared gold's training part
                     (``data.shared_gold_fraction``; the in-house dev split is drawn first, so
                     every share has the same one)

The shared gold is the config's ``data.shared_gold`` (``corpus/train.json`` when the config
names none). Scoring is apart from training (:func:`build_curve` takes fixed predictions),
so tables and the chart can be built and tested without a model.

``learning_curve.json`` (schema 1)::

    {"schema": 1, "created", "config", "overrides", "fractions", "shared_gold", "shared_gold_documents",
     "dev": {"source", "documents", "gold_counts"}, "notes": [...],
     "systems": [{"name", "kind": "rules"|"no-hints"|"hints", "fraction", "train_documents",
                  "train_seconds", "steps", "model_dir", "reused",
                  "strict": {LABEL: {p, r, f1, support, tp, fp, fn}, "micro": {...}, "macro": {...}}}]}
"""

from __future__ import annotations

import json
import sys
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable, Sequence

from annotations.document import Document, Span
from annotations.labels import LABELS

from annotations.scoring import check_labels, score_strict
from .tables import UNDEFINED, fmt

SCHEMA = 1
DEFAULT_FRACTIONS = (0.0, 0.25, 0.5, 1.0)
#: the shared gold trained on when the config names none (relative to the shared folder)
DEFAULT_SHARED_GOLD = "corpus/train.json"
#: the model card's count of shared gold training documents (training/corpus.py)
SHARED_TRAIN_SOURCE = "shared gold (train)"
FILES = {"json": "learning_curve.json", "md": "learning_curve.md", "png": "learning_curve.png"}
KINDS = ("rules", "no-hints", "hints")

#: ``train(overrides, output_dir) -> model_dir`` (the config is bound by the caller)
TrainFn = Callable[[dict, Path], Path]
#: ``predict(model_dir, docs) -> spans per document``
PredictFn = Callable[[Path, Sequence[Document]], list[list[Span]]]


class SharedGoldMissing(FileNotFoundError):
    """None of the shared gold files is in the shared folder."""


@dataclass
class CurveEntry:
    """One system of the curve with its dev predictions (one span list per dev document)."""

    name: str
    kind: str
    predictions: list[list[Span]]
    #: share of the shared gold's training part (None for the rules)
    fraction: float | None = None
    #: shared gold documents trained on (from the model card; None for the rules)
    train_documents: int | None = None
    train_seconds: float | None = None
    steps: int | None = None
    model_dir: str | None = None
    #: an already trained model (``--model``), not trained by this run
    reused: bool = False


# ------------------------------------------------------------------ plan


def parse_fractions(text: str | Sequence[float]) -> list[float]:
    """``"0,0.25,0.5,1"`` -> sorted distinct shares in [0, 1]."""
    items = text.split(",") if isinstance(text, str) else list(text)
    out = set()
    for item in items:
        if isinstance(item, str) and not item.strip():
            continue
        try:
            value = float(item)
        except (TypeError, ValueError):
            raise ValueError(f"--fractions: {item!r} is not a number") from None
        if not 0 <= value <= 1:
            raise ValueError(f"--fractions: {value} is not in [0, 1]")
        out.add(value)
    if not out:
        raise ValueError("--fractions: give at least one share, e.g. 0,0.25,0.5,1")
    return sorted(out)


def percent(fraction: float) -> str:
    """0.25 -> ``25%``; 1/3 -> ``33.3%``."""
    return f"{round(fraction * 100, 1):g}%"


def point_name(kind: str, fraction: float | None = None) -> str:
    if kind == "rules":
        return "rules"
    if kind not in KINDS:
        raise ValueError(f"unknown curve point kind {kind!r}")
    return f"{kind}@{percent(1.0 if fraction is None else fraction)}"


def plan_points(fractions: Sequence[float], *, hints: str = "rules", reuse_full: bool = False) -> list[dict]:
    """The models to train: ``[{name, kind, fraction, overrides}]``: the model without hints on
    all the shared gold, then the model with ``hints`` at each share (the 100 % one left out
    when ``reuse_full``: an already trained model stands for it)."""
    points = [{"name": point_name("no-hints", 1.0), "kind": "no-hints", "fraction": 1.0,
               "overrides": {"hints": None, "data.shared_gold_fraction": 1.0}}]
    for f in parse_fractions(fractions):
        if reuse_full and f == 1.0:
            continue
        points.append({"name": point_name("hints", f), "kind": "hints", "fraction": f,
                       "overrides": {"hints": hints, "data.shared_gold_fraction": f}})
    return points


# ------------------------------------------------------------------ scoring and tables


def build_curve(dev_docs: Sequence[Document], entries: Sequence[CurveEntry], *, source: str | None = None,
                **meta: Any) -> dict:
    """The curve (``learning_curve.json``): each entry's strict figures on ``dev_docs``."""
    from collections import Counter

    gold = [d.spans for d in dev_docs]
    counts = Counter(s.label for spans in gold for s in spans)
    names = [e.name for e in entries]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise ValueError(f"two curve systems are named {dupes[0]!r}")
    systems = []
    for e in entries:
        if e.kind not in KINDS:
            raise ValueError(f"curve system {e.name!r}: unknown kind {e.kind!r}")
        if len(e.predictions) != len(dev_docs):
            raise ValueError(f"curve system {e.name!r}: {len(e.predictions)} predicted span lists for "
                             f"{len(dev_docs)} dev documents")
        for doc, spans in zip(dev_docs, e.predictions):
            check_labels(spans, f"curve system {e.name!r}, document {doc.id!r}")
        systems.append({"name": e.name, "kind": e.kind, "fraction": e.fraction,
                        "train_documents": e.train_documents,
                        "train_seconds": None if e.train_seconds is None else round(float(e.train_seconds), 1),
                        "steps": e.steps, "model_dir": e.model_dir, "reused": e.reused,
                        "strict": score_strict(gold, e.predictions, LABELS)})
    return {"schema": SCHEMA, "created": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
            **meta,
            "dev": {"source": source, "documents": len(dev_docs),
                    "gold_counts": {label: counts.get(label, 0) for label in LABELS}},
            "systems": systems}


CURVE_HEADER = ["system", *LABELS, "micro P", "micro R", "micro F1", "train.json docs", "steps", "train s"]


def curve_rows(curve: dict) -> list[list[str]]:
    """One row per system: strict F1 per label, micro P/R/F1, shared gold documents, steps, seconds."""
    rows = []
    for s in curve["systems"]:
        strict = s["strict"]
        docs = UNDEFINED if s["train_documents"] is None else str(s["train_documents"])
        steps = UNDEFINED if s.get("steps") is None else str(s["steps"])
        secs = UNDEFINED if s["train_seconds"] is None else f"{s['train_seconds']:.0f}"
        name = s["name"] + (" (reused)" if s.get("reused") else "")
        rows.append([name, *(fmt(strict[label]["f1"]) for label in LABELS), fmt(strict["micro"]["p"]),
                     fmt(strict["micro"]["r"]), fmt(strict["micro"]["f1"]), docs, steps, secs])
    return rows


def curve_description(curve: dict) -> str:
    dev = curve["dev"]
    shared = ", ".join(curve.get("shared_gold") or [DEFAULT_SHARED_GOLD])
    total = curve.get("shared_gold_documents")
    return (f"Strict span F1 on the dev set ({dev['documents']} documents, `{dev.get('source')}`; evaluation only). "
            f"`hints@F%`: the model with rule hints trained on the share F of the shared gold's training part "
            f"({shared}{f', {total} documents in all' if total is not None else ''}; the in-house dev split is "
            "drawn from it first); `no-hints@100%`: the model without hints on all of it; `rules`: the rules "
            "alone. `train.json docs`: shared gold documents trained on; `train s`: training seconds.")


def curve_markdown(curve: dict, *, image: str | None = FILES["png"], heading: str = "#") -> str:
    """The curve as Markdown: description, notes, table and (when ``image``) a link to the chart."""
    from .tables import md_table

    out = [f"{heading} Learning curve on dev", "", curve_description(curve), ""]
    out += [f"- {n}" for n in curve.get("notes") or []]
    if curve.get("notes"):
        out.append("")
    out += [md_table(CURVE_HEADER, curve_rows(curve)), ""]
    if image:
        out += [f"![dev F1 against train.json documents]({image})", ""]
    return "\n".join(out)


def curve_text(curve: dict) -> str:
    from .tables import text_table

    return (f"== learning curve: dev, {curve['dev']['documents']} documents, strict span F1 ==\n"
            + text_table(CURVE_HEADER, curve_rows(curve)))


def write_curve(curve: dict, out_dir: str | Path) -> dict[str, Path]:
    """Write ``learning_curve.json``, ``learning_curve.md`` and ``learning_curve.png``."""
    from annotations.labelstudio import write_atomic

    from .chart import learning_curve_png
    from .jsonio import dumps_json

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = {k: out_dir / v for k, v in FILES.items()}
    write_atomic(paths["json"], dumps_json(curve))
    write_atomic(paths["md"], curve_markdown(curve).rstrip() + "\n")
    png = learning_curve_png(curve)
    tmp = paths["png"].with_suffix(".png.tmp")
    tmp.write_bytes(png)
    tmp.replace(paths["png"])
    return paths


def load_curve(path: str | Path) -> dict:
    curve = json.loads(Path(path).read_text(encoding="utf-8"))
    if not isinstance(curve, dict) or curve.get("schema") != SCHEMA or "systems" not in curve:
        raise ValueError(f"{path}: not a schema-{SCHEMA} learning curve")
    return curve


# ------------------------------------------------------------------ training the points


def model_info(model_dir: str | Path) -> dict:
    """``{train_documents, train_seconds, steps, hints, fraction}`` from a model directory's card
    (None where it does not say)."""
    import yaml

    model_dir = Path(model_dir)
    info: dict[str, Any] = {"train_documents": None, "train_seconds": None, "steps": None, "hints": None,
                            "fraction": None}
    metrics = model_dir / "metrics.json"
    if metrics.is_file():
        m = json.loads(metrics.read_text(encoding="utf-8"))
        info["train_documents"] = int((m.get("documents") or {}).get(SHARED_TRAIN_SOURCE, 0))
        info["train_seconds"] = m.get("train_seconds")
        info["steps"] = m.get("global_step")
    cfg = model_dir / "training_config.yaml"
    if cfg.is_file():
        c = yaml.safe_load(cfg.read_text(encoding="utf-8")) or {}
        info["hints"] = c.get("hints")
        info["fraction"] = (c.get("data") or {}).get("shared_gold_fraction")
    return info


def shared_gold_setup(config: Any, overrides: dict | None = None) -> tuple[str, dict, list[str], int]:
    """``(config name, overrides, shared gold files, their documents)``: the config's shared gold,
    or :data:`DEFAULT_SHARED_GOLD` added to the overrides when it names none. Raises
    :class:`SharedGoldMissing` when none of the files is in the shared folder."""
    from annotations.labelstudio import load_documents
    from annotations.shared import shared_file, shared_path
    from training.config import load_config

    overrides = dict(overrides or {})
    cfg = load_config(config, overrides)
    files = list(cfg.data.shared_gold)
    if not files:
        files = [DEFAULT_SHARED_GOLD]
        overrides["data.shared_gold"] = files
    present = [shared_file(f) for f in files]
    if not any(present):
        raise SharedGoldMissing(f"the shared gold {', '.join(str(shared_path(f)) for f in files)} is absent: the "
                                "learning curve trains on it (set VICLUSTER_SHARED to the shared folder)")
    n = sum(len(load_documents(p)) for p in present if p is not None)
    return cfg.name, overrides, files, n


def _default_predict(model_dir: Path, docs: Sequence[Document], batch_size: int = 64) -> list[list[Span]]:
    from .systems import TaggerSystem

    return TaggerSystem(name=f"curve:{model_dir.name}", model_dir=model_dir, batch_size=batch_size).predict(docs)


def _log_point(entry: CurveEntry, dev_docs: Sequence[Document], log) -> None:
    micro = score_strict([d.spans for d in dev_docs], entry.predictions)["micro"]["f1"]
    trained = "" if entry.train_documents is None else (
        f", {entry.train_documents} train.json documents, "
        f"{UNDEFINED if entry.train_seconds is None else f'{entry.train_seconds:.0f}'} s of training")
    print(f"learning curve: {entry.name}{trained}: dev micro-F1 {fmt(micro)}", file=log)


def run_points(dev_docs: Sequence[Document], work_dir: str | Path, *, fractions: Sequence[float] = DEFAULT_FRACTIONS,
               train: TrainFn, predict: PredictFn | None = None, rules_predict=None,
               full_model: str | Path | None = None, hints: str = "rules", log=sys.stderr) -> list[CurveEntry]:
    """Train (``train(overrides, dir)``) and predict every point; the rules first. ``full_model``
    stands for the 100 % point with hints (which is then not trained)."""
    predict = predict or _default_predict
    if rules_predict is None:
        from .systems import builtin

        rules_predict = builtin("rules").predict
    work_dir = Path(work_dir)
    fractions = parse_fractions(fractions)
    entries = [CurveEntry(name="rules", kind="rules", predictions=[list(s) for s in rules_predict(dev_docs)])]
    _log_point(entries[0], dev_docs, log)
    points = plan_points(fractions, hints=hints, reuse_full=full_model is not None)
    for k, point in enumerate(points):
        model_dir = work_dir / point["name"].replace("@", "-").replace("%", "pc")
        settings = ", ".join(f"{key}={'null' if v is None else v}" for key, v in point["overrides"].items())
        print(f"learning curve: training {point['name']} ({k + 1}/{len(points)}: {settings}) in {model_dir}",
              file=log)
        t0 = time.monotonic()
        model_dir = Path(train(dict(point["overrides"]), model_dir))
        seconds = time.monotonic() - t0
        info = model_info(model_dir)
        entry = CurveEntry(name=point["name"], kind=point["kind"], fraction=point["fraction"],
                           predictions=[list(s) for s in predict(model_dir, dev_docs)],
                           train_documents=info["train_documents"],
                           train_seconds=info["train_seconds"] if info["train_seconds"] is not None else seconds,
                           steps=info["steps"], model_dir=str(model_dir))
        entries.append(entry)
        _log_point(entry, dev_docs, log)
    if full_model is not None:
        full_model = Path(full_model)
        if not full_model.is_dir():
            raise FileNotFoundError(f"--model: model directory {full_model} does not exist")
        info = model_info(full_model)
        if not info["hints"]:
            print(f"learning curve: warning: {full_model} was trained without hints, yet stands for the "
                  "with-hints 100% point", file=log)
        if info["train_documents"] == 0 or (info["fraction"] is not None and info["fraction"] < 1):
            print(f"learning curve: warning: {full_model} was trained on {info['train_documents']} train.json "
                  f"documents (shared_gold_fraction {info['fraction']}), yet stands for the 100% point", file=log)
        entry = CurveEntry(name=point_name("hints", 1.0), kind="hints", fraction=1.0, reused=True,
                           predictions=[list(s) for s in predict(full_model, dev_docs)],
                           train_documents=info["train_documents"], train_seconds=info["train_seconds"],
                           steps=info["steps"], model_dir=str(full_model))
        entries.append(entry)
        _log_point(entry, dev_docs, log)
    return entries


def learning_curve(config: Any, dev_docs: Sequence[Document], work_dir: str | Path, *,
                   fractions: Sequence[float] = DEFAULT_FRACTIONS, overrides: dict | None = None,
                   full_model: str | Path | None = None, source: str | None = None, batch_size: int = 64,
                   train: TrainFn | None = None, predict: PredictFn | None = None, rules_predict=None,
                   log=sys.stderr) -> dict:
    """The whole curve with the real trainer (or ``train``): plan, train, predict, score."""
    from training.config import load_config

    name, overrides, files, n_shared = shared_gold_setup(config, overrides)
    hints = load_config(config, overrides).hints or "rules"
    if train is None:
        from training.train import train_model

        def train(point_overrides: dict, output_dir: Path) -> Path:
            # the point directories belong to the curve's work dir: a rerun replaces them
            return Path(train_model(config, output_dir, overrides={**overrides, **point_overrides},
                                    progress=False, overwrite=True))
    if predict is None:
        def predict(model_dir: Path, docs: Sequence[Document]) -> list[list[Span]]:
            return _default_predict(model_dir, docs, batch_size)
    fractions = parse_fractions(fractions)
    entries = run_points(dev_docs, work_dir, fractions=fractions, train=train, predict=predict,
                         rules_predict=rules_predict, full_model=full_model, hints=hints, log=log)
    notes = []
    steps = overrides.get("training.max_steps")
    reused = [e for e in entries if e.reused]
    if reused and steps is not None and reused[0].steps is not None and reused[0].steps > steps:
        notes.append(f"{reused[0].name} is the already trained model {reused[0].model_dir} "
                     f"({reused[0].steps} steps); the other models trained for at most {steps} steps.")
    return build_curve(dev_docs, entries, source=source, config=name,
                       overrides={k: v for k, v in overrides.items()}, fractions=fractions, shared_gold=files,
                       shared_gold_documents=n_shared, notes=notes)
