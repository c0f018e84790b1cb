"""Reading raw articles: the one reader behind ``python -m models extract``,
``python -m annotations push`` and ``python -m training --unlabelled``.

Inputs, in the order given:

- a ``.jsonl`` file: one JSON object a line with a string ``text`` and optionally a
  ``doc_id`` (default ``<file stem>:<line number>``); blank lines are skipped;
- a directory: its ``*.txt`` files, sorted by name;
- ``-``: standard input, doc_id ``stdin``;
- any other file: UTF-8 text, doc_id = the file name without its suffix.

:func:`read_documents` reads the same inputs and, in addition, Label Studio exports (a
``.json`` file: a list of tasks or one task, :func:`annotations.labelstudio.load_documents`)
as :class:`~annotations.document.Document` s that keep their annotated spans.

Texts are returned exactly as stored (no normalisation, no stripping). doc_ids must be
unique across all inputs. Every problem is an :class:`ArticleError` naming the file (and
line).
"""

from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator, TextIO

__all__ = ["Article", "ArticleError", "read_articles", "iter_articles", "read_documents"]


@dataclass(frozen=True)
class Article:
    doc_id: str
    text: str


class ArticleError(ValueError):
    """An input that cannot be read as articles; the message names the file."""


def _read_text(path: Path) -> str:
    try:
        return path.read_bytes().decode("utf-8")  # bytes: line endings stay as stored
    except UnicodeDecodeError as exc:
        raise ArticleError(f"{path}: not UTF-8 text: {exc}") from None
    except OSError as exc:
        raise ArticleError(f"{path}: cannot read: {exc.strerror or exc}") from None


def _iter_jsonl(path: Path) -> Iterator[Article]:
    try:
        fh = path.open("rb")
    except OSError as exc:
        raise ArticleError(f"{path}: cannot read: {exc.strerror or exc}") from None
    with fh:
        for n, raw in enumerate(fh, 1):
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise ArticleError(f"{path}:{n}: not UTF-8 text: {exc}") from None
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except ValueError as exc:
                raise ArticleError(f"{path}:{n}: not JSON: {exc}") from None
            if not isinstance(record, dict) or not isinstance(record.get("text"), str):
                raise ArticleError(f"{path}:{n}: expected an object with a string 'text' field")
            doc_id = record.get("doc_id")
            yield Article(doc_id=f"{path.stem}:{n}" if doc_id in (None, "") else str(doc_id), text=record["text"])


def _iter_one(raw: str | os.PathLike[str], stdin: TextIO | None) -> Iterator[Article]:
    if str(raw) == "-":
        yield Article(doc_id="stdin", text=(stdin or sys.stdin).read())
        return
    path = Path(raw)
    if path.is_dir():
        files = sorted(p for p in path.iterdir() if p.suffix == ".txt" and p.is_file())
        if not files:
            raise ArticleError(f"{path}: no .txt files in directory")
        for p in files:
            yield Article(doc_id=p.stem, text=_read_text(p))
    elif not path.exists():
        raise ArticleError(f"{path}: no such file or directory")
    elif path.suffix == ".jsonl":
        yield from _iter_jsonl(path)
    else:
        yield Article(doc_id=path.stem, text=_read_text(path))


def iter_articles(paths: Iterable[str | os.PathLike[str]], *, limit: int | None = None,
                  stdin: TextIO | None = None) -> Iterator[Article]:
    """Articles of ``paths`` one at a time (at most ``limit``), checking doc_ids are unique."""
    if limit is not None and limit < 0:
        raise ValueError(f"limit must be >= 0, got {limit}")
    seen: set[str] = set()
    count = 0
    if limit == 0:
        return
    for raw in paths:
        for article in _iter_one(raw, stdin):
            if article.doc_id in seen:
                raise ArticleError(f"doc_id {article.doc_id!r} given more than once")
            seen.add(article.doc_id)
            count += 1
            yield article
            if limit is not None and count >= limit:
                return


def read_articles(paths: Iterable[str | os.PathLike[str]] | str | os.PathLike[str], *, limit: int | None = None,
                  stdin: TextIO | None = None) -> list[Article]:
    """All articles of ``paths`` (a path or a list of them); see the module docstring."""
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    return list(iter_articles(paths, limit=limit, stdin=stdin))


def _label_studio(path: Path) -> list:
    from .labelstudio import load_documents

    try:
        return load_documents(path)
    except UnicodeDecodeError as exc:
        raise ArticleError(f"{path}: not UTF-8 text: {exc}") from None
    except OSError as exc:
        raise ArticleError(f"{path}: cannot read: {exc.strerror or exc}") from None
    except (ValueError, KeyError, TypeError, AttributeError, IndexError) as exc:
        raise ArticleError(f"{path}: not a Label Studio export: {exc}") from None


def read_documents(paths: Iterable[str | os.PathLike[str]] | str | os.PathLike[str], *,
                   stdin: TextIO | None = None) -> list:
    """Documents of ``paths``: a Label Studio export (``.json``) gives its tasks with their
    annotated spans (``meta["task"]`` set), every other input what :func:`read_articles` reads,
    without spans. doc_ids must be unique across all inputs."""
    from .document import Document

    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    docs: list = []
    seen: set[str] = set()
    for raw in paths:
        path = Path(raw)
        if str(raw) != "-" and path.suffix == ".json" and path.is_file():
            batch = _label_studio(path)
        else:
            batch = [Document(id=a.doc_id, text=a.text) for a in iter_articles([raw], stdin=stdin)]
        for doc in batch:
            if doc.id in seen:
                raise ArticleError(f"doc_id {doc.id!r} given more than once")
            seen.add(doc.id)
            docs.append(doc)
    return docs
