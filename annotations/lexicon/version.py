"""The lexicon's identity: a version people bump and a hash of its content.

The hash covers the data files and the vocabulary's lists as data (JSON), never source
bytes: a comment or a reformatting changes nothing, a name added to a list does.
"""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache

from . import vocabulary
from .gazetteers import ALIASES, DATA_DIR

#: bumped by hand whenever the lexicon changes on purpose; the hash tells the rest
LEXICON_VERSION = "2026.12.2"


@lru_cache(maxsize=1)
def content_hash() -> str:
    """A short SHA-256 of every data file (name and bytes) and of the vocabulary and aliases as JSON."""
    digest = hashlib.sha256()
    for path in sorted(DATA_DIR.iterdir()):
        if path.is_file() and path.suffix in (".txt", ".tsv"):
            digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    data = {**vocabulary.as_data(), "ALIASES": ALIASES}
    digest.update(json.dumps(data, ensure_ascii=False, sort_keys=True).encode())
    return digest.hexdigest()[:16]


def lexicon_version() -> dict[str, str]:
    """``{"version": ..., "sha256": ...}``: what a model directory records."""
    return {"version": LEXICON_VERSION, "sha256": content_hash()}
