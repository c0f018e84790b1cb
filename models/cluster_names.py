"""A CLUSTER span's type and name: ``"KCN Yên Phong"`` -> ``("khu công nghiệp", "Yên Phong")``.

The type words are the lexicon's (:mod:`annotations.lexicon.vocabulary`); the type is given
in its canonical long, lower-case form whatever the span writes (``KCN``, ``Khu CN``,
``khu Công nghiệp``). :func:`name_key` is what two mentions of one cluster share.
"""

from __future__ import annotations

import re
from functools import lru_cache

from annotations.lexicon import vocabulary as v

from .places import place_key

__all__ = ["TYPE_CANONICAL", "canonical_type", "split_cluster", "name_key", "type_word_re"]

#: every type word of the lexicon (lower case) -> its canonical long form
TYPE_CANONICAL: dict[str, str] = {
    "khu công nghiệp": "khu công nghiệp", "khu cn": "khu công nghiệp", "kcn": "khu công nghiệp",
    "khu chế xuất": "khu chế xuất", "kcx": "khu chế xuất",
    "cụm công nghiệp": "cụm công nghiệp", "cụm cn": "cụm công nghiệp", "ccn": "cụm công nghiệp",
    "cụm tiểu thủ công nghiệp": "cụm tiểu thủ công nghiệp", "cụm ttcn": "cụm tiểu thủ công nghiệp",
    "ccn-ttcn": "cụm công nghiệp - tiểu thủ công nghiệp",
}
_DASHED_CANONICAL = "cụm công nghiệp - tiểu thủ công nghiệp"


@lru_cache(maxsize=1)
def type_word_re() -> re.Pattern:
    """A type word where it stands (``cụm công nghiệp - tiểu thủ công nghiệp``, ``Khu công
    nghiệp``, ``KCN``), with an abbreviation in brackets after it (``khu công nghiệp (KCN)``)."""
    dashed = "|".join(rf"{re.escape(a)}\s*[-–]\s*{re.escape(b)}" for a, b in v.CLUSTER_TYPE_DASHED)
    return re.compile(
        rf"(?<![\w])(?P<t>(?P<d>(?i:{dashed}))|(?i:{v.alternation(v.CLUSTER_TYPE_WORDS)})"
        rf"|{v.alternation(v.CLUSTER_TYPE_ABBREVIATIONS + ('CCN-TTCN',))})(?![\w-])"
        rf"(?:\s*\((?:{v.alternation(v.CLUSTER_TYPE_BRACKETED)})\))?")


@lru_cache(maxsize=1)
def _descriptor_re() -> re.Pattern:
    return re.compile(rf"^(?:(?i:{v.alternation(v.CLUSTER_DESCRIPTORS)})\s+)+")


def canonical_type(word: str) -> str:
    """``"KCN"`` -> ``"khu công nghiệp"``; a type word this table lacks stays, in lower case."""
    key = " ".join(word.split()).lower()
    if re.fullmatch(r"cụm công nghiệp\s*[-–]\s*tiểu thủ công nghiệp", key):
        return _DASHED_CANONICAL
    return TYPE_CANONICAL.get(key, key)


def split_cluster(text: str) -> tuple[str | None, str]:
    """``(canonical type or None, name)`` of a CLUSTER span's text: the type word (and an
    abbreviation in brackets after it) at the start is the type, the rest the name."""
    m = type_word_re().match(text)
    if not m:
        return None, text.strip() or text
    name = text[m.end():].strip(" ,:-–")
    return canonical_type(m.group("t")), name or text.strip() or text


def name_key(name: str) -> str:
    """The name as two mentions of one cluster share it: case, tone placement, spacing and
    leading descriptor words (``phụ trợ``, ``địa phương``) aside."""
    key = place_key(name).strip(" .,;:")
    return _descriptor_re().sub("", key) or key
