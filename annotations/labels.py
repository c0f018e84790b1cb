"""The label set of the annotation contract and the BIO tag set derived from it."""

from __future__ import annotations

LABELS: tuple[str, ...] = ("CLUSTER", "LOCATION", "AREA", "PERCENT")

#: relation labels of the record gold (Label Studio ``<Relations>``), each with the label of
#: the span it starts at and the labels it may point to (``annotations/guidelines.md``, Relations)
RELATIONS: dict[str, tuple[str, tuple[str, ...]]] = {
    "same_as": ("CLUSTER", ("CLUSTER",)),        # a later mention -> the first mention of that cluster
    "located_in": ("CLUSTER", ("LOCATION",)),    # the place the text gives for the cluster
    "implied_in": ("CLUSTER", ("LOCATION",)),    # a place the article implies, for the province
    "area": ("CLUSTER", ("AREA",)),              # the cluster's own size
    "fill_rate": ("CLUSTER", ("PERCENT",)),      # the share of its land leased (lấp đầy, cho thuê)
}

#: BIO (IOB2) tags in a fixed order: ``O`` first, then B-/I- per label.
BIO_TAGS: tuple[str, ...] = ("O",) + tuple(f"{p}-{label}" for label in LABELS for p in ("B", "I"))


def tag_to_id() -> dict[str, int]:
    return {tag: i for i, tag in enumerate(BIO_TAGS)}


def id_to_tag() -> dict[int, str]:
    return dict(enumerate(BIO_TAGS))
