"""Weak labels for unlabelled articles (``python -m training --unlabelled FILE``).

Each article of a JSON-lines file (one object with a ``text`` field, optionally ``doc_id``)
is labelled by the rules baseline (``evaluation.baselines.rules``) and added to the
training split only. Off by default: the default model depends on the repository alone.
"""

from __future__ import annotations

import json
from pathlib import Path

from annotations.document import Document


def read_articles(path: str | Path, limit: int | None = None) -> list[tuple[str, str]]:
    """``(doc_id, text)`` of the first ``limit`` articles of a JSON-lines file."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"unlabelled articles: {path} not found")
    out: list[tuple[str, str]] = []
    with path.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                raise ValueError(f"{path}:{n}: not JSON: {exc}") from exc
            text = record.get("text") if isinstance(record, dict) else None
            if not isinstance(text, str):
                raise ValueError(f"{path}:{n}: no string 'text' field")
            out.append((f"weak:{record.get('doc_id', n)}", text))
            if limit is not None and len(out) >= limit:
                break
    return out


def weakly_label(path: str | Path, limit: int | None = None, progress: bool = False) -> list[Document]:
    """Documents of ``path`` with the rules baseline's spans as labels."""
    from evaluation.baselines.rules import extract

    articles = read_articles(path, limit)
    if progress:
        from tqdm.auto import tqdm

        articles = tqdm(articles, desc="weak labels", unit="doc")
    return [Document(id=doc_id, text=text, spans=extract(text), meta={"weak": "rules"})
            for doc_id, text in articles]
