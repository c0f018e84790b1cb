"""``python -m models.benchmark``: inference throughput and memory, printed as figures.

Times ``Tagger.extract_batch`` on articles (the seed articles by default, or a JSON-lines
file with ``text``) for each model given, beside the rules baseline measured in the same
run, and prints characters per second, the ratio to the rules baseline and the peak
resident memory. ``--phobert-base-random TOKENIZER_DIR`` adds a randomly initialised model
of PhoBERT-base's exact config: the real tokenizer, shapes and compute cost, no weights.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import tempfile
import time
from pathlib import Path

from annotations import ARTICLES_DIR


def _texts(source: str | None, limit: int) -> list[str]:
    if source is None:
        return [p.read_text(encoding="utf-8") for p in sorted(ARTICLES_DIR.glob("*.txt"))]
    with open(source, encoding="utf-8") as fh:
        return [json.loads(line)["text"] for line, _ in zip(fh, range(limit)) if line.strip()]


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _time(fn, repeat: int) -> float:
    fn()  # warm-up: loading, caches
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def _scaling(texts: list[str], sizes: str, extract) -> int:
    try:
        megabytes = [float(x) for x in sizes.split(",")]
    except ValueError:
        raise SystemExit(f"--scaling: expected sizes in MB such as 1,2,4, got {sizes!r}") from None
    blob = "\n\n".join(texts)
    extract(blob[:2000])  # warm-up: the gazetteer patterns compile once
    print(f"{'MB':>6}  {'seconds':>8}  {'s/MB':>6}  spans")
    for mb in megabytes:
        n = int(mb * 1e6)
        text = (blob * (n // max(len(blob), 1) + 1))[:n]
        start = time.perf_counter()
        spans = extract(text)
        seconds = time.perf_counter() - start
        print(f"{mb:6.1f}  {seconds:8.2f}  {seconds / mb:6.2f}  {len(spans)}", flush=True)
    print(f"peak resident memory {_peak_mb():.0f} MB")
    return 0


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m models.benchmark", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("models", nargs="*", help="model directories")
    p.add_argument("--texts", help="JSON-lines file with 'text' (default: the seed articles)")
    p.add_argument("--limit", type=int, default=200, help="articles read from --texts (default 200)")
    p.add_argument("--repeat", type=int, default=3, help="timed runs, best kept (default 3)")
    p.add_argument("--batch-size", type=int, default=16)
    p.add_argument("--scaling", metavar="MB,MB,...",
                   help="instead: time the rules on one text of each size (megabytes of the articles, repeated) "
                        "and print seconds per MB, to see that the time is linear in the length")
    p.add_argument("--phobert-base-random", metavar="TOKENIZER_DIR", type=Path,
                   help="also time PhoBERT-base's architecture (random weights) with this tokenizer")
    args = p.parse_args(argv)

    from models.rules import extract as rules_extract
    from .phobert import random_phobert_base

    from .tagger import Tagger

    texts = _texts(args.texts, args.limit)
    if args.scaling:
        return _scaling(texts, args.scaling, rules_extract)
    chars = sum(map(len, texts))
    print(f"{len(texts)} articles, {chars} characters, best of {args.repeat}")
    base = _time(lambda: [rules_extract(t) for t in texts], args.repeat)
    rows = [("rules baseline", base)]
    with tempfile.TemporaryDirectory() as tmp:
        models = list(args.models)
        if args.phobert_base_random:
            models.append(str(random_phobert_base(args.phobert_base_random, Path(tmp) / "phobert-base-random")))
        for model in models:
            tagger = Tagger.from_pretrained(model, device="cpu")
            name = Path(model).name
            rows.append((f"{name} ({tagger.model.num_parameters() / 1e6:.1f}M params, {tagger.settings.segmenter})",
                         _time(lambda: tagger.extract_batch(texts, batch_size=args.batch_size), args.repeat)))
    width = max(len(r[0]) for r in rows)
    print(f"{'system':{width}}  seconds  chars/s    x rules-time")
    for name, seconds in rows:
        print(f"{name:{width}}  {seconds:7.2f}  {chars / seconds:9.0f}  {seconds / base:8.1f}")
    print(f"peak resident memory {_peak_mb():.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
