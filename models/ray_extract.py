"""Extraction as a Ray Data pipeline, for a corpus spread over the machines of a Ray cluster
(the optional ``[scale]`` extra: ``pip install 'vicluster[scale]'``).

``ray_extract(texts, model, workers=N)`` yields the spans of each text in input order, as
``Tagger.iter_extract`` would: the texts become a Ray Dataset, ``map_batches`` runs them
through a pool of ``N`` actors (:class:`ray.data.ActorPoolStrategy`) that each load the model
once, and the results come back sorted by input position. It joins the runtime that
``RAY_ADDRESS`` names (a cluster: ``ray start --head`` on one machine, ``ray start
--address=...`` on the others, vicluster installed on every one), or starts a local one.
``vicluster extract FILE... --model DIR --ray --workers N`` is the command line.

As with :mod:`models.parallel`, offsets, labels and texts are those of one process; a score
may differ in its last bits (the windows are batched with other neighbours).
"""

from __future__ import annotations

import json
from typing import Iterator, Sequence

__all__ = ["ray_extract", "TaggerActor"]


class TaggerActor:
    """A Ray Data callable class: loads the model once, tags a batch of ``{"i", "text"}`` rows
    and answers ``{"i", "spans"}`` (spans as a JSON list of ``[start, end, label, text, score]``)."""

    def __init__(self, model: str, device: str | None = None, dtype: str = "auto", batch_size: int = 64,
                 max_tokens: int | None = None) -> None:
        from .tagger import Tagger

        self.tagger = Tagger.from_pretrained(model, device=device, dtype=dtype)
        self.options = {"batch_size": batch_size, "max_tokens": max_tokens}

    def __call__(self, batch: dict) -> dict:
        texts = [str(t) for t in batch["text"]]
        docs = self.tagger.extract_batch(texts, **self.options)
        return {"i": list(batch["i"]),
                "spans": [json.dumps([[s.start, s.end, s.label, s.text, s.score] for s in doc], ensure_ascii=False)
                          for doc in docs]}


def ray_extract(texts: Sequence[str], model: str, *, workers: int = 1, device: str | None = None,
                dtype: str = "auto", batch_size: int = 64, max_tokens: int | None = None,
                texts_per_batch: int = 16, num_cpus: float = 1, address: str | None = None) -> Iterator[list]:
    """Spans of each of ``texts`` (lists of :class:`annotations.document.Span`), in input order,
    tagged by ``workers`` Ray actors that each load ``model`` once (``num_cpus`` each);
    ``texts_per_batch`` texts go to an actor at a time. ``address``: the Ray runtime to join
    (default: an initialised one, else ``RAY_ADDRESS``, else a new local one)."""
    from annotations.document import Span
    from annotations.extras import require

    ray = require("ray", "scale", "extraction with Ray Data")
    require("ray.data", "scale", "extraction with Ray Data")
    from ray.data import ActorPoolStrategy

    if isinstance(workers, bool) or not isinstance(workers, int) or workers < 1:
        raise ValueError(f"workers must be an integer >= 1, got {workers!r}")
    texts = list(texts)
    if not texts:
        return iter(())
    if not ray.is_initialized():
        ray.init(address=address, include_dashboard=False, log_to_driver=False)
    ctx = ray.data.DataContext.get_current()
    ctx.execution_options.preserve_order = True
    ds = ray.data.from_items([{"i": i, "text": t} for i, t in enumerate(texts)])
    ds = ds.map_batches(TaggerActor, batch_size=texts_per_batch, compute=ActorPoolStrategy(size=workers),
                        num_cpus=num_cpus,
                        fn_constructor_kwargs={"model": str(model), "device": device, "dtype": dtype,
                                               "batch_size": batch_size, "max_tokens": max_tokens})
    rows = sorted(ds.iter_rows(), key=lambda r: int(r["i"]))
    if [int(r["i"]) for r in rows] != list(range(len(texts))):
        raise RuntimeError(f"Ray Data returned {len(rows)} results for {len(texts)} texts")
    return iter([[Span(start, end, label, text, score) for start, end, label, text, score in json.loads(r["spans"])]
                 for r in rows])
