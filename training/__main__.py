"""``python -m training``: train a tagger and write a self-contained model directory
(``python -m training pretrain``: pre-train its backbone on unlabelled news first)."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path


def build_parser() -> argparse.ArgumentParser:
    from annotations.prog import prog

    name = prog("python -m training")
    p = argparse.ArgumentParser(prog=name, description=__doc__,
                                epilog=f"{name} pretrain --help: masked-language pre-training "
                                       "of the backbone on unlabelled news")
    p.add_argument("--config", default="default",
                   help="YAML file, or the name of one in configs/ (default: %(default)s)")
    p.add_argument("--output", default="runs/default", help="model directory to write (default: %(default)s)")
    p.add_argument("--resume", action="store_true", help="continue from the last checkpoint in OUTPUT/checkpoints")
    p.add_argument("--overwrite", action="store_true",
                   help="train into an OUTPUT that already holds a model or other files (its model files are "
                        "replaced, nothing else is deleted; without it such an OUTPUT is refused)")
    p.add_argument("--set", dest="overrides", action="append", default=[], metavar="KEY=VALUE",
                   help="override a config value, e.g. --set training.max_steps=100 (repeatable)")
    p.add_argument("--unlabelled", metavar="FILE",
                   help="add weakly labelled articles from a JSON-lines file with a 'text' field")
    p.add_argument("--keep-checkpoints", action="store_true", help="keep OUTPUT/checkpoints after training")
    p.add_argument("--no-progress", action="store_true", help="no progress bars")
    return p


def build_pretrain_parser(name: str | None = None) -> argparse.ArgumentParser:
    """``name``: the usage line's program (default ``python -m training pretrain``, or the
    entry of :func:`annotations.prog.invoked_as`, such as ``vicluster pretrain``)."""
    from annotations.prog import prog

    p = argparse.ArgumentParser(
        prog=name or prog("python -m training pretrain"),
        description="Masked-language pre-training of the config's backbone on unlabelled in-domain news "
                    "(articles of the shared gold excluded); writes a backbone directory that fine-tuning "
                    "reads with --set backbone.type=pretrained --set backbone.name_or_path=OUTPUT.")
    p.add_argument("--config", default="default",
                   help="YAML file, or the name of one in configs/ (default: %(default)s)")
    p.add_argument("--output", default="runs/pretrained", help="backbone directory to write (default: %(default)s)")
    p.add_argument("--set", dest="overrides", action="append", default=[], metavar="KEY=VALUE",
                   help="override a config value, e.g. --set pretrain.max_steps=500 (repeatable)")
    p.add_argument("--unlabelled", metavar="FILE",
                   help="JSON-lines articles, a path or one in the shared folder (default: pretrain.unlabelled, "
                        "else corpus/unlabelled.jsonl)")
    p.add_argument("--max-steps", type=int, help="MLM steps (pretrain.max_steps)")
    p.add_argument("--max-seconds", type=float, help="stop after this many seconds of training (pretrain.max_seconds)")
    p.add_argument("--limit", type=int, help="at most this many articles (pretrain.limit)")
    p.add_argument("--seed", type=int, help="seed of the split, the masks and the weights (pretrain.seed)")
    p.add_argument("--no-progress", action="store_true", help="no progress bars")
    return p


def pretrain_main(argv: list[str], prog: str | None = None) -> int:
    args = build_pretrain_parser(prog).parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    from .config import load_config, parse_override
    from .pretrain import pretrain, read_card

    try:
        overrides = dict(parse_override(o) for o in args.overrides)
        for key, value in (("unlabelled", args.unlabelled), ("max_steps", args.max_steps),
                           ("max_seconds", args.max_seconds), ("limit", args.limit), ("seed", args.seed)):
            if value is not None:
                overrides[f"pretrain.{key}"] = value
        cfg = load_config(args.config, overrides)
        out = pretrain(cfg, args.output, progress=not args.no_progress)
    except (OSError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    card = read_card(out)
    a, held = card["articles"], card["held_out"] or {}
    print(f"wrote {out}: {card['steps']} steps in {card['seconds']:.0f} s on {a['pretraining']} articles "
          f"({a['read']} read, {a['excluded']} excluded as labelled, {a['held_out']} held out)")
    if held:
        print(f"held-out MLM loss {held['loss_before']:.3f} -> {held['loss']:.3f} (perplexity {held['perplexity']})")
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    if argv[:1] == ["pretrain"]:
        from annotations.prog import prog

        return pretrain_main(argv[1:], prog=f"{prog('python -m training')} pretrain")
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    from .config import load_config, parse_override
    from .train import read_metrics, train_model

    try:
        overrides = dict(parse_override(o) for o in args.overrides)
        if args.unlabelled:
            overrides["data.unlabelled"] = args.unlabelled
        cfg = load_config(args.config, overrides)
    except (OSError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    from . import distributed
    from .train import CHECKPOINTS, check_output_dir, resume_checkpoint

    # Under torchrun every process runs this; the main process alone judges --output (the others
    # would find the files it has just made) and alone prints. training/distributed.py
    launched = distributed.start()

    def refusal() -> str | None:
        try:
            check_output_dir(Path(args.output), overwrite=args.overwrite or args.resume)
            if args.resume:
                resume_checkpoint(Path(args.output) / CHECKPOINTS, cfg)
        except (FileExistsError, FileNotFoundError, ValueError) as exc:
            return str(exc)
        return None

    refused = distributed.decide(refusal)
    if refused:
        if distributed.is_main():
            print(f"error: {refused}", file=sys.stderr)
        return 2
    # launched: the output was judged above, once; train_model's own check would race with the
    # files the other processes create (overwrite only skips that check: nothing is deleted)
    out = train_model(cfg, args.output, resume=args.resume, progress=not args.no_progress,
                      keep_checkpoints=args.keep_checkpoints, overwrite=args.overwrite or launched)
    if not distributed.is_main():
        return 0  # the main process wrote the model directory and its metrics
    metrics = read_metrics(out)
    dev = metrics.get("dev") or {}
    print(f"wrote {out} in {metrics['train_seconds']:.0f} s ({metrics['global_step']} steps)")
    if dev:
        figures = ", ".join(f"{k.removeprefix('f1_')} {v:.3f}" for k, v in dev.items() if k.startswith("f1_"))
        print(f"dev entity F1 {dev.get('entity_f1', 0):.3f} ({figures})")
    return 0


if __name__ == "__main__":
    from annotations.prog import guarded

    sys.exit(guarded("python -m training", main))
