"""``python -m annotations``: validate and convert annotation files; talk to Label Studio."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .labels import LABELS


def _cmd_validate(args: argparse.Namespace) -> int:
    from .labelstudio import load_tasks
    from .validate import validate_tasks

    failed = False
    for path in args.files:
        try:
            tasks = load_tasks(path)
        except (OSError, ValueError) as exc:  # json.JSONDecodeError is a ValueError
            print(f"{path}: cannot read: {exc}", file=sys.stderr)
            failed = True
            continue
        report = validate_tasks(tasks, source=args.source)
        for problem in report.problems:
            print(f"{path}: {problem}", file=sys.stderr)
        total = sum(report.counts.values())
        counts = ", ".join(f"{label} {report.counts.get(label, 0)}" for label in LABELS)
        extra = {k: v for k, v in report.counts.items() if k not in LABELS}
        if extra:
            counts += ", " + ", ".join(f"{k} {v}" for k, v in sorted(extra.items()))
        if report.ok:
            print(f"{path}: OK: {report.tasks} tasks, {total} spans ({counts})")
        else:
            print(f"{path}: {len(report.problems)} problem(s) in {report.tasks} tasks, {total} spans ({counts})",
                  file=sys.stderr)
            failed = True
    return 1 if failed else 0


def _cmd_convert(args: argparse.Namespace) -> int:
    from .bio import from_conll, to_conll
    from .labelstudio import load_documents, save_documents

    out = Path(args.out)
    if not out.parent.is_dir():
        print(f"--out {out}: the directory {out.parent} does not exist", file=sys.stderr)
        return 2
    docs = []
    for path in args.files:
        try:
            docs += load_documents(path) if args.to == "conll" else from_conll(Path(path).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:  # json.JSONDecodeError is a ValueError
            print(f"{path}: cannot read: {exc}", file=sys.stderr)
            return 1
    if args.to == "conll":
        try:
            content, dropped = to_conll(docs)
        except ValueError as exc:
            print(f"cannot convert: {exc}", file=sys.stderr)
            return 1
        for doc_id, span in dropped:
            print(f"{doc_id}: span [{span.start}, {span.end}) {span.label} {span.text!r} does not start and end "
                  f"on syllable boundaries or overlaps another span; not representable in BIO", file=sys.stderr)
        out.write_text(content, encoding="utf-8")
        print(f"wrote {len(docs)} documents to {out}")
        return 1 if dropped else 0
    save_documents(docs, out)
    print(f"wrote {len(docs)} documents to {out}")
    return 0


def _cmd_lint(args: argparse.Namespace) -> int:
    from collections import Counter

    from .labelstudio import load_documents
    from .lint import lint_documents

    found = 0
    for path in args.files:
        try:
            docs = load_documents(path)
        except (OSError, ValueError) as exc:
            print(f"error: {path}: {exc}", file=sys.stderr)
            return 2
        problems = lint_documents(docs)
        found += len(problems)
        for problem in problems:
            print(f"{path}: {problem}")
        counts = ", ".join(f"{code} {n}" for code, n in sorted(Counter(p.code for p in problems).items()))
        print(f"{path}: {len(docs)} documents, {len(problems)} findings{': ' + counts if counts else ''}",
              file=sys.stderr)
    return 1 if found else 0


def build_parser() -> argparse.ArgumentParser:
    from .prog import prog

    parser = argparse.ArgumentParser(prog=prog("python -m annotations"), description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("validate", help="check Label Studio exports against the annotation contract")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("--source", choices=("annotations", "predictions"), default="annotations",
                   help="validate the tasks' annotations (default) or predictions")
    p.set_defaults(func=_cmd_validate)

    p = sub.add_parser("lint", help="check gold files against the guideline's boundary conventions and the lexicon")
    p.add_argument("files", nargs="+", metavar="FILE", help="Label Studio JSON exports")
    p.set_defaults(func=_cmd_lint)

    p = sub.add_parser("convert", help="convert between Label Studio JSON and syllable BIO (CoNLL)")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("--to", choices=("conll", "labelstudio"), required=True)
    p.add_argument("--out", required=True)
    p.set_defaults(func=_cmd_convert)

    try:
        from .studio.cli import add_commands
    except ImportError:  # pragma: no cover - the studio module is part of the package
        add_commands = None
    if add_commands is not None:
        add_commands(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    from annotations.prog import guarded

    sys.exit(guarded("python -m annotations", main))
