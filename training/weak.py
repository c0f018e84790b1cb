"""Weak labels for unlabelled articles (``python -m training --unlabelled FILE``).

Each article of a JSON-lines file (one object with a ``text`` field, optionally ``doc_id``)
is labelled by the rules baseline (``models.rules``) and added to the
training split only. Articles of the shared gold (``../shared/corpus/train.json`` and
``dev.json``, :func:`annotations.shared.labelled_articles`) are left out by doc_id and by
text: the unlabelled corpus holds train.json's articles. Off by default.
"""

from __future__ import annotations

from pathlib import Path

from annotations.document import Document


def read_articles(path: str | Path, limit: int | None = None) -> list[tuple[str, str]]:
    """``(doc_id, text)`` of the first ``limit`` articles of ``path`` (see
    :mod:`annotations.reader`) that are not shared gold, doc_ids prefixed ``weak:``."""
    from annotations.reader import read_articles as read

    from annotations.shared import labelled_articles

    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"unlabelled articles: {path} not found")
    ids, texts = labelled_articles()
    articles = [a for a in read(path) if a.doc_id not in ids and a.text not in texts]
    return [(f"weak:{a.doc_id}", a.text) for a in articles[:limit]]


def weakly_label(path: str | Path, limit: int | None = None, progress: bool = False) -> list[Document]:
    """Documents of ``path`` with the rules baseline's spans as labels."""
    from models.rules import extract

    articles = read_articles(path, limit)
    if progress:
        from tqdm.auto import tqdm

        articles = tqdm(articles, desc="weak labels", unit="doc")
    return [Document(id=doc_id, text=text, spans=extract(text), meta={"weak": "rules"})
            for doc_id, text in articles]
