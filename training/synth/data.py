"""The data files of the generated text, read on first use.

The templates (``synth_templates.txt``, ``synth_prose.txt``), the names, words and weights of
``synth_vocabulary.yaml`` (:func:`vocabulary`, drawn with :func:`_v` and :func:`_weighted`) and the
probability of each choice in ``synth_probabilities.yaml`` (:func:`probabilities`, read with
:func:`_p`), all in ``training/data/synth/``.
"""

from __future__ import annotations

import random
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Mapping

import yaml

from annotations.lexicon import vocabulary as vocab


SYNTH_DIR = Path(__file__).resolve().parent.parent / "data" / "synth"
TEMPLATE_FILE = SYNTH_DIR / "synth_templates.txt"
PROSE_FILE = SYNTH_DIR / "synth_prose.txt"  # entity-light news prose
TEMPLATE_FILES = (TEMPLATE_FILE, PROSE_FILE)
VOCABULARY_FILE = SYNTH_DIR / "synth_vocabulary.yaml"  # names, words and weights
PROBABILITIES_FILE = SYNTH_DIR / "synth_probabilities.yaml"  # the chance of each choice


class _Loader(yaml.SafeLoader):
    """``yaml.SafeLoader`` that refuses a key written twice in one mapping (PyYAML keeps the last)."""


def _mapping(loader: _Loader, node: yaml.MappingNode, deep: bool = False) -> dict:
    keys = [loader.construct_object(key, deep=deep) for key, _ in node.value]
    twice = sorted({str(k) for k in keys if keys.count(k) > 1})
    if twice:
        raise ValueError(f"{node.start_mark.name}: keys written twice: {twice}")
    return loader.construct_mapping(node, deep=deep)


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)


def _load_yaml(path: Path):
    with path.open(encoding="utf-8") as f:
        return yaml.load(f, Loader=_Loader)  # noqa: S506 - a SafeLoader


def _frozen(value):
    if isinstance(value, list):
        return tuple(_frozen(v) for v in value)
    if isinstance(value, dict):
        return MappingProxyType({k: _frozen(v) for k, v in value.items()})
    return value


@lru_cache(maxsize=None)
def vocabulary() -> Mapping[str, object]:
    """The named lists of ``synth_vocabulary.yaml``: a list as a tuple (drawn with ``rng.choice``), a
    weighted list as a read-only mapping of item to weight (drawn with :func:`_weighted`)."""
    data = _frozen(_load_yaml(VOCABULARY_FILE))
    kinds = vocab.CLUSTER_TYPE_ABBREVIATIONS
    for name, words, lexicon_words in (
        ("area_units", data["area_units"], vocab.AREA_UNITS),
        ("area_multipliers", data["area_multipliers"] + data["area_multipliers_ha"], vocab.NUMBER_MULTIPLIERS),
        ("count_words", data["count_words"], vocab.PLURAL_WORDS),
        ("loc_list words", data["loc_list_district_words"] + data["loc_list_commune_words"], vocab.ADMIN_WORDS),
        ("park kinds", (*data["type_words"], *data["article_kinds"], *data["other_kinds"],
                        *data["cluster_list_other_kinds"], *data["type_words_written"]), kinds),
        ("type_words_written", tuple(data["type_words_written"].values()), vocab.CLUSTER_TYPE_WORDS),
    ):
        unknown = [w for w in words if w not in lexicon_words]
        if unknown:
            raise ValueError(f"{VOCABULARY_FILE.name}: {name} holds words the lexicon does not: {unknown}")
    return data


def _v(name: str):
    return vocabulary()[name]


@lru_cache(maxsize=None)
def probabilities() -> Mapping[str, float]:
    """The probabilities of ``synth_probabilities.yaml`` by ``section.name``."""
    data = _load_yaml(PROBABILITIES_FILE)
    flat = {f"{section}.{name}": p for section, entries in data.items() for name, p in entries.items()}
    bad = {k: p for k, p in flat.items() if isinstance(p, bool) or not isinstance(p, (int, float)) or not 0 <= p <= 1}
    if bad:
        raise ValueError(f"{PROBABILITIES_FILE.name}: not probabilities: {bad}")
    return MappingProxyType(flat)


def _p(name: str) -> float:
    return probabilities()[name]


def _weighted(rng: random.Random, weights: Mapping):
    """One item of a weighted list (a mapping of item to weight)."""
    return rng.choices(tuple(weights), tuple(weights.values()))[0]
