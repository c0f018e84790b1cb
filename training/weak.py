"""Weak labels for unlabelled articles (``python -m training --unlabelled FILE``).

Each article of a JSON-lines file (one object with a ``text`` field, optionally ``doc_id``)
is labelled by the rules baseline (``models.rules``) and added to the
training split only. Off by default: the default model depends on the repository alone.
"""

from __future__ import annotations

from pathlib import Path

from annotations.document import Document


def read_articles(path: str | Path, limit: int | None = None) -> list[tuple[str, str]]:
    """``(doc_id, text)`` of the first ``limit`` articles of ``path`` (see
    :mod:`annotations.reader`), doc_ids prefixed ``weak:``."""
    from annotations.reader import read_articles as read

    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"unlabelled articles: {path} not found")
    return [(f"weak:{a.doc_id}", a.text) for a in read(path, limit=limit)]


def weakly_label(path: str | Path, limit: int | None = None, progress: bool = False) -> list[Document]:
    """Documents of ``path`` with the rules baseline's spans as labels."""
    from models.rules import extract

    articles = read_articles(path, limit)
    if progress:
        from tqdm.auto import tqdm

        articles = tqdm(articles, desc="weak labels", unit="doc")
    return [Document(id=doc_id, text=text, spans=extract(text), meta={"weak": "rules"})
            for doc_id, text in articles]
