"""Normalised values of AREA and PERCENT spans: ``[low, high]`` in hectares or percent.

``parse_value("1.156,77 ha", "AREA") == [1156.77, 1156.77]``; ``"60% - 85%"`` gives
``[60.0, 85.0]``; a surface that cannot be read gives ``None``, never a wrong number.

Numbers follow Vietnamese usage, with the English style that some outlets use:

- with both ``.`` and ``,`` the later one is the decimal mark (``1.156,77``, ``1,952.5``);
- ``.`` alone groups thousands when every group after the first has three digits
  (``1.500`` = 1500), else it is a decimal mark (``1.5``);
- ``,`` alone is the decimal mark (``1,2``; ``2,500`` = 2.5), unless it repeats with
  three-digit groups (``1,234,567``);
- a multiplier word stays with its number (``1,2 nghìn ha`` = 1200 ha), a small number word
  may stand for the digits (``hai nghìn ha``);
- a range is ``A - B``, ``A-B``, ``A – B``, ``từ A đến B`` or ``A đến B``, each side with
  its own unit or percent sign or one shared at the end.

Units and their size in hectares (mẫu and sào at the Northern size) come from the lexicon
(:data:`annotations.lexicon.vocabulary.HECTARES_PER_UNIT`).
"""

from __future__ import annotations

import re
from functools import lru_cache

from .characters import INVISIBLE, SPACES
from .lexicon import vocabulary as v

#: number words that may stand for a number's digits (hai nghìn ha)
NUMBER_WORDS = {"một": 1, "hai": 2, "ba": 3, "bốn": 4, "tư": 4, "năm": 5, "sáu": 6, "bảy": 7, "tám": 8,
                "chín": 9, "mười": 10}


@lru_cache(maxsize=1)
def _patterns() -> dict[str, re.Pattern]:
    mult = v.alternation(tuple(v.NUMBER_MULTIPLIERS))
    words = v.alternation(tuple(NUMBER_WORDS))
    number = rf"(?:\d+(?:[.,]\d+)*|{words})(?:\s*(?:{mult}))?"
    unit = rf"(?:{v.alternation(v.AREA_UNITS)})"
    percent = rf"(?:%|{v.alternation(v.PERCENT_WORDS)})"
    dash = r"\s*(?:[-–—]|đến)\s*"
    out = {"number": re.compile(rf"(?P<n>\d+(?:[.,]\d+)*|{words})(?:\s*(?P<m>{mult}))?$", re.I)}
    for name, suffix in (("AREA", unit), ("PERCENT", percent)):
        out[name] = re.compile(
            rf"(?:từ\s+)?(?P<a>{number})\s*(?P<ua>{suffix})?(?:{dash}(?P<b>{number})\s*)?(?P<ub>{suffix})?$", re.I)
    return out


def parse_number(text: str) -> float | None:
    """``"1.156,77"`` -> 1156.77, ``"1,2 nghìn"`` -> 1200.0, ``"hai"`` -> 2.0; None if unreadable."""
    m = _patterns()["number"].match(text.strip())
    if not m:
        return None
    digits, mult = m.group("n"), m.group("m")
    base = NUMBER_WORDS.get(digits.lower())
    if base is None:
        base = _digits(digits)
    if base is None:
        return None
    return float(base) * (v.NUMBER_MULTIPLIERS[mult.lower()] if mult else 1.0)


def _digits(s: str) -> float | None:
    has_dot, has_comma = "." in s, "," in s
    if has_dot and has_comma:
        decimal = "." if s.rfind(".") > s.rfind(",") else ","
        grouping = "," if decimal == "." else "."
        whole, _, frac = s.rpartition(decimal)
        if not all(len(g) == 3 for g in whole.split(grouping)[1:]):
            return None
        return float(whole.replace(grouping, "") + "." + frac)
    for mark, thousands_when_single in ((".", True), (",", False)):
        if mark in s:
            groups = s.split(mark)
            three = all(len(g) == 3 for g in groups[1:])
            if three and (len(groups) > 2 or thousands_when_single):
                return float("".join(groups))
            if len(groups) == 2:
                return float(groups[0] + "." + groups[1])
            return None  # 1.2.3, 1,23,4: not a number
    return float(s)


def _unit_factor(label: str, unit: str | None) -> float | None:
    if label == "PERCENT":
        return 1.0
    if unit is None:
        return None
    key = " ".join(unit.lower().split())
    return next((size for u, size in v.HECTARES_PER_UNIT.items() if u.lower() == key), None)


#: invisible characters dropped, the Unicode spaces read as spaces (a span the tagger read
#: through them: "8\u00ad0%")
_READ_THROUGH = {**dict.fromkeys(map(ord, INVISIBLE)), **dict.fromkeys(map(ord, SPACES), " ")}


def parse_value(text: str, label: str) -> list[float] | None:
    """``[low, high]`` of an AREA (hectares) or PERCENT (percent) surface; ``None`` for other
    labels and for what cannot be read."""
    if label not in ("AREA", "PERCENT"):
        return None
    m = _patterns()[label].match(" ".join(text.translate(_READ_THROUGH).split()))
    if not m:
        return None
    a, b = parse_number(m.group("a")), parse_number(m.group("b")) if m.group("b") else None
    unit_a, unit_b = m.group("ua"), m.group("ub")
    if a is None or (m.group("b") and b is None):
        return None
    if label == "PERCENT" and not (unit_a or unit_b):
        return None
    factor_b = _unit_factor(label, unit_b or unit_a)
    factor_a = _unit_factor(label, unit_a or unit_b)
    if factor_a is None or factor_b is None:
        return None
    low = a * factor_a
    high = b * factor_b if b is not None else low
    return [min(low, high), max(low, high)]
