"""Vietnamese text processing, subword alignment and the tagger.

``from models import Tagger, extract`` — imported lazily so that ``import models`` stays
cheap and free of side effects (no torch/transformers until a tagger is used).
"""

from __future__ import annotations

__all__ = ["Tagger", "extract"]


def __getattr__(name: str):
    if name in __all__:
        from . import tagger

        return getattr(tagger, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
