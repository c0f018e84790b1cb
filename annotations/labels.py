"""The label set of the annotation contract and the BIO tag set derived from it."""

from __future__ import annotations

LABELS: tuple[str, ...] = ("CLUSTER", "LOCATION", "AREA", "PERCENT")

#: BIO (IOB2) tags in a fixed order: ``O`` first, then B-/I- per label.
BIO_TAGS: tuple[str, ...] = ("O",) + tuple(f"{p}-{label}" for label in LABELS for p in ("B", "I"))


def tag_to_id() -> dict[str, int]:
    return {tag: i for i, tag in enumerate(BIO_TAGS)}


def id_to_tag() -> dict[int, str]:
    return dict(enumerate(BIO_TAGS))
