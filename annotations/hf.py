"""Documents -> a Hugging Face ``datasets.Dataset`` of syllables with ``ClassLabel`` tags."""

from __future__ import annotations

from typing import Iterable

from .bio import document_to_bio
from .document import Document
from .labels import BIO_TAGS, tag_to_id


def features():
    from .extras import require

    datasets = require("datasets", "train", "Hugging Face datasets export")
    ClassLabel, Features, Sequence, Value = datasets.ClassLabel, datasets.Features, datasets.Sequence, datasets.Value

    return Features({
        "id": Value("string"),
        "text": Value("string"),
        "tokens": Sequence(Value("string")),
        "token_starts": Sequence(Value("int32")),
        "token_ends": Sequence(Value("int32")),
        "ner_tags": Sequence(ClassLabel(names=list(BIO_TAGS))),
    })


def documents_to_dataset(docs: Iterable[Document], *, strict: bool = True):
    """One row per document. With ``strict`` a span that does not fall on syllable
    boundaries raises instead of being dropped."""
    from .extras import require

    Dataset = require("datasets", "train", "Hugging Face datasets export").Dataset

    rows = {k: [] for k in ("id", "text", "tokens", "token_starts", "token_ends", "ner_tags")}
    index = tag_to_id()
    for doc in docs:
        bio = document_to_bio(doc)
        if strict and bio.misaligned:
            raise ValueError(f"{doc.id}: spans not on syllable boundaries or overlapping: {bio.misaligned}")
        rows["id"].append(doc.id)
        rows["text"].append(doc.text)
        rows["tokens"].append([doc.text[s:e] for s, e in bio.tokens])
        rows["token_starts"].append([s for s, _ in bio.tokens])
        rows["token_ends"].append([e for _, e in bio.tokens])
        rows["ner_tags"].append([index[t] for t in bio.tags])
    return Dataset.from_dict(rows, features=features())
