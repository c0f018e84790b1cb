"""Which province a LOCATION names: the administrative units table and the aliases of the lexicon.

``province_candidates("huyện Chi Lăng") == ("Lạng Sơn",)``; ``"TP.HCM"`` gives ``("Hồ Chí
Minh",)``; a district name shared by two provinces (``Chợ Mới``: Bắc Kạn and An Giang) gives
both, and :func:`resolve` picks the one the document names most; a country, a region or a
village gives ``()``. Names are the canonical ones of the table
(:func:`annotations.lexicon.admin_units`, province column), units before the 2025 reform first
(the 63 provinces most news names), the 2025 table only for a name the older one lacks.

The prefix decides the level: ``tỉnh`` a province, ``huyện``/``quận``/``thị xã`` a district,
``xã``/``phường``/``thị trấn`` a commune, ``thành phố``/``TP`` a province or a city of one; a bare
name is a province or a district (a bare commune name is too ambiguous to count).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from functools import lru_cache
from typing import Iterable

from annotations.lexicon import ALIASES, admin_units, tone_new_style
from annotations.lexicon import vocabulary as v

__all__ = ["province_candidates", "names_province", "resolve", "document_provinces", "place_key"]

#: prefix (lower case, no dot) -> the levels it may name, most likely first
_LEVELS = {
    "tỉnh": ("province",), "thành phố": ("province", "district"), "tp": ("province", "district"),
    "huyện": ("district",), "quận": ("district",), "thị xã": ("district",), "h": ("district",),
    "q": ("district",), "tx": ("district",), "t x": ("district",),
    "xã": ("commune",), "phường": ("commune",), "thị trấn": ("commune",), "đặc khu": ("commune",),
    "p": ("commune",), "x": ("commune",), "tt": ("commune",),
}
_BARE = ("province", "district")


def place_key(name: str) -> str:
    """What two spellings of one name share: NFC, one tone placement, case-folded, one space."""
    name = unicodedata.normalize("NFC", name)
    name = re.sub(r"\s*[-–—]\s*", " - ", " ".join(name.split()))
    return tone_new_style(name).casefold()


@lru_cache(maxsize=1)
def _prefix_re() -> re.Pattern:
    words = tuple(w for w in v.ADMIN_PREFIXES if w not in v.CITY_ABBREVIATIONS)
    abbrevs = tuple(v.ADMIN_ABBREVIATIONS) + tuple(v.CITY_ABBREVIATIONS)
    return re.compile(rf"^(?:(?P<w>(?i:{v.alternation(words)}))\s+|(?P<a>{v.alternation(abbrevs)})\s*)(?P<name>\S.*)$")


@lru_cache(maxsize=1)
def _table() -> dict[tuple[str, str, str], tuple[str, ...]]:
    """(era, level, name key) -> the provinces that have a unit of that name."""
    out: dict[tuple[str, str, str], set[str]] = {}
    for u in admin_units():
        out.setdefault((u.era, u.level, place_key(u.name)), set()).add(u.province)
    return {k: tuple(sorted(p)) for k, p in out.items()}


@lru_cache(maxsize=1)
def _aliases() -> dict[str, str]:
    return {place_key(a): target for a, target in ALIASES.items()}


def _split(text: str) -> tuple[tuple[str, ...], str]:
    m = _prefix_re().match(text)
    if not m:
        return _BARE, text
    prefix = (m.group("w") or m.group("a")).lower().rstrip(".").strip()
    return _LEVELS.get(prefix, ()), m.group("name")


def province_candidates(text: str) -> tuple[str, ...]:
    """The provinces a LOCATION's text may name (sorted), ``()`` when it names none."""
    return _lookup(text)[1]


def names_province(text: str) -> bool:
    """The LOCATION is a province itself (``tỉnh Bắc Kạn``, ``TP.HCM``), not a place inside one."""
    return _lookup(text)[0] == "province"


@lru_cache(maxsize=4096)
def _lookup(text: str) -> tuple[str | None, tuple[str, ...]]:
    """``(level, provinces)`` of a LOCATION's text: the level the name was found at."""
    text = " ".join(unicodedata.normalize("NFC", text).split())
    alias = _aliases().get(place_key(text))
    levels, name = (("province",), alias) if alias else _split(text)
    if not alias and (a := _aliases().get(place_key(name))):
        levels, name = ("province",), a
    key = place_key(name)
    table = _table()
    for level in levels:
        for era in ("legacy", "2025"):
            found = table.get((era, level, key))
            if found:
                return level, found
    return None, ()


def document_provinces(texts: Iterable[str]) -> Counter:
    """How often each province is named unambiguously by ``texts`` (the LOCATIONs of a document)."""
    counts: Counter = Counter()
    for text in texts:
        found = province_candidates(text)
        if len(found) == 1:
            counts[found[0]] += 1
    return counts


def resolve(text: str, document: Counter | None = None) -> str | None:
    """The one province ``text`` names; between several, the one ``document`` (counts from
    :func:`document_provinces`) names most; None when it names none or the tie stays."""
    found = province_candidates(text)
    if len(found) <= 1:
        return found[0] if found else None
    counts = sorted(((document or Counter()).get(p, 0), p) for p in found)
    best, second = counts[-1], counts[-2]
    return best[1] if best[0] > second[0] else None
