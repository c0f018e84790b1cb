"""The stream of generated documents, deterministic per seed (document ``i`` depends only on
``seed`` and ``i``), and the label statistics of a corpus."""

from __future__ import annotations

import random
from typing import Iterator

from annotations.document import Document

from .context import _new_ctx
from .documents import _build, segments_to_document


def _doc_rng(seed: int, index: int) -> random.Random:
    return random.Random(f"vicluster-synth:{seed}:{index}")


def generate_one(seed: int, index: int) -> Document:
    rng = _doc_rng(seed, index)
    ctx = _new_ctx(rng)
    segs = _build(ctx)
    meta = {"source": "synth", "seed": seed, "index": index, "province": ctx.pname, "era": ctx.era, "genre": ctx.genre}
    return segments_to_document(segs, f"synth-{seed}-{index:06d}", meta)


def iter_generated(n_docs: int | None = None, seed: int = 0, start: int = 0) -> Iterator[Document]:
    """Documents ``start, start+1, ...`` of the stream for ``seed`` (endless if ``n_docs`` is None)."""
    if n_docs is not None and n_docs < 0:
        raise ValueError(f"n_docs must be >= 0, got {n_docs}")
    i = start
    while n_docs is None or i < start + n_docs:
        yield generate_one(seed, i)
        i += 1


def generate(n_docs: int, seed: int = 0) -> list[Document]:
    """``n_docs`` generated documents, deterministic per ``seed``."""
    if not isinstance(n_docs, int) or n_docs < 0:
        raise ValueError(f"n_docs must be a non-negative int, got {n_docs!r}")
    return list(iter_generated(n_docs, seed))


def corpus_stats(docs: list[Document]) -> dict:
    """Label counts and shares, entities per 1,000 characters and mean length of ``docs``."""
    counts = {label: 0 for label in ("CLUSTER", "LOCATION", "AREA", "PERCENT")}
    for d in docs:
        for s in d.spans:
            counts[s.label] = counts.get(s.label, 0) + 1
    chars = sum(len(d.text) for d in docs)
    total = sum(counts.values())
    return {
        "docs": len(docs), "chars": chars, "entities": total, "counts": counts,
        "shares": {k: (v / total if total else 0.0) for k, v in counts.items()},
        "per_1k_chars": 1000 * total / chars if chars else 0.0,
        "chars_per_doc": chars / len(docs) if docs else 0.0,
    }
