"""vicluster training: corpus assembly, tokenizer building and the training loop.

``from training import train_model`` — imported lazily (no torch until used).
"""

from __future__ import annotations

__all__ = ["train_model", "load_config"]


def __getattr__(name: str):
    if name == "train_model":
        from .train import train_model

        return train_model
    if name == "load_config":
        from .config import load_config

        return load_config
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
