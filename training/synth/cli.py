"""Generated, exactly labelled Vietnamese news text for training.

The command line: ``python -m training.synth --n 5 --seed 0`` prints samples as inline markup,
``--stats`` the label mix and speed.
"""

from __future__ import annotations

import argparse
import sys

from .generation import corpus_stats, iter_generated


def main(argv: list[str] | None = None) -> int:
    from ..markup import to_markup

    ap = argparse.ArgumentParser(prog="python -m training.synth", description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=5, help="number of documents (default: %(default)s)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--start", type=int, default=0, help="index of the first document")
    ap.add_argument("--stats", action="store_true",
                    help="print label counts and shares, entities per 1,000 characters and speed instead of the documents")
    args = ap.parse_args(argv)
    if args.n < 0:
        ap.error("--n must be >= 0")
    if args.stats:
        import time

        t = time.perf_counter()
        docs = list(iter_generated(args.n, args.seed, args.start))
        dt = max(time.perf_counter() - t, 1e-9)
        st = corpus_stats(docs)
        print(f"{st['docs']} docs in {dt:.2f}s ({st['docs'] / dt:.0f} docs/s), {st['chars_per_doc']:.0f} chars/doc, "
              f"{st['per_1k_chars']:.2f} entities per 1,000 chars")
        for label, c in sorted(st["counts"].items(), key=lambda kv: -kv[1]):
            print(f"{label}\t{c}\t{st['shares'][label]:.1%}")
        return 0
    for doc in iter_generated(args.n, args.seed, args.start):
        sys.stdout.write(f"### {doc.id}\n{to_markup(doc)}\n\n")
    return 0
