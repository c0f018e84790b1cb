"""Extraction over many texts with a pool of worker processes on one machine.

``parallel_extract(texts, model, workers=N)`` yields the spans of each text, in input order,
as ``Tagger.iter_extract`` would: the standard library's
:class:`concurrent.futures.ProcessPoolExecutor` with *spawn* workers (no torch state is forked),
each of which loads the model once (its initializer) and tags chunks of consecutive texts.
Each worker gets an equal share of the CPUs as torch threads (2 workers on 4 CPUs: 2 threads
each), so that the pool does not oversubscribe the cores. At most ``2 * workers`` chunks are
in flight: memory stays bounded by the chunks, not by the number of texts.

The spans (offsets, labels, text) are those of one process; a score may differ in its last
bits, since the windows are batched with other neighbours (as between ``extract`` and
``extract_batch``).

A worker that cannot load the model answers every chunk with :class:`ModelLoadError` (a
``ValueError``) carrying ``Tagger.from_pretrained``'s message, raised in the caller.
"""

from __future__ import annotations

import multiprocessing
from collections import deque
from concurrent.futures import ProcessPoolExecutor
from typing import Iterable, Iterator, Sequence

__all__ = ["parallel_extract", "chunks", "ModelLoadError"]

#: a chunk sent to a worker: consecutive texts up to about this many characters (or one longer text)
CHUNK_CHARS = 40_000
#: ... and at most this many texts
CHUNK_TEXTS = 32

_TAGGER = None  # the worker's model (set by _init)
_LOAD_ERROR: BaseException | None = None
_OPTIONS: dict = {}


class ModelLoadError(ValueError):
    """A worker could not load the model (the message says why, as ``Tagger.from_pretrained`` did)."""


def chunks(texts: Iterable[str], max_chars: int = CHUNK_CHARS, max_texts: int = CHUNK_TEXTS) -> Iterator[list[str]]:
    """Consecutive texts in lists of at most ``max_texts`` and about ``max_chars`` characters
    (a longer text is a chunk by itself)."""
    chunk: list[str] = []
    size = 0
    for text in texts:
        if chunk and (size + len(text) > max_chars or len(chunk) >= max_texts):
            yield chunk
            chunk, size = [], 0
        chunk.append(text)
        size += len(text)
    if chunk:
        yield chunk


def _init(model: str, device: str | None, dtype: str, threads: int, options: dict) -> None:
    global _TAGGER, _LOAD_ERROR, _OPTIONS
    import torch

    torch.set_num_threads(threads)
    _OPTIONS = options
    from .tagger import Tagger

    try:
        _TAGGER = Tagger.from_pretrained(model, device=device, dtype=dtype)
    except Exception as exc:  # noqa: BLE001 - given back with every chunk, raised in the caller
        _LOAD_ERROR = exc


def _tag(texts: list[str]) -> list:
    if _LOAD_ERROR is not None:
        raise ModelLoadError(str(_LOAD_ERROR))
    return _TAGGER.extract_batch(texts, **_OPTIONS)


def parallel_extract(texts: Sequence[str] | Iterable[str], model: str, *, workers: int, device: str | None = None,
                     dtype: str = "auto", batch_size: int = 64, max_tokens: int | None = None,
                     progress: bool = False, start_method: str = "spawn", chunk_chars: int = CHUNK_CHARS,
                     chunk_texts: int = CHUNK_TEXTS) -> Iterator[list]:
    """Spans of each of ``texts`` (lists of :class:`annotations.document.Span`), in input order,
    tagged by ``workers`` processes that each load ``model`` once (see the module's docstring)."""
    from .precision import cpu_threads

    if isinstance(workers, bool) or not isinstance(workers, int) or workers < 1:
        raise ValueError(f"workers must be an integer >= 1, got {workers!r}")
    threads = max(1, cpu_threads() // workers)
    options = {"batch_size": batch_size, "max_tokens": max_tokens}
    bar = None
    if progress:
        from tqdm.auto import tqdm

        bar = tqdm(total=len(texts) if hasattr(texts, "__len__") else None, desc="tagging", unit="article")
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context(start_method),
                               initializer=_init, initargs=(str(model), device, dtype, threads, options))
    try:
        pending: deque = deque()
        for chunk in chunks(texts, chunk_chars, chunk_texts):
            pending.append(pool.submit(_tag, chunk))
            if len(pending) >= 2 * workers:
                yield from _drain(pending.popleft(), bar)
        while pending:
            yield from _drain(pending.popleft(), bar)
    finally:  # also when the caller stops early: chunks not started are dropped
        pool.shutdown(wait=True, cancel_futures=True)
        if bar is not None:
            bar.close()


def _drain(future, bar) -> Iterator[list]:
    for spans in future.result():
        if bar is not None:
            bar.update(1)
        yield spans
