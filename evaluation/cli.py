"""Command line of ``python -m evaluation``.

    python -m evaluation [score] --gold FILE... [--model DIR] [--predictions FILE]
                         [--system NAME=SOURCE]... [--out DIR]
    python -m evaluation cross-validate --config CONFIG [--gold FILE] [--folds N] [--out DIR]
    python -m evaluation learning-curve --config CONFIG [--fractions 0,0.25,0.5,1] [--max-steps N]
                         [--set KEY=VALUE]... [--model DIR] [--work-dir DIR] [--out DIR]
    python -m evaluation ci --config CONFIG [--model DIR] [--cv-steps N] [--curve-steps N]
                         [--out reports] [--floor configs/quality-floor.yaml]
    python -m evaluation check-floor REPORT_JSON --floor configs/quality-floor.yaml
"""

from __future__ import annotations

import argparse
import contextlib
import sys
import tempfile
from pathlib import Path

from annotations.document import Document

from .curve import DEFAULT_FRACTIONS

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_GOLD = REPO_ROOT / "annotations" / "gold" / "seeds.json"
#: the evaluation-only dev set, relative to the shared folder (annotations.shared)
DEV_FILE = "corpus/dev.json"
DEFAULT_FLOOR = REPO_ROOT / "configs" / "quality-floor.yaml"
DEFAULT_CURVE_OUT = "reports/learning-curve"
#: training steps of each learning-curve model in ``ci`` (the 100 % point is the main model)
DEFAULT_CURVE_STEPS = 1500
COMMANDS = ("score", "cross-validate", "learning-curve", "ci", "check-floor")


def _dev_path(args: argparse.Namespace) -> Path:
    """``--dev``, else ``corpus/dev.json`` in the shared folder (``$VICLUSTER_SHARED`` or ../shared)."""
    from annotations.shared import shared_path

    return Path(args.dev) if args.dev else shared_path(DEV_FILE)


def _read_gold(path: Path) -> list[Document]:
    """A Label Studio export, an inline-markup file of hand-written articles (``.txt``), or a
    directory of such ``.txt`` files."""
    from annotations.labelstudio import load_documents
    from training.markup import read_markup_file

    if path.is_dir():
        files = sorted(path.glob("*.txt"))
        if not files:
            raise FileNotFoundError(f"gold directory {path} holds no .txt markup files")
        return [doc for f in files for doc in read_markup_file(f)]
    if not path.is_file():
        raise FileNotFoundError(f"gold file {path} does not exist")
    return read_markup_file(path) if path.suffix == ".txt" else load_documents(path)


def _load_gold(spec: str) -> tuple[str, Path, list[Document]]:
    """``[NAME=]FILE`` -> (set name, path, documents)."""
    name, sep, path = spec.partition("=")
    if not sep:
        name, path = Path(spec).stem, spec
    path = Path(path)
    docs = _read_gold(path)
    if not docs:
        raise ValueError(f"gold file {path} holds no documents: nothing to score")
    for doc in docs:
        problems = doc.problems()
        if problems:
            more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
            raise ValueError(f"gold file {path}, document {doc.id}: {problems[0]}{more}; "
                             f"`vicluster annotate validate {path}` lists every problem")
    return name, path, docs


def _baselines(args: argparse.Namespace) -> list:
    from .systems import builtin

    return [] if args.no_baselines else [builtin("rules"), builtin("underthesea")]


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--out", help="directory for report.json, report.md and report.html")
    p.add_argument("--no-baselines", action="store_true", help="leave out the rules and underthesea baselines")
    p.add_argument("--bootstrap", type=int, default=1000, metavar="N", help="bootstrap replicates (default 1000)")
    p.add_argument("--seed", type=int, default=0, help="bootstrap seed (default 0)")
    p.add_argument("--context", type=int, default=60, metavar="CHARS", help="error context each side (default 60)")
    p.add_argument("--batch-size", type=int, default=64)
    p.add_argument("--no-chart", action="store_true", help="leave the chart out of report.html (faster)")


def _cv_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--config", required=True, help="training config (path or name in configs/)")
    p.add_argument("--folds", type=int, help="run only the first N folds")
    p.add_argument("--max-steps", type=int, help="override training.max_steps (for quick runs)")
    p.add_argument("--set", action="append", default=[], metavar="KEY=VALUE", dest="overrides",
                   help="config override, dotted key, YAML value (repeatable)")
    p.add_argument("--work-dir", help="where fold models are trained (default: a temporary directory)")
    p.add_argument("--keep-models", action="store_true", help="keep the fold models in --work-dir")


def _fractions(text: str) -> list[float]:
    from .curve import parse_fractions

    try:
        return parse_fractions(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _steps(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of steps") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"steps must be >= 0, got {value}")
    return value


def build_parser(command: str) -> argparse.ArgumentParser:
    from annotations.prog import prog

    p = argparse.ArgumentParser(prog=prog("python -m evaluation") + ("" if command == "score" else f" {command}"),
                                description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    if command == "score":
        p.add_argument("--gold", nargs="+", required=True, metavar="[NAME=]FILE",
                       help="Label Studio exports with gold annotations, or inline-markup .txt files (or a "
                            "directory of them); each is one evaluation set")
        p.add_argument("--model", help="a trained model directory (system 'model')")
        p.add_argument("--predictions", metavar="[NAME=]FILE", help="a Label Studio export with predictions")
        p.add_argument("--system", action="append", default=[], metavar="NAME=SOURCE",
                       help="a system: rules, underthesea, model:DIR, predictions:FILE, a directory or a file")
        _common(p)
    elif command == "cross-validate":
        p.add_argument("--gold", default=str(DEFAULT_GOLD), help=f"gold file (default {DEFAULT_GOLD.relative_to(REPO_ROOT)})")
        _cv_args(p)
        _common(p)
    elif command == "learning-curve":
        p.add_argument("--config", required=True, help="training config (path or name in configs/)")
        p.add_argument("--fractions", type=_fractions, default=list(DEFAULT_FRACTIONS), metavar="F,F,...",
                       help="shares of the shared gold (train.json) for the model with hints (default 0,0.25,0.5,1)")
        p.add_argument("--max-steps", type=int, help="override training.max_steps of every model trained here")
        p.add_argument("--set", action="append", default=[], metavar="KEY=VALUE", dest="overrides",
                       help="config override for every model trained here, dotted key, YAML value (repeatable)")
        p.add_argument("--model", help="an already trained model that stands for the 100%% point with hints "
                                       "(it is then not trained again)")
        p.add_argument("--dev", help=f"evaluation-only set (default: {DEV_FILE} in the shared folder)")
        p.add_argument("--work-dir", help="where the models are trained and kept (default: a temporary directory)")
        p.add_argument("--out", default=DEFAULT_CURVE_OUT,
                       help=f"directory for learning_curve.json/.md/.png (default {DEFAULT_CURVE_OUT})")
        p.add_argument("--batch-size", type=int, default=64)
    elif command == "ci":
        p.add_argument("--gold", default=str(DEFAULT_GOLD))
        p.add_argument("--dev", help=f"evaluation-only set, used when present (default: {DEV_FILE} in the "
                                     "shared folder)")
        p.add_argument("--model", help="model for the dev set (default: train one on all the gold)")
        p.add_argument("--floor", default=str(DEFAULT_FLOOR))
        p.add_argument("--cv-steps", type=_steps, default=0, metavar="N",
                       help="run the seeds cross-validation with N training steps per fold (default 0: skip it)")
        p.add_argument("--curve-steps", type=_steps, default=DEFAULT_CURVE_STEPS, metavar="N",
                       help="training steps of each learning-curve model on dev; the 100%% point is the dev "
                            f"model (default {DEFAULT_CURVE_STEPS}; 0: no learning curve)")
        p.add_argument("--curve-fractions", type=_fractions, default=list(DEFAULT_FRACTIONS), metavar="F,F,...",
                       help="shares of the shared gold for the learning curve (default 0,0.25,0.5,1)")
        _cv_args(p)
        _common(p)
        p.set_defaults(out="reports")
    elif command == "check-floor":
        p.add_argument("report", help="report.json")
        p.add_argument("--floor", default=str(DEFAULT_FLOOR))
    return p


def _overrides(args: argparse.Namespace) -> dict:
    from training.config import parse_override

    out = dict(parse_override(o) for o in args.overrides)
    if args.max_steps is not None:
        out["training.max_steps"] = args.max_steps
    return out


def _finish(sets: dict, args: argparse.Namespace, *, curve: dict | None = None, **meta) -> dict:
    from .report import make_report, summary_text, write_report

    report = make_report(sets, n_boot=args.bootstrap, seed=args.seed, context_chars=args.context, **meta)
    if curve is not None:
        report["learning_curve"] = curve
    print(summary_text(report))
    if args.out:
        paths = write_report(report, args.out, charts=not args.no_chart)
        print(f"\nwrote {', '.join(str(p) for p in paths.values())}")
    return report


def cmd_score(args: argparse.Namespace) -> int:
    from .evaluate import evaluate_set
    from .systems import TaggerSystem, load_predictions, parse_system

    systems = []
    if args.model:
        systems.append(TaggerSystem(name="model", model_dir=Path(args.model), batch_size=args.batch_size))
    if args.predictions:
        name, sep, path = args.predictions.partition("=")
        systems.append(load_predictions(path, name) if sep else load_predictions(args.predictions))
    systems += [parse_system(s, batch_size=args.batch_size) for s in args.system]
    systems += _baselines(args)
    if not systems:
        raise ValueError("no system to score: give --model, --predictions or --system (or keep the baselines)")
    sets = {}
    for spec in args.gold:
        name, path, docs = _load_gold(spec)
        if name in sets:
            raise ValueError(f"two gold sets are named {name!r}; name them with NAME=FILE")
        sets[name] = evaluate_set(docs, systems, n_boot=args.bootstrap, seed=args.seed,
                                  context_width=args.context, source=str(path))
    _finish(sets, args, command="score")
    return 0


def _cv_set(args: argparse.Namespace, docs: list[Document], gold_path: Path, work: Path,
            overrides: dict | None = None) -> tuple[str, dict, str]:
    from .crossval import cross_validate
    from .evaluate import evaluate_set

    overrides = _overrides(args) if overrides is None else overrides
    system, held_out = cross_validate(args.config, docs, work, folds=args.folds, overrides=overrides,
                                      keep_models=args.keep_models)
    set_rep = evaluate_set(held_out, [system, *_baselines(args)], n_boot=args.bootstrap, seed=args.seed,
                           context_width=args.context, source=str(gold_path))
    set_rep["note"] = (f"Leave-one-document-out cross-validation ({len(held_out)} folds): {system.name} is "
                       "scored on each document by a model trained without it. Baselines are not trained.")
    if overrides:
        set_rep["note"] += " Config overrides: " + ", ".join(f"{k}={v}" for k, v in overrides.items()) + "."
    return f"{gold_path.stem}-cv", set_rep, system.name.partition(":")[2]


def _work_dir(args: argparse.Namespace, prefix: str = "vicluster-cv-"):
    """``--work-dir`` (kept), else a temporary directory removed at the end."""
    if args.work_dir:
        Path(args.work_dir).mkdir(parents=True, exist_ok=True)
        return contextlib.nullcontext(args.work_dir)
    return tempfile.TemporaryDirectory(prefix=prefix)


def cmd_cross_validate(args: argparse.Namespace) -> int:
    _, gold_path, docs = _load_gold(args.gold)
    with _work_dir(args) as work:
        name, set_rep, _ = _cv_set(args, docs, gold_path, Path(work))
    _finish({name: set_rep}, args, command="cross-validate", config=str(args.config))
    return 0


def cmd_learning_curve(args: argparse.Namespace) -> int:
    from .curve import curve_text, learning_curve, write_curve

    dev = _dev_path(args)
    if not dev.is_file():
        raise FileNotFoundError(f"the dev set {dev} is absent: the learning curve is measured on it (set "
                                "VICLUSTER_SHARED to the shared folder, or give --dev FILE)")
    if args.model and not Path(args.model).is_dir():
        raise FileNotFoundError(f"--model: model directory {args.model} does not exist")
    dev_docs = _load_gold(str(dev))[2]
    with _work_dir(args, "vicluster-curve-") as work:
        curve = learning_curve(args.config, dev_docs, Path(work), fractions=args.fractions,
                               overrides=_overrides(args), full_model=args.model, source=str(dev),
                               batch_size=args.batch_size)
    print(curve_text(curve))
    paths = write_curve(curve, args.out)
    print(f"\nwrote {', '.join(str(p) for p in paths.values())}")
    return 0


def _ci_curve(args: argparse.Namespace, dev: Path, dev_docs: list[Document], model_dir: Path,
              work: Path) -> dict | None:
    """The learning curve of ``ci`` (``--curve-steps`` steps a model, ``model_dir`` as the 100 %
    point); None when it is off or the shared gold is absent."""
    from .curve import SharedGoldMissing, learning_curve

    if not args.curve_steps:
        print("learning curve skipped (--curve-steps 0)", file=sys.stderr)
        return None
    overrides = {**_overrides(args), "training.max_steps": args.curve_steps}
    try:
        return learning_curve(args.config, dev_docs, work / "curve", fractions=args.curve_fractions,
                              overrides=overrides, full_model=model_dir, source=str(dev),
                              batch_size=args.batch_size)
    except SharedGoldMissing as exc:
        print(f"learning curve skipped: {exc}", file=sys.stderr)
        return None


#: the hand-written articles, relative to the repository (their record gold is scored in CI)
WRITTEN_DIR = "training/data/written"


def _written_record_gold() -> list[Document]:
    """The hand-written articles that carry record gold (span ids from cluster keys)."""
    from training.markup import read_markup_file

    folder = REPO_ROOT / WRITTEN_DIR
    docs = [d for f in sorted(folder.glob("*.txt")) for d in read_markup_file(f)] if folder.is_dir() else []
    return [d for d in docs if any(s.id is not None for s in d.spans)]


def cmd_ci(args: argparse.Namespace) -> int:
    from .evaluate import evaluate_set
    from .floor import load_floor
    from .systems import TaggerSystem

    floor = load_floor(args.floor)  # fail early on a bad floor file
    _, gold_path, docs = _load_gold(args.gold)
    dev = _dev_path(args)
    if args.model and not Path(args.model).is_dir():
        raise FileNotFoundError(f"--model: model directory {args.model} does not exist")
    sets, curve = {}, None
    with _work_dir(args) as work:
        if args.cv_steps:
            name, set_rep, config_name = _cv_set(args, docs, gold_path, Path(work),
                                                 {**_overrides(args), "training.max_steps": args.cv_steps})
            sets[name] = set_rep
        else:
            from .crossval import training_config

            config_name = training_config(args.config, _overrides(args))[0]
            print("seeds cross-validation skipped (--cv-steps 0)", file=sys.stderr)
        if dev.is_file():
            if args.model:
                model_dir = Path(args.model)
            else:
                from .crossval import train_model_dir, training_config

                _, cfg = training_config(args.config, _overrides(args))
                print(f"training the dev-set model on all {len(docs)} gold documents", file=sys.stderr)
                model_dir = train_model_dir(cfg, Path(work) / "model-all", train_documents=list(docs))
            systems = [TaggerSystem(name=f"model:{config_name}", model_dir=model_dir, batch_size=args.batch_size),
                       *_baselines(args)]
            dev_docs = _load_gold(str(dev))[2]
            sets["dev"] = evaluate_set(dev_docs, systems, n_boot=args.bootstrap, seed=args.seed,
                                       context_width=args.context, source=str(dev))
            sets["dev"]["note"] = "Evaluation only: never used for training or tuning."
            curve = _ci_curve(args, dev, dev_docs, model_dir, Path(work))
        else:
            print(f"{dev} not present: dev set and learning curve skipped", file=sys.stderr)
        written = _written_record_gold()
        if written:  # the model trained on these articles: only the rules and the gold spans are fair here
            sets["written-records"] = evaluate_set(written, _baselines(args), n_boot=args.bootstrap, seed=args.seed,
                                                   context_width=args.context, source=WRITTEN_DIR)
            sets["written-records"]["note"] = ("The project's hand-written articles that carry record gold. "
                                               "The model trains on them, so it is not scored here: the rules, "
                                               "and the records built from the gold spans (the linking alone).")
        report = _finish(sets, args, curve=curve, command="ci", config=str(args.config),
                         cv_steps=args.cv_steps, curve_steps=args.curve_steps if curve else None)
    return _gate(report, floor)


def _gate(report: dict, floor: dict) -> int:
    """Print the floor check; 1 when a set falls below its floor."""
    from .floor import check_floor

    failures, passes = check_floor(report, floor)
    for msg in passes:
        print(f"floor ok: {msg}")
    for msg in failures:
        print(f"FLOOR FAILED: {msg}", file=sys.stderr)
    return 1 if failures else 0


def cmd_check_floor(args: argparse.Namespace) -> int:
    from .floor import load_floor
    from .report import load_report

    return _gate(load_report(args.report), load_floor(args.floor))


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    command = argv.pop(0) if argv and argv[0] in COMMANDS else "score"
    args = build_parser(command).parse_args(argv)
    handler = {"score": cmd_score, "cross-validate": cmd_cross_validate, "learning-curve": cmd_learning_curve,
               "ci": cmd_ci, "check-floor": cmd_check_floor}[command]
    try:
        return handler(args)
    except (ValueError, FileNotFoundError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
