"""``python -m annotations push | pull | serve``."""

from __future__ import annotations

import argparse
import logging
import sys
from typing import Any

from .client import KEY_ENV, URL_ENV, StudioError


def _add_connection(p: argparse.ArgumentParser) -> None:
    p.add_argument("--url", help=f"Label Studio URL (default: ${URL_ENV}, else http://localhost:8080)")
    p.add_argument("--api-key", help=f"API key / access token (default: ${KEY_ENV}; prefer the variable)")
    p.add_argument("--label-config", metavar="XML", help="labeling config (default: annotations/labeling_config.xml)")


def _fail(exc: StudioError) -> int:
    print(str(exc), file=sys.stderr)
    return exc.exit_code


def cmd_push(args: argparse.Namespace, predictor: Any = None) -> int:
    from .client import connect, read_label_config, settings_from, translate_errors
    from .predictor import Predictor
    from .push import push, read_articles

    try:
        settings = settings_from(args.url, args.api_key)
        articles = read_articles(args.articles)
        label_config = read_label_config(args.label_config)
        if predictor is None and args.model:
            try:
                predictor = Predictor.from_model_dir(args.model, batch_size=args.batch_size)
            except (OSError, ValueError, ImportError, RuntimeError) as exc:
                raise StudioError(f"error: cannot load the model from {args.model}: {exc}") from None
        client = connect(settings)
        with translate_errors(settings):
            report = push(client, args.project, articles, label_config, predictor)
    except StudioError as exc:
        return _fail(exc)
    for line in report.lines():
        print(line, file=sys.stderr if line.startswith("warning:") else sys.stdout)
    return 0


def cmd_pull(args: argparse.Namespace) -> int:
    from .client import connect, read_label_config, settings_from, translate_errors
    from .pull import pull

    try:
        settings = settings_from(args.url, args.api_key)
        label_config = read_label_config(args.label_config)
        client = connect(settings)
        with translate_errors(settings):
            report = pull(client, args.project, args.out, label_config, overwrite=args.overwrite)
    except StudioError as exc:
        return _fail(exc)
    for problem in report.problems:
        print(f"{args.project}: {problem}", file=sys.stderr)
    for line in report.lines():
        print(line, file=sys.stderr if line.startswith(("conflict:", "warning:")) or report.problems else sys.stdout)
    return 0 if report.ok else 1


def cmd_serve(args: argparse.Namespace, predictor: Any = None) -> int:
    from .client import read_label_config
    from .ml_backend import make_server
    from .predictor import Predictor

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    try:
        if predictor is None:
            try:
                predictor = Predictor.from_model_dir(args.model, batch_size=args.batch_size)
            except (OSError, ValueError, ImportError, RuntimeError) as exc:
                raise StudioError(f"error: cannot load the model from {args.model}: {exc}") from None
        label_config = read_label_config(args.label_config)
        try:
            server = make_server(predictor, args.host, args.port, label_config=label_config)
        except OSError as exc:
            raise StudioError(f"error: cannot listen on {args.host}:{args.port}: {exc}") from None
    except StudioError as exc:
        return _fail(exc)
    print(f"serving model {predictor.model_version} at {server.url} (Ctrl-C stops)", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


def add_commands(sub: Any) -> None:
    """Add ``push``, ``pull`` and ``serve`` to ``python -m annotations``' subparsers."""
    p = sub.add_parser("push", help="import articles into a Label Studio project, with the model's pre-annotations")
    p.add_argument("--articles", nargs="+", required=True, metavar="PATH",
                   help=".txt files (doc_id = file name), directories of them, or .jsonl of {doc_id, text}")
    p.add_argument("--project", required=True, metavar="TITLE", help="project title (created if missing)")
    p.add_argument("--model", metavar="DIR", help="trained tagger; attaches its predictions as pre-annotations")
    p.add_argument("--batch-size", type=int, default=64)
    _add_connection(p)
    p.set_defaults(func=cmd_push)

    p = sub.add_parser("pull", help="export a Label Studio project's annotations into a gold file")
    p.add_argument("--project", required=True, metavar="TITLE")
    p.add_argument("--out", required=True, metavar="FILE", help="gold file (Label Studio JSON); merged if it exists")
    p.add_argument("--overwrite", action="store_true",
                   help="replace gold tasks that differ from the pulled annotation (default: report them)")
    _add_connection(p)
    p.set_defaults(func=cmd_pull)

    p = sub.add_parser("serve", help="serve the model as a Label Studio ML backend (/health, /setup, /predict)")
    p.add_argument("--model", required=True, metavar="DIR")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=9090)
    p.add_argument("--batch-size", type=int, default=64)
    p.add_argument("--label-config", metavar="XML", help="labeling config the model was trained for")
    p.set_defaults(func=cmd_serve)
