"""``python -m training``: train a tagger and write a self-contained model directory."""

from __future__ import annotations

import argparse
import logging
import sys


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m training", description=__doc__)
    p.add_argument("--config", default="default",
                   help="YAML file, or the name of one in configs/ (default: %(default)s)")
    p.add_argument("--output", default="runs/default", help="model directory to write (default: %(default)s)")
    p.add_argument("--resume", action="store_true", help="continue from the last checkpoint in OUTPUT/checkpoints")
    p.add_argument("--set", dest="overrides", action="append", default=[], metavar="KEY=VALUE",
                   help="override a config value, e.g. --set training.max_steps=100 (repeatable)")
    p.add_argument("--unlabelled", metavar="FILE",
                   help="add weakly labelled articles from a JSON-lines file with a 'text' field")
    p.add_argument("--keep-checkpoints", action="store_true", help="keep OUTPUT/checkpoints after training")
    p.add_argument("--no-progress", action="store_true", help="no progress bars")
    return p


def main(argv: list[str] | None = None) -> int:
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
    out = train_model(cfg, args.output, resume=args.resume, progress=not args.no_progress,
                      keep_checkpoints=args.keep_checkpoints)
    metrics = read_metrics(out)
    dev = metrics.get("dev") or {}
    print(f"wrote {out} in {metrics['train_seconds']:.0f} s ({metrics['global_step']} steps)")
    if dev:
        figures = ", ".join(f"{k.removeprefix('f1_')} {v:.3f}" for k, v in dev.items() if k.startswith("f1_"))
        print(f"dev entity F1 {dev.get('entity_f1', 0):.3f} ({figures})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
