"""Consistency heuristics for the hand-written training articles (training/data/written).

One set of checks for every writer: the strictest union of the checks each writer's
gate used to run. Each check takes a Document and returns a list of problems (empty
when the document is clean); the problem text names the document and quotes the
context. Exemptions live in ALLOW, one commented table keyed by phrase.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from annotations.document import Document, Span

# --- allow-lists (exact phrases; a hit inside an occurrence of the phrase is exempt) ---
ALLOW: dict[str, dict[str, str]] = {
    # A type word ("KCN", "Khu công nghiệp", ...) followed by a capitalised word that is
    # NOT the start of a park's name.
    "named_park": {
        # (wa) "Ban Quản lý các KCN <province>", "các KCN <province>": the parks of a
        # province; "các KCN" is a generic mention and the province is a LOCATION.
        "các KCN Hà Tây": "generic 'các KCN' + province (wa)",
        "các KCN Bắc Ninh": "generic 'các KCN' + province (wa)",
        "các KCN Thái Nguyên": "generic 'các KCN' + province (wa)",
        "các KCN Bắc Giang": "generic 'các KCN' + province (wa)",
        "các KCN Hải Dương": "generic 'các KCN' + province (wa)",
        "các KCN Vĩnh Phúc": "generic 'các KCN' + province (wa)",
        "các KCN Nghệ An": "generic 'các KCN' + province (wa)",
        "chủ đề: Cụm công nghiệp": "tag line naming a topic, not a park (wa)",
        # (wd) "đất KCN <province>": land in the parks of a province, a generic mention;
        # the province after it is a LOCATION.
        "đất KCN TP.HCM": "generic 'đất KCN' + province (wd)",
        "đất KCN Đồng Nai": "generic 'đất KCN' + province (wd)",
    },
    # An administrative word followed by a capitalised word that is NOT a LOCATION.
    "admin_place": {},
    # A span right after a facility word that is nevertheless a place, because it
    # qualifies an organisation rather than being part of the facility's name. The
    # phrase must run from before the span up to (or into) its first character.
    "facility_label": {
        "các KCN và KKT ": "'Ban Quản lý các KCN và KKT <province>': the province qualifies the board (wa)",
        "Ban Quản lý Khu kinh tế tỉnh": "'Ban Quản lý Khu kinh tế tỉnh Bình Định': the board of the province, "
                                        "not a zone name (wb)",
        "Ban Quản lý Khu kinh tế ": "'Ban Quản lý Khu kinh tế tỉnh Bình Phước': the board of the province, "
                                    "not a zone name (wd)",
        "phát triển đường cao tốc ": "'Tổng công ty Đầu tư phát triển đường cao tốc Việt Nam': the country "
                                     "qualifies a company (wd)",
        "khu dân cư thị trấn Liên Nghĩa": "'ra khỏi khu dân cư thị trấn Liên Nghĩa': the generic residential "
                                          "areas of a town that keeps its own type word (spec: 'unless it keeps "
                                          "its own type word'), no named facility (wb)",
    },
    # Phrases in which a known place, or a name labelled elsewhere in the document, is
    # not an entity of its own (repeat and known-place checks).
    "unlabelled": {
        "Phan Thái Bình": "a person (wb)",
        "đường Hồ Chí Minh": "a road (facility word, listed for clarity) (wb)",
        "Tập đoàn Amata": "the developer company, not the park 'KCN Amata' (wb)",
        "Nguyễn Thái Bình": "a person (wc)",
        "Trần Bắc Hà": "a person (bank chairman), not the district of Lào Cai (wc)",
        "Phạm Hải Dương": "a person (wc)",
        "Trần Kim Chung": "a person (economist), not the commune labelled nearby (wc)",
        "Thái Bình - Hồng Nhung": "a byline: two reporters, not the province (wc)",
    },
}


def allow_entries() -> list[tuple[str, str]]:
    """(kind, phrase) for every allow-list entry."""
    return [(kind, phrase) for kind, table in ALLOW.items() for phrase in table]


# --- patterns -----------------------------------------------------------------------
AREA_UNITS = ("ha", "m2", "m²", "km2", "km²", "héc-ta", "hécta", "hecta", "mẫu", "sào")
_UNITS = "|".join(map(re.escape, AREA_UNITS))
_NUM = r"\d(?:[\d.,]*\d)?"
# a number (or a range of numbers) directly followed by an area unit, multiplier allowed
_AREA_RE = re.compile(rf"{_NUM}(?:\s*-\s*{_NUM})?(?:\s*(?:triệu|nghìn|ngàn|vạn))?\s*(?:{_UNITS})(?!\w)")
# the shape an AREA span must have (multiplier after a space, as the spec writes it)
_AREA_SPAN = re.compile(rf"^{_NUM}(?:\s*-\s*{_NUM})?(?:\s+(?:triệu|nghìn|ngàn))?\s*(?:{_UNITS})$")
_PERCENT_SPAN = re.compile(rf"^{_NUM}(?:\s*%)?(?:\s*-\s*{_NUM})?\s*(?:%|phần trăm)$")
_PHAN_TRAM_RE = re.compile(r"\d\s*phần trăm")
_SPLIT_RANGE = re.compile(r"^\s?-\s?$")

_ADMIN_WORDS = r"(?i:thành phố|thị xã|thị trấn|tỉnh|huyện|xã|quận|phường|thôn|ấp)"
# administrative word + a capitalised name or a number ("quận 7", "ấp 3")
_ADMIN_RE = re.compile(rf"(?<!\w)(?:{_ADMIN_WORDS}[ ]+|TP(?:\.[ ]?|[ ]))(?=[^\W_])(\w+)")
_TYPE_WORDS = r"(?i:KCN|KCX|CCN|khu công nghiệp|cụm công nghiệp|khu chế xuất|cụm CN|khu CN)"
# CLUSTER type word + a capitalised name
_TYPE_RE = re.compile(rf"(?<!\w){_TYPE_WORDS}[ ](\w+)")
# natural features: "sông Hồng", "biển Đông" ("ven biển X" is "the coast of X", no sea)
_NATURE_RE = re.compile(r"(?<!\w)(?<!ven )(?:[Ss]ông|[Bb]iển|[Vv]ịnh)[ ](?=[A-ZĐÂĂÊÔƠƯÁÀẢÃẠÉÈẺẼẸÍÌỈĨỊÓÒỎÕỌÚÙỦŨỤÝ])(\w)")
_PLURAL_BEFORE = re.compile(r"(?i)(?<!\w)(?:các|những|nhiều)\s$")
_ROMAN = re.compile(r"^[IVX]+$")
_ADMIN_PREFIX = re.compile(rf"^(?:{_ADMIN_WORDS}|TP\.?)\s?")
_TYPE_PREFIX = re.compile(rf"^{_TYPE_WORDS}\s")

# Words that, shortly before a name in the same clause, make it part of the name of a
# facility: economic zone, hi-tech park, urban/residential/resettlement/housing area,
# port, airport, road, railway, ring road, bridge, tunnel, station, market, hotel,
# border gate, substation, hydropower dam, lake/reservoir, currency. The spec gives
# such a place no LOCATION of its own. Plants are not facilities: the spec labels
# `nhà máy đạm [Ninh Bình]`, so a thermal plant's place is labelled too.
FACILITY_WORDS = (
    "khu kinh tế", "kkt", "khu công nghệ cao", "khu cnc", "khu đô thị", "khu du lịch",
    "khu tái định cư", "khu dân cư", "khu nhà ở", "cảng", "sân bay", "cảng hàng không",
    "cao tốc", "quốc lộ", "xa lộ", "đại lộ", "đường sắt", "đường", "vành đai", "cầu", "hầm",
    "chợ nổi", "chợ", "ga", "khách sạn", "cửa khẩu", "trạm biến áp", "thủy điện", "hồ",
    "đô la", "yên",
)
# "yêu cầu" (to ask), "nhu cầu" (demand), "toàn cầu" (global) are no bridges; the "Hồ"
# of "Hồ Chí Minh" is no lake.
_NOT_FACILITY = r"(?<!yêu )(?<!nhu )(?<!toàn )(?!hồ chí minh)"
_FACILITY = r"(?:" + "|".join(map(re.escape, FACILITY_WORDS)) + r")"
# up to six words between the facility word and the name: route names such as
# `cao tốc Châu Đốc - Cần Thơ - Sóc Trăng` need six (wa's gate allowed five, wd's eight).
_FACILITY_BEFORE = re.compile(
    rf"(?i)(?<!\w){_NOT_FACILITY}{_FACILITY}(?:[ ]+[^\s,.;:()\"]+(?:\.[^\s,.;:()\"]+)*){{0,6}}[ ]+$"
)
# Facility words that no span may directly follow: the union of the writers' lists. "hồ"
# and "đường sắt" only ever exempted a name (`các hồ [sông Đà]` keeps its own type word).
_RIGHT_BEFORE_WORDS = tuple(w for w in FACILITY_WORDS if w not in ("hồ", "đường sắt"))
_FACILITY_RIGHT_BEFORE = re.compile(
    rf"(?i)(?<!\w){_NOT_FACILITY}(?:{'|'.join(map(re.escape, _RIGHT_BEFORE_WORDS))})"
    r"(?:[ ](?:quốc tế|mở|cửa khẩu|nước sâu))?[ ]$"
)

# Named regions: in `các tỉnh Đông Nam Bộ` the word `tỉnh` is generic (a region is not a
# province), so only the region's name is the LOCATION.
REGIONS = (
    "Đông Nam Bộ", "Tây Nam Bộ", "Nam Bộ", "Bắc Bộ", "Nam Trung Bộ", "Bắc Trung Bộ", "Tây Nguyên",
    "Đồng bằng sông Cửu Long", "Đồng bằng sông Hồng", "Tây Bắc", "Đông Bắc",
)

# Well-known places: every occurrence is labelled (or lies inside a span, a facility
# name or an "unlabelled" phrase).
KNOWN_PLACES = (
    # countries and world regions
    "Việt Nam", "Nhật Bản", "Hàn Quốc", "Trung Quốc", "Đài Loan", "Singapore", "Mỹ", "Hoa Kỳ",
    "Hồng Kông", "Hong Kong", "Thái Lan", "Malaysia", "Campuchia", "Lào", "Ấn Độ", "Indonesia",
    "Nga", "Đan Mạch", "Hà Lan", "châu Âu", "châu Á", "Đông Nam Á",
    # Vietnamese regions
    "ĐBSCL", "Đồng bằng sông Cửu Long", "Đồng bằng sông Hồng", "Tây Nguyên", "miền Trung",
    "miền Bắc", "miền Nam", "miền Tây", "Đông Nam Bộ", "Nam Trung Bộ",
    # provinces and cities
    "TP.HCM", "TPHCM", "TP HCM", "TP. Hồ Chí Minh", "Sài Gòn", "BR-VT", "Bà Rịa - Vũng Tàu",
    "Hà Nội", "Bắc Ninh", "Bắc Giang", "Hải Phòng", "Hưng Yên", "Hải Dương", "Thái Bình",
    "Nam Định", "Hà Nam", "Ninh Bình", "Vĩnh Phúc", "Phú Thọ", "Thái Nguyên", "Quảng Ninh",
    "Thanh Hóa", "Nghệ An", "Hà Tĩnh", "Quảng Trị", "Quảng Bình", "Thừa Thiên Huế", "Đà Nẵng",
    "Quảng Nam", "Quảng Ngãi", "Bình Định", "Khánh Hòa", "Khánh Hoà", "Ninh Thuận", "Bình Thuận",
    "Lâm Đồng", "Đắk Nông", "Đắk Lắk", "Gia Lai", "Kon Tum", "Bình Dương", "Đồng Nai",
    "Bình Phước", "Tây Ninh", "Long An", "Tiền Giang", "Bến Tre", "Vĩnh Long", "Trà Vinh",
    "Đồng Tháp", "An Giang", "Kiên Giang", "Cần Thơ", "Hậu Giang", "Sóc Trăng", "Bạc Liêu",
    "Cà Mau", "Buôn Ma Thuột", "Biên Hòa", "Thủ Dầu Một",
)

# "vùng" stays outside a region's name (`vùng [Tây Nguyên]`) except in the official
# planning macro-regions, whose name it starts (guidelines 7.7).
_MACRO_REGION = re.compile(r"(?i)^vùng kinh tế trọng điểm ")
_OUTSIDE_WORDS = {"các", "những", "dự", "phía", "toàn", "khoảng", "vùng", "gần", "hơn", "trên"}
_COUNT_WORDS = {"hai", "ba", "bốn", "năm", "sáu", "bảy"}  # case-sensitive: "Ba Vì" is a district
_NOT_PLACES = ("EU", "ASEAN", "WTO", "USD")


# --- helpers ----------------------------------------------------------------------
def _covering(doc: Document, start: int, end: int, label: str | None = None) -> Span | None:
    for s in doc.spans:
        if s.start <= start and end <= s.end and (label is None or s.label == label):
            return s
    return None


def _touching(doc: Document, start: int, end: int) -> bool:
    return any(s.start < end and start < s.end for s in doc.spans)


def _in_phrase(text: str, start: int, end: int, phrases: Iterable[str]) -> bool:
    for phrase in phrases:
        for m in re.finditer(re.escape(phrase), text):
            if m.start() <= start and end <= m.end():
                return True
    return False


def _in_facility(doc: Document, start: int) -> bool:
    line_start = doc.text.rfind("\n", 0, start) + 1
    return bool(_FACILITY_BEFORE.search(doc.text[line_start:start]))


def _where(doc: Document, start: int, end: int, width: int = 40) -> str:
    return f"{doc.id}: ...{doc.text[max(0, start - width):end + width]!r}..."


def _occurrences(text: str, name: str) -> Iterable[re.Match[str]]:
    return re.finditer(r"(?<!\w)" + re.escape(name) + r"(?!\w)", text)


# --- per-document checks ----------------------------------------------------------
def span_shape_problems(doc: Document) -> list[str]:
    """Spans begin and end on the entity's own characters and look like their label."""
    bad = []
    for s in doc.spans:
        t = s.text
        if not (t[0].isalnum() and (t[-1].isalnum() or t[-1] == "%")):
            bad.append(f"{doc.id}: edge character in {s.label} {t!r}")
        if s.label == "AREA" and not _AREA_SPAN.match(t):
            bad.append(f"{doc.id}: AREA is not number + unit: {t!r}")
        if s.label == "PERCENT" and not _PERCENT_SPAN.match(t):
            bad.append(f"{doc.id}: PERCENT is not number + sign: {t!r}")
        if s.label in ("CLUSTER", "LOCATION"):
            first = t.split()[0]
            if first.lower() == "vùng" and _MACRO_REGION.match(t):
                pass
            elif first.lower() in _OUTSIDE_WORDS or first in _COUNT_WORDS:
                bad.append(f"{doc.id}: {s.label} starts with a word that stays outside: {t!r}")
            elif first.isdigit() and not (s.label == "CLUSTER" and t == first):
                # a bare number is a park of a numbered series: `[KCN Mỹ Phước 1], [2] và [3]`
                bad.append(f"{doc.id}: {s.label} starts with a word that stays outside: {t!r}")
            if "\n" in t:
                bad.append(f"{doc.id}: {s.label} spans a line break: {t!r}")
        if s.label == "LOCATION" and t in _NOT_PLACES:
            bad.append(f"{doc.id}: {t!r} is not a place")
    return bad


def percent_problems(doc: Document) -> list[str]:
    """Every '%' and every '<digit> phần trăm' lies inside a PERCENT span."""
    bad = [_where(doc, i, i + 1) for i, c in enumerate(doc.text)
           if c == "%" and not _covering(doc, i, i + 1, "PERCENT")]
    bad += [_where(doc, m.start(), m.end()) for m in _PHAN_TRAM_RE.finditer(doc.text)
            if not _covering(doc, m.start(), m.end(), "PERCENT")]
    return bad


def area_problems(doc: Document) -> list[str]:
    """Every number (or range) directly followed by an area unit lies inside one AREA span."""
    return [_where(doc, m.start(), m.end()) for m in _AREA_RE.finditer(doc.text)
            if not _covering(doc, m.start(), m.end(), "AREA")]


def split_range_problems(doc: Document) -> list[str]:
    """A range is one span: two AREA or PERCENT spans joined only by a dash are a slip."""
    spans = doc.sorted_spans()
    return [_where(doc, a.start, b.end) for a, b in zip(spans, spans[1:])
            if a.label == b.label and a.label in ("AREA", "PERCENT")
            and _SPLIT_RANGE.match(doc.text[a.end:b.start])]


def admin_place_problems(doc: Document) -> list[str]:
    """`tỉnh X`, `huyện X`, `TP X`, `quận 9`, ... (X capitalised or a number): one LOCATION
    holds the administrative word and X's first word (or a CLUSTER name holds both), also
    after a plural word (`các [huyện Long Hồ], [Mang Thít]`). Only a named region after the
    word (`các tỉnh [Tây Nguyên]`) is labelled without it; inside an unlabelled facility
    name (`cao tốc TP.HCM - Long Thành`, `đường tỉnh 830`) nothing is required."""
    bad = []
    for m in _ADMIN_RE.finditer(doc.text):
        name = m.group(1)
        if not (name[0].isupper() or name[0].isdigit()):
            continue
        if _covering(doc, m.start(), m.end(), "CLUSTER") or _covering(doc, m.start(), m.end(), "LOCATION"):
            continue
        region = _covering(doc, m.start(1), m.end(), "LOCATION")
        if region is not None and region.start == m.start(1) and region.text in REGIONS:
            continue
        if _in_phrase(doc.text, m.start(), m.end(), ALLOW["admin_place"]):
            continue
        if _in_facility(doc, m.start()) and not _touching(doc, m.start(), m.end()):
            continue  # `cao tốc TP.HCM - Long Thành`, `đường tỉnh 830`: inside a facility name
        bad.append(_where(doc, m.start(), m.end()))
    return bad


def nature_problems(doc: Document) -> list[str]:
    """`sông Hậu`, `biển Đông`: a named river or sea lies inside a span (a LOCATION with
    its type word, or a CLUSTER name), unless it sits unlabelled in a facility name
    (`cảng biển Trần Đề`)."""
    return [_where(doc, m.start(), m.start(1) + 1) for m in _NATURE_RE.finditer(doc.text)
            if not _covering(doc, m.start(), m.start(1) + 1)
            and not (_in_facility(doc, m.start()) and not _touching(doc, m.start(), m.start(1) + 1))]


def named_park_problems(doc: Document) -> list[str]:
    """A type word followed by a capitalised name starts a CLUSTER span that holds the
    name's first word, except after a plural word where the name is a province labelled
    LOCATION (`Ban Quản lý các KCN [Đồng Nai]`) or in an allow-listed phrase."""
    bad = []
    for m in _TYPE_RE.finditer(doc.text):
        if not m.group(1)[0].isupper():
            continue
        span = _covering(doc, m.start(), m.end(), "CLUSTER")
        if span is not None and span.start == m.start():
            continue
        if _in_phrase(doc.text, m.start(), m.end(), ALLOW["named_park"]):
            continue
        if _PLURAL_BEFORE.search(doc.text[:m.start()]) and _covering(doc, m.start(1), m.end(), "LOCATION"):
            continue
        bad.append(_where(doc, m.start(), m.end()))
    return bad


def names_to_check(doc: Document) -> set[str]:
    """Labelled LOCATION/CLUSTER texts and their bare names (admin or type word removed)."""
    names = set()
    for s in doc.spans:
        if s.label in ("LOCATION", "CLUSTER"):
            names.add(s.text)
            names.add((_ADMIN_PREFIX if s.label == "LOCATION" else _TYPE_PREFIX).sub("", s.text))
    return {n for n in names if len(n) >= 4 and not _ROMAN.match(n)}


def _unlabelled_ok(doc: Document, m: re.Match[str]) -> bool:
    return _in_facility(doc, m.start()) or _in_phrase(doc.text, m.start(), m.end(), ALLOW["unlabelled"])


def repeat_problems(doc: Document) -> list[str]:
    """A name labelled LOCATION or CLUSTER in a document (with or without its admin or
    type word) lies inside a span at every occurrence, unless it is part of a facility
    name or of an "unlabelled" phrase."""
    return [_where(doc, m.start(), m.end()) for name in sorted(names_to_check(doc))
            for m in _occurrences(doc.text, name)
            if not _covering(doc, m.start(), m.end()) and not _unlabelled_ok(doc, m)]


def known_place_problems(doc: Document) -> list[str]:
    """Every occurrence of a well-known place lies inside a span (same exemptions)."""
    return [_where(doc, m.start(), m.end()) for name in KNOWN_PLACES
            for m in _occurrences(doc.text, name)
            if not _covering(doc, m.start(), m.end()) and not _unlabelled_ok(doc, m)]


def facility_label_problems(doc: Document) -> list[str]:
    """No span starts right after a facility word (`Khu kinh tế Vân Phong`, `cảng Cái Mép`,
    `sân bay Long Thành`, `đô la Mỹ` carry no LOCATION)."""
    bad = []
    for s in doc.spans:
        before = doc.text[max(0, s.start - 40):s.start]
        if not _FACILITY_RIGHT_BEFORE.search(before):
            continue
        if any(m.start() < s.start <= m.end() for p in ALLOW["facility_label"]
               for m in re.finditer(re.escape(p), doc.text)):
            continue
        bad.append(_where(doc, s.start, s.end))
    return bad


CHECKS: dict[str, Callable[[Document], list[str]]] = {
    "span_shape": span_shape_problems,
    "percent": percent_problems,
    "area": area_problems,
    "split_range": split_range_problems,
    "admin_place": admin_place_problems,
    "nature": nature_problems,
    "named_park": named_park_problems,
    "repeat": repeat_problems,
    "known_place": known_place_problems,
    "facility_label": facility_label_problems,
}
