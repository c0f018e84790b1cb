"""A rules baseline: patterns plus gazetteers, what a careful engineer writes in a day.

- PERCENT: a number (ranges included) before ``%`` or ``phần trăm``; ratios are not numbers here.
- AREA: a number (ranges, multiplier words) before an area unit; qualifiers stay outside.
- CLUSTER: a type word (KCN, cụm công nghiệp, ...) plus a capitalised name (numbers, roman
  numerals, hyphenated parts, a few descriptor words such as ``dệt may``; ``(KCN)`` between
  them); bare names listed after it (``;``, ``,``, ``và``) or after ``... như/gồm/là``;
  phases stay outside.
- LOCATION: an administrative word plus a capitalised name (or a number for quận, phường,
  ấp...), names listed after it, and gazetteer names on syllable boundaries
  (case-sensitive, longest first), except inside the names of zones and infrastructure
  or of people.
- No overlaps: CLUSTER, then AREA/PERCENT, then LOCATION, longer spans first.

Developed on the seed gold and the hand-written training data only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Iterable, Sequence

from annotations.document import Span
from annotations.syllables import syllable_spans

from annotations.lexicon import load, tone_variants
from annotations.lexicon import vocabulary as v

from .normalize import normalize

#: bumped whenever the rules' behaviour changes on purpose; a model records it with the
#: lexicon's version (:func:`models.hints.fingerprint`)
RULES_VERSION = 13

# ------------------------------------------------------------------ numbers

_NUM = r"\d+(?:[.,]\d+)*"
_BEFORE_NUM = r"(?<![\w/.,])"  # not inside a word, a ratio (1/500) or a longer number
_DASH = r"\s*[-–—]\s*"
_PERCENT = re.compile(
    rf"{_BEFORE_NUM}{_NUM}(?:\s*%(?:{_DASH}{_NUM}\s*%)?|{_DASH}{_NUM}\s*%|\s+phần\s+trăm\b)(?!/\d)")
_MULT = rf"(?:\s*(?:{v.alternation(tuple(v.NUMBER_MULTIPLIERS))}))?"
_UNIT = rf"(?:{v.alternation(v.AREA_UNITS)})"
_AREA = re.compile(rf"{_BEFORE_NUM}{_NUM}{_MULT}(?:{_DASH}{_NUM}{_MULT})?\s*{_UNIT}(?![\w²])")
_UNIT_AFTER = re.compile(rf"{_MULT}\s*(?:%|{_UNIT}(?![\w²])|phần\s+trăm)")

# ------------------------------------------------------------------ clusters

_DASHED = "|".join(rf"{re.escape(a)}\s*[-–]\s*{re.escape(b)}" for a, b in v.CLUSTER_TYPE_DASHED)
_CLUSTER_TYPE = re.compile(
    rf"(?<![\w])(?:(?i:{_DASHED}|{v.alternation(v.CLUSTER_TYPE_WORDS)})|{v.alternation(v.CLUSTER_TYPE_ABBREVIATIONS)})"
    rf"(?![\w])(?:\s*\((?:{v.alternation(v.CLUSTER_TYPE_BRACKETED)})\))?")
#: words that may stand between the type word and the name (Khu công nghiệp phụ trợ dệt may Phong Điền)
_DESCRIPTOR = re.compile(rf"(?i:(?:\s(?:{v.alternation(v.CLUSTER_DESCRIPTORS)}))+)")
#: a plural type word introducing a list of bare names: "các cụm công nghiệp khác như: A, B"
_LIST_INTRO = re.compile(r"(?:\s+[^\W\d_A-ZĐ][\w]*){0,5}?\s*(?:như|gồm|là)(?![\w])\s*:?\s*|\s*:\s*")
_ITEM_SEP = re.compile(r"(?:\s+(?:mở rộng|giai đoạn \w+))?(?:\s*\([^()\n]*\))?\s*(?:[,;]\s*(?:và\s+)?|\s+và\s+)")
_ROMAN = re.compile(r"[IVX]+")

# ------------------------------------------------------------------ locations

_ADMIN = v.ADMIN_WORDS
#: administrative words that may take a number as the name (quận 9, ấp 3)
_ADMIN_NUMBERED = set(v.ADMIN_NUMBERED)
_ADMIN_RE = re.compile(rf"(?<![\w])(?:{v.alternation(v.CITY_ABBREVIATIONS)}|(?i:{v.alternation(_ADMIN)}))(?![\w])")
#: abbreviated administrative words (Q. 7, P.Bình Chiểu, H. Nhà Bè, TX Điện Bàn, Tp. Hồ Chí Minh); photo
#: credits (Ảnh: Q. ĐỊNH) and initials share the forms, so the name must be a known unit or, after
#: Q./P., a number
_ABBREV_RE = re.compile(r"(?<![\w.])(?:(?:Q|P|H|X|TX|T X|TT|Tp)\.|(?:TX|Tp)(?= ))")
_ABBREV_NUMBERED = {"Q.", "P."}
#: words that end a common noun with an administrative word (nông thôn: countryside, hợp tác xã: cooperative)
_COMPOUNDS = {tuple(w.split()[-2:]) for w in v.ADMIN_WORD_COMPOUNDS}
#: village words: capitalised inside a sentence they start a name (Công ty Bản Việt), not a place
_VILLAGE_WORDS = set(v.VILLAGE_WORDS)
_PLURAL = set(v.PLURAL_WORDS)
_FEATURE_RE = re.compile(rf"(?<![\w])(?:{v.alternation(v.FEATURE_WORDS + tuple(w.capitalize() for w in v.FEATURE_WORDS))})(?![\w])")
#: words whose following name is a zone, a piece of infrastructure or a currency, not a place
#: (chợ, cầu, ga only in lower case: Chợ Mới, Cầu Giấy are districts)
_BLOCK_RE = re.compile(
    rf"(?<![\w])(?:(?i:{v.alternation(v.BLOCKING_HEADS)})|{v.alternation(v.BLOCKING_HEADS_CASED)})(?![\w])")
_PERSON_TITLES = frozenset(v.PERSON_TITLES)
_WORD_BEFORE = re.compile(r"(?:^|\s)([^\W_]+) $")


def _is_cap(word: str) -> bool:
    return word[:1].isupper() and word[:1].isalpha()


@dataclass
class _Text:
    text: str
    sylls: list[tuple[int, int]]
    starts: dict[int, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.starts = {s: i for i, (s, _) in enumerate(self.sylls)}

    def word(self, i: int) -> str:
        s, e = self.sylls[i]
        return self.text[s:e]

    def word_before(self, pos: int) -> str:
        """The word ending one space before ``pos`` ("" if there is none)."""
        m = _WORD_BEFORE.search(self.text, max(0, pos - 40), pos)
        return m.group(1) if m else ""

    def sentence_start(self, pos: int) -> bool:
        before = self.text[max(0, pos - 10):pos].rstrip(" ")
        return not before or before[-1] in ".!?:\n\"“("

    def next_index(self, pos: int, max_gap: int = 1) -> int | None:
        """Index of the syllable starting after at most ``max_gap`` spaces from ``pos``."""
        for gap in range(max_gap + 1):
            if gap and (pos + gap > len(self.text) or self.text[pos + gap - 1] != " "):
                return None
            if pos + gap in self.starts:
                return self.starts[pos + gap]
        return None

    def name_end(self, i: int | None, *, numbers: bool = True) -> int:
        """End offset of a capitalised name starting at syllable ``i`` (``-1``: no name).

        Name syllables are capitalised words joined by single spaces or hyphens; numbers
        (not years, not before a unit or ``%``) and roman numerals may follow."""
        if i is None or i >= len(self.sylls) or not _is_cap(self.word(i)):
            return -1
        end = self.sylls[i][1]
        j = i + 1
        while j < len(self.sylls):
            s, e = self.sylls[j]
            gap = self.text[end:s]
            w = self.word(j)
            if gap == " " and _is_cap(w):
                end, j = e, j + 1
            elif (gap == " " and numbers and w.isdigit() and len(w) < 4
                  and _UNIT_AFTER.match(self.text, e) is None):
                end, j = e, j + 1
            elif w in "-–" and gap in ("", " ") and j + 1 < len(self.sylls) \
                    and self.text[e:self.sylls[j + 1][0]] == gap and _is_cap(self.word(j + 1)):
                end, j = self.sylls[j + 1][1], j + 2
            else:
                break
        return end

    def known_unit_end(self, i: int | None) -> int:
        """End offset of the longest name at syllable ``i`` that is a known administrative
        unit (``-1``: none): ``Gò Vấp`` in ``Q. Gò Vấp - TPHCM``."""
        end = self.name_end(i)
        if end < 0:
            return -1
        start, ends = self.sylls[i][0], []
        for j in range(i, len(self.sylls)):
            e = self.sylls[j][1]
            if e > end:
                break
            if e == end or self.text[e:e + 1] in " -–":
                ends.append(e)
        return next((e for e in reversed(ends) if self.text[start:e] in _known_units()), -1)

    def number_end(self, i: int | None) -> int:
        """End offset of syllable ``i`` when it is a number (quận 9, Q.1), else ``-1``."""
        return self.sylls[i][1] if i is not None and self.word(i).isdigit() else -1


def _numbers(text: str) -> list[Span]:
    out = [Span.from_text(text, m.start(), m.end(), "PERCENT") for m in _PERCENT.finditer(text)]
    out += [Span.from_text(text, m.start(), m.end(), "AREA") for m in _AREA.finditer(text)]
    return out


@lru_cache(maxsize=1)
def _names() -> dict[str, frozenset[str]]:
    return {"province": frozenset(load("province")),
            "admin": frozenset(load("province") + load("district") + load("commune")),
            "person": frozenset(load("person_family") + load("person_middle")),
            "family": frozenset(load("person_family")),
            #: names that stay bare after an administrative word (các tỉnh Tây Nguyên, các thành phố Mỹ)
            "bare": frozenset(load("region") + load("country"))}


@lru_cache(maxsize=1)
def _provinces() -> frozenset[str]:
    """Province names and their aliases (TP HCM, Sài Gòn), in both tone-mark placements."""
    return frozenset(form for n in _names()["province"] | set(load("alias")) for form in tone_variants(n))


def _is_province(name: str, text: str = "", start: int = 0) -> bool:
    """``name`` (at ``start`` of ``text``) is a province or city, with or without TP (the
    name may stop at a dot: KCX TP.HCM)."""
    bare = re.sub(r"^(?:TP\.?|Tp\.?|[Tt]hành phố)\s*", "", name)
    if name in _provinces() or (bare != name and bare in _provinces()):
        return True
    m = re.compile(r"(?:TP|Tp)\.\s?[^\W\d_]+(?: [^\W\d_]+){0,2}").match(text, start) if text else None
    return bool(m) and any(m.group()[:n] in _provinces() and not text[start + n:start + n + 1].isalpha()
                           for n in range(len(m.group()), 3, -1))


def _clusters(t: _Text) -> list[Span]:
    text = t.text
    out: list[Span] = []
    for m in _CLUSTER_TYPE.finditer(text):
        pos = m.end()
        desc = _DESCRIPTOR.match(text, pos)
        k = t.next_index(desc.end() if desc else pos)
        if k is not None and t.word(k) == "số" and k + 1 < len(t.sylls) and t.word(k + 1).isdigit():
            after = t.sylls[k + 1][1]  # Cụm công nghiệp số 1 Kháng Chiến
            end = max(after, t.name_end(t.next_index(after)))
        else:
            end = t.name_end(k)
        if end > 0:
            name = text[t.sylls[k][0]:end]
            if _is_province(name, text, t.sylls[k][0]):
                continue  # "Ban Quản lý các KCN Bắc Ninh", "khu chế xuất - khu công nghiệp TP HCM": the
                # province's parks (their administration), no park's name; the place is tagged alone
            out.append(Span.from_text(text, m.start(), end, "CLUSTER"))
            out += _list_items(t, end)
            continue
        intro = _LIST_INTRO.match(text, pos)
        k = t.next_index(intro.end(), 0) if intro else None
        first = t.name_end(k)
        if intro and intro.group().strip() == ":" and not _ITEM_SEP.match(text, first):
            continue  # "khu, cụm công nghiệp: Tạo động lực ..." is a headline, not a list
        if first > 0 and not _CLUSTER_TYPE.match(text, t.sylls[k][0]):
            out.append(Span.from_text(text, t.sylls[k][0], first, "CLUSTER"))
            out += _list_items(t, first)
    return out


def _list_items(t: _Text, pos: int) -> list[Span]:
    """Bare names continuing a list that shares one type word (a province name ends the list)."""
    out = []
    while True:
        sep = _ITEM_SEP.match(t.text, pos)
        k = t.next_index(sep.end(), 0) if sep else None
        if k is None:
            return out
        end = t.name_end(k)
        start = t.sylls[k][0]
        if end < 0 or t.text[start:end] in _names()["province"] or _CLUSTER_TYPE.match(t.text, start) \
                or _ADMIN_RE.match(t.text, start):
            return out
        if _ROMAN.fullmatch(t.text[start:end]) and not _ROMAN.fullmatch(t.text[:pos].rsplit(" ", 1)[-1]):
            return out  # "KCN Trà Nóc I và II" is two parks, "Phú Bài giai đoạn I và II" two phases
        out.append(Span.from_text(t.text, start, end, "CLUSTER"))
        pos = end


def _admin_locations(t: _Text) -> list[Span]:
    out = []
    for m in _ADMIN_RE.finditer(t.text):
        word = m.group().lower()
        before = t.word_before(m.start())
        if m.group()[0].isupper() and not word.startswith("tp") and _is_cap(before) and not before.isupper():
            continue  # inside a proper name: Nhật Bản (but UBND Thành phố Hà Nội)
        if (before.lower(), word) in _COMPOUNDS or (
                word in _VILLAGE_WORDS and m.group()[0].isupper() and not t.sentence_start(m.start())):
            continue  # nông thôn, hợp tác xã; Công ty Bản Việt
        k = t.next_index(m.end())
        end = t.name_end(k)
        if end > 0 and not _is_place(t.text[t.sylls[k][0]:end]):
            cut = t.known_unit_end(k)
            rest = t.text[cut:end].lstrip()
            if cut > 0 and (rest[:1] in "-–" or rest.split(" ", 1)[0] in _names()["family"]):
                end = cut  # UBND TP Hà Nội Nguyễn Đức Chung, TP Hải Phòng - Ảnh: ...
            elif t.word(k) in _names()["family"]:
                continue  # UBND huyện Nguyễn Văn Khanh: a person after an unnamed office
        if end < 0 and word in _ADMIN_NUMBERED:
            end = t.number_end(k)
        if end < 0 or t.text[t.sylls[k][0]:end] in _names()["bare"]:
            continue  # no name, or "các tỉnh Tây Nguyên", "các thành phố Mỹ" (the bare name is the place)
        out.append(Span.from_text(t.text, m.start(), end, "LOCATION"))
        plural = before.lower() in _PLURAL
        out += _location_items(t, end, plural)
    for m in _ABBREV_RE.finditer(t.text):
        k = t.next_index(m.end())
        end = t.known_unit_end(k) if k is not None and len(t.word(k)) > 1 and not t.word(k).isupper() else -1
        if end < 0 and m.group() in _ABBREV_NUMBERED:
            end = t.number_end(k)
        if end > 0:
            out.append(Span.from_text(t.text, m.start(), end, "LOCATION"))
    for m in _FEATURE_RE.finditer(t.text):
        if m.group()[0].isupper() and (not t.sentence_start(m.start()) or _gazetteer().match(t.text, m.start())):
            continue  # Hồ Thị Lan is a person; Hồ Chí Minh after "Tp." a city
        end = t.name_end(t.next_index(m.end()), numbers=False)
        if end > 0:
            out.append(Span.from_text(t.text, m.start(), end, "LOCATION"))
    return out


def _location_items(t: _Text, pos: int, plural: bool) -> list[Span]:
    """Bare names sharing the administrative word before them (hai xã Lệ Chi và Kim Sơn):
    any capitalised name after a plural, else only names of administrative units."""
    out = []
    while True:
        sep = _ITEM_SEP.match(t.text, pos)
        k = t.next_index(sep.end(), 0) if sep else None
        end = t.name_end(k) if k is not None else -1
        if end < 0:
            return out
        start = t.sylls[k][0]
        name = t.text[start:end]
        if _ADMIN_RE.match(t.text, start) or _CLUSTER_TYPE.match(t.text, start) \
                or not (plural or name in _known_units()):
            return out
        out.append(Span.from_text(t.text, start, end, "LOCATION"))
        pos = end


@lru_cache(maxsize=1)
def _known_units() -> frozenset[str]:
    """Names of administrative units and their aliases (HCM), in both tone-mark placements."""
    return frozenset(form for n in _names()["admin"] | set(load("alias")) for form in tone_variants(n))


@lru_cache(maxsize=1)
def _known_unit_first_syllables() -> frozenset[str]:
    return frozenset(name[slice(*syllable_spans(name)[0])] for name in _known_units() if syllable_spans(name))


def known_unit_spans(text: str, max_syllables: int = 5) -> list[tuple[int, int]]:
    """Every capitalised run of syllables (longest first, left to right, never overlapping)
    that names a known administrative unit, commune and ward names included, whatever
    its context: evidence for a model, not spans the rules would give."""
    sylls = syllable_spans(text)
    units, firsts = _known_units(), _known_unit_first_syllables()
    out: list[tuple[int, int]] = []
    i = 0
    while i < len(sylls):
        found = 0
        word = text[sylls[i][0]:sylls[i][1]]
        if word in firsts and _is_cap(word):  # no unit starts with any other syllable
            for n in range(min(max_syllables, len(sylls) - i), 0, -1):
                start, end = sylls[i][0], sylls[i + n - 1][1]
                if text[start:end] in units:
                    out.append((start, end))
                    found = n
                    break
        i += found or 1
    return out


def _is_place(name: str) -> bool:
    """``name`` is a known administrative unit or a gazetteer place (Giang Tô)."""
    return name in _known_units() or _gazetteer().fullmatch(name) is not None


@lru_cache(maxsize=1)
def _gazetteer() -> re.Pattern:
    names: set[str] = set()
    for kind in ("province", "district", "country", "region", "feature", "alias", "foreign_city"):
        for name in load(kind):
            if len(name) > 1:
                names |= tone_variants(name)
    return re.compile(rf"(?<![\w])(?:{v.trie_alternation(names)})(?![\w])")  # 12x faster than an alternation


_NEXT_WORD = re.compile(r" ([^\W\d_]+)")


def _runs_on(t: _Text, name: str, end: int) -> bool:
    """A one-syllable Vietnamese-spelt name (Mỹ, Đức, Anh) that a capitalised Vietnamese
    syllable follows is part of a longer name (nút giao Mỹ Thủy, Công ty Đức Thành), unlike
    one before a foreign word (Mỹ Donald Trump) or a foreign name (Thủ tướng Singapore Lý)."""
    if not (len(name) <= 4 or not name.isascii()):
        return False
    m = _NEXT_WORD.match(t.text, end)
    return bool(m) and m.group(1)[0].isupper() and not m.group(1).isupper() and not m.group(1).isascii()


def _gazetteer_locations(t: _Text) -> list[Span]:
    out = []
    for m in _gazetteer().finditer(t.text):
        before = t.word_before(m.start())
        if before in _names()["person"]:
            continue  # part of a person's name: Nguyễn Hòa Bình
        if before in _PERSON_TITLES and " " not in m.group():
            continue  # a person addressed by a one-syllable name: theo bà Anh, ông Đức cho biết
        if before == "tiếng" and " " not in m.group():
            continue  # a language: tiếng Anh, tiếng Nhật (but nức tiếng miền Tây: famous in the west)
        if " " not in m.group() and not m.group().isupper() and (
                _is_cap(before) or t.sentence_start(m.start()) or _runs_on(t, m.group(), m.end())):
            continue  # a one-syllable name (Anh, Ý, Đức) inside a proper name (Đức Thành, nút giao Mỹ
            # Thủy) or opening a sentence; an abbreviation stays a place (Công ty Leader One VN)
        out.append(Span.from_text(t.text, m.start(), m.end(), "LOCATION"))
    return out


def _blocked(t: _Text) -> list[tuple[int, int]]:
    """Zones and infrastructure with their names: no LOCATION inside them."""
    out = []
    for m in _BLOCK_RE.finditer(t.text):
        end = t.name_end(t.next_index(m.end()))
        if end > 0:
            out.append((m.start(), end))
    return out


def _mask(length: int, intervals: Iterable[tuple[int, int]]) -> bytearray:
    """One byte per character of a text: 1 inside any of ``intervals``."""
    mask = bytearray(length)
    for a, b in intervals:
        mask[a:b] = b"\x01" * (b - a)
    return mask


def _free(mask: bytearray, start: int, end: int) -> bool:
    return mask.find(1, start, end) < 0


def _resolve(candidates: Sequence[tuple[int, Span]], length: int) -> list[Span]:
    """Keep candidates by priority, then length, dropping any that overlaps one kept. The
    kept spans are marked in a character mask, so each test costs the span's length: the
    whole is linear in the text's length, however many candidates there are."""
    taken = bytearray(length)
    kept: list[Span] = []
    for _, span in sorted(candidates, key=lambda c: (c[0], -(c[1].end - c[1].start), c[1].start)):
        if span.start < span.end and _free(taken, span.start, span.end):
            taken[span.start:span.end] = b"\x01" * (span.end - span.start)
            kept.append(span)
    return sorted(kept, key=lambda s: s.start)


def extract(text: str) -> list[Span]:
    """Rule-based spans of all four labels in ``text``, read through invisible characters,
    markup and Unicode forms (:mod:`models.normalize`), in ``text``'s offsets."""
    if not isinstance(text, str):
        raise TypeError(f"extract() needs a str, got {type(text).__name__}")
    nt = normalize(text)
    if not nt.changed:
        return _extract(text)
    return [Span.from_text(text, *nt.span_to_original(s.start, s.end), s.label) for s in _extract(nt.text)]


def _extract(text: str) -> list[Span]:
    t = _Text(text, syllable_spans(text))
    blocked = _mask(len(text), _blocked(t))
    locations = [s for s in _admin_locations(t) + _gazetteer_locations(t) if _free(blocked, s.start, s.end)]
    candidates = [(0, s) for s in _clusters(t)] + [(1, s) for s in _numbers(text)] + [(2, s) for s in locations]
    return _resolve(candidates, len(text))
