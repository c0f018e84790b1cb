"""``python -m models extract FILE... --model DIR``: extract entities from text files;
``python -m models records FILE... --model DIR|--rules|--gold``: one record per cluster."""

from __future__ import annotations

import argparse
import io
import itertools
import json
import sys


def _read_inputs(paths: list[str]) -> list[tuple[str, str]]:
    """``(doc_id, text)`` pairs of the inputs (see :mod:`annotations.reader`)."""
    from annotations.reader import read_articles

    return [(a.doc_id, a.text) for a in read_articles(paths)]


def _load_tagger(args: argparse.Namespace):
    """The Tagger of ``--model`` (``--device``, ``--dtype``), or None after one error line."""
    from .tagger import Tagger

    try:
        return Tagger.from_pretrained(args.model, device=args.device, dtype=args.dtype)
    except (OSError, ValueError) as exc:
        print(f"error: cannot load model {args.model}: {exc}", file=sys.stderr)
        return None


def _cmd_extract(args: argparse.Namespace) -> int:
    try:
        items = _read_inputs(args.files)
    except (OSError, ValueError, UnicodeDecodeError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    for name, value in (("--batch-size", args.batch_size), ("--max-tokens", args.max_tokens),
                        ("--workers", args.workers)):
        if value is not None and value < 1:
            print(f"error: {name} must be at least 1, got {value}", file=sys.stderr)
            return 2
    texts = [text for _, text in items]
    if args.ray:
        # a Ray Data pipeline (models/ray_extract.py): the runtime RAY_ADDRESS names, or a local one
        from annotations.extras import MissingExtra

        from .ray_extract import ray_extract

        try:
            results = ray_extract(texts, args.model, workers=args.workers, device=args.device, dtype=args.dtype,
                                  batch_size=args.batch_size, max_tokens=args.max_tokens)
        except MissingExtra as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
    elif args.workers > 1:
        # a pool of processes, each loading the model once (models/parallel.py); spans in input order
        from .parallel import parallel_extract

        from .parallel import ModelLoadError

        results = parallel_extract(texts, args.model, workers=args.workers, device=args.device, dtype=args.dtype,
                                   batch_size=args.batch_size, max_tokens=args.max_tokens, progress=args.progress)
        try:  # the first chunk's answer, before anything is written: a model the workers cannot load
            first = next(results, None)
        except ModelLoadError as exc:
            print(f"error: cannot load model {args.model}: {exc}", file=sys.stderr)
            return 2
        results = itertools.chain([] if first is None else [first], results)
    else:
        tagger = _load_tagger(args)
        if tagger is None:
            return 2
        # spans come document by document (Tagger.iter_extract): jsonl and table lines are written as they come
        results = tagger.iter_extract(texts, batch_size=args.batch_size, progress=args.progress,
                                      max_tokens=args.max_tokens)
    return _write_extract(args, items, results)


def _write_extract(args: argparse.Namespace, items: list[tuple[str, str]], results) -> int:
    out = sys.stdout
    if args.format == "json":
        json.dump([{"doc_id": doc_id, "entities": [s.to_dict() for s in spans]}
                   for (doc_id, _), spans in zip(items, results)], out, ensure_ascii=False, indent=1)
        out.write("\n")
    elif args.format == "jsonl":
        for (doc_id, _), spans in zip(items, results):
            out.write(json.dumps({"doc_id": doc_id, "entities": [s.to_dict() for s in spans]},
                                 ensure_ascii=False) + "\n")
    else:
        out.write("doc_id\tstart\tend\tlabel\tscore\ttext\n")
        for (doc_id, _), spans in zip(items, results):
            for s in spans:
                text = s.text.replace("\t", " ").replace("\n", " ")
                out.write(f"{doc_id}\t{s.start}\t{s.end}\t{s.label}\t{s.score:.3f}\t{text}\n")
    return 0


def _cmd_records(args: argparse.Namespace) -> int:
    from annotations.reader import read_documents

    from .records import build_records
    from .records_output import AGGREGATE_FIELDS, aggregate_rows, write_csv, write_records

    try:
        docs = read_documents(args.files)
    except (OSError, ValueError, UnicodeDecodeError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.gold:
        plain = next((d.id for d in docs if "task" not in d.meta), None)
        if plain is not None:
            print(f"error: --gold reads the spans of Label Studio exports (.json); {plain!r} is plain text",
                  file=sys.stderr)
            return 2
        spans = [d.spans for d in docs]
    elif args.rules:
        from .rules import extract

        spans = [extract(d.text) for d in docs]
    else:
        tagger = _load_tagger(args)
        if tagger is None:
            return 2
        if args.batch_size < 1:
            print(f"error: --batch-size must be at least 1, got {args.batch_size}", file=sys.stderr)
            return 2
        spans = tagger.extract_batch([d.text for d in docs], batch_size=args.batch_size, progress=args.progress)
    try:
        items = [(d.id, build_records(d.text, s)) for d, s in zip(docs, spans)]
    except ValueError as exc:  # gold spans that do not match their text
        print(f"error: {exc}", file=sys.stderr)
        return 2
    write_records(sys.stdout, items, args.format)
    if args.aggregate:
        from annotations.labelstudio import write_atomic

        buf = io.StringIO()
        write_csv(buf, aggregate_rows(items), AGGREGATE_FIELDS)
        try:
            write_atomic(args.aggregate, buf.getvalue())
        except OSError as exc:
            print(f"error: cannot write {args.aggregate}: {exc.strerror or exc}", file=sys.stderr)
            return 1
    return 0


def build_parser() -> argparse.ArgumentParser:
    from annotations.prog import prog

    parser = argparse.ArgumentParser(prog=prog("python -m models"), description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("extract", help="extract entities from text files")
    p.add_argument("files", nargs="+", metavar="FILE", help=".txt files, .jsonl files with 'text', or -")
    p.add_argument("--model", required=True, help="model directory (or hub name)")
    p.add_argument("--format", choices=("json", "jsonl", "table"), default="json")
    p.add_argument("--batch-size", type=int, default=64,
                   help="full-length windows a batch (default 64); shorter windows are packed to the same tokens")
    p.add_argument("--max-tokens", type=int, default=None,
                   help="tokens a batch, padding included (default: batch size x the model's max_length)")
    p.add_argument("--device", default=None, help="cpu, cuda, cuda:1 ... (default: CUDA if available)")
    p.add_argument("--dtype", default="auto", choices=("auto", "float32", "bfloat16", "float16"),
                   help="precision the model computes in (default auto: bfloat16 on CUDA and on CPUs with native "
                        "bf16, avx512_bf16 or amx_bf16; float32 elsewhere)")
    p.add_argument("--workers", type=int, default=1,
                   help="processes that tag in parallel, each loading the model once and using its share of "
                        "the CPUs (default 1: this process); the output is the same, in input order")
    p.add_argument("--ray", action="store_true",
                   help="tag as a Ray Data pipeline with --workers actors, on the Ray cluster RAY_ADDRESS names "
                        "or a local runtime (needs the [scale] extra)")
    p.add_argument("--progress", action="store_true", help="show a progress bar")
    p.set_defaults(func=_cmd_extract)

    p = sub.add_parser("records", help="one record per cluster of each article: name, type, province, area, fill rate",
                       description="Group the spans of each article into one record per distinct cluster, with its "
                                   "province, locations, area (ha) and fill rate (%%) and the offsets they came from.")
    p.add_argument("files", nargs="+", metavar="FILE",
                   help=".txt files, .jsonl files with 'text', directories of .txt, Label Studio exports (.json), or -")
    spans = p.add_mutually_exclusive_group(required=True)
    spans.add_argument("--model", help="model directory (or hub name) that tags the spans")
    spans.add_argument("--rules", action="store_true", help="tag with the rules baseline (no model)")
    spans.add_argument("--gold", action="store_true", help="use the annotated spans of Label Studio exports")
    p.add_argument("--format", choices=("jsonl", "json", "csv", "table"), default="jsonl")
    p.add_argument("--aggregate", metavar="PATH",
                   help="also write a CSV across documents: one row per (cluster, doc_id) with its figures")
    p.add_argument("--batch-size", type=int, default=64)
    p.add_argument("--device", default=None, help="cpu, cuda, cuda:1 ... (default: CUDA if available)")
    p.add_argument("--dtype", default="auto", choices=("auto", "float32", "bfloat16", "float16"),
                   help="precision the model computes in (as for extract)")
    p.add_argument("--progress", action="store_true", help="show a progress bar")
    p.set_defaults(func=_cmd_records)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    from annotations.prog import guarded

    sys.exit(guarded("python -m models", main))
